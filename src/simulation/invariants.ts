/**
 * The invariants a simulation checks after every step, read from the database independently of
 * the send gateway that is meant to keep them (docs/simulation.md "Invariants"). The checker keeps
 * what it learnt at the end of each step (who was blocked, which sends it has seen), so a send is
 * judged against what was known before the step that sent it.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config/load.js';
import { channelKindOf, effectiveEmailDailyLimit, isWithinBusinessHours, linkedinDailyLimit, rampStatus, type OutboundProvider } from '../domain/sending/index.js';
import { isExcludedEmail, matchExcludedDomain } from '../domain/sending/recipient-guards.js';
import { suppressionHash } from '../lib/hash.js';
import type { Db } from '../store/database.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { rowsOf } from './rows.js';
import { ANSWER_STEP } from './engagement-model.js';

export type Violation = { day: number; rule: string; lead: string | null; detail: string };

type SentRow = {
  id: string;
  lead_id: string | null;
  channel: string;
  step: string;
  recipient: string;
  recipient_domain: string | null;
  sender: string | null;
  sent_at: Date;
  batch_id: string | null;
  batch_status: string | null;
  tier: string | null;
  /** The draft the item carries: for our answer in a thread, the suggested answer a person approved. */
  draft_status: string | null;
  draft_angle: string | null;
};

