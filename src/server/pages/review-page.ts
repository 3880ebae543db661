import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { isReplyAngle, REPLY_ANGLE_PREFIX } from '../../domain/drafting/reply-draft.js';
import type { CardFacts, ReviewDraft } from '../../pipeline/review-ports.js';
import type { ApiDeps } from '../api/routes.js';
import { angleLabel, angleLongLabel, fieldLabel, providerLabel, tierLabel } from '../../domain/labels.js';
import { approvalEnablesFor, checkGrounding } from '../../domain/approval/approval-scope.js';
import { fnv1a32 } from '../../domain/stable-hash.js';
import { leadHref } from './lead-page.js';
import { emptyState, esc, timeTag } from './render.js';

/**
 * The review queue (/sales) and what was decided today (/sales/decided). Decisions are taken in
 * place by review-assets.ts: the confirmation and the 10-second undo appear beside the draft, the
 * counters change, nothing reloads. Every decision form says which status the reviewer saw
 * (expectedStatus), so a second person deciding the same draft gets a conflict, not a silent flip.
 */

const counters = (c: { waiting: number; approvedToday: number; rejectedToday: number }) =>
  `<section class="counters" aria-label="Review counters"><p><span><strong data-count="waiting">${esc(c.waiting)}</strong> waiting</span> <span><strong data-count="approved">${esc(c.approvedToday)}</strong> approved today</span> <span><strong data-count="rejected">${esc(c.rejectedToday)}</strong> rejected today</span> <a href="/sales/decided">Decided today</a></p><p class="meta">"Today" is the UTC day.</p></section>`;

const KEYS = `<p class="meta" id="review-keys">Keys (only when no text box has focus, never with Ctrl, Alt or Cmd): j / k move to the next and previous draft, a approves the focused draft, r goes to its rejection reason. A decision can be undone for 10 seconds.</p>
<p id="review-live" class="visually-hidden" aria-live="polite"></p>`;

/** A suggested answer (`reply:<class>`, issue 17 item 3) shows the prospect's reply above it (the masked excerpt it was written from). */
const theirReply = (d: ReviewDraft): string => {
  if (!isReplyAngle(d.angleId)) return '';
  const reply = d.grounding.find((g) => g.claim === 'their reply');
  return reply ? `<blockquote class="their-reply" aria-label="Their reply"><p class="meta">Their reply (${esc(d.angleId.slice(REPLY_ANGLE_PREFIX.length))}), answered in the same thread:</p><p>${esc(reply.value)}</p></blockquote>` : '';
};

/**
 * What approving this draft covers (issue 21 item 3): the touches and cadence it enables (tier
 * routing, cadence config), both subjects with the one this lead gets, the angle in words and why it
 * was chosen, and each personal claim beside the lead's current data (a claim no longer there is flagged).
 */
