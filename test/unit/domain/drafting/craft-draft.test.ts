import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyLead, type LeadProfile } from '../../../../src/domain/lead.js';
import { ANGLES, ANGLE_IDS, personalizationOpening, craftCadenceFollowup, craftDraft, DEFAULT_SENDER_SETTINGS as SENDER, enforceSignature, selectAngle, TIER_ANGLES } from '../../../../src/domain/drafting/index.js';
import { renderTemplate } from '../../../../src/domain/drafting/render-template.js';
import { normalizeTitle } from '../../../../src/domain/drafting/title.js';
import type { Tier } from '../../../../src/domain/tier.js';

const APOLLO = 'apollo_match';
const aLead = (o: Partial<LeadProfile> & { industry?: string | null; employees?: number | null; tech?: string[] } = {}): LeadProfile => {
  const { industry = 'marketing & advertising', employees = 180, tech = ['HubSpot'], ...rest } = o;
  return emptyLead({
    email: 'maya.rivera@northwind.example.com',
    firstName: 'Maya',
    lastName: 'Rivera',
    title: 'VP of Sales',
    company: { name: 'Northwind Agency', domain: 'northwind.example.com', industry, employeeCount: employees, annualRevenue: 24_000_000, technologies: tech, fundingStage: null, linkedinUrl: null },
    provenance: { email: APOLLO, firstName: APOLLO, title: APOLLO, 'company.name': APOLLO, 'company.industry': APOLLO, 'company.employeeCount': APOLLO, 'company.technologies': APOLLO },
    ...rest,
  });
};
const draft = (lead: LeadProfile, tier: Tier = 'tier_1', rejected: string[] = []) => {
  const r = craftDraft({ lead, tier, rejectedAngleIds: rejected }, SENDER);
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
};

describe('craftDraft', () => {
  it("writes a first email with differing A/B subjects, the lead's own facts, and two follow-ups", () => {
    const d = draft(aLead());
    expect(d.subjectA).not.toBe(d.subjectB);
    expect(d.body.startsWith('Hi Maya,')).toBe(true);
    expect(d.body).toContain('Northwind Agency');
    expect(d.followUps.map((f) => [f.step, f.delayDays])).toEqual([
      [2, 3],
      [3, 7],
    ]);
    for (const f of d.followUps) expect(f.subjectA).not.toBe(f.subjectB);
    expect(d.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ends every body with the signature and a compliant footer (sender, postal address, unsubscribe link)', () => {
    const d = draft(aLead());
    for (const body of [d.body, ...d.followUps.map((f) => f.body)]) {
      expect(body.match(/^Best,$/gm)).toHaveLength(1);
      expect(body).toContain(SENDER.name);
      expect(body).toContain(SENDER.physicalAddress);
      expect(body).toContain(`Unsubscribe: ${SENDER.unsubscribeUrl}`);
      expect(body).toContain(SENDER.brandDomain);
      expect(body).toContain(SENDER.ctaLabel);
      expect(body).not.toContain(`${SENDER.ctaLabel}: http`);
    }
  });

  it('records where every personal claim came from', () => {
    const d = draft(aLead(), 'tier_2');
    const fields = d.grounding.map((g) => g.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'company.name']));
    for (const g of d.grounding) {
      expect(g.provider).not.toBe('');
      expect(d.body + d.subjectA + d.subjectB).toContain(g.field === 'company.technologies' ? g.value.split(',')[0]!.trim() : g.field === 'hiringSignal' || g.field === 'sourceType' ? '' : g.value);
    }
  });

  it.each([
    [{ email: null }, 'missing_email'],
    [{ firstName: null, fullName: null }, 'missing_first_name'],
  ])('skips a lead without what a draft needs: %o → %s', (overrides, code) => {
    const r = craftDraft({ lead: aLead(overrides), tier: 'tier_1' }, SENDER);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.reason.length).toBeGreaterThan(10);
    }
  });

  it('skips a lead without a company name', () => {
    const lead = aLead();
    const r = craftDraft({ lead: { ...lead, company: { ...lead.company, name: null } }, tier: 'tier_1' }, SENDER);
    expect(r.ok ? null : r.error.code).toBe('missing_company');
  });

  it('uses the first name from a full name when first/last are missing', () => {
    const d = draft(aLead({ firstName: null, fullName: 'Ana María López' }));
    expect(d.body.startsWith('Hi Ana,')).toBe(true);
    expect(d.grounding[0]).toMatchObject({ field: 'fullName', value: 'Ana' });
  });

  it('never returns a draft with an unfilled variable, whatever facts are missing', () => {
    const arbitrary = fc.record({
      industry: fc.option(fc.constantFrom('software', 'marketing', 'logistics'), { nil: null }),
      title: fc.option(fc.constantFrom('CEO', 'VP of Sales', 'Head of RevOps', 'Director'), { nil: null }),
      employees: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
      tech: fc.array(fc.constantFrom('Salesforce', 'Gong', 'n/a'), { maxLength: 3 }),
      sourceType: fc.constantFrom('apollo_search', 'website_visitor', 'event_attendee', 'post_commenter', 'competitor_follower', 'content_downloader'),
      sourceName: fc.option(fc.constantFrom('SaaStr', 'Gong', 'AI Ops Guide'), { nil: null }),
      hiringSignal: fc.boolean(),
      tier: fc.constantFrom<Tier>('tier_1', 'tier_2', 'tier_3', 'tier_4'),
      email: fc.emailAddress(),
    });
    fc.assert(
      fc.property(arbitrary, (a) => {
        const r = craftDraft(
          { lead: aLead({ industry: a.industry, title: a.title, employees: a.employees, tech: a.tech, sourceType: a.sourceType, sourceName: a.sourceName, hiringSignal: a.hiringSignal, email: a.email.toLowerCase() }), tier: a.tier },
          SENDER,
        );
        if (!r.ok) return r.error.code === 'unfilled_variable';
        const text = [r.value.subjectA, r.value.subjectB, r.value.body, ...r.value.followUps.flatMap((f) => [f.subjectA, f.subjectB, f.body])].join('\n');
        return !/[{}]/.test(text) && !/\bnull\b|\bundefined\b/.test(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sub-agent signals in the opening', () => {
  it('opens with the hiring signal when no source or hook rule applies', () => {
    const lead = aLead({ title: 'CEO', hiringSignal: true, tech: [], employees: 40, provenance: { ...aLead().provenance, hiringSignal: 'apollo_match' } });
    const opening = personalizationOpening(lead, 'Northwind Agency', []);
    expect(opening.sentence).toBe('I saw Northwind Agency is hiring, which usually means the way work gets done is about to change.');
    expect(opening.grounding).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'hiringSignal', provider: 'apollo_match' })]));
    expect(personalizationOpening({ ...lead, hiringSignal: false }, 'Northwind Agency', []).sentence).not.toContain('hiring');
  });
});

