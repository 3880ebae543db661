import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { openServer } from '../../../src/compose/server.js';
import { openApp } from '../../../src/deps.js';
import { generateSyntheticPeople, LOCKED_EMAIL } from '../../../src/providers/sandbox/apollo/synthetic-people.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { silentLog } from '../../support/pipeline.js';

const SECRET = 'rb2b-secret-cli-visitors-0123456789';
const PEOPLE = 40;
const PERSON = generateSyntheticPeople({ seed: 1, count: PEOPLE }).find((p) => p.linkedinUrl && p.email && p.email !== LOCKED_EMAIL)!;

/**
 * What a head of sales does: RB2B posts a visit to `caio serve`, then `caio pipeline run --source
 * rb2b` turns the visitor into a draft that `caio review list` shows, through the production CLI.
 */
describe('caio pipeline run --source rb2b', () => {
  const work = tempWorkdir();
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ sandbox: { seed: 1, peopleCount: PEOPLE }, jobs: { enabled: false } }));
  const env = { RB2B_WEBHOOK_SECRET: SECRET, DASHBOARD_AUTH_TOKEN: 'dashboard-token-cli-visitors-0123456789' };
  const cli = inProcessCli({ cwd: work.dir, env });
  afterAll(() => work.cleanup());

  it('an RB2B visit posted to the server ends as a draft in the review queue', async () => {
    const app = await openApp(loadConfig({ cwd: work.dir, env }), { store: cli.store, log: silentLog });
    try {
      const server = await openServer(app, { mode: 'serve', host: '127.0.0.1', port: 0 });
      try {
        const org = PERSON.organization;
        const body = {
          'LinkedIn URL': PERSON.linkedinUrl,
          'First Name': PERSON.firstName,
          'Last Name': PERSON.lastName,
          Title: PERSON.title,
          'Company Name': org.name,
          'Business Email': null,
          Website: `https://${org.domain}`,
          Industry: org.industry,
          'Employee Count': org.employees,
          City: PERSON.city,
          State: PERSON.state,
          Zipcode: '00000',
          'Seen At': '2026-12-01T15:00:00.000+00:00',
          Referrer: null,
          'Captured URL': 'https://www.caio.example.com/services/ai-sprint',
          Tags: null,
        };
        const res = await fetch(`${server.address}/webhooks/rb2b/${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
        // The inline job processes the stored delivery after the 200: wait until it has.
        for (let i = 0; i < 400; i++) {
          const { rows } = (await app.database.db.execute(sql`select count(*)::int as n from webhook_inbox where status in ('pending', 'processing')`)) as { rows: { n: number }[] };
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        await server.close();
      }
    } finally {
      await app.close();
    }

    const ran = await cli.run(['pipeline', 'run', '--source', 'rb2b', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    const report = JSON.parse(ran.stdout) as { status: string; drafts: { draftId: string; leadId: string; email: string }[]; leads: { email: string; status: string }[] };
    expect(report.status).toBe('passed');
    expect(report.leads).toEqual([expect.objectContaining({ email: PERSON.email!.toLowerCase(), status: 'pending_review' })]);
    expect(report.drafts.map((d) => d.email)).toEqual([PERSON.email!.toLowerCase()]);

    const listed = await cli.run(['review', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const queue = JSON.parse(listed.stdout) as { id: string; status: string; lead: { email: string } }[];
    expect(queue.map((d) => [d.id, d.status, d.lead.email])).toEqual([[report.drafts[0]!.draftId, 'pending_review', PERSON.email!.toLowerCase()]]);

    // A second run finds no visitor waiting, and passes.
    const again = await cli.run(['pipeline', 'run', '--source', 'rb2b', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'passed', drafts: [] });
  }, 90_000);
});
