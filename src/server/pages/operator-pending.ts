import type { BatchOutlookItem } from '../../domain/approval/batch-outlook.js';
import { readScopeAction } from '../../domain/approval/scope-action.js';
import type { Batch } from '../../pipeline/review-ports.js';
import type { ApiDeps } from '../api/routes.js';
import { channelLabel, guardLabel, statusLabel } from '../../domain/labels.js';
import { leadHref } from './lead-page.js';
import { emptyState, esc, timeTag } from './render.js';

/**
 * The pending batches of /operator (issue 21 item 3): every item with its message and its predicted
 * outcome under today's guards (the OPERATOR's dry run, which writes nothing), checkboxes to leave
 * items out before approving (the batch is then re-frozen without them), and "Approve and send".
 * Re-contacts of CRM contacts (revival) are batches of their own motion, said so on the page.
 */

const isRevivalBatch = (b: Batch) => b.motion === 'revival';

/** The predicted outcome in words. */
export const outcomeText = (i: BatchOutlookItem): string => {
  switch (i.outcome) {
    case 'would_send':
      return 'Would send now';
    case 'deferred':
      return `Deferred until ${i.until ? `${i.until.replace('T', ' ').slice(0, 16)} UTC` : 'later'} (${guardLabel(i.reason)})`;
    case 'refused':
      return `Refused: ${guardLabel(i.reason)}`;
    case 'stopped':
      return `Held: ${i.reason ?? 'the emergency stop is set'}`;
    case 'left_out':
      return `Left out when sent: its draft is ${statusLabel(i.reason).toLowerCase()} now`;
    case 'queues_revival':
      return 'Queues this CRM contact for a re-contact e-mail (reviewed first); sends nothing';
  }
};

/** The touch in words: "E-mail step 1", "LinkedIn connection request", "E-mail step 3 (value followup)". */
const touchText = (i: BatchOutlookItem): string => {
  if (i.kind === 'revival') return 'CRM re-contact candidate';
  if (i.kind === 'revival_email') return 'Re-contact e-mail (GoHighLevel)';
  if (i.kind === 'first_touch') return i.touch === 'linkedin_connect' ? 'LinkedIn connection request' : `${channelLabel(i.channel)} step 1`;
  if (i.kind === 'cadence_step') return `${i.channel === 'heyreach' ? 'LinkedIn' : 'E-mail'} step ${i.step ?? '?'} (${(i.touch ?? '').replace(/_/g, ' ')})`;
  return i.channel;
};

/** The message: an e-mail's subject (the body on demand), a LinkedIn note, a revival candidate's reason. */
const messageHtml = (i: BatchOutlookItem, scopeAction: string): string => {
  if (i.kind === 'revival') {
    const a = readScopeAction(scopeAction);
    return a?.kind === 'revival' ? esc(`${a.reason}; inactive ${a.daysInactive} days (score ${a.score})`) : '-';
  }
  if (i.channel === 'heyreach') return i.body ? `<span class="meta">Note:</span> ${esc(i.body)}` : '<span class="meta">No note</span>';
  return `${esc(i.subject ?? '(no subject)')}${i.body ? `<details><summary>Body</summary><pre class="body">${esc(i.body)}</pre></details>` : ''}`;
};

const action = (api: string, label: string, extra = '', attrs = '') =>
  `<form class="op-action" data-op-api="${esc(api)}"${attrs}>${extra}<button type="submit">${esc(label)}</button><span class="op-result" role="status" aria-live="polite"></span></form>`;

