import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess, spawnCli, tempWorkdir } from '../../support/cli.js';

/*
 * The in-process runner (test/integration/cli) and the compiled `caio` are the same program: for
 * commands that open no store, both give the same exit code and the same output, byte for byte,
 * commander's own (help, usage errors) included.
 */
describe('runCli in-process and the spawned CLI agree', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it.each([
    ['config check --json', ['config', 'check', '--json']],
    ['config check', ['config', 'check']],
    ['agents --json', ['agents', '--json']],
    ['review tags', ['review', 'tags']],
    ['a usage error: a bad option value', ['pipeline', 'run', '--limit', 'ten']],
    ['a usage error: an unknown command', ['leeds', 'list']],
    ['a missing required option', ['privacy', 'delete', 'ann@example.com']],
    ['help', ['leads', '--help']],
    ['the version', ['--version']],
    ['an invalid configuration (exit 2, every problem on stderr)', ['config', 'check', '--config', 'missing.json']],
  ])(
    '%s',
    async (_name, args) => {
      const env = { CAIO_DATA_DIR: 'data' };
      const [spawned, inProcess] = await Promise.all([spawnCli(args, { cwd: work.dir, env }), runCliInProcess(args, { cwd: work.dir, env })]);
      expect(inProcess).toEqual(spawned);
      expect(spawned.stdout + spawned.stderr).not.toBe('');
    },
    30_000,
  );

  it('exit codes: 0 for help, 2 for usage errors and invalid configuration', async () => {
    expect((await runCliInProcess(['--help'], { cwd: work.dir })).code).toBe(0);
    const usage = await runCliInProcess(['pipeline', 'run', '--limit', 'ten'], { cwd: work.dir });
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toContain("error: option '--limit <n>' argument 'ten' is invalid. limit must be a whole number from 1 to 1000000.");
    expect((await runCliInProcess(['config', 'check', '--config', 'missing.json'], { cwd: work.dir })).code).toBe(2);
  });
});
