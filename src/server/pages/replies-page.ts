import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { slotWords } from '../../domain/drafting/reply-draft.js';
import { humanize, statusLabel } from '../../domain/labels.js';
import type { LlmNote } from '../../domain/replies/index.js';
import type { ReplyConversation, ReplyListItem } from '../../domain/replies/meeting-brief.js';
import type { ApiDeps } from '../api/routes.js';
import { leadHref } from './lead-page.js';
import { emptyState, esc, timeTag } from './render.js';

/**
 * /replies and /replies/<id> (issue 17 item 6): the prospects' replies, newest first, filtered by
 * class; one conversation across channels with the class and the words that decided it, the
 * suggested answer decided in place (the review queue's forms and script: approve, edit and
 * approve, reject, each posting to /api/emails/{id}/... with the session's CSRF token), and a
 * "Book" control that loads live free slots and books one (replies.js below). Every value is
 * escaped; the id in the URL is the reply's uuid, never an address.
 */

/** The classes in plain words (labels.ts style). */
const CLASS_WORDS: Record<string, string> = {
  meeting_request: 'Asks for a meeting',
  interested: 'Interested',
  question: 'Asks a question',
  objection: 'Objection',
  referral: 'Points to someone else',
  out_of_office: 'Out of office',
  not_interested: 'Not interested',
  unsubscribe: 'Asked to be removed',
  auto_reply: 'Automatic reply',
};
const KIND_WORDS: Record<string, string> = {
  timing: 'not now',
  budget: 'no budget',
  authority: 'not their decision',
  need: 'no need for it',
  incumbent: 'already uses something else',
};
export const replyClassLabel = (cls: string, kind: string | null = null): string => `${CLASS_WORDS[cls] ?? humanize(cls)}${kind ? ` (${KIND_WORDS[kind] ?? humanize(kind).toLowerCase()})` : ''}`;
const confidenceWords = (c: number) => (c >= 0.85 ? 'sure' : c >= 0.6 ? 'fairly sure' : c > 0 ? 'unsure: a person should read it' : 'nothing to read');
const evidenceWords = (evidence: readonly string[]) => (evidence.length ? `decided by the words ${evidence.map((e) => `“${esc(e)}”`).join(', ')}` : 'no words decided it');

/** The list's marker: a reply whose reading a model disputes, or whose class a model gave (the rules could not decide). */
const llmMarker = (llm: LlmNote | null) =>
  llm?.verdict === 'disagrees'
    ? ` · <strong class="llm-disputed" data-llm-disputed>a model reads it as ${esc(replyClassLabel(llm.class ?? 'question', llm.kind).toLowerCase())}: a person should read it</strong>`
    : llm?.verdict === 'answered'
      ? ' · <span data-llm-answered>class given by a model</span>'
      : '';

/**
 * The LLM classifier's note in plain words (docs/replies.md "The LLM classifier"): what the model
 * read and what was done with it. The rules' reading above always stands unless the rules left the
 * reply open; a disagreement is for a person to settle.
 */
const llmParagraph = (c: ReplyConversation): string => {
  const n = c.llm;
  if (!n) return '';
  const model = n.model ? `A model (${esc(n.model)})` : 'A model';
  const aModel = n.model ? `a model (${esc(n.model)})` : 'a model';
  const read = n.class
    ? `<strong data-llm-class>${esc(replyClassLabel(n.class, n.kind))}</strong>${n.confidence !== null ? ` (confidence ${esc(n.confidence)})` : ''}${n.evidence.length ? `, from the words ${n.evidence.map((e) => `“${esc(e)}”`).join(', ')}` : ''}`
    : '';
  const reason = n.reason ? ` (${esc(n.reason)})` : '';
  const added = n.added.filter((a) => a !== 'confidence').map((a) => (a === 'kind' ? "the objection's kind" : a === 'proposedTimes' ? 'the proposed times' : 'the class'));
  const words: Record<LlmNote['verdict'], string> = {
    disagrees: `<strong>${model} reads this reply differently:</strong> ${read}. The rules' reading above stands${reason}; a person should read the reply and decide.`,
    answered: `The rules could not decide; ${aModel} read it as ${read}, the reading shown above (its confidence capped below a rule's).`,
    added: `${model} agreed and added ${esc(added.join(' and ') || 'nothing')}: ${read}.`,
    confirmed: `${model} agreed: ${read}.`,
    ignored: `${model} answered ${read || 'something'}, but its answer was not used${reason}.`,
    unavailable: `${model} was asked but gave no usable answer${reason}; the rules' reading stands.`,
  };
  return `<p class="${n.verdict === 'disagrees' ? 'llm-note llm-disputed' : 'llm-note meta'}" data-llm-verdict="${esc(n.verdict)}">${words[n.verdict]}</p>`;
};