describe('rejection context', () => {
  it('never leads with a subject a reviewer rejected for this lead', () => {
    const first = draft(aLead({ title: 'CEO' }));
    const r = craftDraft({ lead: aLead({ title: 'CEO' }), tier: 'tier_1', rejectedSubjects: [first.subjectA.toUpperCase()] }, SENDER);
    expect(r.ok && [r.value.subjectA, r.value.subjectB]).toEqual([first.subjectB, first.subjectA]);
    expect(r.ok && r.value.angleReason).toContain('subject A was rejected before');
  });
});

describe('angle selection', () => {
  it('chooses by signals before the stable pick', () => {
    expect(selectAngle({ lead: aLead({ sourceType: 'website_visitor' }), tier: 'tier_2' }).angleId).toBe('t1_value_first');
    expect(selectAngle({ lead: aLead({ hiringSignal: true }), tier: 'tier_3' }).angleId).toBe('t1_hiring_trigger');
    expect(selectAngle({ lead: aLead({ title: 'Head of RevOps' }), tier: 'tier_1' }).angleId).toBe('t2_ops_efficiency');
    expect(selectAngle({ lead: aLead({ title: 'Founder & CEO' }), tier: 'tier_1' }).angleId).toBe('t1_executive_buyin');
    expect(selectAngle({ lead: aLead({ tech: ['Salesforce'] }), tier: 'tier_2' }).angleId).toBe('t2_tech_stack');
    expect(selectAngle({ lead: aLead({ employees: 20 }), tier: 'tier_3' }).angleId).toBe('t3_diy_resource');
    expect(selectAngle({ lead: aLead(), tier: 'tier_1', recommendedCampaign: 't1_value_first' }).angleId).toBe('t1_value_first');
  });

  it('never picks an angle whose facts the lead lacks', () => {
    const choice = selectAngle({ lead: aLead({ industry: null, tech: ['Salesforce'] }), tier: 'tier_2' });
    expect(choice.angleId).not.toBe('t2_tech_stack');
    for (let i = 0; i < 50; i++) {
      const pick = selectAngle({ lead: aLead({ industry: null, employees: 300, email: `p${i}@x.example.com` }), tier: 'tier_3' });
      expect(ANGLES[pick.angleId].variables).not.toContain('industry');
    }
  });

  it("is stable for the same lead and spreads different leads over the tier's angles", () => {
    const lead = aLead({ title: 'Sales Director', tech: [], employees: 300 });
    const first = selectAngle({ lead, tier: 'tier_1' });
    expect(selectAngle({ lead: structuredClone(lead), tier: 'tier_1' })).toEqual(first);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(selectAngle({ lead: aLead({ title: 'Sales Director', tech: [], employees: 300, email: `person${i}@x.example.com` }), tier: 'tier_3' }).angleId);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect([...seen].every((id) => TIER_ANGLES.tier_3.includes(id as never))).toBe(true);
  });

  it('rotates away from angles reviewers rejected for this lead, and keeps the choice when all were rejected', () => {
    const lead = aLead({ title: 'CEO' });
    expect(selectAngle({ lead, tier: 'tier_1' }).angleId).toBe('t1_executive_buyin');
    const rotated = selectAngle({ lead, tier: 'tier_1', rejectedAngleIds: ['t1_executive_buyin'] });
    expect(rotated.angleId).toBe('t1_industry_specific');
    expect(rotated.reason).toContain('rotated away');
    const all = selectAngle({ lead, tier: 'tier_1', rejectedAngleIds: TIER_ANGLES.tier_1 });
    expect(all.angleId).toBe('t1_executive_buyin');
    expect(all.reason).toContain('every tier_1 angle was rejected');
    expect(draft(lead, 'tier_1', ['t1_executive_buyin']).angleId).toBe('t1_industry_specific');
  });
});

