import { checkEdit } from '../approval/check-edit.js';
import { draftFingerprint, enforceSignature, type SenderSettings } from '../drafting/index.js';
import { emptyLead } from '../lead.js';
import { checkDraftQuality, type QualitySettings } from '../quality/quality-guard.js';

/**
 * QUEEN's copy check of a text pasted into an ask: the checks a reviewer's edit of a first touch
 * must pass before it is kept (`checkEdit`: the compliant footer with the configured postal address
 * and unsubscribe link, no template placeholder) and the quality guard's rules and copy checks
 * (`checkDraftQuality`, with the configured settings). Read-only and pure: nothing is stored, and
 * the only change ever shown is the mechanical one, the configured signature and footer added as
 * every draft gets them (`enforceSignature`); everything else is left to a person.
 */
export type CopyRuleStatus = 'pass' | 'fail' | 'flag' | 'not_applicable';
export type CopyRuleResult = { rule: string; status: CopyRuleStatus; message: string };

export type CopyCheckResult = {
  chars: number;
  /** The subject, when the text starts with a `Subject:` line. */
  subject: string | null;
  /** What the request said of the audience, used by the guard's personalization rule (GUARD-003). */
  audience: { title: string | null; company: string | null };
  guardMode: 'soft' | 'hard' | 'off';
  rules: CopyRuleResult[];
  failing: string[];
  /** The footer was missing: the text with the configured signature and footer, and the rules still failing then. */
  footerFix: { text: string; stillFailing: string[] } | null;
  stored: false;
};

export type CopyCheckSettings = { sender: SenderSettings; quality: QualitySettings };

/** Every rule reported, in this order, passing or not. */
const RULES: readonly { rule: string; what: string }[] = [
  { rule: 'FOOTER-ADDRESS', what: 'the footer carries the configured postal address' },
  { rule: 'FOOTER-UNSUBSCRIBE', what: 'the footer carries the configured unsubscribe link' },
  { rule: 'PERS-001', what: 'no template placeholder is left' },
  { rule: 'GUARD-001', what: 'not rejected too often before' },
  { rule: 'GUARD-002', what: 'not a draft rejected before' },
  { rule: 'GUARD-003', what: 'personalization evidence (company-specific and role-impact)' },
  { rule: 'GUARD-004', what: 'no banned opener' },
  { rule: 'GUARD-005', what: 'generic-phrase density within the limit' },
  { rule: 'spam_words', what: 'no spam trigger word' },
  { rule: 'subject_length', what: 'subject within the length limit' },
  { rule: 'body_length', what: 'body within the word limits' },
  { rule: 'link_count', what: 'links within the limit' },
  { rule: 'image_count', what: 'images within the limit' },
  { rule: 'unresolved_placeholder', what: 'no unresolved placeholder' },
];

const NOT_APPLICABLE: Record<string, string> = {
  'GUARD-001': 'no rejection history: the text is not a stored draft',
  'GUARD-002': 'no rejection history: the text is not a stored draft',
};

/** A first line `Subject: …` is the subject; the rest is the body. */
const splitSubject = (text: string): { subject: string | null; body: string } => {
  const m = /^\s*subject\s*:\s*(.*)\r?\n([\s\S]*)$/i.exec(text);
  return m ? { subject: m[1]!.trim(), body: m[2]!.replace(/^\s*\n/, '') } : { subject: null, body: text };
};

const evaluate = (subject: string | null, body: string, audience: CopyCheckResult['audience'], settings: CopyCheckSettings): CopyRuleResult[] => {
  const lead = emptyLead();
  lead.title = audience.title;
  lead.company.name = audience.company;
  const edit = checkEdit({ subject: subject ?? '', body }, settings.sender).filter((p) => p.rule !== 'EDIT-SUBJECT');
  const verdict = checkDraftQuality({ lead, subject: subject ?? '', body, fingerprint: draftFingerprint(subject ?? '', body), memory: undefined }, settings.quality);
  return RULES.map(({ rule, what }): CopyRuleResult => {
    if (NOT_APPLICABLE[rule]) return { rule, status: 'not_applicable', message: NOT_APPLICABLE[rule] };
    if (rule === 'subject_length' && subject === null) return { rule, status: 'not_applicable', message: 'no subject given (start the text with "Subject: …" to check it)' };
    if (rule.startsWith('GUARD-') || !rule.includes('-')) {
      if (verdict.mode === 'off') return { rule, status: 'not_applicable', message: 'the quality guard is off in the config' };
      const failure = verdict.ruleFailures.find((f) => f.ruleId === rule);
      if (!failure) return { rule, status: settings.quality.checks || rule.startsWith('GUARD-') ? 'pass' : 'not_applicable', message: settings.quality.checks || rule.startsWith('GUARD-') ? what : 'copy checks are not configured' };
      return { rule, status: failure.severity === 'flag' ? 'flag' : 'fail', message: failure.message };
    }
    const problem = edit.find((p) => p.rule === rule);
    return problem ? { rule, status: 'fail', message: problem.message } : { rule, status: 'pass', message: what };
  });
};

const failingOf = (rules: readonly CopyRuleResult[]) => rules.filter((r) => r.status === 'fail').map((r) => r.rule);

export const checkPastedCopy = (text: string, audience: CopyCheckResult['audience'], settings: CopyCheckSettings): CopyCheckResult => {
  const { subject, body } = splitSubject(text);
  const rules = evaluate(subject, body, audience, settings);
  const footerMissing = rules.some((r) => r.rule.startsWith('FOOTER-') && r.status === 'fail');
  // The one mechanical fix: the configured signature and footer, as every draft gets them (the sign-off is replaced).
  const fixed = footerMissing ? enforceSignature(body, settings.sender) : null;
  return {
    chars: text.length,
    subject,
    audience,
    guardMode: settings.quality.enabled ? settings.quality.mode : 'off',
    rules,
    failing: failingOf(rules),
    footerFix: fixed === null ? null : { text: fixed, stillFailing: failingOf(evaluate(subject, fixed, audience, settings)) },
    stored: false,
  };
};
