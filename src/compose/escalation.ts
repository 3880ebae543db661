import type { Config } from '../config/load.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AlertPort } from '../pipeline/ports.js';
import type { Db } from '../store/database.js';
import { createIncidentStore } from '../store/incident-repo.js';
import { createEscalator, type EmailChannel, type SmsChannel } from '../escalation/escalator.js';

/**
 * The escalator of one app: Slack (or the log without SLACK_WEBHOOK_URL) always; SMS when the
 * TWILIO_* variables and `escalation.smsTo` are set; e-mail when SMTP_HOST, ALERT_EMAIL_FROM and
 * `escalation.emailTo` are set. A level whose channel is missing still pages on the others and
 * says so in the log. Incidents live in the database, so every process shares them.
 */
export const escalatorFor = async (deps: { config: Config; db: Db; alerts: AlertPort; clock: Clock; log: Logger }) => {
  const { env } = deps.config;
  let sms: SmsChannel | null = null;
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) {
    const { createTwilioClient } = await import('../providers/twilio/client.js');
    const { createHttpPolicy } = await import('../providers/http/policy.js');
    const twilio = createTwilioClient({
      baseUrl: deps.config.twilio.baseUrl,
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      from: env.TWILIO_FROM,
      policy: createHttpPolicy({ provider: 'twilio', timeoutMs: deps.config.twilio.timeoutMs, retries: deps.config.twilio.retries, secrets: [env.TWILIO_AUTH_TOKEN] }),
    });
    sms = { send: (to, body) => twilio.sendSms({ to, body }) };
  }
  let email: EmailChannel | null = null;
  if (env.SMTP_HOST && env.ALERT_EMAIL_FROM) {
    const { createSmtpSender } = await import('../providers/email/smtp-sender.js');
    email = createSmtpSender({ host: env.SMTP_HOST, port: env.SMTP_PORT ?? 587, from: env.ALERT_EMAIL_FROM, ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}), ...(env.SMTP_PASSWORD ? { password: env.SMTP_PASSWORD } : {}) });
  }
  // Slack without the alert adapter's 10-minute duplicate filter: the incident table de-duplicates.
  const slack = env.SLACK_WEBHOOK_URL ? (await import('../providers/slack/slack-alerts.js')).createSlackAlerts({ webhookUrl: env.SLACK_WEBHOOK_URL, log: deps.log, dedupeMs: 0 }) : deps.alerts;
  return createEscalator({ incidents: createIncidentStore(deps.db), slack, sms, email, contacts: deps.config.escalation, clock: deps.clock, log: deps.log });
};
