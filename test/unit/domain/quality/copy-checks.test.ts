import { describe, expect, it } from 'vitest';
import { checkCopy, DEFAULT_COPY_CHECKS, type CopyCheckSettings, type CopyInput } from '../../../../src/domain/quality/copy-checks.js';
import { craftDraft, type CraftedDraft } from '../../../../src/domain/drafting/index.js';
import { DEFAULT_SENDER_SETTINGS } from '../../../../src/domain/drafting/settings.js';
import type { Tier } from '../../../../src/domain/tier.js';
import { aProfile } from '../../../support/builders.js';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
/** A clean 60-word message with the canonical footer below `--`. */
const body = (message = `Hi Maya,\n\n${words(60)}`) => `${message}\n\nBest,\nDani\n\n--\nWe write only to leaders. ${words(40)}\nchiefaiofficer.com | Unsubscribe: https://chiefaiofficer.com/unsubscribe`;
const run = (input: Partial<CopyInput>, settings: Partial<CopyCheckSettings> = {}) => checkCopy({ subjects: ['A short subject'], body: body(), ...input }, { ...DEFAULT_COPY_CHECKS, ...settings });
const rules = (findings: ReturnType<typeof checkCopy>) => findings.map((f) => `${f.ruleId}:${f.severity}`);

describe('copy checks', () => {
  it('finds nothing in clean copy', () => {
    expect(run({})).toEqual([]);
  });

  it('names every spam trigger word, as whole words only, in subjects and body', () => {
    const [finding] = run({ subjects: ['Free audit', 'B'], body: body(`Hi Maya,\n\n${words(55)} Act  now, it is 100% risk free.`) });
    expect(finding).toEqual({ ruleId: 'spam_words', severity: 'flag', message: 'spam trigger words "free", "act now", "risk free", "100%"' });
    expect(run({ subjects: ['Freelance teams and cashflow'] })).toEqual([]);
  });

  it('uses the configured word list and action', () => {
    const settings = { spamWords: { action: 'block' as const, words: ['synergies'] } };
    expect(rules(run({ body: body(`Hi Maya,\n\n${words(55)} Synergies ahead.`) }, settings))).toEqual(['spam_words:block']);
    expect(run({ subjects: ['Free audit'] }, settings)).toEqual([]);
  });

  it('flags a subject over the limit, A or B, and not one at it', () => {
    expect(run({ subjects: ['x'.repeat(60), 'y'.repeat(60)] })).toEqual([]);
    const [finding] = run({ subjects: ['short', 'y'.repeat(61)] });
    expect(finding).toMatchObject({ ruleId: 'subject_length', severity: 'flag' });
    expect(finding!.message).toMatch(/^subject of 61 characters \(max 60\)/);
  });

  it('counts the words above the footer against the body limits', () => {
    // "Hi Maya," (2) + 46 + "Best, Dani" (2) = 50: at the minimum; the footer's 40+ words do not count.
    expect(run({ body: body(`Hi Maya,\n\n${words(46)}`) })).toEqual([]);
    expect(run({ body: body(`Hi Maya,\n\n${words(45)}`) })).toEqual([{ ruleId: 'body_length', severity: 'flag', message: 'body of 49 words (allowed 50-300)' }]);
    expect(rules(run({ body: body(`Hi Maya,\n\n${words(297)}`) }))).toEqual(['body_length:flag']);
  });

  it('counts links, the signature and unsubscribe links included', () => {
    const twoMore = body(`Hi Maya,\n\n${words(55)} See https://caio.cx/book and www.example.com/case-study.`);
    expect(run({ body: twoMore })).toEqual([]);
    const threeMore = body(`Hi Maya,\n\n${words(55)} See https://caio.cx/book, https://a.example.com and www.example.com/x.`);
    expect(run({ body: threeMore })).toEqual([{ ruleId: 'link_count', severity: 'flag', message: '4 links (max 3)' }]);
  });

  it('counts HTML and markdown images', () => {
    const withImages = body(`Hi Maya,\n\n${words(55)} <img src="cid:logo"> ![chart](chart.png)`);
    expect(run({ body: withImages })).toEqual([{ ruleId: 'image_count', severity: 'flag', message: '2 images (max 0)' }]);
    expect(run({ body: withImages }, { images: { action: 'flag', max: 2 } })).toEqual([]);
  });

  it('blocks unresolved placeholders in any form, each named once', () => {
    const findings = run({ subjects: ['Hello {first_name}'], body: body(`Hi {{ first_name }},\n\n${words(55)} At {company}, {first_name} and {% if x %}.`) });
    expect(findings).toEqual([{ ruleId: 'unresolved_placeholder', severity: 'block', message: 'unresolved placeholders {first_name}, {{ first_name }}, {company}, {% if x %}' }]);
  });

  it('blocks a LinkedIn note over 300 characters, counting characters not bytes', () => {
    expect(run({ linkedinNote: 'é'.repeat(300) })).toEqual([]);
    expect(run({ linkedinNote: null })).toEqual([]);
    expect(run({ linkedinNote: 'n'.repeat(301) })).toEqual([{ ruleId: 'linkedin_note_length', severity: 'block', message: 'LinkedIn note of 301 characters (max 300)' }]);
  });

  it('runs no check that is off', () => {
    const off = Object.fromEntries(Object.entries(DEFAULT_COPY_CHECKS).map(([k, v]) => [k, { ...v, action: 'off' }])) as CopyCheckSettings;
    const bad = { subjects: ['Free {x} ' + 'y'.repeat(80)], body: `{{a}} <img> https://a.b https://c.d https://e.f https://g.h`, linkedinNote: 'n'.repeat(400) };
    expect(rules(run(bad))).toEqual(['spam_words:flag', 'subject_length:flag', 'body_length:flag', 'link_count:flag', 'image_count:flag', 'unresolved_placeholder:block', 'linkedin_note_length:block']);
    expect(checkCopy(bad, off)).toEqual([]);
  });

  it.each<[Tier, boolean]>([
    ['tier_1', false],
    ['tier_1', true],
    ['tier_2', false],
    ['tier_3', false],
  ])('leaves the drafts the crafter writes clean by default (%s, hiring %s)', (tier, hiringSignal) => {
    const crafted = craftDraft({ lead: aProfile({ email: 'maya@northwind.example.com', hiringSignal }), tier }, DEFAULT_SENDER_SETTINGS);
    const draft = (crafted as { ok: true; value: CraftedDraft }).value;
    expect(crafted.ok).toBe(true);
    expect(checkCopy({ subjects: [draft.subjectA, draft.subjectB], body: draft.body }, DEFAULT_COPY_CHECKS)).toEqual([]);
  });
});
