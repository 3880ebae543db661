import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/escalation/rubric.js';
import { createEscalator, type EscalatorDeps } from '../../../src/escalation/escalator.js';
import { AppError } from '../../../src/lib/app-error.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { Alert, AlertPort } from '../../../src/pipeline/ports.js';
import { createSmtpSender } from '../../../src/providers/email/smtp-sender.js';
import { startTwilioSandbox, type TwilioSandbox } from '../../../src/providers/sandbox/twilio/server.js';
import { createTwilioClient } from '../../../src/providers/twilio/client.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { createIncidentStore } from '../../../src/store/incident-repo.js';
import { openTestDatabase, STORE_KINDS, testDatabaseUrl, type StoreKind } from '../../support/store.js';

const MIN = 60_000;
const TWILIO_SID = 'AC00000000000000000000000000000000';
const TWILIO_TOKEN = 'twilio-escalation-secret-token-4815';
const TWILIO_BASIC = Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64');
const SMTP_USER = 'caio-alerts';
const SMTP_PASSWORD = 'smtp-escalation-secret-password-1623';
const SECRETS = [TWILIO_TOKEN, TWILIO_BASIC, SMTP_PASSWORD, Buffer.from(SMTP_PASSWORD).toString('base64'), Buffer.from(`\u0000${SMTP_USER}\u0000${SMTP_PASSWORD}`).toString('base64')];
const PHONES = ['+13035550147', '+13035550148'];
const HOS_EMAIL = 'hos@example.com';

// ---- loopback SMTP server ----------------------------------------------------------------

type Mail = { from: string; to: string[]; raw: string; text: string };
/** Undo quoted-printable soft breaks and escapes so assertions can read the body. */
const decodeQp = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const startSmtp = async () => {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _session, callback) => (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD ? callback(null, { user: auth.username }) : callback(new Error('Invalid username or password'))),
    onData: (stream, session, callback) => {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeQp(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

// ---- fakes and capture ---------------------------------------------------------------------

const capturingSlack = () => {
  const alerts: Alert[] = [];
  const state = { failing: false };
  const port: AlertPort = {
    send: async (alert) => {
      if (state.failing) throw new AppError('PROVIDER_UNAVAILABLE', 'slack webhook: 503 (injected)', { retryable: true });
      alerts.push(alert);
    },
  };
  return { port, alerts, state };
};

const capturingLog = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const parsed = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; [k: string]: unknown });
  return { log: createLogger('debug', stream), lines, parsed };
};

const at = (clock: { now: () => Date }, ms: number) => new Date(clock.now().getTime() - ms);

