import type { CadenceStep } from '../cadence/index.js';
import { ANGLES, craftCadenceFollowup, draftFingerprint, enforceSignature, personalizationHooks, personalizationOpening, selectAngle, TIER_ANGLES, type SenderSettings } from '../drafting/index.js';
import { renderTemplate } from '../drafting/render-template.js';
import { normalizeTitle } from '../drafting/title.js';
import { emptyLead, type LeadProfile } from '../lead.js';
import { checkDraftQuality, type QualitySettings } from '../quality/quality-guard.js';
import type { Tier } from '../tier.js';

/**
 * A preview of what CRAFTER would write for a lead described in words (a title, a company, an
 * industry, a size, tools) and not stored: the production angle choice, templates, signature and
 * footer, the cadence's e-mail steps from the configured cadence, and the quality guard's verdict
 * on each. Pure and read-only: nothing is queued, reviewed or sent. What the words did not give
 * (always the first name, often the company) is shown as a bracketed marker, never made up; what
 * the words said that no template uses (a stated pain, a situation) is returned apart, unused.
 */
export type DescribedPersona = { title: string | null; company: string | null; industry: string | null; employeeCount: number | null; technologies: string[] };

export type PreviewQuality = { passed: boolean; mode: 'soft' | 'hard' | 'off'; failures: { ruleId: string; message: string; severity: 'block' | 'flag' }[] };

export type PreviewStep = { step: number; day: number; channel: 'email' | 'linkedin'; action: string } & (
  { kind: 'email'; subjectA: string; subjectB: string | null; body: string; quality: PreviewQuality } | { kind: 'linkedin' } | { kind: 'refused'; reason: string }
);

export type DraftPreview = {
  preview: true;
  stored: false;
  persona: DescribedPersona;
  /** Fields a real draft fills from the stored lead, shown as markers here. */
  markers: Record<string, string>;
  tier: Tier;
  tierFrom: 'request' | 'score';
  /** The tier's routing names no channel: CRAFTER writes no draft for it (nurture-only). */
  nurtureOnly: boolean;
  angle: { id: string; label: string; reason: string } | null;
  otherAngles: string[];
  sequence: boolean;
  steps: PreviewStep[];
  /** What the request said of the lead that no template uses; not in the copy. */
  statedButUnused: string | null;
};

export type DraftPreviewSettings = { sender: SenderSettings; quality: QualitySettings; cadenceSteps: readonly CadenceStep[]; tierRouting: Readonly<Record<string, readonly string[]>> };

const FIRST_NAME_MARKER = '[first name]';
const COMPANY_MARKER = '[company]';

const profileOf = (p: DescribedPersona): LeadProfile => {
  const lead = emptyLead();
  lead.firstName = FIRST_NAME_MARKER;
  lead.title = p.title;
  lead.company.name = p.company ?? COMPANY_MARKER;
  lead.company.industry = p.industry;
  lead.company.employeeCount = p.employeeCount;
  lead.company.technologies = p.technologies;
  lead.sourceType = 'manual';
  return lead;
};

const qualityOf = (lead: LeadProfile, subject: string, subjectB: string | null, body: string, settings: QualitySettings): PreviewQuality => {
  const v = checkDraftQuality({ lead, subject, subjectB: subjectB ?? undefined, body, fingerprint: draftFingerprint(subject, body), memory: undefined }, settings);
  return { passed: v.passed, mode: v.mode, failures: v.ruleFailures.map((f) => ({ ruleId: f.ruleId, message: f.message, severity: f.severity === 'flag' ? 'flag' : 'block' })) };
};

/** The first e-mail as craftDraft renders it (angle, A/B subjects, opening, signature and footer), for a lead with no address. */
const firstEmail = (lead: LeadProfile, tier: Tier, settings: DraftPreviewSettings) => {
  const choice = selectAngle({ lead, tier });
  const angle = ANGLES[choice.angleId];
  const company = lead.company.name!;
  const opening = personalizationOpening(lead, company, personalizationHooks(lead));
  const values = { first_name: FIRST_NAME_MARKER, company, industry: lead.company.industry, title: normalizeTitle(lead.title), opening: opening.sentence };
  const [a, b, body] = [renderTemplate(angle.subjectA, values), renderTemplate(angle.subjectB, values), renderTemplate(angle.body, values)];
  if (!a.ok || !b.ok || !body.ok) return { choice, angle, copy: null };
  return { choice, angle, copy: { subjectA: a.value, subjectB: b.value, body: enforceSignature(body.value, settings.sender) } };
};

export const previewDraft = (input: { persona: DescribedPersona; tier: Tier; tierFrom: 'request' | 'score'; sequence: boolean; statedContext: string | null }, settings: DraftPreviewSettings): DraftPreview => {
  const lead = profileOf(input.persona);
  const markers: Record<string, string> = { first_name: FIRST_NAME_MARKER, ...(input.persona.company ? {} : { company: COMPANY_MARKER }) };
  const base = { preview: true as const, stored: false as const, persona: input.persona, markers, tier: input.tier, tierFrom: input.tierFrom, sequence: input.sequence, statedButUnused: input.statedContext };
  if ((settings.tierRouting[input.tier] ?? []).length === 0) return { ...base, nurtureOnly: true, angle: null, otherAngles: [], steps: [] };
  const first = firstEmail(lead, input.tier, settings);
  const pool = input.tier === 'tier_1' ? TIER_ANGLES.tier_1 : input.tier === 'tier_2' ? TIER_ANGLES.tier_2 : TIER_ANGLES.tier_3;
  const emailSteps = [...settings.cadenceSteps].sort((x, y) => x.step - y.step);
  const chosen = input.sequence ? emailSteps : emailSteps.filter((s) => s.action === 'intro').slice(0, 1);
  const steps = chosen.map((s): PreviewStep => {
    const at = { step: s.step, day: s.day, channel: s.channel, action: s.action };
    if (s.channel === 'linkedin') return { ...at, kind: 'linkedin' };
    if (s.action === 'intro') {
      if (!first.copy) return { ...at, kind: 'refused', reason: `angle ${first.angle.id} needs a fact the description does not give` };
      return { ...at, kind: 'email', ...first.copy, quality: qualityOf(lead, first.copy.subjectA, first.copy.subjectB, first.copy.body, settings.quality) };
    }
    const crafted = craftCadenceFollowup(s.action, lead, settings.sender);
    if (!crafted) return { ...at, kind: 'refused', reason: 'no step template for this action' };
    return { ...at, kind: 'email', subjectA: crafted.subject, subjectB: null, body: crafted.body, quality: qualityOf(lead, crafted.subject, null, crafted.body, settings.quality) };
  });
  return { ...base, nurtureOnly: false, angle: { id: first.angle.id, label: first.angle.label, reason: first.choice.reason }, otherAngles: pool.filter((id) => id !== first.angle.id), steps };
};
