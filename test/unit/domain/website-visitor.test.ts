import { describe, expect, it } from 'vitest';
import { craftDraft } from '../../../src/domain/drafting/index.js';
import { DEFAULT_SENDER_SETTINGS } from '../../../src/domain/drafting/settings.js';
import { emptyLead, mergeProfiles, type LeadProfile } from '../../../src/domain/lead.js';
import { scoreLead } from '../../../src/domain/scoring/score-lead.js';
import { DEFAULT_ICP_SETTINGS } from '../../../src/domain/scoring/settings.js';
import { summariseVisits, topicOfPage, withVisitIntent } from '../../../src/domain/visitors/visit-summary.js';

const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
const SITE = 'https://www.caio.example.com';

const visitor = (overrides: Partial<LeadProfile> = {}): LeadProfile => {
  const lead = emptyLead({
    email: 'maya.rivera@northwind-agency.example.com',
    firstName: 'Maya',
    lastName: 'Rivera',
    title: 'VP of Sales',
    sourceType: 'website_visitor',
    provenance: { email: 'rb2b', firstName: 'rb2b', 'company.name': 'rb2b', sourceType: 'rb2b' },
    ...overrides,
  });
  lead.company = { ...lead.company, name: 'Northwind Agency', domain: 'northwind-agency.example.com', industry: 'Marketing & Advertising', employeeCount: 180 };
  return lead;
};

const TRACKING = /visit|caio\.example|www\.caio|\/blog|pricing|noticed|saw you|our (web)?site|interest from|browsing/i;

describe('a website visit as intent', () => {
  it('sums sightings into page views, pricing views, separate visits (a gap over 30 minutes) and the most read topic', () => {
    const summary = summariseVisits([
      { at: at('16:40'), page: `${SITE}/blog/ai-council?utm_source=x` },
      { at: at('15:00'), page: `${SITE}/blog/ai-council` },
      { at: at('15:20'), page: `${SITE}/pricing` },
      { at: at('15:45'), page: `${SITE}/services/ai-sprint` },
      { at: at('18:00'), page: null },
    ]);
    expect(summary).toEqual({ pageViews: 5, pages: ['/blog/ai-council', '/pricing', '/services/ai-sprint'], pricingPageViews: 1, sessions: 3, topic: 'AI council' });
    expect(summariseVisits([{ at: at('15:00'), page: `${SITE}/` }])).toMatchObject({ pageViews: 1, sessions: 1, topic: null });
  });

  it('reads a topic from the path only, never for pricing, the home page or pages about nothing', () => {
    expect(topicOfPage(`${SITE}/blog/ai-council`)).toBe('AI council');
    expect(topicOfPage(`${SITE}/case-studies/agency`)).toBe('what agency teams have done with AI');
    expect(topicOfPage(`${SITE}/services/revops-automation/`)).toBe('RevOps automation');
    for (const page of [`${SITE}/pricing`, `${SITE}/pricing/enterprise`, `${SITE}/`, `${SITE}/about`, `${SITE}/blog`, `${SITE}/blog/42`, null]) expect(topicOfPage(page)).toBeNull();
  });

  it('scores return visits inside the 20-point intent cap, with a reason a person can read', () => {
    const once = withVisitIntent(visitor(), summariseVisits([{ at: at('15:00'), page: `${SITE}/blog/ai-council` }]), 'rb2b');
    expect(scoreLead(once, DEFAULT_ICP_SETTINGS).components.find((c) => c.code === 'intent')).toMatchObject({ points: 4, reason: '+4: source website_visitor (+4)' });

    const back = withVisitIntent(
      visitor(),
      summariseVisits([
        { at: at('09:00'), page: `${SITE}/pricing` },
        { at: at('11:00'), page: `${SITE}/blog/ai-council` },
      ]),
      'rb2b',
    );
    expect(back.intent).toMatchObject({ websiteVisits: 2, pricingPageVisits: 1, repeatVisits: 1 });
    expect(scoreLead(back, DEFAULT_ICP_SETTINGS).components.find((c) => c.code === 'intent')).toMatchObject({
      points: 18,
      reason: '+18: 2 website visits (+4), pricing page visit (+6), came back for 2 separate visits (+4), source website_visitor (+4)',
    });

    const keen = withVisitIntent(visitor(), summariseVisits(['08:00', '09:00', '10:00', '11:00', '12:00'].map((t) => ({ at: at(t), page: `${SITE}/pricing` }))), 'rb2b');
    const intent = scoreLead(keen, DEFAULT_ICP_SETTINGS).components.find((c) => c.code === 'intent')!;
    expect(intent.points).toBe(20);
    expect(intent.reason).toBe('+20: 5 website visits (+8), pricing page visit (+6), came back for 5 separate visits (+6), source website_visitor (+4), capped at 20 from 24');
  });

  it('keeps the return visits when a provider record is merged into the profile', () => {
    const back = withVisitIntent(visitor(), { pageViews: 2, pages: [], pricingPageViews: 0, sessions: 3, topic: null }, 'rb2b');
    expect(mergeProfiles(back, emptyLead({ title: 'VP Sales' })).intent.repeatVisits).toBe(2);
    expect(mergeProfiles(emptyLead(), back).intent.repeatVisits).toBe(2);
  });
});

describe('a draft for a website visitor (rb2b.mentionVisit)', () => {
  const lead = withVisitIntent(visitor(), summariseVisits([{ at: at('15:00'), page: `${SITE}/blog/ai-council` }]), 'rb2b');

  it('"never" (the default) says nothing about the visit, its topic or its pages', () => {
    for (const mention of [undefined, 'never'] as const) {
      const draft = craftDraft({ lead, tier: 'tier_1', ...(mention ? { visitMention: mention } : {}) }, DEFAULT_SENDER_SETTINGS);
      expect(draft.ok).toBe(true);
      if (!draft.ok) return;
      for (const text of [draft.value.subjectA, draft.value.subjectB, draft.value.body]) {
        expect(text).not.toMatch(TRACKING);
        expect(text).not.toMatch(/AI council/i);
      }
      expect(draft.value.hooks.map((h) => h.text).join(' ')).not.toMatch(/visit|AI council/i);
    }
  });

  it('"topic" names the topic as something teams ask about, grounded in the visit, and never the page', () => {
    const draft = craftDraft({ lead, tier: 'tier_1', visitMention: 'topic' }, DEFAULT_SENDER_SETTINGS);
    expect(draft.ok).toBe(true);
    if (!draft.ok) return;
    expect(draft.value.body).toContain('Teams like Northwind Agency often ask us about AI council, so I wanted to share how we approach it.');
    for (const text of [draft.value.subjectA, draft.value.subjectB, draft.value.body]) expect(text).not.toMatch(TRACKING);
    expect(draft.value.grounding).toContainEqual({ claim: 'topic of interest', field: 'sourceName', value: 'AI council', provider: 'rb2b' });
  });

  it('"topic" with no usable topic (a pricing page, or something that looks like an address) says nothing about the visit', () => {
    const pricing = withVisitIntent(visitor(), summariseVisits([{ at: at('15:00'), page: `${SITE}/pricing` }]), 'rb2b');
    const address = { ...lead, sourceName: 'www.caio.example.com/blog/ai-council' };
    for (const l of [pricing, address]) {
      const draft = craftDraft({ lead: l, tier: 'tier_1', visitMention: 'topic' }, DEFAULT_SENDER_SETTINGS);
      expect(draft.ok).toBe(true);
      if (draft.ok) for (const text of [draft.value.subjectA, draft.value.body]) expect(text).not.toMatch(TRACKING);
    }
  });
});