describe.each(STORE_KINDS)('escalation on %s', (kind: StoreKind) => {
  let twilio: TwilioSandbox;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let database: Database;
  let extra: Database | undefined;
  const captured = { logs: [] as string[][], slack: [] as Alert[][] };

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    // A fresh Twilio per test, so its message list is this test's.
    twilio = await startTwilioSandbox({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    smtp.mails.length = 0;
  });
  afterEach(async () => {
    // Invariant 7 on every test: no secret in any log line, Slack alert, SMS or e-mail.
    const everything = [...captured.logs.flat(), JSON.stringify(captured.slack), JSON.stringify(twilio.messages()), ...smtp.mails.map((m) => m.raw)].join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    captured.logs.length = 0;
    captured.slack.length = 0;
    await twilio.close();
    await extra?.close();
    extra = undefined;
    await database.close();
  });

  const smsSentCount = () => twilio.messages().length;

  /** One escalator as one process would wire it: real Twilio client, real SMTP sender, fake Slack. */
  const escalator = (db: Database, clock: ReturnType<typeof fixedClock>, over: Partial<EscalatorDeps> & { smsTo?: string[]; emailTo?: string[] } = {}) => {
    const slack = capturingSlack();
    const logs = capturingLog();
    captured.logs.push(logs.lines);
    captured.slack.push(slack.alerts);
    const client = createTwilioClient({ baseUrl: twilio.url, accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: '+17205550123' });
    const email = createSmtpSender({ host: '127.0.0.1', port: smtp.port, user: SMTP_USER, password: SMTP_PASSWORD, from: 'caio@example.com', timeoutMs: 5_000 });
    const escalate = createEscalator({
      incidents: createIncidentStore(db.db),
      slack: slack.port,
      sms: { send: (to, body) => client.sendSms({ to, body }) },
      email,
      contacts: { smsTo: over.smsTo ?? PHONES, emailTo: over.emailTo ?? [HOS_EMAIL] },
      clock,
      log: logs.log,
      ...over,
    });
    return { escalate, slack, logs };
  };

  /** A second "process": its own connection pool on the same database and schema. */
  const sameDatabaseElsewhere = async (): Promise<Database> => {
    const result = (await database.db.execute(sql`select current_schema() as schema`)) as { rows: { schema: string }[] };
    extra = await openDatabase({ kind: 'postgres', url: testDatabaseUrl(), schema: result.rows[0]!.schema });
    return extra;
  };

  const incident = (clock: { now: () => Date }, over: Partial<Incident> = {}): Incident => ({
    key: 'provider:apollo:unavailable',
    kind: 'provider_unavailable',
    title: 'Apollo unavailable',
    detail: 'Discovery calls to Apollo fail with 503; leads are queued and retried.',
    since: clock.now(),
    leadsAffected: 3,
    sendingAffected: false,
    ...over,
  });

  it('level 1 pages Slack only, and the same incident reported 10 times pages once', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack } = escalator(database, clock);
    const first = await escalate.report(incident(clock));
    expect(first).toEqual({ key: 'provider:apollo:unavailable', level: 1, notified: true, deliveries: [{ channel: 'slack', to: null, ok: true }], missing: [] });
    for (let i = 0; i < 9; i++) {
      clock.advance(MIN);
      expect((await escalate.report(incident(clock, { since: new Date('2026-03-02T09:00:00Z') }))).notified).toBe(false);
    }
    expect(slack.alerts).toHaveLength(1);
    expect(slack.alerts[0]).toMatchObject({ severity: 'warning', title: 'L1 Apollo unavailable', metadata: { incident: 'provider:apollo:unavailable', escalationLevel: 1 } });
    expect(smsSentCount()).toBe(0);
    expect(smtp.mails).toHaveLength(0);
  });

  it('growing to level 2 pages once more, with an SMS to each number; level 3 adds the e-mail', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const since = clock.now();
    const { escalate, slack } = escalator(database, clock);
    await escalate.report(incident(clock, { since }));
    clock.advance(15 * MIN);
    const second = await escalate.report(incident(clock, { since }));
    expect(second).toMatchObject({ level: 2, notified: true, missing: [] });
    expect(second.deliveries.map((d) => [d.channel, d.to, d.ok])).toEqual([
      ['slack', null, true],
      ['sms', PHONES[0], true],
      ['sms', PHONES[1], true],
    ]);
    for (let i = 0; i < 5; i++) expect((await escalate.report(incident(clock, { since }))).notified).toBe(false);
    expect(slack.alerts.map((a) => `${a.severity} ${a.title}`)).toEqual(['warning L1 Apollo unavailable', 'critical L2 Apollo unavailable']);
    expect(twilio.messages().map((m) => m.to)).toEqual(PHONES);
    const body = twilio.messages()[0]!.body;
    expect(body).toContain('CAIO L2: Apollo unavailable');
    expect(body).toContain('failing for 15 min');
    expect(smtp.mails).toHaveLength(0);

    const third = await escalate.report(incident(clock, { since, leadsAffected: 140 }));
    expect(third).toMatchObject({ level: 3, notified: true });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: 'caio@example.com', to: [HOS_EMAIL] });
    expect(smtp.mails[0]!.text).toContain('Subject: [CAIO L3] Apollo unavailable');
    expect(smtp.mails[0]!.text).toContain('140 leads affected');
    expect(twilio.messages()).toHaveLength(4);
    // Levels never go down within an incident: fewer leads later does not page again.
    expect(await escalate.report(incident(clock, { since, leadsAffected: 1 }))).toMatchObject({ level: 3, notified: false });
  });

  it('two escalators on one database reporting at once page exactly once per level', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const a = escalator(database, clock);
    const b = escalator(await sameDatabaseElsewhere(), clock);
    const storm = (over: Partial<Incident>) => Promise.all([...Array.from({ length: 5 }, () => a.escalate.report(incident(clock, over))), ...Array.from({ length: 5 }, () => b.escalate.report(incident(clock, over)))]);

    const level1 = await storm({});
    expect(level1.filter((o) => o.notified)).toHaveLength(1);
    expect(a.slack.alerts.length + b.slack.alerts.length).toBe(1);

    const level2 = await storm({ leadsAffected: 30 });
    expect(level2.filter((o) => o.notified).map((o) => o.level)).toEqual([2]);
    expect(twilio.messages()).toHaveLength(PHONES.length);

    const level3 = await storm({ kind: 'emergency_stop', key: 'provider:apollo:unavailable' });
    expect(level3.filter((o) => o.notified).map((o) => o.level)).toEqual([3]);
    expect([...a.slack.alerts, ...b.slack.alerts].map((x) => x.title).sort()).toEqual(['L1 Apollo unavailable', 'L2 Apollo unavailable', 'L3 Apollo unavailable']);
    expect(twilio.messages()).toHaveLength(2 * PHONES.length);
    expect(smtp.mails).toHaveLength(1);

    // Resolving from both at once: one recovery message, on the level-3 channels.
    const resolved = await Promise.all([...Array.from({ length: 3 }, () => a.escalate.resolve('provider:apollo:unavailable')), ...Array.from({ length: 3 }, () => b.escalate.resolve('provider:apollo:unavailable'))]);
    expect(resolved.filter((r) => r.resolved)).toHaveLength(1);
    expect(resolved.filter((r) => r.announced)).toHaveLength(1);
    expect([...a.slack.alerts, ...b.slack.alerts].filter((x) => x.title.startsWith('Resolved:'))).toHaveLength(1);
    expect(smtp.mails).toHaveLength(2);
    expect(twilio.messages()).toHaveLength(3 * PHONES.length);
  });

  it('resolve sends one recovery message on the level reached; a second resolve sends none; a recurrence pages again', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack } = escalator(database, clock);
    const store = createIncidentStore(database.db);
    await escalate.report(incident(clock, { since: at(clock, 20 * MIN) }));
    expect(slack.alerts.map((a) => a.title)).toEqual(['L2 Apollo unavailable']);
    clock.advance(10 * MIN);

    const recovered = await escalate.resolve('provider:apollo:unavailable');
    expect(recovered).toMatchObject({ resolved: true, announced: true, level: 2, missing: [] });
    expect(recovered.deliveries.map((d) => d.channel)).toEqual(['slack', 'sms', 'sms']);
    expect(slack.alerts[1]).toMatchObject({ severity: 'warning', title: 'Resolved: Apollo unavailable', body: 'Recovered after 30 min (reached level 2).' });
    expect(
      twilio
        .messages()
        .slice(2)
        .map((m) => m.body),
    ).toEqual(Array(2).fill('CAIO resolved: Apollo unavailable, after 30 min (reached level 2). Incident provider:apollo:unavailable'));
    expect(smtp.mails).toHaveLength(0);
    expect(await store.open()).toEqual([]);

    expect(await escalate.resolve('provider:apollo:unavailable')).toEqual({ key: 'provider:apollo:unavailable', resolved: false, announced: false, level: 0, deliveries: [], missing: [] });
    expect(await escalate.resolve('never:seen')).toMatchObject({ resolved: false, announced: false });
    expect(slack.alerts).toHaveLength(2);
    expect(twilio.messages()).toHaveLength(4);

    clock.advance(60 * MIN);
    const again = await escalate.report(incident(clock));
    expect(again).toMatchObject({ level: 1, notified: true });
    expect(slack.alerts.map((a) => a.title)).toEqual(['L2 Apollo unavailable', 'Resolved: Apollo unavailable', 'L1 Apollo unavailable']);
    const [open] = await store.open();
    expect(open).toMatchObject({ key: 'provider:apollo:unavailable', level: 1, notifiedLevel: 1, resolvedAt: null });
    expect(open!.openedAt.toISOString()).toBe(clock.now().toISOString());
  });

  it('a failing Twilio leaves Slack and e-mail sent and the failure logged', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack, logs } = escalator(database, clock);
    twilio.setFailures({ status5xx: { count: 100, status: 503 } });
    const outcome = await escalate.report(incident(clock, { key: 'send:failures', kind: 'send_failures', title: 'Sends failing', sendingAffected: true, since: at(clock, 45 * MIN) }));
    expect(outcome.level).toBe(3);
    expect(outcome.deliveries.map((d) => [d.channel, d.ok])).toEqual([
      ['slack', true],
      ['sms', false],
      ['sms', false],
      ['email', true],
    ]);
    expect(outcome.deliveries.find((d) => d.channel === 'sms')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(slack.alerts).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(twilio.messages()).toHaveLength(0);
    const failures = logs.parsed().filter((l) => l.msg === 'escalation sms failed');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ level: 50, channel: 'sms', code: 'PROVIDER_UNAVAILABLE', incident: 'send:failures' });
    // Numbers are masked in the log.
    expect(logs.lines.join('\n')).not.toContain(PHONES[0]);
  });

  it('a missing SMS channel is one warning per notification, not an error', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack, logs } = escalator(database, clock, { sms: null });
    const outcome = await escalate.report(incident(clock, { leadsAffected: 40 }));
    expect(outcome).toMatchObject({ level: 2, notified: true, missing: ['sms'], deliveries: [{ channel: 'slack', ok: true }] });
    expect(slack.alerts).toHaveLength(1);
    const warnings = logs.parsed().filter((l) => l.level === 40 && String(l.msg).includes('not configured'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ missing: ['sms'], escalationLevel: 2 });
    await escalate.report(incident(clock, { leadsAffected: 40 }));
    expect(logs.parsed().filter((l) => String(l.msg).includes('not configured'))).toHaveLength(1);
  });

  it('Slack failing at level 1 falls back to e-mail', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack, logs } = escalator(database, clock);
    slack.state.failing = true;
    const outcome = await escalate.report(incident(clock));
    expect(outcome.deliveries).toEqual([
      { channel: 'slack', to: null, ok: false, code: 'PROVIDER_UNAVAILABLE', error: 'slack webhook: 503 (injected)' },
      { channel: 'email', to: HOS_EMAIL, ok: true, fallback: true },
    ]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.text).toContain('Subject: [CAIO L1] Apollo unavailable');
    expect(logs.parsed().some((l) => l.msg === 'escalation slack failed')).toBe(true);
    expect(await escalate.report(incident(clock))).toMatchObject({ notified: false });
  });

  it('when nobody could be reached, the claim is given back and the next report retries', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack } = escalator(database, clock, { email: null });
    slack.state.failing = true;
    expect(await escalate.report(incident(clock))).toMatchObject({ notified: true, deliveries: [{ channel: 'slack', ok: false }] });
    // Resolved before anyone heard of it: no recovery message.
    slack.state.failing = false;
    expect(await escalate.resolve('provider:apollo:unavailable')).toMatchObject({ resolved: true, announced: false, deliveries: [] });
    expect(slack.alerts).toHaveLength(0);

    slack.state.failing = true;
    await escalate.report(incident(clock));
    slack.state.failing = false;
    clock.advance(MIN);
    expect(await escalate.report(incident(clock))).toMatchObject({ notified: true, deliveries: [{ channel: 'slack', ok: true }] });
    expect(slack.alerts).toHaveLength(1);
  });

  it('a reporter that says since = now still escalates by the stored first sighting', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, slack } = escalator(database, clock);
    await escalate.report(incident(clock));
    clock.advance(16 * MIN);
    expect(await escalate.report(incident(clock))).toMatchObject({ level: 2, notified: true });
    expect(slack.alerts[1]!.body).toContain('failing for 16 min');
  });

  it('skips invalid contacts with a warning and keeps an SMS within 1600 characters', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const { escalate, logs } = escalator(database, clock, { smsTo: ['303-555-0147', PHONES[0]!], emailTo: ['not-an-address', HOS_EMAIL] });
    expect(
      logs
        .parsed()
        .filter((l) => l.level === 40)
        .map((l) => l.msg),
    ).toHaveLength(2);
    const outcome = await escalate.report(incident(clock, { leadsAffected: 500, detail: 'x'.repeat(5000) }));
    expect(outcome.deliveries.filter((d) => d.channel === 'sms').map((d) => d.to)).toEqual([PHONES[0]]);
    expect(twilio.messages()).toHaveLength(1);
    expect(twilio.messages()[0]!.body.length).toBeLessThanOrEqual(1600);
    expect(smtp.mails[0]!.to).toEqual([HOS_EMAIL]);
  });

  it('the store: first sighting kept, greatest level kept, one claim per level, resolve once', async () => {
    const store = createIncidentStore(database.db);
    const t0 = new Date('2026-03-02T09:00:00Z');
    const t1 = new Date('2026-03-02T09:05:00Z');
    const base = incident({ now: () => t0 });
    expect(await store.observe(base, 2, t0)).toMatchObject({ level: 2, notifiedLevel: 0, openedAt: t0, lastSeenAt: t0, resolvedAt: null, details: { kind: 'provider_unavailable', leadsAffected: 3 } });
    expect(await store.observe({ ...base, leadsAffected: 9 }, 1, t1)).toMatchObject({ level: 2, openedAt: t0, lastSeenAt: t1, details: { leadsAffected: 9 } });
    const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimNotification(base.key, 2, t1)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimNotification(base.key, 1, t1)).toBe(false); // below the level already paged
    expect(await store.claimNotification('unknown', 1, t1)).toBe(false);
    await store.releaseNotification(base.key, 1, 0); // not the claimed level: no effect
    expect((await store.open())[0]).toMatchObject({ notifiedLevel: 2, lastNotifiedAt: t1 });
    const resolved = await store.resolve(base.key, t1);
    expect(resolved).toMatchObject({ resolvedNow: true, notified: true, record: { resolvedAt: t1, notifiedLevel: 2 } });
    expect(await store.resolve(base.key, t1)).toEqual({ resolvedNow: false, notified: false, record: null });
    expect(await store.claimNotification(base.key, 3, t1)).toBe(false);
  });
});

