import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { apiDepsOf } from '../../support/api.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { replyDelivery } from '../../support/replies.js';

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const TUESDAY_4PM = '2026-11-24T16:00:00.000Z';

/** A loopback SMTP server that keeps what it receives (the owner's e-mail channel). */
const startSmtp = async () => {
  const mails: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/**
 * `caio replies brief <id> [--send]` (issue 17 item 5) through the production CLI in-process, on the
 * schema a sandbox dispatch and a reply delivery wrote, with the harness's fixed clock (Monday
 * 2026-11-23 10:00 UTC). The CLI's own GoHighLevel sandbox keeps its state in the work folder
 * (docs/sandboxes.md), so the meeting `caio replies book` makes is the one `--send` attaches the
 * brief to; Slack is the Slack sandbox, e-mail a loopback SMTP server.
 */
describe('caio replies brief', () => {
  const work = tempWorkdir();
  let slack: Awaited<ReturnType<typeof startSlackSandbox>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let cli: ReturnType<typeof inProcessCli>;
  let database: Database;
  let h: Harness;
  let replyId = '';

  beforeAll(async () => {
    slack = await startSlackSandbox();
    smtp = await startSmtp();
    // The owner is e-mailed at escalation.emailTo through SMTP_HOST, from ALERT_EMAIL_FROM.
    writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ escalation: { emailTo: ['owner@example.com'] }, scheduler: { briefOnAppointment: true } }));
    const env = { SLACK_WEBHOOK_URL: slack.url, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), ALERT_EMAIL_FROM: 'caio@example.com' };
    // The CLI reads the harness's fixed clock (the harness is opened on the CLI's schema below).
    cli = inProcessCli({ cwd: work.dir, env, clock: { now: () => h.clock.now() } });
    database = await openDatabase(cli.store);
    h = await dispatchHarness(database);
    const lead = await h.approvedLead({ firstName: 'Maya', lastName: 'Rivera', linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    replyId = await (await replyDelivery(h))({ key: 'brief-1', email: lead.email, emailId: 'e-1', text: 'Sounds interesting, tell me more about how it works.' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await database?.close();
    await slack?.close();
    await smtp?.close();
    work.cleanup();
  });

  const run = (args: string[]) => cli.run(args);

  it('prints the brief before a meeting is booked, and refuses to send one without a meeting', async () => {
    const out = await run(['replies', 'brief', replyId]);
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout).toContain('# Meeting brief: Maya Rivera');
    expect(out.stdout).toContain('(no meeting booked yet)');
    expect(out.stdout).toContain('> Sounds interesting, tell me more about how it works.');
    expect(out.stdout).toMatch(/E-mail: We wrote \(step 1\)/);
    const send = await run(['replies', 'brief', replyId, '--send']);
    expect(send.code).not.toBe(0);
    expect(send.stderr).toContain('no meeting is booked');
    expect(slack.messages).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
    const bad = await run(['replies', 'brief', 'nope']);
    expect([bad.code === 0, bad.stderr]).toEqual([false, expect.stringContaining('a reply id is a UUID')]);
  });

  it('--send delivers the booked meeting’s brief to Slack and the appointment’s notes, and records it once', async () => {
    const booked = await run(['replies', 'book', replyId, '--slot', TUESDAY_4PM, '--by', 'Sam', '--json']);
    expect(booked.code, booked.stderr).toBe(0);
    expect(JSON.parse(booked.stdout)).toMatchObject({ booked: true, slot: TUESDAY_4PM });

    const sent = await run(['replies', 'brief', replyId, '--send', '--by', 'Sam', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const json = JSON.parse(sent.stdout) as { meeting: { appointmentId: string; slot: string }; text: string; delivery: { status: string; channels: string[] } };
    expect(json.meeting.slot).toBe(TUESDAY_4PM);
    expect(json.text).toContain('- Their time: Tuesday, November 24, 2026 at 4:00 PM UTC (UTC)');
    expect(json.delivery).toMatchObject({ status: 'delivered', channels: ['slack', 'email', 'notes'] });
    expect(smtp.mails.map((m) => m.to)).toEqual([['owner@example.com']]);
    expect(smtp.mails[0]!.raw).toMatch(/Subject: Meeting brief: Maya Rivera/);
    expect(slack.messages.map((m) => m.text)).toEqual([expect.stringContaining('Meeting brief: Maya Rivera')]);
    // The CLI's GoHighLevel sandbox saved the appointment with the brief in its description.
    const { state } = JSON.parse(readFileSync(path.join(work.dir, '.caio', 'sandbox', 'ghl.json'), 'utf8')) as { state: { appointments: { id: string; description?: string }[] } };
    expect(state.appointments.find((a) => a.id === json.meeting.appointmentId)?.description).toContain('> Sounds interesting, tell me more about how it works.');

    // A person's --send delivers again on purpose; the record stays one row.
    const again = await run(['replies', 'brief', replyId, '--send']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('brief delivered by slack, email, notes');
    expect(slack.messages).toHaveLength(2);
    const rows = rowsOf(await database.db.execute(sql`select status, payload from reply_actions where kind = 'meeting_brief' and reply_id = ${replyId}`));
    expect(rows).toEqual([expect.objectContaining({ status: 'done', payload: expect.objectContaining({ appointmentId: json.meeting.appointmentId, by: 'Sam' }) })]);
    const show = await run(['replies', 'show', replyId]);
    expect(show.stdout).toContain('follow-through meeting_brief: done');
  });

  it('caio replies list --json and the API’s list (GET /api/replies) give the same rows', async () => {
    const out = await run(['replies', 'list', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const cliRows = JSON.parse(out.stdout) as unknown[];
    expect(cliRows).toHaveLength(1);
    expect(await apiDepsOf(h).replies.list({ limit: 100 })).toEqual(cliRows);
  });
});
