import type { ApiDeps } from '../api/routes.js';
import { LEAD_STATUSES } from '../../domain/signals/lead-status.js';
import { TIERS } from '../../domain/tier.js';
import { humanize, providerLabel, statusLabel, tierLabel } from '../../domain/labels.js';
import { LEAD_SORTS, type LeadSearch, type LeadSort } from '../../store/index.js';
import { leadHref } from './lead-page.js';
import { barChart, emptyState, esc } from './render.js';

/**
 * /leads (issue 21, items 4, 7 and 8): the funnel of leads actually contacted, then a searchable,
 * filterable, sortable list whose rows open the lead's page (a click, or Enter on a focused row).
 * Filters and sorting are GET parameters, so a view can be linked; a search for an e-mail address is
 * POSTed and answered with a redirect to the lead's page, so no address ever sits in a URL.
 */

export const PAGE_SIZE = 50;

/**
 * The funnel counts only leads we contacted (issue 21): a CRM re-contact candidate never contacted,
 * or a lead still in the pipeline, is "not contacted yet", shown beside the chart, not in it.
 */
export const CONTACTED_FUNNEL = {
  'Contacted, no answer yet': ['sent', 'dispatched', 'linkedin_sent', 'linkedin_connected', 'revival_sent'],
  Engaged: ['opened', 'replied', 'linkedin_replied', 'meeting_booked'],
  'Went quiet': ['ghosted', 'stalled', 'engaged_not_replied', 'linkedin_exhausted'],
  'Bounced or opted out': ['bounced', 'unsubscribed', 'do_not_contact'],
} as const;

const pick = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined => (typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined);
const text = (value: unknown, max = 100) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined);

/** The list's query string -> a search: unknown values are dropped, never passed to SQL. */
export const leadSearchOf = (query: Record<string, unknown>): LeadSearch & { page: number } => {
  const page = Math.min(Math.max(1, Number.parseInt(String(query.page ?? '1'), 10) || 1), 1000);
  const q = text(query.q);
  return {
    // An address in a query string is ignored: addresses are searched by POST only.
    q: q && !q.includes('@') ? q : undefined,
    tier: pick(query.tier, TIERS),
    status: pick(query.status, LEAD_STATUSES),
    source: text(query.source, 60),
    campaign: text(query.campaign, 80),
    sort: pick(query.sort, LEAD_SORTS),
    dir: pick(query.dir, ['asc', 'desc'] as const),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    page,
  };
};

