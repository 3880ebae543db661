import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The brief as a Slack message (contracts/slack.md: `text` always, a header, sections of at most 3,000 characters; user text escaped). */
export const meetingBriefMessage = (brief: { title: string; text: string }) => {
  const body = escape(brief.text.replace(/^# .*\n+/, ''));
  const sections: string[] = [];
  for (let at = 0; at < body.length && sections.length < 20; at += 2900) sections.push(body.slice(at, at + 2900));
  return {
    text: brief.title.slice(0, 300),
    blocks: [{ type: 'header', text: { type: 'plain_text', text: brief.title.slice(0, 150) } }, ...sections.map((s) => ({ type: 'section', text: { type: 'mrkdwn', text: s } }))],
    unfurl_links: false,
    unfurl_media: false,
  };
};

/**
 * Posts a meeting brief to the Slack incoming webhook (`SLACK_WEBHOOK_URL`). A failure throws; NOT
 * repeatable: a post that may have reached Slack (5xx, timeout) is `PROVIDER_UNAVAILABLE` with
 * `uncertain`, never posted again by the morning job. The URL is the credential: never logged.
 */
export const createSlackBriefPoster = (deps: { webhookUrl: string; policy?: HttpPolicy }) => {
  const http = deps.policy ?? createHttpPolicy({ provider: 'slack', retries: 2, rateLimitPerMinute: 60, secrets: [deps.webhookUrl] });
  return async (brief: { title: string; text: string }): Promise<void> => {
    const res = await http.fetch('webhook', deps.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(meetingBriefMessage(brief)) }, { idempotent: false });
    const text = (await res.text()).trim();
    if (res.ok && text === 'ok') return;
    const details = { provider: 'slack', endpoint: 'webhook', status: res.status, slackError: text.slice(0, 60) };
    if (res.status >= 500) throw new AppError('PROVIDER_UNAVAILABLE', `slack webhook: server error ${res.status}`, { details: { ...details, uncertain: true } });
    throw new AppError('PROVIDER_BAD_REQUEST', `slack webhook: refused (${res.status} ${text.slice(0, 60)})`, { details });
  };
};