export const replyHref = (id: string) => `/replies/${encodeURIComponent(id)}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const repliesListPage = async (api: ApiDeps, query: Record<string, unknown>): Promise<string> => {
  const wanted = typeof query.class === 'string' && query.class in CLASS_WORDS ? query.class : undefined;
  const replies = await api.replies.list({ class: wanted, limit: 200 });
  const options = [`<option value="">All classes</option>`, ...Object.keys(CLASS_WORDS).map((c) => `<option value="${esc(c)}"${c === wanted ? ' selected' : ''}>${esc(CLASS_WORDS[c])}</option>`)].join('');
  const filter = `<form method="get" action="/replies" class="card reply-filter"><label for="reply-class">Show</label><select id="reply-class" name="class">${options}</select> <button type="submit">Filter</button></form>`;
  if (replies.length === 0) return `${filter}${emptyState(wanted ? `No reply of the class “${CLASS_WORDS[wanted]}”.` : 'No reply yet.', 'Replies arrive through the Instantly, HeyReach and GoHighLevel webhooks.')}`;
  const item = (r: ReplyListItem) =>
    `<li class="card reply-item" data-reply="${esc(r.id)}"><h2><a href="${esc(replyHref(r.id))}">${esc(replyClassLabel(r.class, r.kind))}</a></h2>
<p class="meta">${timeTag(new Date(r.receivedAt))} · ${r.channel === 'linkedin' ? 'LinkedIn' : 'E-mail'} · ${r.leadEmail ? esc(r.leadEmail) : 'an address we never wrote to'} · ${esc(confidenceWords(r.confidence))}</p>
<p>${evidenceWords(r.evidence)}${r.proposedTimes.length ? ` · proposes ${esc(r.proposedTimes.length)} time${r.proposedTimes.length === 1 ? '' : 's'}` : ''}${r.needsResponse ? ' · <strong>needs an answer</strong>' : ''}${r.draftId ? ' · suggested answer written' : ''}${r.appointmentId ? ' · <strong>meeting booked</strong>' : ''}${llmMarker(r.llm)}</p></li>`;
  return `<link rel="stylesheet" href="/assets/replies.css">${filter}<p class="meta">${esc(replies.length)} repl${replies.length === 1 ? 'y' : 'ies'}, newest first, in your local time.</p><ul class="replies">${replies.map(item).join('')}</ul>`;
};

const thread = (c: ReplyConversation) => {
  if (c.messages.length === 0) return emptyState('No message is recorded for this lead.', 'A reply from an address we never wrote to has no thread.');
  const first = c.leadName?.split(' ')[0] ?? 'They';
  return `<ol class="thread">${c.messages
    .map(
      (m) =>
        `<li class="card message ${m.direction}" data-direction="${esc(m.direction)}"><p class="meta">${timeTag(new Date(m.at))} · ${m.channel === 'linkedin' ? 'LinkedIn' : 'E-mail'} · <strong>${m.direction === 'sent' ? 'We wrote' : `${esc(first)} replied`}</strong>${
          m.note ? ` (${esc(m.direction === 'received' ? replyClassLabel(m.note.split(', ')[0]!, m.note.split(', ')[1] ?? null) : m.note)})` : ''
        }</p>${m.subject ? `<p><strong>${esc(m.subject)}</strong></p>` : ''}<pre class="body">${esc(m.text)}</pre></li>`,
    )
    .join('')}</ol>`;
};

const answerSection = (c: ReplyConversation) => {
  const a = c.suggestedAnswer;
  if (!a)
    return `<section class="card" aria-labelledby="r-answer"><h2 id="r-answer">Suggested answer</h2>${emptyState(c.needsResponse ? 'No answer is written yet.' : 'This reply needs no answer.', c.needsResponse ? 'CRAFTER writes one right after the reply is stored.' : '')}</section>`;
  const id = esc(a.id);
  const body = a.editedBody ?? a.body;
  const subject = a.editedSubject ?? a.subject;
  if (a.status !== 'pending_review')
    return `<section class="card" aria-labelledby="r-answer"><h2 id="r-answer">Suggested answer</h2><p><strong>${esc(statusLabel(a.status))}</strong>${a.decidedBy ? ` by ${esc(a.decidedBy)}` : ''}${a.decidedAt ? ` ${timeTag(new Date(a.decidedAt))}` : ''}</p><p class="meta">${esc(a.reason)}</p><p><strong>${esc(subject)}</strong></p><pre class="body">${esc(body)}</pre></section>`;
  const seen = `<input type="hidden" name="by" value="dashboard"><input type="hidden" name="expectedStatus" value="pending_review">`;
  const tags = REJECTION_TAGS.map((t) => `<option value="${esc(t.id)}">${esc(t.label)}</option>`).join('');
  return `<section aria-labelledby="r-answer"><h2 id="r-answer">Suggested answer</h2>
