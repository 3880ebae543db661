import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedServer, type EmbeddedServer } from '../../src/store/embedded-postgres.js';
import { CLI, spawnCli, tempWorkdir } from '../support/cli.js';

/*
 * One spawned run of the compiled CLI per top-level command (src/cli/command-table), all on one
 * temp data folder with no DATABASE_URL: the embedded default, as a user runs it. Each checks the
 * exit code and one meaningful line; what the commands do is tested in-process
 * (test/integration/cli). The first run starts the embedded server for itself and stops it after;
 * then this file keeps the server up (as `caio start` beside the commands would), so each later
 * command connects instead of starting and stopping it.
 */
const work = tempWorkdir();
const pgDir = path.join(work.dir, '.caio', 'pg');
let held: EmbeddedServer | null = null;
let email = '';

beforeAll(async () => {
  const first = await spawnCli(['pipeline', 'run', '--limit', '10'], { cwd: work.dir });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/^6\/6 stages passed in [\d.]+ s: SUCCESS$/m);
  expect(first.stdout).toMatch(/^run run_\d{8}_\d{6}_[0-9a-f]{6} \(sandbox providers, shadow send: nothing was sent\)$/m);
  expect(existsSync(path.join(pgDir, 'PG_VERSION'))).toBe(true);
  // The one-off command started the embedded server for its own run and stopped it after.
  expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);

  held = await openEmbeddedServer({ dir: pgDir, role: 'command' });
  const client = new pg.Client({ connectionString: held.url });
  await client.connect();
  try {
    email = (await client.query<{ email: string }>("select email from leads where status = 'pending_review' order by email limit 1")).rows[0]!.email;
  } finally {
    await client.end();
  }
}, 120_000);

afterAll(async () => {
  await held?.release();
  work.cleanup();
});

/** [args, exit code, a line stdout (or stderr, for a refusal) must have]; none of them changes anything (but the ask's trace). */
const READ_ONLY: [string[], number, RegExp][] = [
  [['leads', 'list', '--limit', '5'], 0, /^email\s+company\s+title\s+tier\s+points\s+status/m],
  [['runs', 'list'], 0, /^run_\d{8}_\d{6}_[0-9a-f]{6}\s+passed\s+sandbox\s+6\/6\s+10\s/m],
  [['review', 'list'], 0, /^\d+ drafts waiting$/m],
  [['review', 'queue'], 0, /^\d+ drafts wait for review \(low-water mark 10, target 25, /m],
  [['batch', 'list'], 0, /^no batches yet$/m],
  [['audit', '--limit', '5'], 0, /^\S+Z system run\.started run run_/m],
  [['privacy', 'export', '<email>'], 0, /^ {2}"leads": \[$/m],
  [['providers', 'check'], 0, /^store\s+yes\s+yes\s+yes\s+-\s+embedded PostgreSQL in /m],
  [['doctor', '--json'], 0, /^ {2}"ok": true,$/m],
  [['config', 'check'], 0, /^config OK$/m],
  [['agents'], 0, /^UNIFIED_QUEEN\s+orchestrator/m],
  [['dispatch', '--motion', 'outbound'], 0, /^DRY RUN \(nothing written, nothing sent\): motion outbound/m],
  [['operator', 'status'], 0, /^send mode: shadow; no emergency stop$/m],
  [['revival', 'scan', '--limit', '3'], 0, /^score\s+reason\s+days\s+email/m],
  [['campaigns', 'list'], 0, /^no campaigns yet$/m],
  [['webhooks', 'list'], 0, /^no deliveries yet$/m],
  [['decay', 'run', '--dry-run'], 0, /^no lead has decayed$/m],
  [['cadence', 'status'], 0, /^enrolments: none$/m],
  [['replies', 'classify', '--text', 'Please remove me from your list.'], 0, /^class: unsubscribe, confidence /m],
  [['exclusions', 'list'], 0, /^no imported exclusions/m],
  [['users', 'list'], 0, /^no users yet \(caio users add NAME --role R adds one/m],
  // An ask records its trace (an audit line), nothing else; the replay gate runs on its own in-memory sandbox.
  [['ask', 'How full is the review queue?'], 0, /^Review queue: pending \d+, approved \d+, rejected \d+\.$/m],
  [['traces'], 0, /^(no QUEEN trace yet|\S+Z qt_[0-9a-f]{12} )/m],
  [['replay', '--min-pass-rate', '0'], 0, /gate passed/],
  [['kpis'], 0, /^KPIs since \d{4}-\d\d-\d\d \(targets: open 50\.0 %/m],
  [['jobs', 'status'], 0, /^jobs run inline inside caio start \/ caio serve \(no REDIS_URL\)/m],
  [['db', 'migrate'], 0, /^migrations applied \(embedded database in .*\.caio\/pg\)$/m],
  // A worker takes its jobs from Redis: without REDIS_URL the smoke test is its refusal.
  [['worker'], 2, /^error: REDIS_URL: caio worker takes its jobs from Redis/m],
];

describe('caio, spawned, one run per command on the embedded default', () => {
  it.concurrent.each(READ_ONLY.map(([args, code, line]) => [args.join(' '), args, code, line] as const))(
    'caio %s',
    async (_title, args, code, line) => {
      const result = await spawnCli(
        args.map((a) => (a === '<email>' ? email : a)),
        { cwd: work.dir },
      );
      expect(result.code, result.stderr).toBe(code);
      expect(code === 0 ? result.stdout : result.stderr).toMatch(line);
    },
    60_000,
  );

  it('caio stop, then caio resume', async () => {
    const stop = await spawnCli(['stop', '--reason', 'smoke test', '--by', 'Smoke'], { cwd: work.dir });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/^EMERGENCY STOP set at \S+Z; paused: /m);
    const resume = await spawnCli(['resume', '--by', 'Smoke'], { cwd: work.dir });
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/^emergency stop cleared at \S+Z$/m);
  }, 60_000);

  it('caio start --once', async () => {
    // Drafts are waiting, but --once runs the pipeline regardless (and serves nothing).
    const result = await spawnCli(['start', '--once'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^6\/6 stages passed in [\d.]+ s: SUCCESS$/m);
  }, 120_000);

  it('caio serve, until SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: work.dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (/\njobs: /.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`serve exited: ${out}${err}`)));
    });
    expect(out).toMatch(/^caio serve listening on http:\/\/127\.0\.0\.1:\d+ \(sandbox mode, signatures /m);
    // serve installs its SIGTERM handler just after printing these lines: a signal sent the instant
    // they arrive can beat it (as in cli-serve.test.ts, wait a moment).
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
