import { describe, expect, it } from 'vitest';
import { emptyLead, type LeadProfile } from '../../../../src/domain/lead.js';
import { checkDraftQuality, openerLine, type QualitySettings } from '../../../../src/domain/quality/quality-guard.js';
import { extractAllSignals, roleImpact, techStack } from '../../../../src/domain/quality/sub-agents.js';
import { DEFAULT_COPY_CHECKS } from '../../../../src/domain/quality/copy-checks.js';

const HARD: QualitySettings = { enabled: true, mode: 'hard', maxRejections: 2, genericPhraseDensity: 0.4 };
const lead = (o: Partial<LeadProfile> = {}): LeadProfile =>
  emptyLead({ firstName: 'Maya', title: 'VP of Sales', company: { name: 'Northwind Agency', domain: null, industry: null, employeeCount: null, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null }, ...o });
const GOOD = 'Hi Maya,\n\nNorthwind Agency is scaling its sales team this year.\n\nAs VP of Sales you own the revenue roadmap, and we help with execution.\n\nWorth a call?';
const check = (body: string, o: { memory?: { count: number; fingerprints: string[]; tags: string[] }; settings?: Partial<QualitySettings>; lead?: LeadProfile } = {}) =>
  checkDraftQuality({ lead: o.lead ?? lead(), subject: 'S', body, fingerprint: 'fp1', memory: o.memory }, { ...HARD, ...o.settings });
const rules = (v: ReturnType<typeof check>) => v.ruleFailures.map((f) => f.ruleId);

describe('quality guard', () => {
  it('passes a specific draft and records the evidence', () => {
    const v = check(GOOD);
    expect(v).toMatchObject({ passed: true, ruleFailures: [], rejectionMemoryHit: false });
    expect(v.evidence.map((e) => e.type)).toEqual(expect.arrayContaining(['company_specific', 'role_impact']));
  });

  it('GUARD-001 blocks at the rejection maximum, not below it', () => {
    expect(rules(check(GOOD, { memory: { count: 1, fingerprints: [], tags: ['weak_cta'] } }))).toEqual([]);
    const v = check(GOOD, { memory: { count: 2, fingerprints: [], tags: ['weak_cta', 'other'] } });
    expect(rules(v)).toEqual(['GUARD-001']);
    expect(v).toMatchObject({ passed: false, rejectionMemoryHit: true });
  });

  it('GUARD-002 blocks a draft identical to a rejected one', () => {
    expect(rules(check(GOOD, { memory: { count: 1, fingerprints: ['fp1'], tags: [] } }))).toEqual(['GUARD-002']);
    expect(rules(check(GOOD, { memory: { count: 1, fingerprints: ['other'], tags: [] } }))).toEqual([]);
  });

  it('GUARD-003 needs company and role evidence, unless the sub-agents find enough', () => {
    const generic = 'Hi Maya,\n\nHope all is well with your company.\n\nWorth a call?';
    const bare = lead({ title: null, company: { ...lead().company, name: 'your company' } });
    expect(rules(check(generic, { lead: bare }))).toEqual(['GUARD-003']);
    expect(rules(check(generic, { lead: lead({ title: 'CEO' }) }))).toEqual([]);
  });

  it.each([
    'Given your role as VP of Sales, quick context:',
    'I hope this email finds you well.',
    'Quick question about Northwind Agency.',
    "I'm reaching out because Northwind Agency is scaling.",
    "I saw you're the VP at Northwind Agency.",
    'Just wanted to share something.',
  ])('GUARD-004 refuses the opener "%s"', (opener) => {
    expect(rules(check(`Hi Maya,\n\n${opener}\n\nNorthwind Agency, revenue roadmap, VP of Sales execution.`))).toContain('GUARD-004');
  });

  it('finds the opener after a short greeting only', () => {
    expect(openerLine('Hi Maya,\n\nFirst line.')).toBe('First line.');
    expect(openerLine('Hello there, this greeting line is much longer than forty characters.\nNext')).toMatch(/^Hello there/);
  });

  it('GUARD-005 fails above the density threshold and passes at it', () => {
    const body = (phrases: string[], sentences: number) => `Northwind Agency VP of Sales revenue. ${phrases.join('. ')}. ${Array.from({ length: sentences }, (_, i) => `Plain sentence ${i}`).join('. ')}.`;
    // 2 phrases in 5 sentences = 0.4: passes; 3 in 5 = 0.6: fails.
    expect(rules(check(body(['move the needle', 'synergy'], 2)))).toEqual([]);
    expect(rules(check(body(['move the needle', 'synergy', 'circle back'], 1)))).toEqual(['GUARD-005']);
  });

  it('soft mode records every failure but lets the draft through; disabled passes everything', () => {
    const bad = 'Hi Maya,\n\nI hope this email finds you well.\n\nLet us move the needle with synergy.';
    const soft = check(bad, { settings: { mode: 'soft' } });
    expect(soft.passed).toBe(true);
    expect(rules(soft)).toContain('GUARD-004');
    expect(check(bad).passed).toBe(false);
    expect(check(bad, { settings: { enabled: false } })).toMatchObject({ passed: true, mode: 'off', ruleFailures: [] });
  });
});

