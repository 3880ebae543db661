import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../../src/config/load.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const withFile = (content: string) => {
  const dir = tempDir();
  const file = path.join(dir, 'caio.config.json');
  writeFileSync(file, content);
  return { dir, file };
};

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('gives the sandbox, shadow, embedded set-up when there is no file and no environment', () => {
    const dir = tempDir();
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.providers).toBe('sandbox');
    expect(config.send).toBe('shadow');
    expect(config.store).toEqual({ kind: 'embedded', dir: path.join(dir, '.caio', 'pg'), port: undefined });
    expect(config.icp.tiers).toEqual({ tier1: 80, tier2: 60, tier3: 40 });
    expect(config.exclusions.competitorDomains).toContain('gong.io');
    expect(config.limits.emailDailyLimit).toBe(25);
    expect(config.cadence.steps).toHaveLength(8);
    expect(config.emergencyStop).toBe(false);
    expect(Object.isFrozen(config.icp.tiers)).toBe(true);
    expect(config.usesSandboxes).toBe(true);
    expect(config.jobsBackend).toEqual({ kind: 'inline' });
  });

  it('resolves sandbox/live and inline/BullMQ once, for every reader', () => {
    const live = loadConfig({ env: { APOLLO_API_KEY: 'apollo-key-0123456789', REDIS_URL: 'redis://127.0.0.1:6379' }, cwd: tempDir(), values: { providers: 'live' } });
    expect(live.usesSandboxes).toBe(false);
    expect(live.jobsBackend).toEqual({ kind: 'bullmq', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('reads ./caio.config.json, CAIO_CONFIG, then --config, in increasing priority', () => {
    const a = withFile(JSON.stringify({ pipeline: { defaultLimit: 7 } }));
    const b = withFile(JSON.stringify({ pipeline: { defaultLimit: 9 } }));
    expect(loadConfig({ env: {}, cwd: a.dir }).pipeline.defaultLimit).toBe(7);
    expect(loadConfig({ env: { CAIO_CONFIG: b.file }, cwd: a.dir }).pipeline.defaultLimit).toBe(9);
    expect(loadConfig({ env: { CAIO_CONFIG: b.file }, cwd: a.dir, configPath: a.file }).pipeline.defaultLimit).toBe(7);
  });

  it('uses PostgreSQL when DATABASE_URL is set and the data dir from --data-dir or CAIO_DATA_DIR', () => {
    const dir = tempDir();
    expect(loadConfig({ env: { DATABASE_URL: 'postgres://u@127.0.0.1/db' }, cwd: dir }).store.kind).toBe('postgres');
    expect(loadConfig({ env: { CAIO_DATA_DIR: 'x' }, cwd: dir }).dataDir).toBe(path.join(dir, 'x'));
    expect(loadConfig({ env: { CAIO_DATA_DIR: 'x' }, cwd: dir, dataDir: 'y' }).dataDir).toBe(path.join(dir, 'y'));
  });

  it('reports a file that is not JSON', () => {
    const { dir } = withFile('{ "providers": ');
    expect(problemsOf(() => loadConfig({ env: {}, cwd: dir }))).toEqual([{ key: '(file)', message: expect.stringContaining('not valid JSON') }]);
  });

  it('reports a missing file given explicitly', () => {
    const dir = tempDir();
    expect(problemsOf(() => loadConfig({ env: {}, cwd: dir, configPath: 'nope.json' }))[0]?.message).toContain('not found');
  });

  it('names every problem with its key path at once: wrong type, unknown key, out of range', () => {
    const { dir } = withFile(JSON.stringify({ pipeline: { defaultLimit: 'ten' }, icp: { tierz: {}, tiers: { tier1: 120, tier2: 60, tier3: 40 } }, sender: { physicalAddress: '' } }));
    const problems = problemsOf(() => loadConfig({ env: {}, cwd: dir }));
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['pipeline.defaultLimit', 'icp.tierz', 'icp.tiers.tier1', 'sender.physicalAddress']));
    expect(problems.find((p) => p.key === 'icp.tierz')?.message).toBe('unknown key');
  });

  it('refuses tier thresholds that do not descend', () => {
    const { dir } = withFile(JSON.stringify({ icp: { tiers: { tier1: 50, tier2: 60, tier3: 40 } } }));
    expect(problemsOf(() => loadConfig({ env: {}, cwd: dir }))).toEqual([{ key: 'icp.tiers', message: expect.stringContaining('descend') }]);
  });

  it('requires the Apollo key in live mode and names it', () => {
    const { dir } = withFile(JSON.stringify({ providers: 'live' }));
    expect(problemsOf(() => loadConfig({ env: {}, cwd: dir }))).toEqual([{ key: 'env.APOLLO_API_KEY', message: expect.stringContaining('live') }]);
    expect(loadConfig({ env: { APOLLO_API_KEY: 'k' }, cwd: dir }).providers).toBe('live');
  });

  it('never echoes a secret value in an error or in the printable summary', () => {
    const dir = tempDir();
    const secretUrl = 'mysql://admin:hunter2-very-secret@db.example.com/x';
    const error = (() => {
      try {
        loadConfig({ env: { DATABASE_URL: secretUrl, EMERGENCY_STOP: 'maybe' }, cwd: dir });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems.map((p) => p.key).sort()).toEqual(['env.DATABASE_URL', 'env.EMERGENCY_STOP']);
    expect(error?.message).not.toContain('hunter2');
    const config = loadConfig({ env: { APOLLO_API_KEY: 'sk-live-abcdef123456', DATABASE_URL: 'postgres://u:pw-secret@h/db' }, cwd: dir });
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('sk-live-abcdef123456');
    expect(printed).not.toContain('pw-secret');
    expect(printed).toContain('"APOLLO_API_KEY":"set"');
  });

  it('reads EMERGENCY_STOP as a boolean', () => {
    const dir = tempDir();
    expect(loadConfig({ env: { EMERGENCY_STOP: 'true' }, cwd: dir }).emergencyStop).toBe(true);
    expect(loadConfig({ env: { EMERGENCY_STOP: 'off' }, cwd: dir }).emergencyStop).toBe(false);
  });
});

describe('docs/config.example.json', () => {
  it('is exactly the defaults, and loads as a config file', async () => {
    const { readFileSync } = await import('node:fs');
    const { FileConfigSchema } = await import('../../../src/config/schema.js');
    const file = new URL('../../../docs/config.example.json', import.meta.url);
    const example = JSON.parse(readFileSync(file, 'utf8'));
    expect(example).toEqual(JSON.parse(JSON.stringify(FileConfigSchema.parse({}))));
    expect(loadConfig({ env: {}, cwd: tempDir(), configPath: file.pathname }).icp.tiers.tier1).toBe(80);
  });
});
