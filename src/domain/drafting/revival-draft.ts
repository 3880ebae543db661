import { splitFullName, type LeadProfile } from '../lead.js';
import { err, ok, type Result } from '../../lib/result.js';
import type { CraftedDraft, CraftSkip } from './craft-draft.js';
import { draftFingerprint } from './draft-fingerprint.js';
import type { Grounding } from './grounding.js';
import { renderTemplate } from './render-template.js';
import type { SenderSettings } from './settings.js';
import { enforceSignature } from './signature.js';

/**
 * The angle id a revival e-mail is stored under (drafts.angle_id). It is the draft's kind: the
 * review queue shows it, the Gatekeeper keeps revival drafts out of outbound batches and puts them
 * in revival batches, and the KPIs count what follows under it. It is not in the first-touch angle
 * catalogue (selectAngle never picks it).
 */
export const REVIVAL_ANGLE_ID = 'revival';

/** Why a stale contact is worth a note now (src/domain/revival/score.ts's reasons). */
export type RevivalWhy = 'never_engaged' | 'previously_replied' | 'opened_only' | 'ghosted' | 'website_revisit';

/**
 * What the revival e-mail is written from: why now (the scan's reason and how long it has been
 * quiet), the last interaction we know of, and the latest website visit if one was recent. A visit
 * is used only as "the topic seems to be on your agenda", never as page tracking (the page, the
 * time or the fact that we saw it are never written).
 */
export type RevivalContext = {
  reason: string;
  daysInactive: number;
  lastInteraction: { at: Date; channel: string; type: string } | null;
  recentVisitAt: Date | null;
};

export type RevivalDraft = Omit<CraftedDraft, 'angleId'> & { angleId: typeof REVIVAL_ANGLE_ID };

const DAY_MS = 86_400_000;
/** A visit older than this is not "recent" (the revival score's 30-day window). */
const RECENT_VISIT_DAYS = 30;

/** "a few weeks ago", "about 3 months ago": how long since the last touch, in words a person uses. */
export const sinceWords = (days: number): string => (days < 21 ? 'a couple of weeks ago' : days < 45 ? 'a few weeks ago' : `about ${Math.round(days / 30)} months ago`);

type Template = { subjectA: string; subjectB: string; body: string };

// Each opens with the history (why we write again) and ends with one small ask. The role-impact
// words (pipeline, productivity, execution) and the company name give the quality guard its evidence.
const TEMPLATES: Record<RevivalWhy, Template> = {
  previously_replied: {
    subjectA: '{{first_name}}, picking up our thread',
    subjectB: 'Back to our conversation about {{company}}',
    body: `Hi {{first_name}},

We last traded notes {{since}}, and I did not want our conversation to go quiet for good.

Since then most of the wins we see come from operational AI: reporting, hand-offs and pipeline follow-up, where teams like {{company}}'s recover real productivity within a quarter.

Would a short call to compare where {{company}} stands today be useful?`,
  },
  opened_only: {
    subjectA: '{{first_name}}, still on your radar?',
    subjectB: 'AI at {{company}}: a quick update',
    body: `Hi {{first_name}},

I wrote to you {{since}} about AI at {{company}}, and I suspect the timing was not right then.

What has changed since: leaders now start with one or two operational workflows (reporting, pipeline follow-up, hand-offs) and see the productivity gain before any larger initiative.

If that fits where {{company}} is now, shall I send the one-page outline?`,
  },
  ghosted: {
    subjectA: 'A fresh idea for {{company}}',
    subjectB: '{{first_name}}, one new angle',
    body: `Hi {{first_name}},

It has been {{since_plain}} since we were last in touch, so a new idea rather than a reminder.

Teams like {{company}}'s are getting the quickest return from AI in execution work: pipeline follow-up, reporting and hand-offs, with productivity gains showing within weeks.

Is that worth fifteen minutes to see whether it applies to {{company}}?`,
  },
  never_engaged: {
    subjectA: 'A fresh idea for {{company}}',
    subjectB: '{{first_name}}, one new angle',
    body: `Hi {{first_name}},

It has been {{since_plain}} since {{company}} was last in touch with us, so a new idea rather than a reminder.

Teams like yours are getting the quickest return from AI in execution work: pipeline follow-up, reporting and hand-offs, with productivity gains showing within weeks.

Is that worth fifteen minutes to see whether it applies to {{company}}?`,
  },
  website_revisit: {
    subjectA: '{{first_name}}, worth a fresh look?',
    subjectB: 'AI at {{company}}, {{since_plain}} on',
    body: `Hi {{first_name}},

We were last in touch {{since}}, and AI operations seem to be on the agenda at {{company}} again.

If so, the place most teams start is execution work (pipeline follow-up, reporting, hand-offs), where the productivity gain shows before any larger initiative.

Would a short call to map the first two workflows for {{company}} help?`,
  },
};