describe('quality guard with the copy checks', () => {
  const withChecks = { ...HARD, checks: DEFAULT_COPY_CHECKS };
  // GOOD padded past the 50-word minimum, so only the copy the test adds can trip a check.
  const LONG = `${GOOD}\n\n${Array.from({ length: 40 }, (_, i) => `plain${i}`).join(' ')}.`;
  const guard = (o: { subject?: string; subjectB?: string; body?: string; linkedinNote?: string; mode?: 'soft' | 'hard' }) =>
    checkDraftQuality(
      { lead: lead(), subject: o.subject ?? 'Northwind Agency revenue roadmap', subjectB: o.subjectB, body: o.body ?? LONG, fingerprint: 'fp1', memory: undefined, linkedinNote: o.linkedinNote },
      { ...withChecks, mode: o.mode ?? 'hard' },
    );

  it('passes clean copy with no failures', () => {
    expect(guard({})).toMatchObject({ passed: true, ruleFailures: [] });
  });

  it('records a flagged rule by name and still lets the draft through in hard mode', () => {
    const v = guard({ subjectB: 'A free audit for Northwind Agency' });
    expect(v).toMatchObject({ passed: true, blockedReason: null });
    expect(v.ruleFailures).toEqual([{ ruleId: 'spam_words', severity: 'flag', message: 'spam trigger word "free"' }]);
  });

  it('blocks on a blocking check in hard mode, with its message as the reason', () => {
    const v = guard({ body: LONG.replace('Worth a call?', 'Worth a call, {first_name}?'), subject: 'Free audit' });
    expect(v.passed).toBe(false);
    expect(v.ruleFailures.map((f) => f.ruleId)).toEqual(['spam_words', 'unresolved_placeholder']);
    expect(v.blockedReason).toBe('unresolved placeholder {first_name}');
    expect(rules(guard({ linkedinNote: 'n'.repeat(301) }))).toEqual(['linkedin_note_length']);
    expect(guard({ linkedinNote: 'n'.repeat(301) }).passed).toBe(false);
  });

  it('only records a blocking check in soft mode', () => {
    const v = guard({ linkedinNote: 'n'.repeat(301), mode: 'soft' });
    expect(v).toMatchObject({ passed: true, blockedReason: null });
    expect(rules(v)).toEqual(['linkedin_note_length']);
  });

  it('runs no copy check when the settings carry none', () => {
    expect(check('Hi Maya, {first_name}', { lead: lead({ title: 'CEO' }) }).ruleFailures).toEqual([]);
  });
});

describe('sub-agents', () => {
  it('extract company, tech, content and role signals, and say when there is enough evidence', () => {
    const l = lead({ title: 'Chief Revenue Officer', sourceType: 'event_attendee', sourceName: 'SaaStr', company: { ...lead().company, technologies: ['Salesforce', 'Slack', 'Gong'] } });
    const merged = extractAllSignals(l);
    expect(merged.meetsMinimumEvidence).toBe(true);
    expect(merged.signals.map((s) => s.value)).toEqual(expect.arrayContaining(['Northwind Agency', 'Uses: Salesforce, Gong', 'Attended: SaaStr']));
    expect(merged.trace).toEqual(['sub:company_intel:1', 'sub:hiring_signals:0', 'sub:tech_stack:1', 'sub:content_engagement:1', 'sub:role_impact:2']);
    expect(techStack(lead()).length).toBe(0);
    expect(roleImpact(lead({ title: 'Senior Analyst' }))[0]?.value).toBe('Senior role: Senior Analyst');
  });
});
