import { describe, expect, it } from 'vitest';
import { cleanReply, isOpenReading, mergeLlmReading, resolveLlmTimes, understandReply, LLM_ANSWER_CAP, type LlmReading, type ReplyUnderstanding } from '../../../../src/domain/replies/index.js';

/** Monday 23 November 2026, 10:00 UTC: the reply's sending time in every case. */
const SENT = new Date('2026-11-23T10:00:00Z');

const read = (text: string, timeZone = 'UTC') => {
  const rules = understandReply(text, { sentAt: SENT, timeZone });
  const ctx = { text: cleanReply(text), sentAt: SENT, timeZone };
  return { rules, merge: (llm: Partial<LlmReading>) => mergeLlmReading(rules, { class: 'question', kind: null, confidence: 0.9, evidence: [], proposedTimes: [], ...llm }, ctx, 'claude-test') };
};

describe('mergeLlmReading: the LLM may only add to or confirm the rules (docs/replies.md)', () => {
  it('answers what the rules left open (another language): its class and kind taken, confidence capped, its words as evidence', () => {
    const { rules, merge } = read('Gracias, pero ahora no tenemos presupuesto para esto.');
    expect(rules).toMatchObject({ class: 'question', confidence: 0.2 });
    const { understanding, llm } = merge({ class: 'objection', kind: 'budget', confidence: 0.9, evidence: ['no tenemos presupuesto'] });
    expect(understanding).toMatchObject({ class: 'objection', kind: 'budget', confidence: LLM_ANSWER_CAP, evidence: ['no tenemos presupuesto'] });
    expect(llm).toMatchObject({ verdict: 'answered', added: ['class', 'kind'], model: 'claude-test', needsPerson: false });
  });

  it('answers the no-rule fallback too, but not when the model is unsure', () => {
    const { rules, merge } = read('hmm, maybe, let me see');
    expect(rules).toMatchObject({ class: 'question', confidence: 0.3 });
    expect(merge({ class: 'interested', confidence: 0.8, evidence: ['maybe'] }).understanding.class).toBe('interested');
    const unsure = merge({ class: 'interested', confidence: 0.5, evidence: ['maybe'] });
    expect(unsure.understanding).toEqual(rules);
    expect(unsure.llm).toMatchObject({ verdict: 'ignored', reason: 'the model is unsure' });
  });

  it('adds proposed times in another language, resolved in the prospect zone and only where its words are in the text', () => {
    const { rules, merge } = read('El martes a las 14h me va bien para una llamada.', 'Europe/Madrid');
    expect(rules.proposedTimes).toEqual([]);
    const { understanding, llm } = merge({
      class: 'meeting_request',
      confidence: 0.9,
      evidence: ['me va bien'],
      proposedTimes: [
        { text: 'El martes a las 14h', local: '2026-11-24T14:00', precision: 'exact' },
        // Words the reply does not hold: an invented time, dropped.
        { text: 'el jueves a las 10h', local: '2026-11-26T10:00', precision: 'exact' },
      ],
    });
    expect(understanding.class).toBe('meeting_request');
    // 14:00 in Madrid (CET, UTC+1) is 13:00 UTC.
    expect(understanding.proposedTimes).toEqual([{ at: '2026-11-24T13:00:00.000Z', text: 'El martes a las 14h', precision: 'exact', timeZone: 'Europe/Madrid' }]);
    expect(llm.added).toEqual(['class', 'proposedTimes']);
  });

  it("drops the model's past, impossible and far-off times, and marks a weekend one", () => {
    const ctx = { text: 'sábado 10:00, 2026-02-30, lunes pasado, 2029', sentAt: SENT, timeZone: 'UTC' };
    const times = resolveLlmTimes(
      [
        { text: 'sábado 10:00', local: '2026-11-28T10:00', precision: 'exact' },
        { text: '2026-02-30', local: '2026-02-30T10:00', precision: 'day' },
        { text: 'lunes pasado', local: '2026-11-16T10:00', precision: 'day' },
        { text: '2029', local: '2029-01-02T10:00', precision: 'day' },
      ],
      ctx,
    );
    expect(times).toEqual([{ at: '2026-11-28T10:00:00.000Z', text: 'sábado 10:00', precision: 'exact', timeZone: 'UTC', outsideBusinessHours: true }]);
  });

  it("confirms a rule's answer: the same class raises the confidence, the rules' evidence stays", () => {
    const { rules, merge } = read('Not interested, thanks.');
    const { understanding, llm } = merge({ class: 'not_interested', confidence: 0.95, evidence: ['Not interested'] });
    expect(understanding.class).toBe('not_interested');
    expect(understanding.evidence).toEqual(rules.evidence);
    expect(understanding.confidence).toBeGreaterThan(rules.confidence);
    expect(understanding.confidence).toBeLessThan(1);
    expect(llm).toMatchObject({ verdict: 'confirmed', added: ['confidence'] });
  });

  it('fills a missing objection kind (the rules found an objection without its reason)', () => {
    const text = 'We cannot do this right now, our board will not approve it.';
    const rules: ReplyUnderstanding = { class: 'objection', kind: null, confidence: 0.75, evidence: ['cannot do this'], proposedTimes: [], returnDate: null };
    const { understanding, llm } = mergeLlmReading(rules, { class: 'objection', kind: 'authority', confidence: 0.8, evidence: ['our board will not approve it'], proposedTimes: [] }, { text, sentAt: SENT, timeZone: 'UTC' });
    expect(understanding).toMatchObject({ class: 'objection', kind: 'authority', evidence: ['cannot do this'] });
    expect(llm).toMatchObject({ verdict: 'added', added: ['kind', 'confidence'] });
  });

  it('never overrules a confident rule: another class is a disagreement for a person, the rules stand', () => {
    const { rules, merge } = read('We have no budget for this until next year.');
    expect(rules).toMatchObject({ class: 'objection', kind: 'budget' });
    const other = merge({ class: 'interested', confidence: 0.99, evidence: ['next year'] });
    expect(other.understanding).toEqual(rules);
    expect(other.llm).toMatchObject({ verdict: 'disagrees', needsPerson: true, class: 'interested', reason: 'the rules read objection' });
    // Same class, another kind: the rules' kind stands too.
    const kind = merge({ class: 'objection', kind: 'timing', confidence: 0.99, evidence: ['until next year'] });
    expect(kind.understanding).toEqual(rules);
    expect(kind.llm).toMatchObject({ verdict: 'disagrees', reason: 'the rules read the objection as budget' });
  });

  it('never turns an unsubscribe into anything else, however sure the model is', () => {
    const { rules, merge } = read('Interesting, but take me off this list.');
    expect(rules.class).toBe('unsubscribe');
    const { understanding, llm } = merge({ class: 'interested', confidence: 1, evidence: ['Interesting'] });
    expect(understanding).toEqual(rules);
    expect(llm).toMatchObject({ verdict: 'disagrees', needsPerson: true, reason: 'the rules read an opt-out; it is never changed' });
    // It may confirm one.
    expect(merge({ class: 'unsubscribe', confidence: 0.9, evidence: ['take me off this list'] }).understanding).toMatchObject({ class: 'unsubscribe', confidence: 0.97 });
  });

  it('ignores the whole answer when its evidence is not words of the reply (or is missing)', () => {
    const { rules, merge } = read('Gracias, pero ahora no tenemos presupuesto para esto.');
    for (const evidence of [['we have no budget'], ['no tenemos presupuesto', 'invented words'], [], ['   ']]) {
      const { understanding, llm } = merge({ class: 'objection', kind: 'budget', confidence: 0.95, evidence });
      expect(understanding).toEqual(rules);
      expect(llm).toMatchObject({ verdict: 'ignored', reason: 'evidence not found in the reply' });
    }
    // Case, runs of spaces and curly quotes do not matter.
    expect(merge({ class: 'objection', kind: 'budget', confidence: 0.95, evidence: ['NO  tenemos\npresupuesto'] }).llm.verdict).toBe('answered');
    expect(read('We don’t need it').merge({ class: 'question', confidence: 0.9, evidence: ["don't need"] }).llm.verdict).not.toBe('ignored');
  });

  it('keeps times off the classes that carry none, and never replaces the rules’ own times', () => {
    const { rules, merge } = read('Tuesday at 2pm works, send an invite.');
    expect(rules.proposedTimes).toHaveLength(1);
    const { understanding } = merge({ class: 'meeting_request', confidence: 0.9, evidence: ['Tuesday at 2pm'], proposedTimes: [{ text: 'Tuesday at 2pm', local: '2026-11-24T15:00', precision: 'exact' }] });
    expect(understanding.proposedTimes).toEqual(rules.proposedTimes);
    const open = read('Ahora no, quizás el martes a las 14h.');
    expect(isOpenReading(open.rules)).toBe(true);
    const no = open.merge({ class: 'not_interested', confidence: 0.9, evidence: ['Ahora no'], proposedTimes: [{ text: 'el martes a las 14h', local: '2026-11-24T14:00', precision: 'exact' }] });
    expect(no.understanding).toMatchObject({ class: 'not_interested', proposedTimes: [] });
  });
});