const rows = async <T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> => rowsOf<T>(await db.execute(query));
const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const hourKey = (d: Date) => d.toISOString().slice(0, 13);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export const createInvariantChecker = (db: Db, config: Config) => {
  const limits = config.limits;
  const outbox = createOutboxStore(db);
  const hours = { ...config.dispatch.businessHours, defaultTimeZone: config.dispatch.timeZone };
  const excludedDomains = [...config.exclusions.excludedDomains, ...config.exclusions.competitorDomains];
  const senderLimits = new Map(config.sendingAccounts.map((a) => [a.email.toLowerCase(), a.dailyLimit]));
  let since = new Date(0);
  let stopAt: Date | null = null;
  /** Known at the end of the last step: leads that bounced, unsubscribed or may not be contacted; suppressed identities. */
  let blockedLeads = new Set<string>();
  let suppressed = new Set<string>();
  let excluded = { domains: [] as string[], emails: [] as string[] };
  const reportedDuplicates = new Set<string>();
  const reportedPending = new Set<string>();
  /** Sends counted per bucket (emails by day, hour, month, domain-hour, sender-day; LinkedIn by day). */
  const counts = new Map<string, number>();
  const bump = (key: string) => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  };
  const leadTouchDays = new Map<string, Set<string>>();

  const learn = async () => {
    blockedLeads = new Set((await rows<{ id: string }>(db, sql`select id from leads where status in ('bounced', 'unsubscribed', 'do_not_contact')`)).map((r) => r.id));
    suppressed = new Set((await rows<{ hash: string }>(db, sql`select hash from suppressions`)).map((r) => r.hash));
    const imported = await rows<{ kind: string; value: string }>(db, sql`select kind, value from recipient_exclusions`);
    excluded = { domains: imported.filter((r) => r.kind === 'domain').map((r) => r.value), emails: imported.filter((r) => r.kind === 'email').map((r) => r.value) };
  };

  /** The day's e-mail limit as the ramp sets it, from the same daily totals the OPERATOR reads. */
  const rampLimit = async (at: Date) => {
    const lookback = new Date(at.getTime() - (config.ramp.cleanDaysLookbackDays + 1) * 86_400_000);
    const days = (await outbox.dailyTotals(dayKey(lookback))).map((d) => ({ date: d.date, live: true, sent: d.sent, bounces: d.bounces, complaints: 0, errors: d.errors }));
    return effectiveEmailDailyLimit(limits.emailDailyLimit, rampStatus(config.ramp, days, at));
  };

  return {
    /** The emergency stop's time: every send after it is a violation. */
    stopSetAt: (at: Date) => {
      stopAt ??= at;
    },
    /** What is known before the first step (a demo run into a folder with history). */
    start: async (at: Date) => {
      since = at;
      await learn();
    },
    /** Check the sends of the step that ended at `now`, and the webhook deliveries; then learn the step's outcome. */
    check: async (day: number, now: Date): Promise<Violation[]> => {
      const found: Violation[] = [];
      const add = (rule: string, lead: string | null, detail: string) => found.push({ day, rule, lead, detail });
      const sent = await rows<SentRow>(
        db,
        sql`select o.id, o.lead_id, o.channel, o.step, o.recipient, o.recipient_domain, o.sender, o.sent_at, o.batch_id, o.tier, b.status as batch_status,
            d.status as draft_status, d.angle_id as draft_angle
          from outbox o left join batches b on b.id = o.batch_id left join drafts d on d.id = o.draft_id
          where o.status = 'sent' and o.sent_at > ${since.toISOString()}::timestamptz and o.sent_at <= ${now.toISOString()}::timestamptz order by o.sent_at, o.id`,
      );
      const ramp = sent.some((s) => s.channel !== 'heyreach') ? await rampLimit(now) : null;
      for (const s of sent) {
        const at = new Date(s.sent_at);
        const lead = s.lead_id;
        const kind = channelKindOf(s.channel as OutboundProvider);
        const recipient = s.recipient.trim().toLowerCase();
        if (stopAt && at >= stopAt) add('after_emergency_stop', lead, `${s.channel} ${s.step} sent at ${at.toISOString()}, after the stop at ${stopAt.toISOString()}`);
        // Our answer in a thread goes out without a batch (docs/replies.md "The send"): the person's approval of the answer is what it needs.
        if (s.step === ANSWER_STEP) {
          if (!s.draft_angle?.startsWith('reply:') || !['approved', 'sent'].includes(s.draft_status ?? ''))
            add('unapproved_answer', lead, `${s.channel} answer in a thread: its draft ${s.draft_angle ?? 'missing'} is ${s.draft_status ?? 'missing'}`);
        } else if (!s.batch_id || !['approved', 'executed'].includes(s.batch_status ?? '')) add('no_approved_batch', lead, `${s.channel} ${s.step}: batch ${s.batch_id ?? 'none'} is ${s.batch_status ?? 'missing'}`);
        if (lead && blockedLeads.has(lead)) add('blocked_lead', lead, `${s.channel} ${s.step} to a lead that had bounced, unsubscribed or asked not to be contacted`);
        if (suppressed.has(suppressionHash(recipient)) || suppressed.has(suppressionHash(`linkedin:${recipient}`))) add('suppressed', lead, `${s.channel} ${s.step} to a suppressed identity`);
        if (kind === 'email') {
          const domain = s.recipient_domain ?? recipient.split('@')[1] ?? '';
          if (matchExcludedDomain(domain, [...excludedDomains, ...excluded.domains]) || isExcludedEmail(recipient, [...config.exclusions.excludedEmails, ...excluded.emails]))
            add('excluded', lead, `${s.channel} ${s.step} to an excluded domain or address`);
          const daily = bump(`email:d:${dayKey(at)}`);
          const dayLimit = ramp ?? limits.emailDailyLimit;
          if (daily > dayLimit) add(dayLimit < limits.emailDailyLimit ? 'ramp' : 'quota_daily', lead, `e-mail ${daily} on ${dayKey(at)}, limit ${dayLimit}`);
          const hourly = bump(`email:h:${hourKey(at)}`);
          if (hourly > limits.emailHourlyLimit) add('quota_hourly', lead, `e-mail ${hourly} in hour ${hourKey(at)}:00Z, limit ${limits.emailHourlyLimit}`);
          const monthly = bump(`email:m:${monthKey(at)}`);
          if (monthly > limits.emailMonthlyLimit) add('quota_monthly', lead, `e-mail ${monthly} in ${monthKey(at)}, limit ${limits.emailMonthlyLimit}`);
          const toDomain = bump(`email:dom:${domain}:${hourKey(at)}`);
          if (domain && toDomain > limits.perDomainHourlyLimit) add('quota_domain_hourly', lead, `e-mail ${toDomain} to one domain in hour ${hourKey(at)}:00Z, limit ${limits.perDomainHourlyLimit}`);
          const senderLimit = s.sender ? senderLimits.get(s.sender.toLowerCase()) : undefined;
          if (s.sender && senderLimit !== undefined) {
            const fromSender = bump(`email:s:${s.sender.toLowerCase()}:${dayKey(at)}`);
            if (fromSender > senderLimit) add('quota_sender_daily', lead, `e-mail ${fromSender} from one sender on ${dayKey(at)}, limit ${senderLimit}`);
          }
          // Instantly sends inside its campaign schedule; a GoHighLevel e-mail leaves at once, so it must be inside the hours.
          if (s.channel === 'ghl' && !isWithinBusinessHours(at, null, hours)) add('business_hours', lead, `GoHighLevel e-mail at ${at.toISOString()}, outside the business hours`);
        } else {
          const linkedin = bump(`linkedin:d:${dayKey(at)}`);
          const cap = linkedinDailyLimit({ warmupStart: limits.linkedinWarmupStart, warmupWeeks: limits.linkedinWarmupWeeks, warmupDailyLimit: limits.linkedinWarmupDailyLimit, fullDailyLimit: limits.linkedinFullDailyLimit }, at).limit;
          if (linkedin > cap) add(cap < limits.linkedinFullDailyLimit ? 'warmup' : 'quota_linkedin_daily', lead, `LinkedIn touch ${linkedin} on ${dayKey(at)}, limit ${cap}`);
        }
        if (lead) {
          const touched = leadTouchDays.get(lead) ?? new Set<string>();
          const other = `${kind === 'email' ? 'linkedin' : 'email'}:${dayKey(at)}`;
          if (touched.has(other)) add('cross_channel', lead, `an e-mail and a LinkedIn touch on ${dayKey(at)}`);
          touched.add(`${kind}:${dayKey(at)}`);
          leadTouchDays.set(lead, touched);
        }
      }
      if (sent.length > 0) {
        const twice = await rows<{ lead_id: string; step: string; channel: string; n: number }>(
          db,
          sql`select lead_id, step, channel, count(*)::int as n from outbox where status = 'sent' and lead_id is not null group by 1, 2, 3 having count(*) > 1`,
        );
        for (const t of twice) {
          const key = `${t.lead_id}:${t.step}:${t.channel}`;
          if (reportedDuplicates.has(key)) continue;
          reportedDuplicates.add(key);
          add('sent_twice', t.lead_id, `${t.channel} ${t.step} sent ${t.n} times`);
        }
      }
      for (const p of await rows<{ id: string; provider: string; event_type: string }>(db, sql`select id, provider, event_type from webhook_inbox where status = 'pending'`)) {
        if (reportedPending.has(p.id)) continue;
        reportedPending.add(p.id);
        add('webhook_unprocessed', null, `${p.provider} ${p.event_type} delivery ${p.id} accepted but not processed`);
      }
      since = now;
      await learn();
      return found;
    },
  };
};
