import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyLead, type LeadProfile } from '../../../../src/domain/lead.js';
import { scoreLead } from '../../../../src/domain/scoring/score-lead.js';
import { DEFAULT_ICP_SETTINGS as ICP } from '../../../../src/domain/scoring/settings.js';
import { normalizeCompanyName } from '../../../../src/domain/scoring/disqualification.js';

type LeadShortcut = { title?: string | null; employees?: number | null; industry?: string | null; tech?: string[]; email?: string | null; domain?: string | null; companyName?: string | null };
const lead = (o: LeadShortcut & Omit<Partial<LeadProfile>, keyof LeadShortcut | 'company'> = {}): LeadProfile => {
  const { title = null, employees = null, industry = null, tech = [], email = null, domain = null, companyName = 'Acme', ...rest } = o;
  return emptyLead({
    title,
    email,
    company: { name: companyName, domain, industry, employeeCount: employees, annualRevenue: null, technologies: tech, fundingStage: null, linkedinUrl: null },
    ...rest,
  });
};
const component = (l: LeadProfile, code: string) => scoreLead(l, ICP).components.find((c) => c.code === code)!;

describe('company size (at most 20)', () => {
  it.each([
    [null, 0],
    [0, 0],
    [9, 0],
    [10, 5],
    [19, 5],
    [20, 12],
    [50, 12],
    [51, 20],
    [500, 20],
    [501, 15],
    [1000, 15],
    [1001, 10],
    [50_000, 10],
  ])('%s employees score %i', (employees, points) => {
    expect(component(lead({ employees }), 'company_size').points).toBe(points);
  });

  it('tells an unknown count from a too-small company, and neither disqualifies', () => {
    const unknown = scoreLead(lead({ employees: null }), ICP);
    const small = scoreLead(lead({ employees: 5 }), ICP);
    expect(unknown.warnings).toEqual(['Employee count unknown']);
    expect(small.warnings).toEqual(['Company too small (<10 employees)']);
    expect(small.reasons[0]).toBe('NOTE: company too small (<10 employees)');
    expect(small.disqualification).toBeNull();
    expect(unknown.reasons.some((r) => r.startsWith('NOTE'))).toBe(false);
  });
});

describe('title seniority (at most 25), whole words only', () => {
  it.each([
    ['CEO', 'c_level', 25],
    ['Co-Founder', 'c_level', 25],
    ['Founder & CEO', 'c_level', 25],
    ['Managing Partner', 'c_level', 25],
    ['President', 'c_level', 25],
    ['Chief Executive Officer', 'c_level', 25],
    ['VP of Sales', 'vp', 22],
    ['SVP, Sales', 'vp', 22],
    ['Chief Revenue Officer (CRO)', 'vp', 22],
    ['Managing Director', 'vp', 22],
    ['CMO', 'vp', 22],
    ['Head of Digital', 'vp', 22],
    ['Director of Sales', 'director', 15],
    ['Senior Director, Partnerships', 'director', 15],
    ['Head of Data', 'director', 15],
    ['Marketing Manager', 'manager', 8],
    ['Team Lead', 'manager', 8],
    ['Principal Consultant', 'manager', 8],
    ['Account Executive', 'none', 0],
    ['Head of Sales', 'none', 0],
  ])('"%s" is %s (%i)', (title, bucket, points) => {
    const s = scoreLead(lead({ title }), ICP);
    expect(s.titleBucket).toBe(bucket);
    expect(s.components[1]!.points).toBe(points);
  });

  it('no longer counts "Director" as CTO, "Coordinator" as COO or "Vice President" as President', () => {
    expect(scoreLead(lead({ title: 'Director of Operations' }), ICP).titleBucket).toBe('director');
    expect(scoreLead(lead({ title: 'Sales Coordinator' }), ICP).titleBucket).toBe('none');
    const vp = scoreLead(lead({ title: 'Vice President of Sales', industry: 'marketing' }), ICP);
    expect(vp.titleBucket).toBe('vp');
    expect(vp.multiplier).toBe(1.3);
  });

  it('gives a missing title 0 with a reason', () => {
    expect(component(lead({ title: null }), 'title')).toMatchObject({ points: 0, reason: '+0: no title on record' });
  });
});

