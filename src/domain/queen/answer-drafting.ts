import type { CopyCheckResult } from './copy-check.js';
import type { DraftPreview, PreviewStep } from './draft-preview.js';
import type { VisitorContactsFound } from './results.js';

/**
 * The answer's lines for the copy check, the draft preview and the visitors' contact mapping.
 * Written from the tools' results only; each says plainly what it is not (nothing stored, queued,
 * reviewed or sent) and what is left to a person. Pure.
 */

const rulesOf = (c: CopyCheckResult, status: string) =>
  c.rules
    .filter((r) => r.status === status)
    .map((r) => (status === 'pass' ? r.rule : `${r.rule} (${r.message})`))
    .join(', ');

export const copyCheckLine = (c: CopyCheckResult): string => {
  const lines = [
    `Copy check of the pasted text (${c.chars} characters${c.subject === null ? ', no subject line' : `, subject "${c.subject}"`}), against what a reviewer's edit of a draft must pass and the quality guard (${c.guardMode} mode); read-only: nothing was stored, changed or sent.`,
    `Fails: ${rulesOf(c, 'fail') || 'none'}.`,
    `Flags for the reviewer: ${rulesOf(c, 'flag') || 'none'}.`,
    `Passes: ${rulesOf(c, 'pass') || 'none'}.`,
    `Not applicable: ${rulesOf(c, 'not_applicable') || 'none'}.`,
  ];
  // GUARD-003 weighs the lead's company and title too: without them it reads the text alone.
  if (c.failing.includes('GUARD-003') && !c.audience.title && !c.audience.company)
    lines.push('GUARD-003 read the text alone, as the ask names no audience: name their title and company ("for a VP Revenue at Acme") to have them weighed as a stored lead\'s are.');
  if (c.footerFix) {
    lines.push(
      `Mechanical fix: the compliant footer was missing, so here is the text with the configured signature and footer (sender identity, postal address, unsubscribe link) added as every draft gets them; the sign-off is replaced by the configured one:\n${c.subject === null ? '' : `Subject: ${c.subject}\n`}${c.footerFix.text}`,
      c.footerFix.stillFailing.length
        ? `Still failing after the footer fix: ${c.footerFix.stillFailing.join(', ')}: this needs a person's edit (QUEEN does not rewrite copy).`
        : `After the footer fix no rule fails${c.rules.some((r) => r.status === 'flag') ? ' (the flags above stay for the reviewer)' : ''}; the rest (tone, claims, the ask) is for a person to judge.`,
    );
  } else {
    lines.push(c.failing.length ? `Needs a person: ${c.failing.join(', ')} (QUEEN does not rewrite copy; no failing rule here has a mechanical fix).` : 'Nothing fails; tone, claims and the ask are for a person to judge.');
  }
  return lines.join('\n');
};

const qualityWords = (s: Extract<PreviewStep, { kind: 'email' }>) => {
  const blocks = s.quality.failures.filter((f) => f.severity === 'block');
  const flags = s.quality.failures.filter((f) => f.severity === 'flag');
  const verdict = s.quality.mode === 'off' ? 'off' : s.quality.passed ? 'passed' : `blocked (${blocks.map((f) => `${f.ruleId} ${f.message}`).join('; ')})`;
  return `quality guard ${verdict}${flags.length ? `; flags for the reviewer: ${flags.map((f) => `${f.ruleId} ${f.message}`).join('; ')}` : ''}`;
};

const stepText = (s: PreviewStep): string => {
  const head = `Step ${s.step}, day ${s.day}, ${s.channel} (${s.action})`;
  if (s.kind === 'linkedin') return `${head}: the LinkedIn message is held by the HeyReach campaign; no copy is rendered here.`;
  if (s.kind === 'refused') return `${head}: not rendered: ${s.reason}.`;
  const subjects = s.subjectB === null ? `Subject: ${s.subjectA}` : `Subject A: ${s.subjectA} / Subject B: ${s.subjectB}`;
  return `${head}: ${subjects}; ${qualityWords(s)}.\n${s.body}`;
};

export const previewLine = (p: DraftPreview & { score?: { points: number; tier: string } }): string => {
  const who = [
    p.persona.title,
    p.persona.company ? `at ${p.persona.company}` : null,
    p.persona.industry,
    p.persona.employeeCount === null ? null : `${p.persona.employeeCount} employees`,
    p.persona.technologies.length ? `uses ${p.persona.technologies.join(', ')}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const tier = p.tierFrom === 'request' ? `${p.tier} (as asked)` : `${p.tier} (scored from the description${p.score ? `: ${p.score.points} points` : ''})`;
  const lines = [
    `Draft preview, for a lead described in the request (${who || 'nothing usable described'}), not a stored lead (the preview does not look one up): nothing is queued, reviewed or sent. To draft for real, import the lead (caio pipeline run --input FILE) or discover it (caio pipeline run): its draft then waits in the review queue for a person's approval.`,
    `Not given, so shown as markers a real draft fills from the stored lead: ${Object.values(p.markers).join(', ')}. Tier ${tier}.`,
  ];
  if (p.statedButUnused) lines.push(`Said in the request and used by no template, so not in the copy (add it when editing the real draft): "${p.statedButUnused}".`);
  if (p.nurtureOnly) {
    lines.push(`No draft for ${p.tier}: its tier routing names no outreach channel, so CRAFTER writes none (nurture-only). Name a tier in the ask to preview that tier's templates.`);
    return lines.join('\n');
  }
  lines.push(
    `Angle ${p.angle!.id} (${p.angle!.label}; ${p.angle!.reason}); ${p.tier}'s other angles: ${p.otherAngles.join(', ')}. ${p.sequence ? "The configured cadence's steps:" : 'The first e-mail (ask for the sequence to see every cadence step):'}`,
  );
  lines.push(...p.steps.map(stepText));
  return lines.join('\n');
};

const MAPPING_WORDS = {
  stored_contact: 'a stored contact (the same person: RB2B matched their e-mail or LinkedIn URL to this lead when the visit came in)',
  new_from_rb2b: 'new from RB2B (no stored contact matched; the rb2b pipeline run matches it to a contact by Apollo People Match on the LinkedIn URL)',
} as const;

export const visitorContactsLine = (v: VisitorContactsFound): string => {
  if (v.count === 0) return 'Contact mapping of website visitors: no lead has a website visit recorded; nothing to map.';
  return `Contact mapping of website visitors (${v.count} leads with visits: ${v.storedContacts} stored contacts, ${v.newFromRb2b} new from RB2B): ${v.visitors
    .map(
      (x) =>
        `${x.company ?? 'company unknown'}${x.domain ? ` (${x.domain})` : ''}, ${x.title ?? 'title unknown'}, lead ${x.leadId}: ${MAPPING_WORDS[x.mapping]}; ${x.visits} visits, last ${x.lastVisit ?? 'unknown'}, ${x.status}${x.tier ? `, ${x.tier}` : ''}${x.sameCompanyLeads ? `; ${x.sameCompanyLeads} other stored leads at the same company domain (the same account, not the same person)` : ''}`,
    )
    .join('; ')}. Identity confidence: only an exact e-mail or LinkedIn URL maps a visitor to a stored contact; a shared company domain is counted, never taken as the person.`;
};
