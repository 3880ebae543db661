import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAlerts, slackMessage } from '../../../src/providers/slack/slack-alerts.js';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';

const capture = () => {
  const lines: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write: (chunk, _e, done) => {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { log, lines };
};

describe('Slack alerts', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('sends warnings and criticals with the run facts, keeps info in the log, and sends one alert once per window', async () => {
    const slack = await startSlackSandbox();
    close = slack.close;
    let t = 0;
    const { log, lines } = capture();
    const alerts = createSlackAlerts({ webhookUrl: slack.url, log, now: () => t });
    await alerts.send({ severity: 'critical', title: 'Pipeline stage exception: Enrich', body: 'Run r1 (live): <apollo> down & out', metadata: { runId: 'r1', stage: 'enrich' } });
    await alerts.send({ severity: 'info', title: 'batch waiting', body: 'b', metadata: {} });
    await alerts.send({ severity: 'critical', title: 'Pipeline stage exception: Enrich', body: 'again', metadata: {} });
    t += 11 * 60_000;
    await alerts.send({ severity: 'critical', title: 'Pipeline stage exception: Enrich', body: 'later', metadata: {} });
    expect(slack.messages).toHaveLength(2);
    const first = slack.messages[0]!;
    expect(first.text).toBe('CRITICAL: Pipeline stage exception: Enrich');
    expect(JSON.stringify(first.blocks)).toContain('&lt;apollo&gt; down &amp; out');
    expect(JSON.stringify(first.blocks)).toContain('r1');
    expect(lines.join('')).not.toContain(slack.url);
  });

  it('logs the alert instead when the webhook was revoked, and never throws', async () => {
    const slack = await startSlackSandbox();
    close = slack.close;
    slack.revoke();
    const { log, lines } = capture();
    const alerts = createSlackAlerts({ webhookUrl: slack.url, log });
    await expect(alerts.send({ severity: 'warning', title: 'Pipeline stage failed: Craft', body: 'x', metadata: {} })).resolves.toBeUndefined();
    const text = lines.join('');
    expect(text).toContain('slack refused the alert');
    expect(text).toContain('no_service');
    expect(text).toContain('Pipeline stage failed: Craft');
    expect(text).not.toContain('sandboxsecret');
  });

  it("builds a message within Slack's limits", () => {
    const m = slackMessage({ severity: 'warning', title: 'x'.repeat(300), body: 'y'.repeat(5000), metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) });
    expect((m.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
    expect((m.blocks[1] as { fields: unknown[] }).fields).toHaveLength(10);
  });
});
