import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toCsv } from '../../../src/cli/commands/leads-export.js';
import { createFileLeadSource } from '../../../src/providers/files/file-lead-source.js';
import { readLeadFile } from '../../../src/providers/files/read-lead-file.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createExportQuery } from '../../../src/store/export-repo.js';
import { createPrivacyStore } from '../../../src/store/privacy-repo.js';
import { createStores } from '../../../src/store/index.js';
import type { Database } from '../../../src/store/database.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import { fakeEnricher, pipelineDeps, silentLog } from '../../support/pipeline.js';
import { createReviewService } from '../../../src/pipeline/review-draft.js';
import { createGatekeeper } from '../../../src/pipeline/gatekeeper.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createBatchStore } from '../../../src/store/batches-repo.js';
import { createLogAlerts } from '../../../src/providers/log-alerts.js';
import { DEFAULT_SENDER_SETTINGS } from '../../../src/domain/drafting/index.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csvFile = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const LIST = [
  'Email,First Name,Last Name,Company,Title,Industry,Employees,LinkedIn',
  'maya.rivera@northwind.example.com,Maya,Rivera,Northwind Agency,VP of Sales,marketing & advertising,180,https://www.linkedin.com/in/example-maya-rivera',
  'theo@bluefern.example.com,Theo,Kaplan,Blue Fern Staffing,CEO,staffing & recruiting,"1,000+",',
  'sam@gong.io,Sam,Lee,Gong,CEO,computer software,900,',
  'not-an-email,Bad,Row,X,CEO,,,',
].join('\n');

