import { AppError } from '../../lib/app-error.js';
import type { HotLeadAlert } from '../../signals/ports.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const CLASS_LABEL: Record<string, string> = { meeting_request: 'asks for a meeting', interested: 'is interested' };

/** The HOT LEAD message (contracts/slack.md: text always, a header, a section, a URL button; user text escaped). */
export const hotLeadMessage = (alert: HotLeadAlert) => {
  const who = alert.company ? `${alert.leadName} (${alert.company})` : alert.leadName;
  const title = `HOT LEAD: ${who} ${CLASS_LABEL[alert.class] ?? alert.class}`;
  return {
    text: title.slice(0, 300),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `>${escape(alert.excerpt || '(no text)').slice(0, 2800)}` },
        fields: [
          { type: 'mrkdwn', text: `*Class*\n${escape(alert.class)} (${alert.confidence})` },
          { type: 'mrkdwn', text: `*Channel*\n${escape(alert.channel)}` },
        ],
      },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the lead' }, url: alert.leadUrl }] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
};

/**
 * Posts HOT LEAD alerts to the Slack incoming webhook (`SLACK_WEBHOOK_URL`). Unlike the operational
 * alerts (slack-alerts.ts, which log when Slack is down), a failure throws, so the follow-through's
 * action row records it and retries; NOT repeatable: a post that may have reached Slack (5xx,
 * timeout) is never sent again (PROVIDER_UNAVAILABLE with `uncertain`). The URL is the credential.
 */
export const createSlackHotLeadPoster = (deps: { webhookUrl: string; policy?: HttpPolicy }) => {
  const http = deps.policy ?? createHttpPolicy({ provider: 'slack', retries: 2, rateLimitPerMinute: 60, secrets: [deps.webhookUrl] });
  return async (alert: HotLeadAlert): Promise<void> => {
    const res = await http.fetch('webhook', deps.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hotLeadMessage(alert)) }, { idempotent: false });
    const text = (await res.text()).trim();
    if (res.ok && text === 'ok') return;
    const details = { provider: 'slack', endpoint: 'webhook', status: res.status, slackError: text.slice(0, 60) };
    if (res.status === 429) throw new AppError('PROVIDER_RATE_LIMITED', 'slack webhook: rate limited (429)', { retryable: true, details: { ...details, retryAfterSeconds: Number(res.headers.get('retry-after')) || null } });
    if (res.status >= 500) throw new AppError('PROVIDER_UNAVAILABLE', `slack webhook: server error ${res.status}`, { details: { ...details, uncertain: true } });
    // 400 invalid_payload, 403, 404 no_service, 410 archived: refused for good, a person fixes the webhook.
    throw new AppError('PROVIDER_BAD_REQUEST', `slack webhook: refused (${res.status} ${text.slice(0, 60)})`, { details });
  };
};
