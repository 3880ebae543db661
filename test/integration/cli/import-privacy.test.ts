import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i;
const PHONE = /\+?\d[\d\s().-]{8,}\d/;

describe('caio CLI: input files, export, privacy, and what the logs reveal', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('logs no email address or phone number during a full sandbox run, even at trace level', async () => {
    const result = await run(['pipeline', 'run', '--limit', '25'], { env: { LOG_LEVEL: 'trace' } });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(EMAIL);
    expect(result.stderr.replace(/run_\d{8}_\d{6}_[0-9a-f]{6}|"time":\d+|\d{4}-\d\d-\d\dT[\d:.]+Z/g, '')).not.toMatch(PHONE);
  }, 120_000);

  it('imports a file, adds the input report to --json, and refuses rows it cannot use', async () => {
    writeFileSync(path.join(work.dir, 'list.csv'), 'email;first name;company;title\nann@acme.example.com;Ann;Acme;CEO\nbroken;Bob;B;CEO\nANN@acme.example.com;Ann;Acme;CEO\n');
    const result = await run(['pipeline', 'run', '--input', 'list.csv', '--json']);
    const report = JSON.parse(result.stdout) as { input: unknown; stages: unknown[] };
    expect(report.input).toEqual({ rows: 3, accepted: 1, duplicates: 1, rejected: [{ line: 3, field: 'email', message: 'not a valid email address' }], duplicateRows: [{ line: 4, of: 2 }] });
    expect(report.stages[0]).toMatchObject({ name: 'discover', inputCount: 3, outputCount: 1 });
    const missing = await run(['pipeline', 'run', '--input', 'nope.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('input file not found');
  }, 120_000);

  it('exports a spreadsheet-safe CSV', async () => {
    const result = await run(['leads', 'export', '--out', 'leads.csv']);
    expect(result.code).toBe(0);
    const csv = readFileSync(path.join(work.dir, 'leads.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('email,first name,last name');
    for (const line of csv.split('\r\n').slice(1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@]/);
    const bad = await run(['leads', 'export', '--format', 'xml']);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('forgets a person on request and refuses to import them again', async () => {
    const exported = await run(['privacy', 'export', 'ann@acme.example.com']);
    expect((JSON.parse(exported.stdout) as { leads: unknown[] }).leads).toHaveLength(1);
    const noBy = await run(['privacy', 'delete', 'ann@acme.example.com']);
    expect(noBy.code).toBe(2);
    const deleted = await run(['privacy', 'delete', 'ann@acme.example.com', '--by', 'Rev Ops']);
    expect(deleted.stdout).toContain('erased 1 lead record');
    const shown = await run(['leads', 'show', 'ann@acme.example.com']);
    expect(shown.code).toBe(3);
    const again = await run(['pipeline', 'run', '--input', 'list.csv', '--json']);
    expect((JSON.parse(again.stdout) as { input: { rejected: unknown[] } }).input.rejected).toEqual(expect.arrayContaining([expect.objectContaining({ line: 2, message: expect.stringContaining('suppressed') })]));
  }, 120_000);
});

describe('caio doctor', () => {
  const work = tempWorkdir();
  const { run, store } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('checks the store and every provider against the sandboxes', async () => {
    const result = await run(['doctor', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; reachable: boolean | null }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['store', 'redis', 'apollo', 'bettercontact', 'clay', 'instantly', 'heyreach', 'ghl', 'twilio', 'slack']);
    const reachable = report.checks.filter((c) => c.reachable === true).map((c) => c.name);
    expect(reachable).toEqual(['store', 'apollo', 'bettercontact', 'instantly', 'heyreach', 'ghl']);
  }, 60_000);

  it('shows the last breaker transition a run recorded', async () => {
    const { openDatabase } = await import('../../../src/store/database.js');
    const { createProviderHealthStore } = await import('../../../src/store/provider-health-repo.js');
    const db = await openDatabase(store);
    await createProviderHealthStore(db.db).recordBreaker('bettercontact', 'closed', 'open', new Date('2026-11-30T10:00:00Z'));
    await db.close();
    const result = await run(['doctor']);
    expect(result.stdout).toMatch(/bettercontact .* open since 2026-11-30T10:00:00.000Z/);
    expect(result.stdout).toMatch(/apollo .* closed/);
  }, 60_000);

  it('exits non-zero when an enabled live provider cannot be reached, without printing its key', async () => {
    writeFileSync(path.join(work.dir, 'live.json'), JSON.stringify({ providers: 'live', apollo: { baseUrl: 'http://127.0.0.1:1/api/v1', timeoutMs: 2000 } }));
    const result = await run(['providers', 'check', '--config', 'live.json'], { env: { APOLLO_API_KEY: 'live-key-should-not-print' } });
    expect(result.code).toBe(7);
    expect(result.stdout).toMatch(/apollo\s+yes\s+yes\s+NO/);
    expect(result.stdout + result.stderr).not.toContain('live-key-should-not-print');
  }, 60_000);

  it('checks Instantly with a read-only call in live mode and reports a refused key without printing it', async () => {
    const { startInstantlySandbox } = await import('../../../src/providers/sandbox/instantly/server.js');
    const instantly = await startInstantlySandbox({ apiKey: 'the-right-instantly-key' });
    try {
      writeFileSync(path.join(work.dir, 'live2.json'), JSON.stringify({ providers: 'live', apollo: { baseUrl: 'http://127.0.0.1:1/api/v1', timeoutMs: 1000 }, betterContact: { enabled: false }, instantly: { baseUrl: instantly.url } }));
      const result = await run(['doctor', '--json', '--config', 'live2.json'], { env: { APOLLO_API_KEY: 'k-apollo-123', INSTANTLY_API_KEY: 'wrong-instantly-key-999' } });
      expect(result.code).toBe(7);
      const check = (JSON.parse(result.stdout) as { checks: { name: string; detail: string }[] }).checks.find((c) => c.name === 'instantly');
      expect(check).toMatchObject({ enabled: true, configured: true, reachable: false });
      expect(check?.detail).toMatch(/PROVIDER_AUTH/);
      expect(result.stdout + result.stderr).not.toContain('wrong-instantly-key-999');
    } finally {
      await instantly.close();
    }
  }, 60_000);
});