describe('industry fit (at most 20)', () => {
  it.each([
    ['marketing & advertising', 'tier_1', 20],
    ['management consulting', 'tier_1', 20],
    ['staffing & recruiting', 'tier_1', 20],
    ['E-Commerce', 'tier_1', 20],
    ['computer software', 'tier_2', 15],
    ['information technology & services', 'tier_2', 15],
    ['financial services', 'tier_2', 15],
    ['manufacturing', 'tier_3', 10],
    ['logistics & supply chain', 'tier_3', 10],
    ['non-profit organization management', 'none', 0],
    [null, 'none', 0],
  ])('"%s" is %s (%i)', (industry, bucket, points) => {
    const s = scoreLead(lead({ industry }), ICP);
    expect(s.industryBucket).toBe(bucket);
    expect(s.components[2]!.points).toBe(points);
  });

  it('matches whole words: "Fintech" is not "tech", "Lawn care" is not "law"', () => {
    expect(scoreLead(lead({ industry: 'Fintech' }), ICP).industryBucket).toBe('tier_2');
    expect(scoreLead(lead({ industry: 'Lawn care' }), ICP).industryBucket).toBe('none');
  });
});

describe('tech stack (at most 15)', () => {
  it('adds 8 per CRM, 5 per sales tool, 3 per marketing tool, and caps at 15', () => {
    expect(component(lead({ tech: ['Salesforce'] }), 'tech_stack').points).toBe(8);
    expect(component(lead({ tech: ['Gong'] }), 'tech_stack').points).toBe(5);
    expect(component(lead({ tech: ['Marketo'] }), 'tech_stack').points).toBe(3);
    expect(component(lead({ tech: ['HubSpot', 'Marketo'] }), 'tech_stack').points).toBe(11);
    const capped = component(lead({ tech: ['Salesforce', 'HubSpot', 'Gong'] }), 'tech_stack');
    expect(capped.points).toBe(15);
    expect(capped.reason).toContain('capped at 15 from 21');
  });

  it('accepts a comma-separated entry and ignores tools it does not know', () => {
    expect(component(lead({ tech: ['Salesforce, Outreach'] }), 'tech_stack').points).toBe(13);
    expect(component(lead({ tech: ['Slack', 'Zoom'] }), 'tech_stack').points).toBe(0);
  });
});