describe.each(STORE_KINDS)('import, export and privacy on %s', (kind) => {
  let database: Database;
  let stores: PipelineStores;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
  });
  afterEach(async () => {
    await database.close();
  });

  const importFile = async (file: string) => {
    const source = createFileLeadSource({ file, isSuppressed: () => stores.suppressions.matcher() });
    const { deps } = pipelineDeps(stores, { source, enricher: fakeEnricher({}) });
    return runPipeline(deps, { limit: 1_000_000, source: source.name, seed: null });
  };

  /** Every text of every table in the schema, to search for an address. */
  const everything = async () => {
    const tables = (await database.db.execute(sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`)) as { rows: { table_name: string }[] };
    const dumps: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = (await database.db.execute(sql.raw(`select * from "${table_name}"`))) as { rows: unknown[] };
      dumps.push(JSON.stringify(rows.rows));
    }
    return dumps.join('\n').toLowerCase();
  };

  it('runs stages 2-6 on the accepted rows of a file and reports the bad ones', async () => {
    const report = await importFile(csvFile(`list-${kind}.csv`, LIST));
    expect(report.stages[0]).toMatchObject({ status: 'pass', inputCount: 4, outputCount: 3 });
    expect(report.stages[0]!.metrics.input).toMatchObject({ rows: 4, accepted: 3, duplicates: 0, rejected: [{ line: 5, field: 'email' }] });
    expect(report.passed).toBe(6);
    expect((await stores.leadDetail.detailByEmail('sam@gong.io'))?.lead.status).toBe('disqualified');
    expect((await stores.leadDetail.detailByEmail('maya.rivera@northwind.example.com'))?.drafts[0]?.status).toBe('pending_review');
  });

  it('runs a file in batches: every stage adds up, duplicates are found across batches, the limit holds', async () => {
    const rows = ['email,first name,company,title,industry,employees'];
    for (let i = 0; i < 25; i++) rows.push(`p${i}@co${i}.example.com,P${i},Co ${i},CEO,marketing,120`);
    rows.push('P3@co3.example.com,Again,Co 3,CEO,marketing,120', 'broken,X,Y,CEO,,');
    const file = csvFile(`batches-${kind}.csv`, `${rows.join('\n')}\n`);
    const source = createFileLeadSource({ file, isSuppressed: () => stores.suppressions.matcher(), batchSize: 10 });
    const { deps } = pipelineDeps(stores, { source, enricher: fakeEnricher({}) });
    const report = await runPipeline(deps, { limit: 1_000_000, source: source.name, seed: null });
    expect(report.stages.map((s) => [s.name, s.status, s.inputCount, s.outputCount])).toEqual([
      ['discover', 'pass', 27, 25],
      ['enrich', 'pass', 25, 25],
      ['score', 'pass', 25, 25],
      ['craft', 'pass', 25, 25],
      ['queue', 'pass', 25, 25],
      ['send', 'pass', 25, 25],
    ]);
    expect(report.stages[0]!.metrics.input).toMatchObject({ rows: 27, accepted: 25, duplicates: 1, duplicateRows: [{ line: 27, of: 5 }], rejected: [{ line: 28 }] });
    expect(report.drafts).toHaveLength(25);
    expect(report.stages[2]!.metrics).toMatchObject({ scored: 25 });

    const limited = createFileLeadSource({ file, isSuppressed: () => stores.suppressions.matcher(), batchSize: 10 });
    const capped = await runPipeline(pipelineDeps(stores, { source: limited, enricher: fakeEnricher({}) }).deps, { limit: 12, source: limited.name, seed: null });
    expect(capped.stages[0]!.outputCount).toBe(12);
  });

  it('exports leads that import back as the same leads', async () => {
    await importFile(csvFile(`list-rt-${kind}.csv`, LIST));
    const exported = await createExportQuery(database.db).rows({});
    const file = csvFile(`export-${kind}.csv`, toCsv(exported));
    const { leads } = await readLeadFile(file);
    const key = (l: { email: string | null; firstName: string | null; lastName: string | null; title: string | null; company: string | null; employees: number | null }) => [l.email, l.firstName, l.lastName, l.title, l.company, l.employees];
    expect(leads.map((l) => key({ ...l.profile, company: l.profile.company.name, employees: l.profile.company.employeeCount })).sort()).toEqual(exported.map(key).sort());
    expect(leads[0]!.custom).toHaveProperty('tier');
  });

  it('exports everything held about a person, then erases it so no table holds the address, and refuses it afterwards', async () => {
    const email = 'maya.rivera@northwind.example.com';
    await importFile(csvFile(`list-p-${kind}.csv`, LIST));
    const privacy = createPrivacyStore(database.db);
    const document = await privacy.exportPerson(email, new Date('2026-11-24T10:00:00Z'));
    expect(document.leads).toHaveLength(1);
    expect(document.scores).toHaveLength(1);
    expect(document.drafts).toHaveLength(1);
    expect(document.shadowSends.length).toBeGreaterThan(0);
    expect(document.audit.length).toBeGreaterThan(0);
    expect(document.enrichments).toHaveLength(1);

    // Approved and put in an approved batch with another lead: the batch is withdrawn, the other lead stays.
    const review = createReviewService({
      review: createReviewStore(database.db),
      audit: stores.audit,
      clock: fixedClock('2026-11-24T10:00:00Z'),
      sender: DEFAULT_SENDER_SETTINGS,
      quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 },
    });
    for (const d of document.drafts as { id: string }[]) await review.approve({ draftId: d.id, by: 'Dani' });
    const theo = (await stores.leadDetail.detailByEmail('theo@bluefern.example.com'))!.drafts[0]!.id;
    await review.approve({ draftId: theo, by: 'Dani' });
    const gate = createGatekeeper({
      batches: createBatchStore(database.db),
      audit: stores.audit,
      alerts: createLogAlerts(silentLog),
      clock: fixedClock('2026-11-24T10:01:00Z'),
      settings: { batchExpiryHours: 24, tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: ['instantly'] } },
    });
    const batch = await gate.create('outbound', 'Dani');
    await gate.approve(batch.id, 'Sam');

    expect(await everything()).toContain(email);
    const result = await privacy.erasePerson(email, 'Rev Ops', new Date('2026-11-24T10:05:00Z'));
    expect(result).toMatchObject({ leadsErased: 1, foundAnything: true, batchesChanged: 1 });
    const withdrawn = await gate.show(batch.id);
    expect(withdrawn.status).toBe('rejected');
    expect(withdrawn.scope.map((i) => i.draftId)).toEqual([theo]);
    const after = await everything();
    expect(after).not.toContain(email);
    expect(after).not.toContain('linkedin.com/in/example-maya-rivera');
    const audit = (await database.db.execute(sql`select actor, details from audit_log where action = 'privacy.erased'`)) as { rows: { actor: string }[] };
    expect(audit.rows).toMatchObject([{ actor: 'Rev Ops' }]);

    const again = await importFile(csvFile(`list-again-${kind}.csv`, LIST));
    expect((again.stages[0]!.metrics.input as { rejected: { line: number; message: string }[] }).rejected).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, message: expect.stringContaining('suppressed') })]));
    expect(await stores.leadDetail.detailByEmail(email)).toBeNull();
  });

  it('records the suppression hash for an address it does not know, and says nothing else was found', async () => {
    const privacy = createPrivacyStore(database.db);
    const result = await privacy.erasePerson('stranger@nowhere.example.com', 'Rev Ops', new Date());
    expect(result).toEqual({ leadsErased: 0, identitiesSuppressed: 1, foundAnything: false, batchesChanged: 0 });
    expect(await stores.suppressions.isSuppressed('stranger@nowhere.example.com')).toBe(true);
    expect(await everything()).not.toContain('stranger@nowhere.example.com');
  });
});
