import type { CadenceStepPreview } from '../../dispatch/cadence-preview.js';
import type { LeadDetail } from '../../pipeline/ports.js';
import { renderTable } from './table.js';

const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** What the cadence would send on each e-mail step today (cadence-preview.ts): a preview, crafted again when the step is due. */
const renderCadence = (steps: readonly CadenceStepPreview[]): string[] => [
  'Cadence e-mail steps (as of today; crafted again when the step is due):',
  ...steps.flatMap((s) => {
    const head = `  step ${s.step}, day ${s.day} (${s.action})`;
    if (s.kind === 'first_draft') return [`${head}: the approved draft above (subject A or B by the lead's test group; a reviewer's edit wins)`];
    if (s.kind === 'refused') return [`${head}: not sent as things stand (${s.reason})`];
    return [`${head}: "${s.subject}"`, indent(s.body, '      ')];
  }),
  '',
];

/**
 * `caio leads show`. `cadence`: the cadence's e-mail steps as they would go out today; the draft's
 * own follow-ups are not shown as copy, because the cadence does not send them (docs/drafting.md).
 */
export const renderLeadDetail = (d: LeadDetail, cadence: readonly CadenceStepPreview[] = []): string => {
  const { lead, score } = d;
  const p = lead.profile;
  const name = [p.firstName, p.lastName].filter(Boolean).join(' ') || p.fullName || '(no name)';
  const lines = [
    `${name} <${lead.email ?? 'no email'}>`,
    `  ${p.title ?? '(no title)'} at ${p.company.name ?? '(no company)'}${p.company.domain ? ` (${p.company.domain})` : ''}`,
    `  industry ${p.company.industry ?? 'unknown'}, employees ${p.company.employeeCount ?? 'unknown'}${p.linkedinUrl ? `, ${p.linkedinUrl}` : ''}`,
    `  status ${lead.status}${lead.skipReason ? ` (${lead.skipReason})` : ''}, source ${lead.source} ${lead.sourceId}, lead id ${lead.id}`,
    '',
  ];
  if (score) {
    lines.push(`Score: ${score.points}/100, ${score.tier}${score.needsReview ? ', needs review' : ''}${score.disqualification ? `, DISQUALIFIED (${score.disqualification.reason})` : ''}`);
    lines.push('  Why:', ...score.reasons.map((r) => `    ${r}`));
    if (score.warnings.length) lines.push('  Warnings:', ...score.warnings.map((w) => `    ${w}`));
    lines.push(`  Recommended campaign: ${score.recommendedCampaign}`, '');
  } else {
    lines.push('Score: not scored yet', '');
  }
  if (d.enrichments.length) {
    lines.push(
      'Enrichment:',
      indent(
        renderTable(
          ['provider', 'outcome', 'fields', 'run'],
          d.enrichments.map((e) => [e.provider, e.outcome + (e.error ? `: ${e.error}` : ''), e.fields.join(', '), e.runId]),
        ),
        '  ',
      ),
      '',
    );
  }
  if (d.drafts.length === 0) lines.push('Drafts: none');
  for (const draft of d.drafts) {
    lines.push(
      `Draft v${draft.version} [${draft.status}] angle ${draft.angleId} (${draft.angleReason}), id ${draft.id}`,
      `  Subject A: ${draft.subjectA}`,
      `  Subject B: ${draft.subjectB}`,
      '  Body:',
      indent(draft.body),
      '  Grounding (each personal claim and where it came from):',
      indent(
        renderTable(
          ['claim', 'field', 'value', 'provider'],
          draft.grounding.map((g) => [g.claim, g.field, g.value, g.provider]),
        ),
        '    ',
      ),
    );
    // Kept with the draft for the record; the cadence crafts each later step from its own template instead.
    if (draft.followUps.length) lines.push(`  Stored follow-ups: ${draft.followUps.length}, written with the draft and not sent (the cadence crafts each step from its template: see "Cadence e-mail steps")`);
    lines.push('');
  }
  if (d.drafts.length && cadence.length) lines.push(...renderCadence(cadence));
  if (d.shadowSends.length) {
    lines.push('Shadow send (recorded, nothing sent):', ...d.shadowSends.map((s) => `  ${s.channel} → ${s.recipient}${s.subject ? ` "${s.subject}"` : ''} (run ${s.runId})`), '');
  }
  if (d.audit.length) lines.push('Audit:', ...d.audit.map((a) => `  ${a.at.toISOString()} ${a.actor} ${a.action}${Object.keys(a.details).length ? ` ${JSON.stringify(a.details)}` : ''}`));
  return lines.join('\n');
};