describe('templates', () => {
  it('have 11 angles whose A and B subjects differ in words, not only order', () => {
    expect(ANGLE_IDS).toHaveLength(11);
    for (const angle of Object.values(ANGLES)) {
      const words = (s: string) => new Set(s.toLowerCase().match(/[a-z]+/g));
      const a = words(angle.subjectA);
      const b = words(angle.subjectB);
      expect(
        [...a].some((w) => !b.has(w)),
        angle.id,
      ).toBe(true);
      expect(angle.subjectA.startsWith('Re:'), angle.id).toBe(false);
      expect(angle.body).not.toMatch(/\b(free|guarantee|act now|click here|risk free|urgent)\b/i);
    }
  });

  it('render only when every variable has a value', () => {
    expect(renderTemplate('Hi {{first_name}}', { first_name: 'Bob' })).toEqual({ ok: true, value: 'Hi Bob' });
    expect(renderTemplate('Hi {{first_name}}', { first_name: '  ' })).toEqual({ ok: false, error: { code: 'unfilled_variable', variables: ['first_name'] } });
    expect(renderTemplate('Hi {first_name}', {})).toMatchObject({ ok: false });
  });

  it('produce the golden tier-1 email for Bob at BigData Inc', () => {
    const d = draft(aLead({ firstName: 'Bob', email: 'bob@bigdata.example.com', company: { ...aLead().company, name: 'BigData Inc' } }));
    expect(d.body).toContain('Bob');
    expect(d.body).toContain('BigData Inc');
  });

  it('normalise executive titles to their acronyms', () => {
    expect(normalizeTitle('Chief Revenue Officer (CRO)')).toBe('CRO');
    expect(normalizeTitle('Chief Marketing Officer')).toBe('CMO');
    expect(normalizeTitle('  VP   of Sales ')).toBe('VP of Sales');
  });
});

describe('enforceSignature', () => {
  it('replaces any old sign-off and footer with exactly one canonical block', () => {
    const body = 'Hi Sam,\n\nA note.\n\nThanks,\nOld Name\n---\nReply STOP to opt out';
    const out = enforceSignature(body, SENDER);
    expect(out).not.toContain('Old Name');
    expect(out).not.toContain('Reply STOP');
    expect(out.match(/^Best,$/gm)).toHaveLength(1);
    expect(out.endsWith(`Unsubscribe: ${SENDER.unsubscribeUrl}`)).toBe(true);
    expect(enforceSignature('', SENDER).startsWith('Hi there,')).toBe(true);
  });

  it('is idempotent for any body', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (body) => enforceSignature(enforceSignature(body, SENDER), SENDER) === enforceSignature(body, SENDER)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Hi', 'Best,', '', '  ', 'Thanks,', '--', 'text | Unsubscribe', 'Schedule a call with CAIO', 'x'), { maxLength: 12 }), (lines) => {
        const body = lines.join('\n');
        return enforceSignature(enforceSignature(body, SENDER), SENDER) === enforceSignature(body, SENDER);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cadence follow-ups', () => {
  it.each([
    ['value_followup', 3, 5],
    ['social_proof', 5, 10],
    ['breakup', 7, 17],
    ['close', 8, 21],
  ])('%s is step %i on day %i', (action, step, day) => {
    const f = craftCadenceFollowup(action, aLead(), SENDER);
    expect(f).toMatchObject({ action, step, day });
    expect(f!.body).toContain(SENDER.physicalAddress);
    expect(f!.subject).not.toMatch(/[{}]/);
  });

  it('returns null for actions that are not emails', () => {
    for (const action of ['intro', 'connect', 'message']) expect(craftCadenceFollowup(action, aLead(), SENDER)).toBeNull();
  });
});
