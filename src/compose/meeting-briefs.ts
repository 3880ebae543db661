import { sql } from 'drizzle-orm';
import { createHttpPolicy } from '../providers/http/policy.js';
import { createMeetingBriefs, type BriefChannels } from '../signals/meeting-brief.js';
import type { AppDeps, DispatchSet } from './app-deps.js';
import { createRepliesView } from './replies-view.js';

/** The owner's morning: from this local hour (dispatch.timeZone) the day's meetings are briefed. */
export const BRIEF_MORNING_HOUR = 7;
/** How often the `meeting-briefs` job looks (a meeting booked later in the day is briefed at the next look). */
export const BRIEF_EVERY_MINUTES = 30;

/**
 * Where a brief goes for one app: Slack with SLACK_WEBHOOK_URL (`slackWebhookUrl` overrides it:
 * tests point it at the Slack sandbox); e-mail with SMTP_HOST, ALERT_EMAIL_FROM and
 * `escalation.emailTo`; the appointment's description at GoHighLevel only with
 * `scheduler.briefOnAppointment` (the dispatch set's sandbox in sandbox mode, else GHL_API_KEY and GHL_LOCATION_ID).
 */
export const briefChannelsFor = async (app: AppDeps, dispatch: Pick<DispatchSet, 'sandboxes'>, overrides: { slackWebhookUrl?: string }): Promise<BriefChannels> => {
  const { config } = app;
  const { env } = config;
  const slackUrl = overrides.slackWebhookUrl ?? env.SLACK_WEBHOOK_URL;
  let slack: BriefChannels['slack'] = null;
  if (slackUrl) slack = (await import('../providers/slack/meeting-brief.js')).createSlackBriefPoster({ webhookUrl: slackUrl });
  let email: BriefChannels['email'] = null;
  if (env.SMTP_HOST && env.ALERT_EMAIL_FROM && config.escalation.emailTo.length) {
    const { createSmtpSender } = await import('../providers/email/smtp-sender.js');
    const smtp = createSmtpSender({ host: env.SMTP_HOST, port: env.SMTP_PORT ?? 587, from: env.ALERT_EMAIL_FROM, ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}), ...(env.SMTP_PASSWORD ? { password: env.SMTP_PASSWORD } : {}) });
    email = async (brief) => void (await smtp.send({ to: config.escalation.emailTo, subject: brief.title, text: brief.text }));
  }
  const sandbox = config.usesSandboxes;
  const ghl = sandbox
    ? dispatch.sandboxes.ghl
      ? { url: dispatch.sandboxes.ghl.url, key: dispatch.sandboxes.ghl.apiKey, location: dispatch.sandboxes.ghl.locationId }
      : null
    : env.GHL_API_KEY && env.GHL_LOCATION_ID
      ? { url: config.ghl.baseUrl, key: env.GHL_API_KEY, location: env.GHL_LOCATION_ID }
      : null;
  let notes: BriefChannels['notes'] = null;
  // Only when asked (scheduler.briefOnAppointment): the calendar may show the description to the prospect.
  if (ghl && config.scheduler.briefOnAppointment) {
    const { createGhlClient } = await import('../providers/ghl/client.js');
    const policy = createHttpPolicy({ provider: 'ghl', timeoutMs: config.ghl.timeoutMs, retries: config.ghl.retries, secrets: [ghl.key], ...(sandbox ? {} : { rateLimitPerMinute: config.ghl.rateLimitPerMinute }) });
    const client = createGhlClient({ baseUrl: ghl.url, apiKey: ghl.key, locationId: ghl.location, policy });
    // toNotify false: attaching notes must not run the calendar's confirmation automations again.
    notes = async (appointmentId, brief) => void (await client.updateAppointment(appointmentId, { description: brief.text, toNotify: false }));
  }
  return { slack, email, notes };
};

/**
 * The meeting briefs of one app (issue 17 item 5): the facts from the replies view, the delivery
 * recorded as a `meeting_brief` row of `reply_actions` (key `brief:<appointment>:<start>`, status
 * `running` while it goes out, then `done` or `uncertain`; never `pending`, so the follow-through
 * executor never takes it up), the channels above.
 */
export const meetingBriefsFor = (app: AppDeps, dispatch: Pick<DispatchSet, 'sandboxes'>, overrides: { slackWebhookUrl?: string } = {}) => {
  const db = app.database.db;
  const view = createRepliesView(db);
  const ownerTimeZone = app.config.dispatch.timeZone;
  let channels: Promise<BriefChannels> | null = null;
  // The channels are opened on the first delivery (building the brief needs none).
  const configured = () => (channels ??= briefChannelsFor(app, dispatch, overrides));
  const briefs = (c: BriefChannels) =>
    createMeetingBriefs({
      gather: (replyId) => view.briefFacts(replyId, ownerTimeZone),
      meetingsBetween: view.meetingsBetween,
      deliveries: {
        claim: async (key, row) =>
          (
            (await db.execute(sql`insert into reply_actions (reply_id, lead_id, kind, idempotency_key, status, payload, not_before, attempts, claimed_at, updated_at)
              values (${row.replyId}, ${row.leadId}, 'meeting_brief', ${key}, 'running', ${JSON.stringify({ appointmentId: row.appointmentId, slot: row.slot, by: row.by })}::jsonb, ${row.at}, 1, ${row.at}, ${row.at})
              on conflict (idempotency_key) do nothing returning id`)) as { rows: unknown[] }
          ).rows.length === 1,
        finish: async (key, o) => {
          await db.execute(sql`update reply_actions set status = ${o.status}, last_error = ${o.error}, done_at = ${o.at}, updated_at = ${o.at},
            payload = payload || ${JSON.stringify({ channels: o.channels })}::jsonb where idempotency_key = ${key}`);
        },
        release: async (key) => {
          await db.execute(sql`delete from reply_actions where idempotency_key = ${key} and kind = 'meeting_brief' and status = 'running'`);
        },
      },
      channels: c,
      alerts: app.alerts,
      settings: { ownerTimeZone, morningHour: BRIEF_MORNING_HOUR },
    });
  return {
    brief: async (replyId: string) => briefs({ slack: null, email: null, notes: null }).brief(replyId),
    send: async (replyId: string, by: string) => briefs(await configured()).send(replyId, { now: app.clock.now(), by }),
    morning: async (now: Date) => briefs(await configured()).morning(now),
  };
};

export type MeetingBriefsOfApp = ReturnType<typeof meetingBriefsFor>;
