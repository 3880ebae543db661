import type { ApiDeps } from '../api/routes.js';
import { angleLabel, angleLongLabel, channelLabel, componentLabel, enrichmentChainLabel, eventLabel, fieldLabel, guardLabel, humanize, providerLabel, rejectionTagLabel, statusLabel, stepLabel, tierLabel } from '../../domain/labels.js';
import { emptyState, esc, timeTag } from './render.js';

/**
 * /leads/<id> (issue 21, item 4): one lead as a head of sales reads it: who, the score with every
 * component and its reason (always, whatever became of the drafts), where each field came from,
 * every draft with its decision and the reviewer's edit, why it was disqualified, skipped or
 * rejected, and a timeline in plain words. Times are UTC `<time datetime>` that the page's script
 * shows in the viewer's local time. The id is the lead's uuid: no e-mail address in a URL.
 */

type LeadFile = NonNullable<Awaited<ReturnType<ApiDeps['dashboard']['leadFile']>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The link every list uses to open a lead. */
export const leadHref = (id: string) => `/leads/${encodeURIComponent(id)}`;

const nameOf = (l: LeadFile['lead']) => [l.first_name, l.last_name].filter(Boolean).join(' ') || 'Unnamed lead';

const scoreSection = (f: LeadFile) => {
  const s = f.scores[0];
  if (!s) return `<section class="card" aria-labelledby="lp-score"><h2 id="lp-score">Score</h2>${emptyState('Not scored yet.', 'The pipeline scores a lead after enrichment.')}</section>`;
  const rows = (s.breakdown.components ?? [])
    .map((c) => `<tr><th scope="row">${esc(componentLabel(c.code))}</th><td>${esc(c.points)}${c.max !== null ? ` of ${esc(c.max)}` : ''}</td><td>${esc(c.reason)}</td><td>${esc(c.fields.map(fieldLabel).join(', ') || '-')}</td></tr>`)
    .join('');
  return `<section class="card" aria-labelledby="lp-score"><h2 id="lp-score">Score: ${esc(s.points)} points, ${esc(tierLabel(s.tier))}</h2>
${s.disqualification ? `<p class="miss">Disqualified: ${esc(s.disqualification.reason)}</p>` : ''}
<table class="score"><thead><tr><th>Component</th><th>Points</th><th>Why</th><th>From</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th scope="row">Total</th><td colspan="3">${esc(s.raw_points)} points × ${esc(s.multiplier)} = ${esc(s.points)} (${esc(tierLabel(s.tier))})</td></tr></tfoot></table>
${s.warnings.length ? `<p class="meta">Warnings: ${esc(s.warnings.join('; '))}</p>` : ''}
<p class="meta">Recommended campaign: ${esc(humanize(s.recommended_campaign))}. Scored ${timeTag(s.created_at)}${f.scores.length > 1 ? `; scored ${f.scores.length} times, the newest is shown` : ''}.</p></section>`;
};

const provenanceSection = (f: LeadFile) => {
  const provenance = (f.lead.profile as { provenance?: Record<string, string> }).provenance ?? {};
  const fields = Object.entries(provenance);
  const steps = f.enrichments
    .map((e) => {
      const tried = (e.attempts ?? []).map((a) => `${providerLabel(a.provider)}: ${a.outcome === 'matched' ? 'found' : a.outcome === 'miss' ? 'nothing found' : humanize(a.outcome).toLowerCase()}${a.reason ? ` (${a.reason})` : ''}`);
      return `<li>${timeTag(e.created_at)} ${esc(enrichmentChainLabel(e.provider))}: ${esc(e.outcome === 'matched' ? `found ${e.fields.map(fieldLabel).join(', ') || 'nothing new'}` : e.outcome === 'miss' ? 'nothing found' : `${e.outcome}${e.error ? `: ${e.error}` : ''}`)}${e.quality !== null ? `, quality ${esc(e.quality)} of 100` : ''}${tried.length ? ` <span class="meta">(${esc(tried.join('; '))})</span>` : ''}</li>`;
    })
    .join('');
  return `<section class="card" aria-labelledby="lp-prov"><h2 id="lp-prov">Where the data came from</h2>
${fields.length ? `<table class="provenance"><thead><tr><th>Field</th><th>Provider</th></tr></thead><tbody>${fields.map(([field, p]) => `<tr><td>${esc(fieldLabel(field))}</td><td>${esc(providerLabel(p))}</td></tr>`).join('')}</tbody></table>` : `<p class="meta">Found by ${esc(providerLabel(f.lead.source))}; no field-by-field record.</p>`}
${steps ? `<h3>Enrichment steps</h3><ul>${steps}</ul>` : ''}</section>`;
};

