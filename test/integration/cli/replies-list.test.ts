import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { processorFor } from '../../../src/compose/signals.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';

/**
 * `caio replies list|show`: the replies the follow-through stored (issue 17 item 6's listing),
 * read by the production CLI in-process from the schema a sandbox dispatch and two reply
 * deliveries (through the inbox and processorFor) wrote.
 */
describe('caio replies list and show', () => {
  const work = tempWorkdir();
  const cli = inProcessCli({ cwd: work.dir });
  let database: Database;
  let h: Harness;
  let leadEmail = '';

  beforeAll(async () => {
    database = await openDatabase(cli.store);
    h = await dispatchHarness(database);
    const lead = await h.approvedLead({ linkedin: false });
    leadEmail = lead.email;
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const processor = withFollowThroughActions(processorFor(h.app), followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch)), silentLog);
    const inbox = createInboxStore(database.db);
    const deliver = async (key: string, body: Record<string, unknown>) => {
      // Stored as an older door stored it (no signal): the processor reads the payload with Instantly's parse.
      const id = await inbox.insert({
        provider: 'instantly',
        eventType: 'reply_received',
        idempotencyKey: key,
        payload: { event_type: 'reply_received', step: 1, timestamp: h.clock.now().toISOString(), ...body },
        receivedAt: h.clock.now(),
      });
      expect(await processor.process(id!)).toMatch(/processed|unknown_lead/);
    };
    await deliver('k-1', { lead_email: lead.email, email_id: 'e-1', reply_text: 'We use HubSpot and it works fine for us, no need for this.' });
    h.clock.advance(60_000);
    await deliver('k-2', { lead_email: 'someone@elsewhere.example.com', email_id: 'e-2', reply_text: 'Tuesday at 2pm works, send an invite.' });
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await database.close();
    work.cleanup();
  });

  it('lists the replies newest first as JSON in the documented shape, and filters by class', async () => {
    const out = await cli.run(['replies', 'list', '--json']);
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.class, r.leadEmail])).toEqual([
      ['meeting_request', null],
      ['objection', leadEmail],
    ]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['appointmentId', 'channel', 'class', 'confidence', 'draftId', 'evidence', 'id', 'kind', 'leadEmail', 'llm', 'needsResponse', 'proposedTimes', 'receivedAt'].sort());
    // The LLM classifier's note comes last (null: no model read these replies).
    expect([Object.keys(rows[0]!).at(-1), rows[0]!.llm]).toEqual(['llm', null]);
    expect(rows[1]).toMatchObject({ channel: 'email', kind: 'incumbent', needsResponse: true, draftId: expect.stringMatching(/^[0-9a-f-]{36}$/), appointmentId: null });
    const filtered = JSON.parse((await cli.run(['replies', 'list', '--class', 'objection', '--json'])).stdout) as { id: string }[];
    expect(filtered.map((r) => r.id)).toEqual([rows[1]!.id]);
    const bad = await cli.run(['replies', 'list', '--class', 'positive']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('must be one of')]);
  });

  it("prints a reply's LLM note as the last field of --json, as stored (the webhook tests store it through the model)", async () => {
    const [objection] = JSON.parse((await cli.run(['replies', 'list', '--class', 'objection', '--json'])).stdout) as { id: string }[];
    const note = { verdict: 'disagrees', model: 'claude-test', class: 'unsubscribe', kind: null, confidence: 0.9, evidence: ['no need for this'], added: [], reason: 'the rules read objection', needsPerson: true };
    await database.db.execute(sql`update replies set llm = ${JSON.stringify(note)}::jsonb where id = ${objection!.id}`);
    try {
      const rows = JSON.parse((await cli.run(['replies', 'list', '--json'])).stdout) as Record<string, unknown>[];
      expect(rows.map((r) => Object.keys(r).at(-1))).toEqual(['llm', 'llm']);
      expect(rows.map((r) => r.llm)).toEqual([null, note]);
      expect(rows[1]).toMatchObject({ class: 'objection', kind: 'incumbent' });
      expect((await cli.run(['replies', 'show', objection!.id])).stdout).toContain('llm (claude-test): disagrees, said unsubscribe (the rules read objection); a person should read it');
      // The table marks the disputed reading after the class, and says once below it what the mark means.
      const table = await cli.run(['replies', 'list']);
      expect(table.code).toBe(0);
      const lines = table.stdout.split('\n');
      expect(lines.find((l) => l.includes(objection!.id))).toContain('objection (incumbent) [disputed: model reads unsubscribe]');
      expect(lines.find((l) => l.includes('meeting_request'))).not.toContain('disputed');
      expect(table.stdout).toContain("[disputed]: a model reads the reply otherwise; the rules' reading stands");
      // A note that confirms the reading marks nothing.
      await database.db.execute(sql`update replies set llm = ${JSON.stringify({ ...note, verdict: 'confirmed', class: 'objection', reason: null, needsPerson: false })}::jsonb where id = ${objection!.id}`);
      expect((await cli.run(['replies', 'list'])).stdout).not.toContain('disputed');
    } finally {
      await database.db.execute(sql`update replies set llm = null where id = ${objection!.id}`);
    }
  });

  it('shows one reply with its follow-through, and refuses an unknown id', async () => {
    const [objection] = JSON.parse((await cli.run(['replies', 'list', '--class', 'objection', '--json'])).stdout) as { id: string }[];
    const shown = await cli.run(['replies', 'show', objection!.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('class: objection (incumbent)');
    expect(shown.stdout).toContain('follow-through crm_tag: done');
    const json = JSON.parse((await cli.run(['replies', 'show', objection!.id, '--json'])).stdout) as { followThrough: { kind: string }[]; excerpt: string };
    expect(json.followThrough.map((a) => a.kind).sort()).toEqual(['crm_tag', 'reply_draft']);
    expect(json.excerpt).toContain('HubSpot');
    const missing = await cli.run(['replies', 'show', '00000000-0000-4000-8000-000000000000']);
    expect([missing.code, missing.stderr]).toEqual([expect.any(Number), expect.stringContaining('no reply with id')]);
    expect(missing.code).not.toBe(0);
  });
});
