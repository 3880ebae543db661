import type { ApiDeps } from '../api/routes.js';
import { esc, timeTag } from './render.js';

const WHAT: Record<string, string> = { 'emergency_stop.set': 'Stopped', 'emergency_stop.reason_added': 'Reason given', 'emergency_stop.cleared': 'Resumed' };

/** /operator's emergency stop history (the audit log): who stopped, why, and who resumed, newest first. */
export const stopHistorySection = async (api: ApiDeps): Promise<string> => {
  const history = await api.stopView.history(20);
  return `<section class="card" aria-labelledby="stop-history"><h2 id="stop-history">Emergency stop history</h2>${
    history.length
      ? `<table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Reason</th></tr></thead><tbody>${history
          .map((h) => `<tr><td>${timeTag(h.at)}</td><td>${esc(WHAT[h.action] ?? h.action)}</td><td>${esc(h.by)}</td><td>${h.action === 'emergency_stop.cleared' ? '' : esc(h.reason ?? 'no reason given')}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p class="empty">The emergency stop was never used.</p>'
  }</section>`;
};

/** While a stop without a reason is in force: the form to give it afterwards. */
export const stopReasonForm = (reasonMissing: boolean): string =>
  reasonMissing
    ? `<form data-api="/api/emergency-stop/reason" data-done="Reason recorded."><input type="hidden" name="by" value="dashboard"><label for="stop-why">Why was sending stopped? (no reason given yet)</label><input id="stop-why" name="reason" required size="40"><button type="submit">Record the reason</button></form>`
    : '';

/**
 * An open incident's paging state in words: "paged" only when a real pager (Slack, SMS, e-mail) is
 * configured and the level was claimed as delivered; without one the escalation reached only the log.
 */
export const pagedText = (notifiedLevel: number, pagers: string[]): string => {
  if (pagers.length === 0) return ', nobody paged: no pager is configured (SLACK_WEBHOOK_URL, Twilio or SMTP with escalation contacts)';
  return notifiedLevel ? `, paged at level ${esc(notifiedLevel)} (${esc(pagers.join(', '))} configured)` : ', nobody paged yet';
};
