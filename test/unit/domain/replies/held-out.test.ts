import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { understandReply, type ReplyUnderstanding } from '../../../../src/domain/replies/index.js';

/**
 * The held-out set (test/fixtures/replies/held-out.json): what a person would assign to each reply.
 * Batches 1-8 were used, one after another, to improve the rules after they were measured; batch 9
 * was written after the last change to the rules and measured once (only its two missed opt-outs
 * were fixed since). So batch 9 says how the rules do on replies they have not seen, and the floors
 * below are the figures reached, not targets. docs/replies.md has the history.
 */
type Expected = { class: string; kind?: string; proposedTimes: { at: string; picksOffered?: number }[]; returnDate: string | null };
type HeldOut = { id: string; batch: number; channel: 'email' | 'linkedin'; sentAt: string; timeZone: string; offeredSlots?: string[]; text: string; expect: Expected };

const { replies } = JSON.parse(readFileSync(new URL('../../../fixtures/replies/held-out.json', import.meta.url), 'utf8')) as { replies: HeldOut[] };
const results = replies.map((reply) => ({
  reply,
  got: understandReply(reply.text, { sentAt: new Date(reply.sentAt), timeZone: reply.timeZone, offeredSlots: reply.offeredSlots?.map((slot) => new Date(slot)) }),
}));

const share = (items: readonly unknown[], of: readonly unknown[]) => items.length / of.length;
const timesOf = (times: readonly { at: string; picksOffered?: number }[]) => times.map((t) => `${t.at}${t.picksOffered === undefined ? '' : `#${t.picksOffered}`}`).join(',');
const classRight = ({ reply, got }: { reply: HeldOut; got: ReplyUnderstanding }) => got.class === reply.expect.class;
const batch = (n: number) => results.filter((r) => r.reply.batch === n);

describe('reply understanding on the held-out set', () => {
  it('holds at least 80 varied replies over every class, both channels and several languages', () => {
    expect(replies.length).toBeGreaterThanOrEqual(80);
    expect(new Set(replies.map((r) => r.id)).size).toBe(replies.length);
    expect(new Set(replies.map((r) => r.expect.class)).size).toBe(9);
    expect(new Set(replies.map((r) => r.channel))).toEqual(new Set(['email', 'linkedin']));
    expect(replies.filter((r) => r.text.includes('<div') || r.text.includes('<p>')).length).toBeGreaterThanOrEqual(5);
  });

  it('misses no opt-out, in any batch, and reads nothing else as one', () => {
    const missed = results.filter(({ reply, got }) => reply.expect.class === 'unsubscribe' && got.class !== 'unsubscribe').map(({ reply }) => reply.id);
    const invented = results.filter(({ reply, got }) => reply.expect.class !== 'unsubscribe' && got.class === 'unsubscribe').map(({ reply }) => reply.id);
    expect(missed).toEqual([]);
    expect(invented).toEqual([]);
  });

  it('keeps the class accuracy reached on the unseen batch, and on the batches used to improve the rules', () => {
    const unseen = batch(9);
    expect(share(unseen.filter(classRight), unseen)).toBeGreaterThanOrEqual(0.84);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(share(batch(n).filter(classRight), batch(n))).toBeGreaterThanOrEqual(0.98);
  });

  it('is right on at least 98 % of the unseen replies it answers with confidence 0.5 or more', () => {
    const confident = batch(9).filter(({ got }) => got.confidence >= 0.5);
    expect(share(confident, batch(9))).toBeGreaterThanOrEqual(0.75);
    expect(share(confident.filter(classRight), confident)).toBeGreaterThanOrEqual(0.98);
  });

  it('gives the objection kind, the proposed times and the return date a person would', () => {
    const objections = results.filter(({ reply }) => reply.expect.class === 'objection');
    expect(
      share(
        objections.filter(({ reply, got }) => got.kind === reply.expect.kind),
        objections,
      ),
    ).toBeGreaterThanOrEqual(0.95);
    const meetings = results.filter(({ reply }) => reply.expect.class === 'meeting_request');
    expect(
      share(
        meetings.filter(({ reply, got }) => timesOf(got.proposedTimes) === timesOf(reply.expect.proposedTimes)),
        meetings,
      ),
    ).toBeGreaterThanOrEqual(0.99);
    const away = results.filter(({ reply }) => reply.expect.class === 'out_of_office');
    expect(
      share(
        away.filter(({ reply, got }) => got.returnDate === reply.expect.returnDate),
        away,
      ),
    ).toBeGreaterThanOrEqual(0.97);
  });

  it('answers an objection, and only an objection, with a kind', () => {
    for (const { got } of results) expect(got.kind === null).toBe(got.class !== 'objection');
  });
});
