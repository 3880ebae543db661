/**
 * Escalation (spec/dashboard.md "Escalation levels"): an incident pages the head of sales on the
 * channels of its level (1 Slack; 2 + SMS; 3 + e-mail), once per level however many processes
 * report it, and announces its recovery once. The incidents table is the de-duplication, so it
 * holds across processes and restarts; nothing here keeps state in memory.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AlertPort } from '../pipeline/ports.js';
import type { EmailChannel, IncidentRecord, IncidentStore, SmsChannel } from './ports.js';
import { assessEscalation, describeLevel, isEscalationLevel, minutesSince, type EscalationChannel, type EscalationLevel, type Incident } from '../domain/escalation/rubric.js';

// ---- ports (declared in ./ports.ts: the store implements the incident store) -----------------

export type { EmailChannel, IncidentRecord, IncidentStore, SmsChannel } from './ports.js';

export type EscalatorDeps = {
  incidents: IncidentStore;
  slack: AlertPort;
  /** Null when Twilio is not configured: level 2+ then pages without SMS and says so in the log. */
  sms: SmsChannel | null;
  email: EmailChannel | null;
  contacts: { smsTo: string[]; emailTo: string[] };
  clock: Clock;
  log: Logger;
};

// ---- results ------------------------------------------------------------------------------

export type Delivery = {
  channel: EscalationChannel;
  /** The number or address; null for Slack. */
  to: string | null;
  ok: boolean;
  /** Sent by e-mail because no channel of the level reached anyone. */
  fallback?: boolean;
  code?: string;
  error?: string;
};

export type EscalationOutcome = {
  key: string;
  level: EscalationLevel;
  /** Whether this call won the page for `level` (false: already paged, by this or another process). */
  notified: boolean;
  deliveries: Delivery[];
  /** Channels the level needs that are not configured. */
  missing: EscalationChannel[];
};

export type RecoveryOutcome = {
  key: string;
  /** Whether this call resolved an open incident. */
  resolved: boolean;
  /** Whether a recovery message was sent (only when someone had been paged). */
  announced: boolean;
  level: number;
  deliveries: Delivery[];
  missing: EscalationChannel[];
};

// ---- messages -----------------------------------------------------------------------------

