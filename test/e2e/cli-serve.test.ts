import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, spawnCli, tempWorkdir } from '../support/cli.js';
import { contractFixture } from '../support/contracts.js';

describe('caio serve', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it('serves health and verified webhooks, processes a delivery, lists it, and stops cleanly on SIGTERM', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', INSTANTLY_WEBHOOK_SECRET: 'serve-secret-12345' };
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
        if (m && /\njobs: /.test(out)) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    expect(out).toMatch(/jobs: inline: .*decay \(daily at 10:00 UTC/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', mode: 'sandbox' });
    const health = await (await fetch(`${url}/webhooks/instantly/health`)).text();
    expect(health).not.toContain('serve-secret-12345');
    const body = JSON.stringify(contractFixture('instantly', 'webhook.email_opened.json').request.body);
    expect((await fetch(`${url}/webhooks/instantly/open`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect((await fetch(`${url}/webhooks/instantly/open`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': 'serve-secret-12345' }, body })).status).toBe(202);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const list = await spawnCli(['webhooks', 'list', '--json'], { cwd: work.dir });
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as { provider: string; status: string }[];
    // The lead is not ours: kept and flagged, not lost.
    expect(items).toEqual([expect.objectContaining({ provider: 'instantly', status: 'unknown_lead' })]);
  }, 60_000);
});