const approvalScope = (api: ApiDeps, d: ReviewDraft): string => {
  const reply = isReplyAngle(d.angleId);
  const channels = api.approvalScope.tierRouting[d.lead.tier ?? 'tier_4'] ?? [];
  const enables = approvalEnablesFor(d.angleId, channels, api.approvalScope.cadenceSteps, reply);
  // The OPERATOR's A/B rule (dispatch/operator.ts initialCopy): a stable hash of the lead; an edited subject wins.
  const gets = d.editedSubject ? 'the edited subject' : fnv1a32(d.lead.id) % 2 === 0 ? 'subject A' : 'subject B';
  const checks = checkGrounding(d.lead.profile, reply ? d.grounding.filter((g) => g.claim !== 'their reply') : d.grounding);
  const flagged = checks.filter((c) => c.matches === false).length;
  const rows = checks
    .map(
      (c) =>
        `<tr${c.matches === false ? ' class="claim-stale" data-claim-stale' : ''}><td>${esc(c.claim)}</td><td>${esc(fieldLabel(c.field))}</td><td>${esc(c.value)}</td><td>${esc(providerLabel(c.provider))}</td><td>${
          c.matches === false ? `<strong>Not in the lead's current data</strong> (now: ${esc(c.current ?? 'empty')})` : c.matches ? 'Matches' : 'Not a lead field'
        }</td></tr>`,
    )
    .join('');
  return `<section class="approval-scope" aria-label="What approving does">
<p><strong>Approving enables:</strong> <span data-enables>${esc(enables)}</span> Each send still waits for an operator's batch approval on /operator.</p>
<p class="meta">Subject A: <span data-subject="a">${esc(d.subjectA)}</span> - Subject B: <span data-subject="b">${esc(d.subjectB)}</span> - this lead gets ${esc(gets)}.</p>
<p class="meta">Angle: <span data-angle>${esc(reply ? angleLabel(d.angleId) : angleLongLabel(d.angleId))}</span>${d.angleReason ? `, chosen because ${esc(d.angleReason)}` : ''}</p>
${
  checks.length
    ? `<details${flagged ? ' open' : ''}><summary>Grounding of personal claims (${checks.length}${flagged ? `, <strong>${flagged} not in the lead's current data</strong>` : ''})</summary><table class="grounding"><thead><tr><th>Claim</th><th>Field</th><th>Value</th><th>From</th><th>Now</th></tr></thead><tbody>${rows}</tbody></table></details>`
    : '<p class="meta">No personal claim to ground.</p>'
}</section>`;
};

const card = (api: ApiDeps, d: ReviewDraft, index: number, total: number, tagOptions: string, facts: CardFacts | undefined) => {
  const history = facts?.rejections ?? [];
  const reasons = facts?.reasons ?? [];
  const quality = d.quality as { passed?: boolean; ruleFailures?: { ruleId: string; severity?: string }[] } | null;
  // Flagged copy checks pass but the reviewer should see them, so every recorded rule is listed.
  const rules = (quality?.ruleFailures ?? []).map((f) => `${f.ruleId}${f.severity === 'flag' ? ' (flag)' : ''}`).join(', ');
  const id = esc(d.id);
  const who = `${d.lead.name ?? d.lead.email ?? 'lead'}${d.lead.company ? ` at ${d.lead.company}` : ''}`;
  const seen = `<input type="hidden" name="by" value="dashboard"><input type="hidden" name="expectedStatus" value="pending_review">`;
  return `<article class="card draft" data-draft="${id}" data-label="${esc(`Draft ${index + 1} of ${total}: ${d.editedSubject ?? d.subjectA}, to ${who}`)}" tabindex="-1" aria-labelledby="s-${id}">
<h2 id="s-${id}">${esc(d.editedSubject ?? d.subjectA)}</h2>
<div class="outcome" data-outcome role="status"></div>
<p class="meta"><a href="${esc(leadHref(d.lead.id))}">${esc(d.lead.name ?? 'The lead')}</a> - ${esc(d.lead.title ?? '')} at ${esc(d.lead.company ?? '')} - ${esc(d.lead.email ?? '')} - ${esc(tierLabel(d.lead.tier))}, ${esc(d.lead.points ?? '')} points - angle: ${esc(angleLabel(d.angleId))}</p>
<details><summary>Why this score</summary><ul>${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></details>
<p class="meta">Quality guard: ${quality ? `${quality.passed === false ? 'failed' : 'passed'}${rules ? ` (${esc(rules)})` : ''}` : 'not checked'}${history.length ? ` - rejected before: ${esc(history.map((h) => `${h.tag} (${h.reason})`).join('; '))}` : ''}</p>
${approvalScope(api, d)}
${theirReply(d)}<pre class="body">${esc(d.editedBody ?? d.body)}</pre>
<div class="actions">
<form class="approve" data-review-api="/api/emails/${id}/approve" data-decision="Approved">${seen}<button type="submit">Approve (a)</button></form>
<details><summary>Edit and approve</summary><form class="edit" data-review-api="/api/emails/${id}/approve" data-decision="Edited and approved">${seen}
<label for="subject-${id}">Subject</label><input id="subject-${id}" name="subject" value="${esc(d.editedSubject ?? d.subjectA)}">
<label for="body-${id}">Body</label><textarea id="body-${id}" name="body" rows="10">${esc(d.editedBody ?? d.body)}</textarea>
<button type="submit">Save and approve</button></form></details>
<form class="reject" data-review-api="/api/emails/${id}/reject" data-decision="Rejected">${seen}
<label for="reason-${id}">Rejection reason (r)</label><input id="reason-${id}" name="reason" required>
<label for="tag-${id}">Tag</label><select id="tag-${id}" name="tag" required>${tagOptions}</select>
<button type="submit">Reject</button></form>
</div>
</article>`;
};

export const reviewPage = async (api: ApiDeps): Promise<string> => {
  const [drafts, watcher, today] = await Promise.all([api.review.list({ limit: 50 }), api.queueWatcher.status(), api.review.decidedToday(1)]);
  const topUp = `<form data-api="/api/queue-watcher/trigger" data-done="Pipeline run done: the queue is topped up."><button type="submit">Top up the queue now</button></form>
<p class="meta">${esc(watcher.pending)} drafts wait; below ${esc(watcher.lowWater)} the watcher runs the pipeline every ${esc(watcher.everyMinutes)} min to bring it to ${esc(watcher.target)}.</p>`;
  if (drafts.length === 0) return `${counters(today.counts)}${emptyState('No draft is waiting for review.', 'Top the queue up (a pipeline run), or run caio pipeline run.')}${topUp}`;
  const tagOptions = REJECTION_TAGS.map((t) => `<option value="${esc(t.id)}">${esc(t.label)}</option>`).join('');
  // Two reads for every card's score reasons and rejection history (not two per draft: issue 21's 100 ms at 100,000 leads).
  const facts = await api.review.cardFacts(drafts);
  const cards = drafts.map((d, i) => card(api, d, i, drafts.length, tagOptions, facts.get(d.lead.id)));
  return `${counters(today.counts)}${KEYS}<div id="drafts">${cards.join('')}</div><section class="card" aria-label="Review queue watcher">${topUp}</section>`;
};

const STATUS: Record<string, string> = { approved: 'Approved', rejected: 'Rejected', sent: 'Sent' };

export const decidedTodayPage = async (api: ApiDeps): Promise<string> => {
  const today = await api.review.decidedToday(200);
  if (today.drafts.length === 0) return `${counters(today.counts)}${emptyState('Nothing was decided today.', 'Decisions taken on the review queue show here, with a way to reopen them.')}`;
  const rows = today.drafts
    .map((d) => {
      const id = esc(d.id);
      return `<tr data-draft-row="${id}"><td>${esc(d.editedSubject ?? d.subjectA)}</td><td><a href="${esc(leadHref(d.lead.id))}">${esc(d.lead.name ?? d.lead.email ?? '')}</a>${d.lead.company ? ` at ${esc(d.lead.company)}` : ''}</td><td>${esc(STATUS[d.status] ?? d.status)}${d.editedBody || d.editedSubject ? ' (edited)' : ''}</td><td>${esc(d.decidedBy ?? '')}</td><td>${d.decidedAt ? timeTag(d.decidedAt) : ''}</td><td><form data-review-api="/api/emails/${id}/reopen" data-decision="Reopened: back in the review queue"><input type="hidden" name="by" value="dashboard"><button type="submit" aria-label="Reopen ${esc(d.editedSubject ?? d.subjectA)}">Reopen</button></form><div class="outcome" data-outcome role="status"></div></td></tr>`;
    })
    .join('');
  return `${counters(today.counts)}<p class="meta">Reopening puts a draft back in the review queue; a draft already in a batch cannot be reopened.</p>
<table class="decided"><thead><tr><th>Subject</th><th>Lead</th><th>Decision</th><th>By</th><th>When</th><th>Reopen</th></tr></thead><tbody>${rows}</tbody></table>`;
};