const draftsSection = (f: LeadFile) => {
  if (!f.drafts.length) return `<section class="card" aria-labelledby="lp-drafts"><h2 id="lp-drafts">Drafts</h2>${emptyState('No draft yet.', f.lead.skip_reason ? '' : 'A draft is written once the lead is scored.')}</section>`;
  const rejectionsOf = (id: string) => f.rejections.filter((r) => r.draft_id === id);
  const items = f.drafts
    .map((d) => {
      const edited = d.edited_subject !== null || d.edited_body !== null;
      const change = edited
        ? `<div class="edit-diff"><h4>The reviewer's change</h4>${
            d.edited_subject !== null && d.edited_subject !== d.subject_a ? `<p>Subject before: <del>${esc(d.subject_a)}</del><br>Subject after: <ins>${esc(d.edited_subject)}</ins></p>` : ''
          }${d.edited_body !== null && d.edited_body !== d.body ? `<div class="before-after"><div><h5>Before</h5><pre class="body">${esc(d.body)}</pre></div><div><h5>After</h5><pre class="body">${esc(d.edited_body)}</pre></div></div>` : ''}</div>`
        : '';
      const rejections = rejectionsOf(d.id)
        .map((r) => `<li>Rejected by ${esc(r.rejected_by)} ${timeTag(r.rejected_at)}: ${esc(rejectionTagLabel(r.tag))}, “${esc(r.reason)}”</li>`)
        .join('');
      const grounding = (d.grounding as { claim?: string; field?: string; value?: string; provider?: string }[])
        .map((g) => `<li>“${esc(g.claim ?? '')}” from ${esc(fieldLabel(g.field ?? ''))} (${esc(g.value ?? '')}, ${esc(providerLabel(g.provider ?? ''))})</li>`)
        .join('');
      return `<article class="card lead-draft" data-lead-draft="${esc(d.id)}"><h3>${esc(d.edited_subject ?? d.subject_a)}</h3>
<p class="meta">Version ${esc(d.version)}, ${esc(angleLabel(d.angle_id))} (${esc(angleLongLabel(d.angle_id))}): ${esc(d.angle_reason)}. Written ${timeTag(d.created_at)}.</p>
<p><strong>${esc(statusLabel(d.status))}</strong>${d.decided_at ? ` by ${esc(d.decided_by ?? 'unknown')} ${timeTag(d.decided_at)}` : ''}${edited ? ' (edited)' : ''}</p>
${rejections ? `<ul class="rejections">${rejections}</ul>` : ''}${change}
<details><summary>The draft as written</summary><p>Subjects: “${esc(d.subject_a)}” / “${esc(d.subject_b)}”</p><pre class="body">${esc(d.body)}</pre>${
        d.follow_ups.length ? `<p>${esc(d.follow_ups.length)} follow-ups.</p>` : ''
      }${grounding ? `<h4>Grounding of personal claims</h4><ul>${grounding}</ul>` : ''}</details></article>`;
    })
    .join('');
  return `<section aria-labelledby="lp-drafts"><h2 id="lp-drafts">Drafts and decisions</h2>${items}</section>`;
};

type Moment = { at: Date; text: string };