<article class="card draft" data-draft="${id}" data-label="${esc(`Suggested answer: ${subject}`)}" tabindex="-1">
<div class="outcome" data-outcome role="status"></div>
<p class="meta">Waiting for review. ${esc(a.reason)}. Approving sends it in the prospect's thread (the send gateway, with every guard).</p>
<p><strong>${esc(subject)}</strong></p><pre class="body">${esc(body)}</pre>
<div class="actions">
<form class="approve" data-review-api="/api/emails/${id}/approve" data-decision="Approved">${seen}<button type="submit">Approve</button></form>
<details><summary>Edit and approve</summary><form class="edit" data-review-api="/api/emails/${id}/approve" data-decision="Edited and approved">${seen}
<label for="subject-${id}">Subject</label><input id="subject-${id}" name="subject" value="${esc(subject)}">
<label for="body-${id}">Body</label><textarea id="body-${id}" name="body" rows="10">${esc(body)}</textarea>
<button type="submit">Save and approve</button></form></details>
<form class="reject" data-review-api="/api/emails/${id}/reject" data-decision="Rejected">${seen}
<label for="reason-${id}">Rejection reason</label><input id="reason-${id}" name="reason" required>
<label for="tag-${id}">Tag</label><select id="tag-${id}" name="tag" required>${tags}</select>
<button type="submit">Reject</button></form>
</div></article><p id="review-live" class="visually-hidden" aria-live="polite"></p></section>`;
};

const bookSection = (c: ReplyConversation, briefText: string | null) => {
  const a = c.appointment;
  const booked =
    a && a.status !== 'cancelled'
      ? `<p data-appointment="${esc(a.id)}"><strong>Meeting ${a.status === 'moved' ? 'moved to' : 'booked for'} ${esc(slotWords(a.slot, c.timeZone))}</strong> (their time; ${timeTag(new Date(a.slot))} yours).</p>`
      : '';
  const cancelled = a?.status === 'cancelled' ? '<p class="meta">The meeting was cancelled.</p>' : '';
  if (!c.leadId) return '';
  return `<section class="card" id="book" aria-labelledby="r-book" data-reply-id="${esc(c.id)}"><h2 id="r-book">Meeting</h2>${booked}${cancelled}
${c.proposedTimes.length ? `<p>They proposed: ${c.proposedTimes.map((t) => `${esc(slotWords(t.at, c.timeZone))} (“${esc(t.text)}”)`).join('; ')}.</p>` : ''}
<button type="button" data-load-slots>${booked ? 'Book another time' : 'Book'}: show free slots</button>
<form class="book-form" data-book-form hidden><fieldset><legend>Free slots in their time zone (${esc(c.timeZone)})</legend><div data-slot-list></div></fieldset>
<input type="hidden" name="by" value="dashboard"><button type="submit">Book this slot</button></form>
<p class="outcome" data-book-outcome role="status"></p>
${briefText ? `<details data-brief><summary>Meeting brief</summary><p class="meta">The same brief the owner gets the morning of the meeting (caio replies brief).</p><pre class="body" data-brief-text>${esc(briefText)}</pre></details>` : ''}</section>`;
};

export type ReplyPageResult = { status: 200 | 404; title: string; body: string };

export const replyPage = async (api: ApiDeps, id: string): Promise<ReplyPageResult> => {
  const c = UUID.test(id) ? await api.replies.show(id) : null;
  if (!c) return { status: 404, title: 'Reply not found', body: `${emptyState('No reply has this id.', 'It may have been erased with its lead, or the link is wrong.')}<p><a href="/replies">Back to the replies</a></p>` };
  const brief = c.appointment && c.appointment.status !== 'cancelled' ? await api.replies.brief(c.id).catch(() => null) : null;
  const who = c.leadId ? `<a href="${esc(leadHref(c.leadId))}">${esc(c.leadName ?? 'The lead')}</a>${c.title ? `, ${esc(c.title)}` : ''}${c.company ? ` at ${esc(c.company)}` : ''}` : 'An address we never wrote to (no lead)';
  const body = `<link rel="stylesheet" href="/assets/replies.css"><p><a href="/replies">← All replies</a></p>
