import type { Logger } from '../../lib/logger.js';
import type { Alert, AlertPort } from '../../pipeline/ports.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Slack message for an alert: a header, the body, and the facts (run id, stage, provider) as fields. */
export const slackMessage = (alert: Alert) => {
  const facts = Object.entries(alert.metadata)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 10)
    .map(([k, v]) => ({ type: 'mrkdwn', text: `*${escape(k)}*\n${escape(String(v)).slice(0, 1900)}` }));
  return {
    text: `${alert.severity.toUpperCase()}: ${alert.title}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${alert.severity.toUpperCase()}: ${alert.title}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: escape(alert.body).slice(0, 2900) }, ...(facts.length ? { fields: facts } : {}) },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
};

/**
 * Alerts to a Slack incoming webhook (WARNING and CRITICAL; INFO stays in the log). The same alert
 * within `dedupeMs` is sent once. Slack being down never breaks a run: the alert is logged instead.
 * The webhook URL is the credential: it is never logged.
 */
export const createSlackAlerts = (deps: { webhookUrl: string; log: Logger; now?: () => number; dedupeMs?: number; policy?: HttpPolicy }): AlertPort & { sent: number } => {
  const now = deps.now ?? Date.now;
  const dedupeMs = deps.dedupeMs ?? 10 * 60_000;
  const lastSent = new Map<string, number>();
  const http = deps.policy ?? createHttpPolicy({ provider: 'slack', retries: 2, rateLimitPerMinute: 60, secrets: [deps.webhookUrl] });
  const state = { sent: 0 };
  return {
    get sent() {
      return state.sent;
    },
    send: async (alert) => {
      const line = { alert: alert.title, severity: alert.severity, ...alert.metadata };
      if (alert.severity === 'info') return void deps.log.info(line, alert.body);
      const key = `${alert.severity}|${alert.title}`;
      const previous = lastSent.get(key);
      if (previous !== undefined && now() - previous < dedupeMs) return void deps.log.info({ ...line, deduplicated: true }, 'alert already sent recently');
      lastSent.set(key, now());
      try {
        // Repeatable on purpose: an alert to our own channel posted twice is a nuisance, a lost CRITICAL alert is not
        // (contracts/slack.md "Response": 5xx → retry with backoff). It never reaches a prospect.
        const res = await http.fetch('webhook', deps.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(alert)) }, { idempotent: true });
        const text = await res.text();
        if (res.ok && text.trim() === 'ok') {
          state.sent++;
          return;
        }
        deps.log.error({ ...line, slackStatus: res.status, slackError: text.slice(0, 60) }, 'slack refused the alert');
      } catch (error) {
        deps.log.error({ ...line, code: (error as { code?: string }).code }, 'slack unreachable; alert logged only');
      }
      (alert.severity === 'critical' ? deps.log.error : deps.log.warn).call(deps.log, line, alert.body);
    },
  };
};