const E164 = /^\+\d{10,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SMS_MAX = 1600;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 3)}...`);
/** Enough of a number or address to tell recipients apart in a log, not enough to contact them. */
const mask = (to: string) => (to.includes('@') ? `${to.slice(0, 1)}***@${to.split('@')[1] ?? ''}` : `***${to.slice(-4)}`);
const errorFacts = (error: unknown) => ({ code: (error as { code?: unknown }).code === undefined ? 'ERROR' : String((error as { code?: unknown }).code), error: cut(error instanceof Error ? error.message : String(error), 300) });

type Message = { slack: { severity: 'warning' | 'critical'; title: string; body: string; metadata: Record<string, unknown> }; sms: string; subject: string; text: string };

const pageMessage = (incident: Incident, level: EscalationLevel, reasons: string[]): Message => {
  const channels = describeLevel(level).join(' + ');
  const facts = `${reasons.join('; ')}. Leads affected: ${incident.leadsAffected}. Sending affected: ${incident.sendingAffected ? 'yes' : 'no'}.`;
  return {
    // Level 1 is a warning; 2 and 3 wake someone up. The level is in the title so the Slack
    // adapter's own short de-duplication (by severity and title) never swallows an escalation.
    slack: {
      severity: level === 1 ? 'warning' : 'critical',
      title: `L${level} ${incident.title}`,
      body: `${incident.detail}\n${facts}`,
      // Metadata is spread into the Slack adapter's log lines, where `level` is pino's own key.
      metadata: { incident: incident.key, kind: incident.kind, escalationLevel: level, channels, leadsAffected: incident.leadsAffected, since: incident.since.toISOString() },
    },
    sms: cut(`CAIO L${level}: ${incident.title}. ${facts} Incident ${incident.key}`, SMS_MAX),
    subject: `[CAIO L${level}] ${incident.title}`,
    text: [`Escalation level ${level} (${channels}): ${incident.title}`, '', incident.detail, '', facts, `Failing since: ${incident.since.toISOString()}`, `Incident: ${incident.key} (${incident.kind})`].join('\n'),
  };
};

/** How an incident ended when it was not a recovery (a batch decided or expired): said instead of "Recovered". */
export type ResolutionNote = { title: string; body: string };

const noteMessage = (record: IncidentRecord, note: ResolutionNote, now: Date): Message => ({
  slack: { severity: 'warning', title: note.title, body: note.body, metadata: { incident: record.key, escalationLevel: record.level, resolvedAt: now.toISOString() } },
  sms: cut(`CAIO: ${note.title}. ${note.body}`, SMS_MAX),
  subject: `[CAIO] ${note.title}`,
  text: [note.title, '', note.body, `Incident: ${record.key}`, `Closed at: ${now.toISOString()}`].join('\n'),
});

const recoveryMessage = (record: IncidentRecord, now: Date): Message => {
  const title = typeof record.details.title === 'string' ? record.details.title : record.key;
  const reported = typeof record.details.since === 'string' ? new Date(record.details.since) : record.openedAt;
  const since = Number.isNaN(reported.getTime()) || reported > record.openedAt ? record.openedAt : reported;
  const lasted = `after ${minutesSince(since, now)} min (reached level ${record.level})`;
  return {
    // Warning, not info: the Slack adapter keeps info in the log, and the people paged must hear it ended.
    slack: { severity: 'warning', title: `Resolved: ${title}`, body: `Recovered ${lasted}.`, metadata: { incident: record.key, escalationLevel: record.level, resolvedAt: now.toISOString() } },
    sms: cut(`CAIO resolved: ${title}, ${lasted}. Incident ${record.key}`, SMS_MAX),
    subject: `[CAIO resolved] ${title}`,
    text: [`Resolved: ${title}`, '', `Recovered ${lasted}.`, `Incident: ${record.key}`, `Resolved at: ${now.toISOString()}`].join('\n'),
  };
};

// ---- the escalator ------------------------------------------------------------------------

export const createEscalator = (deps: EscalatorDeps) => {
  const { incidents, log, clock } = deps;
  // Bad contacts are configuration mistakes: say so once at start, then page the valid ones.
  const smsTo = deps.contacts.smsTo.filter((n) => E164.test(n));
  const emailTo = deps.contacts.emailTo.filter((a) => EMAIL.test(a));
  const badSms = deps.contacts.smsTo.filter((n) => !E164.test(n));
  const badEmail = deps.contacts.emailTo.filter((a) => !EMAIL.test(a));
  if (badSms.length) log.warn({ recipients: badSms.map(mask) }, 'escalation SMS numbers must match ^\\+\\d{10,15}$; these are skipped');
  if (badEmail.length) log.warn({ recipients: badEmail.map(mask) }, 'escalation e-mail addresses are not valid; these are skipped');

  const configured = (channel: EscalationChannel) => (channel === 'slack' ? true : channel === 'sms' ? deps.sms !== null && smsTo.length > 0 : deps.email !== null && emailTo.length > 0);

  const attempt = async (channel: EscalationChannel, to: string | null, send: () => Promise<unknown>, context: Record<string, unknown>, fallback = false): Promise<Delivery> => {
    try {
      await send();
      return { channel, to, ok: true, ...(fallback ? { fallback } : {}) };
    } catch (error) {
      // One channel failing never stops the others.
      const facts = errorFacts(error);
      log.error({ ...context, channel, ...(to ? { recipient: mask(to) } : {}), code: facts.code, error: facts.error }, `escalation ${channel} failed`);
      return { channel, to, ok: false, ...(fallback ? { fallback } : {}), ...facts };
    }
  };

  const sendOn = (channel: EscalationChannel, message: Message, context: Record<string, unknown>, fallback = false): Promise<Delivery>[] => {
    if (channel === 'slack') return [attempt('slack', null, () => deps.slack.send(message.slack), context)];
    if (channel === 'sms') return smsTo.map((to) => attempt('sms', to, () => deps.sms!.send(to, message.sms), context));
    return [attempt('email', emailTo.join(', '), () => deps.email!.send({ to: emailTo, subject: message.subject, text: message.text }), context, fallback)];
  };

  /** Every channel of the level at once; e-mail as the fallback when nothing reached anyone (spec: Slack failing at level 1). */
  const deliver = async (level: EscalationLevel, message: Message, context: Record<string, unknown>) => {
    const channels = describeLevel(level);
    const missing = channels.filter((c) => !configured(c));
    if (missing.length) log.warn({ ...context, missing }, `escalation level ${level} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not configured`);
    const deliveries = await Promise.all(channels.filter(configured).flatMap((c) => sendOn(c, message, context)));
    if (!deliveries.some((d) => d.ok) && !channels.includes('email') && configured('email')) {
      log.warn(context, 'escalation: no channel of the level reached anyone; falling back to e-mail');
      deliveries.push(...(await Promise.all(sendOn('email', message, context, true))));
    }
    return { deliveries, missing };
  };

  return {
    /** Record a sighting and page if this call is the first to reach the incident's level. */
    report: async (incident: Incident): Promise<EscalationOutcome> => {
      const now = clock.now();
      const reported = assessEscalation(incident, now);
      let row = await incidents.observe(incident, reported.level, now);
      // A reporter that does not remember when the failure started (since = now) must not keep an
      // incident at level 1 forever: the stored first sighting counts as the start when it is older.
      let assessed = reported;
      if (row.openedAt < incident.since) {
        assessed = assessEscalation({ ...incident, since: row.openedAt }, now);
        if (assessed.level > row.level) row = await incidents.observe(incident, assessed.level, now);
      }
      const level: EscalationLevel = isEscalationLevel(row.level) ? row.level : assessed.level;
      // Not `level`: that key is pino's own severity field.
      const context = { incident: incident.key, kind: incident.kind, escalationLevel: level };
      const quiet: EscalationOutcome = { key: incident.key, level, notified: false, deliveries: [], missing: [] };
      if (row.notifiedLevel >= level) return quiet;
      if (!(await incidents.claimNotification(incident.key, level, now))) return quiet;

      const reasons = level > assessed.level ? [...assessed.reasons, `level ${level} was reached earlier in this incident`] : assessed.reasons;
      log.warn({ ...context, reasons }, `escalating: ${incident.title}`);
      const { deliveries, missing } = await deliver(level, pageMessage(incident, level, reasons), context);
      if (!deliveries.some((d) => d.ok)) {
        // Nobody heard it: give the claim back so the next report (from any process) tries again.
        await incidents.releaseNotification(incident.key, level, row.notifiedLevel);
        log.error(context, 'escalation reached nobody; the next report will retry');
      }
      return { key: incident.key, level, notified: true, deliveries, missing };
    },

    /**
     * Close an incident; the call that closes one people were paged about announces the recovery
     * (or, with a `note`, how it ended instead).
     */
    resolve: async (key: string, note?: ResolutionNote): Promise<RecoveryOutcome> => {
      const now = clock.now();
      const result = await incidents.resolve(key, now);
      const record = result.record;
      if (!result.resolvedNow || !record) return { key, resolved: false, announced: false, level: 0, deliveries: [], missing: [] };
      const context = { incident: key, escalationLevel: record.level, notifiedLevel: record.notifiedLevel };
      if (!result.notified || !isEscalationLevel(record.notifiedLevel)) {
        log.info(context, 'incident resolved before anyone was paged');
        return { key, resolved: true, announced: false, level: record.level, deliveries: [], missing: [] };
      }
      log.info(context, 'incident resolved; announcing the recovery');
      // The recovery goes to everyone who was paged: the channels of the level that was notified.
      const { deliveries, missing } = await deliver(record.notifiedLevel, note ? noteMessage(record, note, now) : recoveryMessage(record, now), context);
      return { key, resolved: true, announced: deliveries.some((d) => d.ok), level: record.level, deliveries, missing };
    },
  };
};

export type Escalator = ReturnType<typeof createEscalator>;