describe('SMTP sender errors', () => {
  it('maps a refused connection to PROVIDER_UNAVAILABLE and a rejected login to PROVIDER_AUTH, never showing the password', async () => {
    const smtp = await startSmtp();
    const port = smtp.port;
    try {
      const wrong = 'wrong-smtp-password-9876';
      const rejected = await createSmtpSender({ host: '127.0.0.1', port, user: SMTP_USER, password: wrong, from: 'caio@example.com' })
        .send({ to: [HOS_EMAIL], subject: 's', text: 't' })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(rejected).toBeInstanceOf(AppError);
      expect(rejected).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false, details: { provider: 'smtp', smtpCode: 'EAUTH' } });
      const text = `${(rejected as AppError).message} ${JSON.stringify((rejected as AppError).details)} ${(rejected as AppError).stack}`;
      for (const secret of [wrong, Buffer.from(wrong).toString('base64'), Buffer.from(`\u0000${SMTP_USER}\u0000${wrong}`).toString('base64')]) expect(text).not.toContain(secret);
      expect(smtp.mails).toHaveLength(0);
    } finally {
      await smtp.close();
    }
    const refused = await createSmtpSender({ host: '127.0.0.1', port, password: SMTP_PASSWORD, user: SMTP_USER, from: 'caio@example.com', timeoutMs: 2_000 })
      .send({ to: [HOS_EMAIL], subject: 's', text: 't' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    expect((refused as AppError).message).not.toContain(SMTP_PASSWORD);
  });

  it('refuses an empty recipient list', async () => {
    await expect(createSmtpSender({ host: '127.0.0.1', port: 1, from: 'caio@example.com' }).send({ to: [], subject: 's', text: 't' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