const queryOf = (s: ReturnType<typeof leadSearchOf>, change: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  const all: Record<string, string | number | undefined> = { q: s.q, tier: s.tier, status: s.status, source: s.source, campaign: s.campaign, sort: s.sort, dir: s.dir, page: s.page > 1 ? s.page : undefined, ...change };
  for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/leads${qs ? `?${qs}` : ''}`;
};

const COLUMNS: [LeadSort | null, string][] = [
  ['name', 'Name'],
  [null, 'Title'],
  ['company', 'Company'],
  ['status', 'Status'],
  ['tier', 'Tier'],
  ['points', 'Points'],
  [null, 'Source'],
  [null, 'Campaign'],
  ['created', 'Found'],
];

const options = (values: readonly string[], selected: string | undefined, label: (v: string) => string) =>
  `<option value="">Any</option>${values.map((v) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label(v))}</option>`).join('')}`;

export const leadsListPage = async (api: ApiDeps, query: Record<string, unknown>, notice: string | null = null): Promise<string> => {
  const s = leadSearchOf(query);
  const [counts, found, campaigns] = await Promise.all([api.statusCounts(), api.dashboard.leadsSearch(s), api.dashboard.campaignNames()]);
  const stages = Object.entries(CONTACTED_FUNNEL).map(([name, statuses]) => ({ name, value: (statuses as readonly string[]).reduce((n, st) => n + (counts[st] ?? 0), 0) }));
  const contacted = new Set<string>(Object.values(CONTACTED_FUNNEL).flat());
  const notContacted = Object.entries(counts).reduce((n, [st, c]) => n + (contacted.has(st) ? 0 : c), 0);
  const crm = (counts.revival_candidate ?? 0) + (counts.revival_queued ?? 0);

  const sort = s.sort ?? 'created';
  const dir = s.dir ?? 'desc';
  const head = COLUMNS.map(([key, label]) => {
    if (!key) return `<th scope="col">${esc(label)}</th>`;
    const active = key === sort;
    const next = active && dir === 'desc' ? 'asc' : 'desc';
    return `<th scope="col"${active ? ` aria-sort="${dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${esc(queryOf(s, { sort: key, dir: next, page: undefined }))}">${esc(label)}${active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  }).join('');
  const rows = found.leads
    .map(
      (l) =>
        `<tr data-href="${esc(leadHref(l.id))}" tabindex="0"><td><a href="${esc(leadHref(l.id))}">${esc(l.name ?? 'Unnamed lead')}</a></td><td>${esc(l.title ?? '-')}</td><td>${esc(l.company ?? '-')}</td><td>${esc(statusLabel(l.status))}</td><td>${esc(tierLabel(l.tier))}</td><td>${esc(l.points ?? '-')}</td><td>${esc(providerLabel(l.source))}</td><td>${esc(l.campaign ? humanize(l.campaign) : '-')}</td><td>${esc(l.createdAt.slice(0, 10))}</td></tr>`,
    )
    .join('');
  const filtered = Boolean(s.q || s.tier || s.status || s.source || s.campaign);
  const pager = `<p class="pager">${s.page > 1 ? `<a href="${esc(queryOf(s, { page: s.page - 1 }))}">Previous ${PAGE_SIZE}</a> ` : ''}${found.more ? `<a href="${esc(queryOf(s, { page: s.page + 1 }))}">Next ${PAGE_SIZE}</a>` : ''}</p>`;

  return `<section aria-labelledby="funnel"><h2 id="funnel">Funnel of contacted leads</h2>${barChart('Contacted leads per stage', stages)}
<p class="meta">Only leads we contacted count here. Not contacted yet: ${esc(notContacted)} (in the pipeline, waiting for review, closed before contact${crm ? `, or ${esc(crm)} CRM re-contact candidates` : ''}).</p></section>
<section class="card" aria-labelledby="lead-find"><h2 id="lead-find">Find leads</h2>
<form method="post" action="/leads" class="lead-search">
<label for="lead-q">Name, company or e-mail</label><input id="lead-q" name="q" type="search" value="${esc(s.q ?? '')}" size="30">
<label for="lead-tier">Tier</label><select id="lead-tier" name="tier">${options(TIERS, s.tier, tierLabel)}</select>
<label for="lead-status">Status</label><select id="lead-status" name="status">${options(LEAD_STATUSES, s.status, statusLabel)}</select>
<label for="lead-source">Source</label><input id="lead-source" name="source" value="${esc(s.source ?? '')}" size="14" placeholder="e.g. apollo">
<label for="lead-campaign">Campaign</label><select id="lead-campaign" name="campaign">${options(campaigns, s.campaign, humanize)}</select>
<input type="hidden" name="sort" value="${esc(s.sort ?? '')}"><input type="hidden" name="dir" value="${esc(s.dir ?? '')}">
<button type="submit">Search</button>${filtered ? ` <a href="/leads">Clear</a>` : ''}
</form><p class="meta">An e-mail address opens that lead's page directly; it never appears in the address bar.</p></section>
${notice ? `<p role="alert">${esc(notice)}</p>` : ''}
<section aria-labelledby="lead-list"><h2 id="lead-list">${filtered ? 'Matching leads' : 'Newest leads'}</h2>${
    found.leads.length
      ? `<table class="leads"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${pager}<p class="meta">Click a lead, or focus its row and press Enter, to open its page.</p>`
      : filtered
        ? emptyState('No lead matches.', 'Loosen a filter or clear the search.')
        : emptyState('No lead yet.', 'Run the pipeline to discover some.')
  }</section>
<section class="card" aria-labelledby="lead-actions"><h2 id="lead-actions">Actions</h2>
<form data-api="/api/leads/detect-decay" data-done="Decay scan done."><button type="submit">Run decay scan</button></form>
<form data-api="/api/leads/bootstrap" data-done="Timelines brought up to date with what was sent."><button type="submit">Bootstrap leads</button></form>
<p class="meta">Bootstrap records on each lead's timeline any accepted send missing from it; running it again records nothing new.</p></section>
<script src="/assets/leads.js"></script>`;
};

/**
 * The POSTed search: an e-mail address goes straight to its lead's page (303) or back to the list
 * with "no lead has that e-mail"; anything else becomes the list's GET URL, so it can be linked.
 */
export const leadsSearchPost = async (api: ApiDeps, form: URLSearchParams): Promise<{ redirect: string } | { notice: string; query: Record<string, unknown> }> => {
  const query = Object.fromEntries(form.entries());
  const q = text(query.q, 320);
  if (q && q.includes('@')) {
    const found = await api.dashboard.leadsSearch({ q, limit: 1 });
    const lead = found.leads[0];
    return lead ? { redirect: leadHref(lead.id) } : { notice: 'No lead has that e-mail address.', query: { ...query, q: undefined } };
  }
  return { redirect: queryOf(leadSearchOf(query), {}) };
};

/** Enter on a focused lead row opens it, as a click does (issue 21, item 8). */
export const LEADS_JS = `
(function () {
  function open(row, event) { if (event.target.closest('a, button, input, select, textarea')) return; location.href = row.dataset.href; }
  document.querySelectorAll('tr[data-href]').forEach(function (row) {
    row.addEventListener('click', function (event) { open(row, event); });
    row.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' || event.ctrlKey || event.altKey || event.metaKey || event.target !== row) return;
      event.preventDefault();
      open(row, event);
    });
  });
})();
`;
