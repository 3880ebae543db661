import type { ApiDeps } from '../api/routes.js';
import { outboxView } from '../api/outbox-view.js';
import { guardLabel } from '../../domain/labels.js';
import { leadHref } from './lead-page.js';
import { pendingBatchesHtml } from './operator-pending.js';
import { emptyState, esc } from './render.js';

/**
 * The sending half of /operator (issue 21, docs/dashboard-sending.md): the batch waiting for
 * approval with "Approve and send", the batches as they stand, the outbox by state and our
 * campaigns with "Activate". Each action is a person's: it names them (the name field) and posts
 * through /assets/operator.js, which shows the answer beside the action and refreshes these
 * sections in place. Sections carry ids the script replaces.
 */
export const OPERATOR_SECTION_IDS = ['op-pending', 'op-batches', 'op-outbox', 'op-campaigns'] as const;

const STATE_ORDER = ['queued', 'deferred', 'sending', 'handed_draft', 'handed_paused', 'sent', 'refused', 'failed', 'uncertain', 'cancelled'] as const;
const STATE_NAMES: Record<(typeof STATE_ORDER)[number], string> = {
  queued: 'Queued',
  deferred: 'Deferred',
  sending: 'Sending',
  handed_draft: 'Handed to Instantly (draft campaign, not sending yet)',
  handed_paused: 'Handed to Instantly (campaign paused)',
  sent: 'Sent',
  refused: 'Refused',
  failed: 'Failed',
  uncertain: 'Uncertain: needs a person',
  cancelled: 'Cancelled',
};

const action = (api: string, label: string, extra = '', confirm?: string) =>
  `<form class="op-action" data-op-api="${esc(api)}"${confirm ? ` data-op-confirm="${esc(confirm)}"` : ''}>${extra}<button type="submit">${esc(label)}</button><span class="op-result" role="status" aria-live="polite"></span></form>`;

/**
 * `person`: who is logged in by name (null: the dashboard token, which acts as admin). A reviewer sees
 * the sections without the actions (the API refuses them too, auth.ts).
 */