/** The timeline in plain words, newest first: the pipeline's steps, what was sent and what came back. */
const timelineOf = (f: LeadFile): Moment[] => {
  const m: Moment[] = [{ at: f.lead.created_at, text: `Found by ${providerLabel(f.lead.source)}` }];
  for (const e of f.enrichments) m.push({ at: e.created_at, text: `Enriched by ${enrichmentChainLabel(e.provider)}: ${e.outcome === 'matched' ? 'found data' : 'nothing found'}` });
  for (const s of f.scores) m.push({ at: s.created_at, text: `Scored ${s.points} points (${tierLabel(s.tier)})${s.disqualification ? `, disqualified: ${s.disqualification.reason}` : ''}` });
  for (const d of f.drafts) {
    m.push({ at: d.created_at, text: `Draft written (${angleLabel(d.angle_id)})` });
    if (d.decided_at) m.push({ at: d.decided_at, text: `Draft ${statusLabel(d.status).toLowerCase()} by ${d.decided_by ?? 'unknown'}${d.edited_body !== null || d.edited_subject !== null ? ' after an edit' : ''}` });
  }
  for (const o of f.outbox) {
    const what = o.channel === 'heyreach' ? 'LinkedIn connection request' : `${channelLabel(o.channel)} ${stepLabel(o.step)}`;
    const text =
      o.status === 'rejected'
        ? `${what} refused: ${guardLabel(o.reason)}`
        : o.status === 'sent'
          ? `${what} handed to ${providerLabel(o.channel)}`
          : o.status === 'queued'
            ? `${what} queued to send`
            : `${what}: ${statusLabel(o.status).toLowerCase()}${o.reason ? ` (${o.reason})` : ''}`;
    m.push({ at: o.sent_at ?? o.updated_at, text });
  }
  // A send the OPERATOR recorded is already there as its outbox item, which says where it really is.
  const shown = new Set(f.outbox.map((o) => o.id));
  for (const e of f.events.filter((x) => !(typeof x.details.outboxId === 'string' && shown.has(x.details.outboxId))))
    m.push({ at: e.at, text: `${eventLabel(e.type, e.source, e.details)}${e.to_status && e.to_status !== e.from_status ? ` (now ${statusLabel(e.to_status).toLowerCase()})` : ''}` });
  return m.sort((a, b) => b.at.getTime() - a.at.getTime());
};

/** Why this lead stopped, when it did: disqualification, a skip, a rejection, a refusal. */
const reasonsSection = (f: LeadFile) => {
  const lines: string[] = [];
  if (f.lead.disqualification_reason) lines.push(`Disqualified: ${f.lead.disqualification_reason}`);
  if (f.lead.skip_reason) lines.push(`Skipped: ${f.lead.skip_reason}`);
  for (const r of f.rejections) lines.push(`Draft rejected by ${r.rejected_by}: ${rejectionTagLabel(r.tag)}, “${r.reason}”`);
  for (const o of f.outbox.filter((x) => x.status === 'rejected')) lines.push(`${channelLabel(o.channel)} refused by ${guardLabel(o.reason)}`);
  return lines.length ? `<section class="card" aria-labelledby="lp-why"><h2 id="lp-why">Why it stopped</h2><ul class="reasons">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul></section>` : '';
};

export type LeadPageResult = { status: 200 | 404; title: string; body: string };

export const leadPage = async (api: ApiDeps, id: string): Promise<LeadPageResult> => {
  const file = UUID.test(id) ? await api.dashboard.leadFile(id) : null;
  if (!file) return { status: 404, title: 'Lead not found', body: `${emptyState('No lead has this id.', 'It may have been erased, or the link is wrong.')}<p><a href="/leads">Back to the leads</a></p>` };
  const l = file.lead;
  const timeline = timelineOf(file);
  return {
    status: 200,
    title: nameOf(l),
    body: `<p><a href="/leads">← All leads</a></p>
<section class="card lead-head" aria-label="Who"><p><strong>${esc(l.title ?? 'No title')}</strong> at <strong>${esc(l.company_name ?? 'an unknown company')}</strong></p>
<p>${esc(statusLabel(l.status))} · ${esc(tierLabel(l.tier))}${l.points !== null ? ` · ${esc(l.points)} points` : ''} · found by ${esc(providerLabel(l.source))} ${timeTag(l.created_at)}</p>
${l.email ? `<p class="meta">E-mail: ${esc(l.email)}</p>` : ''}${l.duplicate_of ? `<p class="meta">A duplicate of <a href="${esc(leadHref(l.duplicate_of))}">another lead</a>.</p>` : ''}</section>
${reasonsSection(file)}
${scoreSection(file)}
${provenanceSection(file)}
${draftsSection(file)}
<section class="card" aria-labelledby="lp-timeline"><h2 id="lp-timeline">Timeline</h2><p class="meta">Newest first, in your local time.</p><ol class="timeline">${timeline.map((t) => `<li>${timeTag(t.at)} ${esc(t.text)}</li>`).join('')}</ol></section>`,
  };
};
