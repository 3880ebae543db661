import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** Targeting profiles and imported exclusions from the CLI, through the production wiring on this file's schema. */
describe('caio pipeline run --source PROFILE and caio exclusions', () => {
  const work = tempWorkdir();
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ discovery: { profiles: { staffing: { industries: ['staffing & recruiting'], employeeRanges: ['1,100000'] } } } }));
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('imports a CSV of domains and e-mails: bad rows are reported by line, the good ones kept and listed', async () => {
    writeFileSync(path.join(work.dir, 'customers.csv'), ['Company,Domain,Email', 'Acme,acme.example.com,', 'Beta,,CFO@beta.example.com', 'Broken,not a domain,', 'Empty,,', 'Gamma,https://www.gamma.example.com/,ops@'].join('\n'));
    const imported = await run(['exclusions', 'import', 'customers.csv', '--by', 'Dani']);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toBe(
      [
        'customers.csv: 5 rows, 1 domains and 1 e-mails read, 2 new, 3 rows refused',
        '  line 4: domain "not a domain" is not a domain like example.com',
        '  line 5: no domain or e-mail',
        '  line 6: e-mail "ops@" is not an e-mail address',
        '',
      ].join('\n'),
    );
    const again = await run(['exclusions', 'import', 'customers.csv', '--by', 'Dani', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 5, added: 0, errors: [{ line: 4 }, { line: 5 }, { line: 6 }] });
    const listed = await run(['exclusions', 'list', '--json']);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect((JSON.parse(listed.stdout) as { kind: string; value: string; source: string; addedBy: string }[]).map((e) => [e.kind, e.value, e.source, e.addedBy])).toEqual([
      ['domain', 'acme.example.com', 'customers.csv', 'Dani'],
      ['email', 'cfo@beta.example.com', 'customers.csv', 'Dani'],
    ]);
    expect((await run(['exclusions', 'list'])).stdout).toContain('2 imported exclusions');
  });

  it('refuses a file with no domain or email column, importing nothing', async () => {
    writeFileSync(path.join(work.dir, 'names.csv'), 'name,notes\nAcme,x\n');
    const refused = await run(['exclusions', 'import', 'names.csv', '--by', 'Dani']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('names.csv: the header has no domain or email column (found: name, notes); nothing was imported');
  });

  it('runs discovery with a targeting profile, and refuses an unknown one by name', async () => {
    const profiled = await run(['pipeline', 'run', '--source', 'staffing', '--limit', '5', '--no-enrich', '--json']);
    expect(profiled.code, profiled.stderr).toBe(0);
    const report = JSON.parse(profiled.stdout) as { stages: { name: string; outputCount: number }[]; leads: { status: string }[] };
    expect(report.stages[0]).toMatchObject({ name: 'discover' });
    expect(report.stages[0]!.outputCount).toBeGreaterThan(0);

    const unknown = await run(['pipeline', 'run', '--source', 'agencies', '--limit', '5']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown lead source or targeting profile "agencies" (available: apollo, staffing');
  }, 120_000);
});
