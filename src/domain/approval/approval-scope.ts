import type { LeadProfile } from '../lead.js';
import type { Grounding } from '../drafting/grounding.js';

/**
 * What approving one draft enables (issue 21 item 3), in words a head of sales reads on the draft's
 * card: the first touches its tier's routing sends (`tierRouting`) and the cadence that follows
 * (`cadence.steps`), and whether each personal claim still matches the lead's current data. Pure.
 */

export type CadenceStepConfig = { step: number; day: number; channel: 'email' | 'linkedin'; action: string };

const FIRST_TOUCH: Record<string, string> = {
  instantly: 'E-mail step 1 through Instantly',
  ghl: 'E-mail step 1 through GoHighLevel',
  heyreach: 'LinkedIn connection request through HeyReach',
};

/** "3", "3 and 5", "3, 5 and 7". */
const list = (n: readonly number[]) => (n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`);

/**
 * The sentence: "E-mail step 1 through Instantly; LinkedIn connection request through HeyReach; then
 * the 21-day cadence (steps 3, 5, 7 and 8 by e-mail, 4 and 6 on LinkedIn)". A cadence step on a
 * channel the tier does not use is not mentioned; the intro and the connection request are the
 * first touches themselves.
 */
export const approvalEnables = (channels: readonly string[], steps: readonly CadenceStepConfig[]): string => {
  if (channels.length === 0) return 'Nothing: this tier is routed to no channel (config tierRouting), so the draft is never sent.';
  const first = channels.map((c) => FIRST_TOUCH[c] ?? `A first touch through ${c}`);
  const byEmail = channels.some((c) => c !== 'heyreach');
  const onLinkedIn = channels.includes('heyreach');
  const follow = steps.filter((s) => !(s.channel === 'email' && s.action === 'intro') && !(s.channel === 'linkedin' && s.action === 'connect'));
  const email = follow.filter((s) => s.channel === 'email' && byEmail).map((s) => s.step);
  const linkedin = follow.filter((s) => s.channel === 'linkedin' && onLinkedIn).map((s) => s.step);
  const parts = [email.length ? `${email.length === 1 ? 'step' : 'steps'} ${list(email)} by e-mail` : '', linkedin.length ? `${list(linkedin)} on LinkedIn` : ''].filter(Boolean);
  const days = Math.max(0, ...steps.map((s) => s.day));
  return `${first.join('; ')}${parts.length ? `; then the ${days}-day cadence (${parts.join(', ')})` : ''}.`;
};

/** A reply's suggested answer and a revival e-mail are not first touches: what approving them does instead. */
export const approvalEnablesFor = (angleId: string, channels: readonly string[], steps: readonly CadenceStepConfig[], isReply: boolean): string => {
  if (isReply) return 'This answer, in the prospect’s own thread; no cadence step is added.';
  if (angleId === 'revival') return 'This re-contact e-mail through GoHighLevel (CRM), in a revival batch of its own; no cold cadence.';
  return approvalEnables(channels, steps);
};

export type GroundingCheck = Grounding & { current: string | null; matches: boolean | null };

/** The lead field at a path (`title`, `company.industry`); undefined when the path is not a lead field. */
const fieldAt = (profile: LeadProfile, path: string): unknown => {
  let at: unknown = profile;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
};

const norm = (v: string) => v.trim().toLowerCase();

/**
 * Each claim beside the lead's current value of its field: `matches` false flags a claim whose value
 * is no longer (or never was) in the lead's data; null when the field is not a lead field (a free
 * slot, the scheduler's link) and cannot be checked here.
 */
export const checkGrounding = (profile: LeadProfile, grounding: readonly Grounding[]): GroundingCheck[] =>
  grounding.map((g) => {
    const value = fieldAt(profile, g.field);
    if (value === undefined) return { ...g, current: null, matches: null };
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== '').map(String);
    const current = values.length ? values.join(', ') : null;
    const claimed = norm(g.value);
    if (claimed === '') return { ...g, current, matches: null };
    // Either way round: "180 employees" is grounded in 180, "HubSpot" in "HubSpot CRM".
    const matches = values.some((v) => norm(v) === claimed || norm(v).includes(claimed) || (norm(v).length > 1 && claimed.includes(norm(v))));
    return { ...g, current, matches };
  });