<section class="card reply-head" aria-label="The reply"><p>${who}${c.leadStatus ? ` · ${esc(statusLabel(c.leadStatus))}` : ''}</p>
<p><strong data-reply-class>${esc(replyClassLabel(c.class, c.kind))}</strong>, ${esc(confidenceWords(c.confidence))} (confidence ${esc(c.confidence)}): ${evidenceWords(c.evidence)}.</p>
${llmParagraph(c)}
<p class="meta">${timeTag(new Date(c.receivedAt))} by ${c.channel === 'linkedin' ? 'LinkedIn' : 'e-mail'}; times read in ${esc(c.timeZone)}${c.returnDate ? `; back ${timeTag(new Date(c.returnDate))}` : ''}.</p></section>
${answerSection(c)}
${bookSection(c, brief?.text ?? null)}
<section aria-labelledby="r-thread"><h2 id="r-thread">The conversation</h2><p class="meta">Every channel, oldest first, in your local time.</p>${thread(c)}</section>
<script src="/assets/replies.js"></script>`;
  return { status: 200, title: c.leadName ? `Reply from ${c.leadName}` : 'Reply', body };
};

/** The page's few rules of its own (/assets/replies.css), on top of app.css: lists without bullets, full width on a phone. */
export const REPLIES_CSS = `
ul.replies,ol.thread{list-style:none;padding:0;margin:0}
.reply-item h2{margin:.2rem 0 .4rem;font-size:1.2rem}
.llm-disputed{color:#9a6700}
.message.sent{border-left:4px solid #0969da}.message.received{border-left:4px solid #1a7f37}
.book-form fieldset{border:1px solid #d0d7de;border-radius:6px;margin:.6rem 0;padding:.5rem .75rem}
.book-form label.slot{display:flex;gap:.5rem;align-items:center;margin:.35rem 0;min-height:2.2rem}
`;

/**
 * The "Book" control: loads live free slots (GET /api/replies/{id}/slots) as radio buttons, books
 * the chosen one (POST /api/replies/{id}/book with the session's CSRF token) and says what happened.
 * Text goes in with textContent only (nothing from the API is parsed as HTML).
 */
export const REPLIES_JS = `
(function () {
  var box = document.getElementById('book');
  if (!box) return;
  var id = box.dataset.replyId;
  var csrf = document.querySelector('meta[name=csrf-token]');
  var load = box.querySelector('[data-load-slots]');
  var form = box.querySelector('[data-book-form]');
  var list = box.querySelector('[data-slot-list]');
  var out = box.querySelector('[data-book-outcome]');
  async function call(method, url, body) {
    var res = await fetch(url, { method: method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf ? csrf.content : '' }, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' });
    var data = await res.json().catch(function () { return {}; });
    if (!res.ok) throw new Error(data.error || ('request failed: ' + res.status));
    return data;
  }
  load.addEventListener('click', async function () {
    load.disabled = true;
    out.textContent = 'Loading free slots…';
    try {
      var data = await call('GET', '/api/replies/' + id + '/slots');
      list.textContent = '';
      if (!data.slots.length) {
        out.textContent = data.calendar ? 'No free slot in the coming days.' : 'No calendar is configured (scheduler.calendarId).';
        if (data.bookingUrl) out.textContent += ' Booking page: ' + data.bookingUrl;
        load.disabled = false;
        return;
      }
      data.slots.forEach(function (s, i) {
        var label = document.createElement('label');
        label.className = 'slot';
        var input = document.createElement('input');
        input.type = 'radio'; input.name = 'slot'; input.value = s.at; input.required = true;
        if (i === 0) input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + s.label));
        list.appendChild(label);
      });
      form.hidden = false;
      out.textContent = data.slots.length + ' free slots.';
      var first = list.querySelector('input'); if (first) first.focus();
    } catch (error) { out.textContent = 'Could not load slots: ' + error.message; load.disabled = false; }
  });
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (form.dataset.busy === '1') return;
    var chosen = form.querySelector('input[name=slot]:checked');
    if (!chosen) return;
    form.dataset.busy = '1';
    form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    out.textContent = 'Booking…';
    try {
      var r = await call('POST', '/api/replies/' + id + '/book', { slot: chosen.value, by: form.querySelector('input[name=by]').value || 'dashboard' });
      out.textContent = r.booked
        ? 'Booked: ' + chosen.parentNode.textContent.trim() + '. The confirmation is queued (the review queue, unless scheduler.autoConfirm).'
        : r.status === 'done'
          ? 'Not booked: the slot is no longer free, so a draft offering the nearest free slots is in the review queue.'
          : 'Not booked (' + r.status + (r.error ? ': ' + r.error : '') + ').';
      if (r.booked) form.hidden = true;
    } catch (error) {
      out.textContent = 'Not booked: ' + error.message;
    } finally {
      form.dataset.busy = '';
      form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
    }
  });
})();
`;