describe('intent and engagement share the 20-point cap (fix B5)', () => {
  it('scores each signal and the source bonus inside the cap', () => {
    const intent = (i: Partial<LeadProfile['intent']>, sourceType = 'apollo_search') => component(lead({ intent: { websiteVisits: 0, contentDownloads: 0, pricingPageVisits: 0, demoRequested: false, ...i }, sourceType }), 'intent').points;
    expect(intent({ websiteVisits: 2 })).toBe(4);
    expect(intent({ websiteVisits: 5 })).toBe(8);
    expect(intent({ contentDownloads: 1 })).toBe(4);
    expect(intent({ contentDownloads: 3 })).toBe(8);
    expect(intent({ pricingPageVisits: 1 })).toBe(6);
    expect(intent({ demoRequested: true })).toBe(10);
    expect(intent({}, 'website_visitor')).toBe(4);
    expect(intent({ websiteVisits: 9, contentDownloads: 9, pricingPageVisits: 9, demoRequested: true }, 'demo_requester')).toBe(20);
  });

  it('adds the engagement bonus in full while the intent cap has room', () => {
    expect(scoreLead(lead({ sourceType: 'post_commenter' }), ICP).components[5]!.points).toBe(5);
    expect(scoreLead(lead({ sourceType: 'event_attendee' }), ICP).components[5]!.points).toBe(4);
    expect(scoreLead(lead({ sourceType: 'competitor_follower' }), ICP).components[5]!.points).toBe(3);
    expect(scoreLead(lead({ sourceType: 'apollo_search' }), ICP).components[5]!.points).toBe(0);
  });

  it('keeps intent plus engagement within 20: a full intent score leaves no room for the bonus', () => {
    const full = { websiteVisits: 9, contentDownloads: 9, pricingPageVisits: 9, demoRequested: true };
    const s = scoreLead(lead({ intent: full, sourceType: 'post_commenter' }), ICP);
    const engagement = s.components.find((c) => c.code === 'engagement')!;
    expect(s.components.find((c) => c.code === 'intent')!.points).toBe(20);
    expect(engagement.points).toBe(0);
    expect(engagement.max).toBe(0);
    expect(engagement.reason).toBe('+0: engagement bonus, commented on a post, nothing counted: intent already has 20 of the 20-point cap');
  });

  it('counts only the part of the bonus that fits under the cap', () => {
    // 5 visits (+8) and 3 downloads (+8) = 16 intent points; the commenter bonus of 5 adds 4.
    const s = scoreLead(lead({ intent: { websiteVisits: 5, contentDownloads: 3, pricingPageVisits: 0, demoRequested: false }, sourceType: 'post_commenter' }), ICP);
    const [intent, engagement] = [s.components[4]!, s.components[5]!];
    expect(intent.points + engagement.points).toBe(20);
    expect(engagement.points).toBe(4);
    expect(engagement.reason).toContain('4 of 5 counted');
    expect(s.rawPoints).toBe(s.components.reduce((sum, c) => sum + c.points, 0));
  });

  it('never lets intent plus engagement pass 20, whatever the signals', () => {
    for (const sourceType of ['post_commenter', 'event_attendee', 'competitor_follower', 'demo_requester']) {
      for (const visits of [0, 2, 5]) {
        for (const downloads of [0, 1, 3]) {
          for (const pricing of [0, 1]) {
            for (const demo of [false, true]) {
              const s = scoreLead(lead({ intent: { websiteVisits: visits, contentDownloads: downloads, pricingPageVisits: pricing, demoRequested: demo }, sourceType }), ICP);
              expect(s.components[4]!.points + s.components[5]!.points).toBeLessThanOrEqual(20);
            }
          }
        }
      }
    }
  });
});

describe('head-of-sales multiplier and the total', () => {
  const base = { employees: 150, tech: [] };
  it.each([
    ['CEO', 'marketing', 1.5],
    ['CEO', 'software', 1.3],
    ['CEO', null, 1.3],
    ['VP of Sales', 'marketing', 1.3],
    ['VP of Sales', 'software', 1.2],
    ['VP of Sales', 'manufacturing', 1.1],
    ['VP of Sales', null, 1.1],
    ['Director of Sales', 'marketing', 1],
    ['Marketing Manager', 'marketing', 1],
  ])('%s in %s multiplies by %s', (title, industry, multiplier) => {
    expect(scoreLead(lead({ ...base, title, industry }), ICP).multiplier).toBe(multiplier);
  });

  it("truncates after multiplying: the spec example now scores as a director (65), not as the original's VP (79)", () => {
    const full = { websiteVisits: 9, contentDownloads: 9, pricingPageVisits: 9, demoRequested: true };
    const director = scoreLead(lead({ title: 'Director of Operations', employees: 150, industry: 'manufacturing', intent: full, sourceType: 'website_visitor' }), ICP);
    expect(director.rawPoints).toBe(65);
    expect(director.points).toBe(65);
    const vp = scoreLead(lead({ title: 'VP of Operations', employees: 150, industry: 'manufacturing', intent: full, sourceType: 'website_visitor' }), ICP);
    expect(vp.rawPoints).toBe(72);
    expect(vp.points).toBe(79);
  });

  it('caps at 100', () => {
    const s = scoreLead(
      lead({ title: 'CEO', employees: 150, industry: 'marketing', tech: ['Salesforce', 'Gong', 'Marketo'], intent: { websiteVisits: 9, contentDownloads: 9, pricingPageVisits: 9, demoRequested: true }, sourceType: 'post_commenter' }),
      ICP,
    );
    // 20 + 25 + 20 + 15 + 20 intent (the commenter bonus has no room left) = 100, x1.5 = 150.
    expect(s.rawPoints).toBe(100);
    expect(s.points).toBe(100);
    expect(s.reasons.at(-1)).toBe('= 100/100 total ICP score (capped at 100)');
  });

  it('writes one reason per component, the multiplier line only above 1, then the total', () => {
    const s = scoreLead(lead({ title: 'VP of Sales', employees: 180, industry: 'marketing & advertising', tech: ['Salesforce'] }), ICP);
    expect(s.reasons).toHaveLength(8);
    expect(s.reasons.slice(0, 6).every((r) => /^\+\d+: /.test(r))).toBe(true);
    expect(s.reasons[6]).toBe('x1.3: HoS multiplier for VP in a tier-1 industry (70 -> 91)');
    expect(s.reasons[7]).toBe('= 91/100 total ICP score');
    const flat = scoreLead(lead({ title: 'Marketing Manager' }), ICP);
    expect(flat.reasons.some((r) => r.startsWith('x'))).toBe(false);
  });
});