export const operatorSendingSections = async (api: ApiDeps, options: { sendMode: string | undefined; stopped: boolean; person?: { name: string; role: string } | null }): Promise<string> => {
  const canOperate = !options.person || options.person.role !== 'reviewer';
  const now = api.now();
  const board = await api.batchSend.board(20);
  const outbox = await api.sendBoard.outbox(100);
  const items = outboxView(outbox.items, now);
  // The lead of each item, for its link to /leads/<id> (the API's view carries names only).
  const leadOf = new Map(outbox.items.map((i) => [i.id, i.leadId]));
  const campaigns = await api.campaigns.list();
  const shadow = options.sendMode !== 'live';

  const pendingHtml = await pendingBatchesHtml(api, { shadow, stopped: options.stopped, canOperate });

  const batchesHtml = board.length
    ? `<table><thead><tr><th>Batch</th><th>Motion</th><th>Items</th><th>State</th></tr></thead><tbody>${board
        .map((b) => `<tr data-batch="${esc(b.id)}" data-state="${esc(b.state)}"><td>${esc(b.id.slice(0, 8))}</td><td>${esc(b.motion)}</td><td>${esc(b.items)}</td><td>${esc(b.label)}</td></tr>`)
        .join('')}</tbody></table>`
    : emptyState('No batch yet.', 'Batches appear here from the moment they are created.');

  const countsByState = new Map<string, number>();
  for (const i of items) countsByState.set(i.state, (countsByState.get(i.state) ?? 0) + 1);
  const outboxHtml = items.length
    ? `<p>All items by status: ${Object.entries(outbox.counts)
        .map(([s, n]) => `${esc(s === 'rejected' ? 'refused' : s === 'sent' ? 'handed to the provider' : s)} ${esc(n)}`)
        .join(', ')}.</p>
<ul class="op-states">${STATE_ORDER.filter((s) => countsByState.has(s))
        .map((s) => `<li data-state="${s}">${esc(STATE_NAMES[s])}: ${esc(countsByState.get(s))}</li>`)
        .join('')}</ul>
<table><thead><tr><th>Lead</th><th>Company</th><th>Channel</th><th>Step</th><th>State</th><th>Campaign</th></tr></thead><tbody>${items
        .map(
          (i) =>
            `<tr data-outbox="${esc(i.id)}" data-state="${esc(i.state)}"><td>${leadOf.get(i.id) ? `<a href="${esc(leadHref(leadOf.get(i.id)!))}">${esc(i.lead ?? 'Lead')}</a>` : esc(i.lead ?? '-')}</td><td>${esc(i.company ?? '-')}</td><td>${esc(i.channel)}</td><td>${esc(i.step)}</td><td>${esc(i.label)}${i.state === 'refused' ? ` <span class="meta">(${esc(guardLabel(i.reason))})</span>` : ''}</td><td>${esc(i.campaign ? `${i.campaign.name} (${i.campaign.status})` : '-')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : emptyState('The outbox is empty.', 'An executed batch puts its items here.');

  const campaignsHtml = campaigns.length
    ? `<table><thead><tr><th>Campaign</th><th>Provider</th><th>Status</th><th>Created</th><th>Activated by</th><th>Action</th></tr></thead><tbody>${campaigns
        .map((c) => {
          const canActivate = c.provider === 'instantly' && c.kind === 'campaign' && (c.status === 'draft' || c.status === 'paused');
          return `<tr data-campaign="${esc(c.externalId)}" data-status="${esc(c.status)}"><td>${esc(c.name)}</td><td>${esc(c.provider)}</td><td>${esc(c.status === 'draft' ? 'draft (not sending)' : c.status)}</td><td>${esc(c.createdAt.toISOString())}</td><td>${esc(c.activatedBy ? `${c.activatedBy}, ${c.activatedAt?.toISOString() ?? ''}` : '-')}</td><td>${
            canActivate && canOperate ? action(`/api/campaigns/${encodeURIComponent(c.externalId)}/activate`, 'Activate', '', `Start sending campaign ${c.name}? Instantly then sends its e-mails on its schedule.`) : '-'
          }</td></tr>`;
        })
        .join('')}</tbody></table>${options.stopped ? '<p class="meta">The emergency stop is set: an activation is refused (and audited).</p>' : ''}`
    : emptyState('No campaign yet.', 'The OPERATOR creates Instantly campaigns as drafts when it first hands them e-mails; a person activates them here.');

  const who = options.person
    ? `<p>Logged in as <strong>${esc(options.person.name)}</strong> (${esc(options.person.role)}): the audit log records this name with each action.${canOperate ? '' : ' Only an operator or an admin approves batches, activates campaigns and stops sending.'}</p><input id="operator-name" type="hidden" value="${esc(options.person.name)}">`
    : `<label for="operator-name">Your name (the audit log records it with each approval and activation)</label><input id="operator-name" autocomplete="name" size="30">`;
  return `<section class="card" aria-labelledby="op-who-h"><h2 id="op-who-h">Who is acting</h2>
${who}
<p id="op-last" class="meta" role="status" aria-live="polite"></p></section>
<section class="card" id="op-pending" aria-labelledby="op-pending-h"><h2 id="op-pending-h">Pending batches</h2>${pendingHtml}</section>
<section class="card" id="op-batches" aria-labelledby="op-batches-h"><h2 id="op-batches-h">Batches</h2>${batchesHtml}</section>
<section class="card" id="op-outbox" aria-labelledby="op-outbox-h"><h2 id="op-outbox-h">Outbox</h2>${outboxHtml}</section>
<section class="card" id="op-campaigns" aria-labelledby="op-campaigns-h"><h2 id="op-campaigns-h">Campaigns</h2>${campaignsHtml}</section>
<script src="/assets/operator.js"></script>`;
};

/** The script of /operator's actions: names the person, guards double clicks, answers beside the action, refreshes the sections. */
export const OPERATOR_JS = `
(function () {
  var csrf = document.querySelector('meta[name=csrf-token]');
  var name = document.getElementById('operator-name');
  var last = document.getElementById('op-last');
  var SECTIONS = ${JSON.stringify(OPERATOR_SECTION_IDS)};
  try { if (name && !name.value) name.value = localStorage.getItem('caio-operator-name') || ''; } catch (e) {}
  if (name) name.addEventListener('input', function () { try { localStorage.setItem('caio-operator-name', name.value.trim()); } catch (e) {} });
  async function refresh() {
    var res = await fetch(location.pathname, { credentials: 'same-origin' });
    if (!res.ok) return;
    var doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    SECTIONS.forEach(function (id) { var now = document.getElementById(id); var next = doc.getElementById(id); if (now && next) now.innerHTML = next.innerHTML; });
  }
  document.addEventListener('submit', async function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.opApi) return;
    event.preventDefault();
    var out = form.querySelector('.op-result');
    function tell(text) { if (out) out.textContent = ' ' + text; if (last) last.textContent = text; }
    if (form.dataset.busy === 'yes') return;
    var who = name ? name.value.trim() : '';
    if (!who) { tell('Type your name first (above): the audit log records who acts.'); if (name) name.focus(); return; }
    if (form.dataset.opConfirm && !window.confirm(form.dataset.opConfirm)) return;
    var body = { by: who };
    var list = form.dataset.opList;
    new FormData(form).forEach(function (v, k) { if (k === list) { (body[k] = body[k] || []).push(Number(v)); } else if (v !== '') body[k] = v; });
    if (list && !body[list]) { tell('Tick at least one item first.'); return; }
    form.dataset.busy = 'yes';
    var button = form.querySelector('button'); if (button) button.disabled = true;
    tell('Working...');
    try {
      var res = await fetch(form.dataset.opApi, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf ? csrf.content : '' }, body: JSON.stringify(body), credentials: 'same-origin' });
      var data = await res.json().catch(function () { return {}; });
      if (!res.ok) throw new Error(data.error || ('request failed: ' + res.status));
      tell(data.message || (data.externalId ? 'Campaign ' + data.name + ' is now ' + data.status + ' (activated by ' + data.activatedBy + '): Instantly sends its e-mails on its schedule.' : data.status ? 'Done: batch ' + data.status + '.' : 'Done.'));
      await refresh();
    } catch (error) {
      tell('Refused: ' + error.message);
      form.dataset.busy = '';
      if (button) button.disabled = false;
    }
  });
})();
`;
