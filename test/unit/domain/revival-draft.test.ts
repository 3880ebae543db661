import { describe, expect, it } from 'vitest';
import { craftRevivalDraft, DEFAULT_SENDER_SETTINGS as SENDER, REVIVAL_ANGLE_ID, revivalWhyOf, sinceWords, type RevivalContext } from '../../../src/domain/drafting/index.js';
import { emptyLead } from '../../../src/domain/lead.js';
import { DEFAULT_COPY_CHECKS } from '../../../src/domain/quality/copy-checks.js';
import { checkDraftQuality } from '../../../src/domain/quality/quality-guard.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const lead = (over: { firstName?: string | null; company?: string | null; email?: string | null } = {}) => {
  const p = emptyLead({ email: over.email === undefined ? 'amara.osei@harbor.example.com' : over.email, firstName: over.firstName === undefined ? 'Amara' : over.firstName, lastName: 'Osei', provenance: { email: 'ghl', firstName: 'ghl' } });
  p.company.name = over.company === undefined ? 'Harbor Analytics' : over.company;
  return p;
};
const context = (over: Partial<RevivalContext> = {}): RevivalContext => ({ reason: 'ghosted', daysInactive: 75, lastInteraction: null, recentVisitAt: null, ...over });
const HARD = { enabled: true, mode: 'hard' as const, maxRejections: 2, genericPhraseDensity: 0.4, checks: DEFAULT_COPY_CHECKS };

describe('craftRevivalDraft (the revival e-mail from its context)', () => {
  it.each(['previously_replied', 'opened_only', 'ghosted', 'never_engaged', 'website_revisit'])('writes a %s note that names the person and company and passes the hard quality guard', (reason) => {
    const result = craftRevivalDraft({ lead: lead(), context: context({ reason, ...(reason === 'website_revisit' ? { recentVisitAt: daysAgo(3) } : {}) }) }, SENDER, NOW);
    if (!result.ok) throw new Error(result.error.reason);
    const d = result.value;
    expect(d.angleId).toBe(REVIVAL_ANGLE_ID);
    expect(d.body).toContain('Hi Amara,');
    expect(d.body).toContain('Harbor Analytics');
    expect(d.body).toContain(`Unsubscribe: ${SENDER.unsubscribeUrl}`);
    expect(d.subjectA).not.toBe(d.subjectB);
    expect(d.angleReason).toContain(reason);
    expect(d.grounding.find((g) => g.claim === 'why now')?.value).toBe(reason);
    const verdict = checkDraftQuality({ lead: lead(), subject: d.subjectA, subjectB: d.subjectB, body: d.body, fingerprint: d.fingerprint, memory: undefined }, HARD);
    expect(verdict.ruleFailures).toEqual([]);
    expect(verdict.passed).toBe(true);
  });

  it('dates the history from the last interaction when there is one, else from the CRM inactivity, and grounds it', () => {
    const withTouch = craftRevivalDraft({ lead: lead(), context: context({ reason: 'previously_replied', lastInteraction: { at: daysAgo(95), channel: 'email', type: 'email_replied' } }) }, SENDER, NOW);
    const without = craftRevivalDraft({ lead: lead(), context: context({ reason: 'previously_replied', daysInactive: 40 }) }, SENDER, NOW);
    if (!withTouch.ok || !without.ok) throw new Error('skipped');
    expect(withTouch.value.body).toContain('about 3 months ago');
    expect(withTouch.value.grounding).toContainEqual({ claim: 'last interaction', field: 'timeline.email_replied', value: '2026-08-20', provider: 'email' });
    expect(without.value.body).toContain('a few weeks ago');
    expect(without.value.grounding).toContainEqual(expect.objectContaining({ claim: 'time since last activity', value: '40 days' }));
    expect(withTouch.value.fingerprint).not.toBe(without.value.fingerprint);
  });

  it('uses a recent visit only as the topic, never as tracking; an old visit does not count', () => {
    expect(revivalWhyOf(context({ recentVisitAt: daysAgo(10) }), NOW)).toBe('website_revisit');
    expect(revivalWhyOf(context({ recentVisitAt: daysAgo(45) }), NOW)).toBe('ghosted');
    expect(revivalWhyOf(context({ reason: 'something new' }), NOW)).toBe('ghosted');
    const visit = craftRevivalDraft({ lead: lead(), context: context({ recentVisitAt: daysAgo(2) }) }, SENDER, NOW);
    if (!visit.ok) throw new Error('skipped');
    expect(visit.value.body).not.toMatch(/visit|website|page|saw you|noticed/i);
  });

  it('is deterministic, and skips a contact without an e-mail, a first name or a company with the reason', () => {
    const a = craftRevivalDraft({ lead: lead(), context: context() }, SENDER, NOW);
    const b = craftRevivalDraft({ lead: lead(), context: context() }, SENDER, NOW);
    expect(a).toEqual(b);
    const skip = (l: ReturnType<typeof lead>) => {
      const r = craftRevivalDraft({ lead: l, context: context() }, SENDER, NOW);
      return r.ok ? null : r.error.code;
    };
    expect(skip(lead({ email: null }))).toBe('missing_email');
    expect(skip(lead({ firstName: null }))).toBe('missing_first_name');
    expect(skip(lead({ company: null }))).toBe('missing_company');
    expect([sinceWords(10), sinceWords(30), sinceWords(100)]).toEqual(['a couple of weeks ago', 'a few weeks ago', 'about 3 months ago']);
  });
});