const batchHtml = async (api: ApiDeps, batch: Batch, options: { shadow: boolean; stopped: boolean; canOperate?: boolean }): Promise<string> => {
  const canOperate = options.canOperate ?? true;
  const id = esc(batch.id);
  let table: string;
  let summary = '';
  try {
    const outlook = await api.batchScope.outlook(batch.id);
    const counts = new Map<string, number>();
    for (const i of outlook.items) counts.set(i.outcome, (counts.get(i.outcome) ?? 0) + 1);
    summary = `<p data-outlook-summary>Predicted under today's guards: ${[
      ['would_send', 'would send'],
      ['deferred', 'deferred'],
      ['refused', 'refused'],
      ['stopped', 'held by the stop'],
      ['left_out', 'left out (draft changed)'],
      ['queues_revival', 'queue a re-contact'],
    ]
      .filter(([k]) => counts.has(k!))
      .map(([k, label]) => `${counts.get(k!)} ${label}`)
      .join(', ')}.${outlook.stopped ? ` <strong>${esc(outlook.stopReason ?? 'The emergency stop is set')}</strong>` : ''}</p>`;
    const rows = outlook.items
      .map((i) => {
        const box = `ex-${id}-${i.index}`;
        return `<tr data-item="${i.index}" data-outcome="${esc(i.outcome)}">${canOperate ? `<td><input type="checkbox" name="items" value="${i.index}" id="${box}" aria-label="Leave item ${i.index + 1} out"></td>` : ''}<td><a href="${esc(leadHref(i.leadId))}">${esc(batch.scope[i.index]?.recipient ?? i.leadId)}</a></td><td>${esc(touchText(i))}</td><td>${messageHtml(i, batch.scope[i.index]?.action ?? '')}</td><td>${esc(outcomeText(i))}</td></tr>`;
      })
      .join('');
    table = !canOperate
      ? `<table class="batch-items"><thead><tr><th>Lead</th><th>Touch</th><th>Message</th><th>Predicted outcome</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<form class="op-action" data-op-api="/api/operator/batches/${id}/exclude" data-op-list="items" data-op-confirm="Leave the checked items out? The batch is re-frozen without them; they wait for the next batch and their drafts stay approved.">
<table class="batch-items"><thead><tr><th>Leave out</th><th>Lead</th><th>Touch</th><th>Message</th><th>Predicted outcome</th></tr></thead><tbody>${rows}</tbody></table>
<button type="submit">Leave the checked items out</button><span class="op-result" role="status" aria-live="polite"></span></form>`;
  } catch (error) {
    // The prediction is a help, not a gate: the batch can still be decided when the dry run fails.
    table = `<p class="meta">The predicted outcome could not be computed (${esc(error instanceof Error ? error.message : String(error))}).</p>`;
  }
  const kind = isRevivalBatch(batch)
    ? '<p class="meta">CRM re-contacts (revival): a batch of its own. Approving a candidate queues it for a re-contact e-mail that is reviewed first; approving re-contact e-mails sends them through GoHighLevel.</p>'
    : batch.scope.some((i) => ['revival', 'revival_email'].includes(readScopeAction(i.action)?.kind ?? ''))
      ? '<p class="meta">This batch (motion all) mixes first touches with CRM re-contacts; the re-contact items are marked as such.</p>'
      : '';
  return `<article class="pending-batch" data-batch="${id}" aria-label="Batch ${esc(batch.id.slice(0, 8))}">
<h3>Batch ${id} (${esc(batch.motion)}): ${batch.scope.length} item${batch.scope.length === 1 ? '' : 's'}, expires ${timeTag(batch.expiresAt)}</h3>
${kind}${summary}${table}
<p class="meta">${
    options.shadow
      ? 'Send mode is shadow: approving records the approval and sends nothing.'
      : 'Approving sends it now through the OPERATOR (the same run as caio dispatch --batch ID --live); outside the send window it is scheduled for the window and the time is shown.'
  }${options.stopped ? ' The emergency stop is set: a send is refused until someone resumes.' : ''}</p>
${
  canOperate
    ? `${action(`/api/operator/batches/${batch.id}/send`, 'Approve and send')}
${action(`/api/operator/reject-batch/${batch.id}`, 'Reject batch', `<label for="batch-reason-${id}">Reason</label><input id="batch-reason-${id}" name="reason" required>`)}`
    : '<p class="meta">Only an operator or an admin approves or rejects a batch.</p>'
}
</article>`;
};

/** Every unexpired pending batch, outbound first; re-contacts (revival) in their own. */
export const pendingBatchesHtml = async (api: ApiDeps, options: { shadow: boolean; stopped: boolean; canOperate?: boolean }): Promise<string> => {
  const now = api.now();
  const pending = (await api.gatekeeper.list(50)).filter((b) => b.status === 'pending_approval' && b.expiresAt > now).sort((a, b) => Number(isRevivalBatch(a)) - Number(isRevivalBatch(b)));
  if (pending.length === 0) return emptyState('No batch is waiting.', 'A live dispatch (caio dispatch --live, or the OPERATOR tick) creates one from approved drafts; approved batches are listed below.');
  const parts: string[] = [];
  for (const b of pending) parts.push(await batchHtml(api, b, options));
  return `<p class="meta">Each item shows its message and what would happen if approved now (a dry run of today's guards: ramp, domain cap, quotas, send windows, suppression, the stop). Tick items to leave them out before approving. CRM re-contacts (revival) come in batches of their own.</p>${parts.join('')}`;
};