const isWhy = (reason: string): reason is RevivalWhy => reason in TEMPLATES;

/**
 * The reason the copy is written for: a recent visit makes it a `website_revisit` note whatever
 * the scan said; an unknown reason reads as `ghosted` (we know nothing better).
 */
export const revivalWhyOf = (context: RevivalContext, now: Date): RevivalWhy => {
  if (context.recentVisitAt && now.getTime() - context.recentVisitAt.getTime() <= RECENT_VISIT_DAYS * DAY_MS) return 'website_revisit';
  return isWhy(context.reason) ? context.reason : 'ghosted';
};

/**
 * One revival e-mail (A/B subjects, one body, no follow-ups) for a stale contact, from its revival
 * context and its data, grounded like a first draft. Pure and deterministic (time is an argument):
 * the same lead, context and sender give the same copy. A contact without an e-mail, a first name
 * or a company is skipped with a reason a person can act on.
 */
export const craftRevivalDraft = (input: { lead: LeadProfile; context: RevivalContext }, sender: SenderSettings, now: Date): Result<RevivalDraft, CraftSkip> => {
  const { lead, context } = input;
  if (!lead.email) return err({ code: 'missing_email', reason: 'no email address: a revival e-mail has no one to go to' });
  const firstName = lead.firstName?.trim() || splitFullName(lead.fullName).firstName;
  const firstNameField = lead.firstName?.trim() ? 'firstName' : 'fullName';
  if (!firstName) return err({ code: 'missing_first_name', reason: 'no first name: a revival e-mail would have to open with a generic greeting' });
  const company = lead.company.name?.trim();
  if (!company) return err({ code: 'missing_company', reason: 'no company name: the revival e-mail could not say why we write again' });

  const why = revivalWhyOf(context, now);
  // The last interaction dates the history when we have it; else the CRM's inactivity does.
  const days = context.lastInteraction ? Math.max(0, Math.floor((now.getTime() - context.lastInteraction.at.getTime()) / DAY_MS)) : context.daysInactive;
  const since = sinceWords(days);
  const values = { first_name: firstName, company, since, since_plain: since.replace(/ ago$/, '') };
  const template = TEMPLATES[why];
  const [a, b, text] = [renderTemplate(template.subjectA, values), renderTemplate(template.subjectB, values), renderTemplate(template.body, values)];
  if (!a.ok || !b.ok || !text.ok) return err({ code: 'unfilled_variable', reason: `the ${why} revival template could not be filled` });

  const provider = (field: string) => lead.provenance[field] ?? 'unknown';
  const grounding: Grounding[] = [
    { claim: 'first name', field: firstNameField, value: firstName, provider: provider(firstNameField) },
    { claim: 'company name', field: 'company.name', value: company, provider: provider('company.name') },
    context.lastInteraction
      ? { claim: 'last interaction', field: `timeline.${context.lastInteraction.type}`, value: context.lastInteraction.at.toISOString().slice(0, 10), provider: context.lastInteraction.channel }
      : { claim: 'time since last activity', field: 'crm.lastActivity', value: `${context.daysInactive} days`, provider: 'ghl' },
    { claim: 'why now', field: 'revival.reason', value: why, provider: 'revival_scan' },
  ];
  if (why === 'website_revisit' && context.recentVisitAt) grounding.push({ claim: 'recent interest (topic only)', field: 'timeline.website_visit', value: context.recentVisitAt.toISOString().slice(0, 10), provider: 'rb2b' });

  const body = enforceSignature(text.value, sender);
  return ok({
    angleId: REVIVAL_ANGLE_ID,
    angleReason: `revival: ${why}, ${days} days since the last touch`,
    subjectA: a.value,
    subjectB: b.value,
    body,
    followUps: [],
    hooks: [],
    grounding,
    fingerprint: draftFingerprint(a.value, body),
  });
};