describe('tiers and needs_review', () => {
  it.each([
    [79, 'tier_2'],
    [80, 'tier_1'],
    [59, 'tier_3'],
    [60, 'tier_2'],
    [39, 'tier_4'],
    [40, 'tier_3'],
  ])('%i points is %s', async (points, tier) => {
    const { tierFor } = await import('../../../../src/domain/tier.js');
    expect(tierFor(points, ICP.tiers)).toBe(tier);
  });

  it('flags 70..85 inclusive for review', () => {
    const at = (title: string, employees: number, industry: string | null) => scoreLead(lead({ title, employees, industry }), ICP);
    // VP (22) + 180 employees (20) + tier-1 industry (20) = 62 x 1.3 = 80
    expect(at('VP of Sales', 180, 'marketing')).toMatchObject({ points: 80, needsReview: true, tier: 'tier_1' });
    // CEO (25) + 180 (20) + tier-1 (20) = 65 x 1.5 = 97
    expect(at('CEO', 180, 'marketing')).toMatchObject({ points: 97, needsReview: false });
    // Director (15) + 180 (20) + tier-1 (20) = 55
    expect(at('Director of Sales', 180, 'marketing')).toMatchObject({ points: 55, needsReview: false, tier: 'tier_3' });
  });
});

describe('disqualification', () => {
  it.each([
    ['sam@gong.io', null, 'Gong', 'competitor'],
    ['kim@emea.zoominfo.com', null, 'Northstar Data', 'competitor'],
    ['a@x.example.com', 'mail.apollo.io', 'Whatever', 'competitor'],
    ['pat@somewhere.example.com', null, 'CompetitorX', 'competitor'],
    ['pat@somewhere.example.com', null, 'Seamless.AI, Inc.', 'competitor'],
    ['dani@chiefaiofficer.com', null, 'Chief AI Officer', 'excluded_domain'],
    ['dani@B2B.ChiefAIOfficer.com', null, 'Chief AI Officer', 'excluded_domain'],
  ])('%s (%s, %s) is %s', (email, domain, company, code) => {
    const s = scoreLead(lead({ email: email.toLowerCase(), domain, companyName: company }), ICP);
    expect(s.disqualification?.code).toBe(code);
    expect(s.reasons[0]).toBe(`DISQUALIFIED: ${s.disqualification!.reason}`);
    if (code === 'competitor') expect(s.disqualification!.reason).toContain('competitor');
  });

  it('excludes listed addresses exactly, and does not flag look-alike company names', () => {
    const settings = { ...ICP, exclusions: { ...ICP.exclusions, excludedEmails: ['vip@customer.example.com'] } };
    expect(scoreLead(lead({ email: 'vip@customer.example.com' }), settings).disqualification?.code).toBe('excluded_email');
    expect(scoreLead(lead({ email: 'other@customer.example.com' }), settings).disqualification).toBeNull();
    expect(scoreLead(lead({ companyName: 'Community Outreach Partners' }), ICP).disqualification).toBeNull();
    expect(scoreLead(lead({ email: 'a@notgong.io' }), ICP).disqualification).toBeNull();
  });

  it('still computes points and tier for a disqualified lead, for transparency', () => {
    const s = scoreLead(lead({ email: 'ceo@gong.io', title: 'CEO', employees: 200, industry: 'software' }), ICP);
    expect(s.points).toBeGreaterThan(0);
    expect(s.disqualification).not.toBeNull();
  });

  it('normalises company names for comparison', () => {
    expect(normalizeCompanyName('Gong.io, Inc.')).toBe('gong');
    expect(normalizeCompanyName('People.ai')).toBe('people');
  });
});

describe('campaign recommendation', () => {
  it.each([
    [{ sourceType: 'demo_requester' }, 'sales_qualified_fasttrack'],
    [{ intent: { websiteVisits: 0, contentDownloads: 0, pricingPageVisits: 2, demoRequested: false } }, 'high_intent_pricing'],
    [{ sourceType: 'competitor_follower', sourceName: 'Gong community' }, 'gong_displacement'],
    [{ sourceType: 'competitor_follower', sourceName: 'Acme' }, 'competitor_displacement'],
    [{ sourceType: 'event_attendee' }, 'event_followup'],
    [{ sourceType: 'webinar_registrant' }, 'webinar_followup'],
    [{ sourceType: 'post_commenter' }, 'thought_leadership_response'],
    [{ sourceType: 'group_member' }, 'community_outreach'],
    [{}, 'nurture_sequence'],
  ])('%o → %s', (overrides, campaign) => {
    expect(scoreLead(lead(overrides as Omit<Partial<LeadProfile>, 'title' | 'email' | 'company'>), ICP).recommendedCampaign).toBe(campaign);
  });
});

describe('any lead', () => {
  const arbitraryLead = fc.record({
    title: fc.option(fc.constantFrom('CEO', 'VP of Sales', 'Director', 'Manager', 'Intern', 'Vice President', 'x'), { nil: null }),
    employees: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
    industry: fc.option(fc.constantFrom('marketing', 'software', 'manufacturing', 'bakery'), { nil: null }),
    tech: fc.array(fc.constantFrom('Salesforce', 'Gong', 'Marketo', 'Slack'), { maxLength: 6 }),
    visits: fc.nat(20),
    downloads: fc.nat(20),
    pricing: fc.nat(5),
    demo: fc.boolean(),
    sourceType: fc.constantFrom('apollo_search', 'website_visitor', 'post_commenter', 'demo_requester', 'event_attendee'),
  });

  it('scores an integer from 0 to 100 whose tier agrees with the thresholds', () => {
    fc.assert(
      fc.property(arbitraryLead, (a) => {
        const s = scoreLead(
          lead({
            title: a.title,
            employees: a.employees,
            industry: a.industry,
            tech: a.tech,
            sourceType: a.sourceType,
            intent: { websiteVisits: a.visits, contentDownloads: a.downloads, pricingPageVisits: a.pricing, demoRequested: a.demo },
          }),
          ICP,
        );
        const expectedTier = s.points >= 80 ? 'tier_1' : s.points >= 60 ? 'tier_2' : s.points >= 40 ? 'tier_3' : 'tier_4';
        return (
          Number.isInteger(s.points) &&
          s.points >= 0 &&
          s.points <= 100 &&
          s.tier === expectedTier &&
          s.components.length === 6 &&
          s.reasons.at(-1) === `= ${s.points}/100 total ICP score${s.rawPoints * s.multiplier >= 101 ? ' (capped at 100)' : ''}`
        );
      }),
    );
  });
});
