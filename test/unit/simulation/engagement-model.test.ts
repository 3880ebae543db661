import { describe, expect, it } from 'vitest';
import { drawReplyClass, multiplierOf, planEngagement, randomFor, type SimSend } from '../../../src/simulation/engagement-model.js';
import { REPLY_TEXTS, SLOT_PICK_TEXTS, slotPickText } from '../../../src/simulation/reply-texts.js';
import { understandReply } from '../../../src/domain/replies/understand-reply.js';
import { parseSimulationSettings } from '../../../src/simulation/settings.js';

const defaults = parseSimulationSettings(undefined).engagement;
const email = (i: number, extra: Partial<SimSend> = {}): SimSend => ({ id: `send-${i}`, channel: 'instantly', step: 'initial', tier: 'tier_3', angleId: 'roi', variant: 'A', sentAt: new Date('2026-11-02T14:00:00Z'), ...extra });
const share = (sends: SimSend[], kind: string, settings = defaults) => sends.filter((s) => planEngagement(s, settings, 7).some((e) => e.kind === kind)).length / sends.length;

describe('the engagement model', () => {
  it('is a function of the seed and the send: the same inputs plan the same events, another seed others', () => {
    const sends = Array.from({ length: 200 }, (_, i) => email(i));
    const plan = (seed: number) => sends.map((s) => planEngagement(s, defaults, seed));
    expect(plan(1)).toEqual(plan(1));
    expect(plan(1)).not.toEqual(plan(2));
  });

  it('draws each kind near its configured rate over many sends', () => {
    const sends = Array.from({ length: 4000 }, (_, i) => email(i, { variant: null, tier: null, angleId: null }));
    const settings = { ...defaults, bounce: 0.1, open: 0.5, reply: 0.1 };
    expect(share(sends, 'bounced', settings)).toBeGreaterThan(0.085);
    expect(share(sends, 'bounced', settings)).toBeLessThan(0.115);
    // Replies and opens are of the delivered (not bounced) e-mails; a reply implies an open.
    expect(share(sends, 'replied', settings)).toBeGreaterThan(0.9 * 0.1 * 0.85);
    expect(share(sends, 'replied', settings)).toBeLessThan(0.9 * 0.1 * 1.15);
    expect(share(sends, 'opened', settings)).toBeGreaterThan(0.9 * 0.5 * 0.9);
  });

  it('a bounced e-mail has nothing after the bounce; events come after the send, in time order', () => {
    for (let i = 0; i < 500; i++) {
      const events = planEngagement(email(i), { ...defaults, bounce: 0.3 }, 3);
      if (events.some((e) => e.kind === 'bounced')) expect(events.map((e) => e.kind)).toEqual(['bounced']);
      const times = events.map((e) => e.at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      for (const t of times) expect(t).toBeGreaterThanOrEqual(email(i).sentAt.getTime());
    }
  });

  it('variant B, a tier and an angle can be set to win: their reply rate is higher by their multiplier', () => {
    const settings = { ...defaults, bounce: 0, reply: 0.1, byVariant: { A: 1, B: 2 }, byTier: {}, byAngle: {} };
    const a = Array.from({ length: 3000 }, (_, i) => email(i, { variant: 'A' }));
    const b = Array.from({ length: 3000 }, (_, i) => email(i + 5000, { variant: 'B' }));
    expect(share(b, 'replied', settings) / share(a, 'replied', settings)).toBeGreaterThan(1.6);
    expect(multiplierOf({ tier: 'tier_1', angleId: 'roi', variant: 'B' }, { ...settings, byTier: { tier_1: 1.5 }, byAngle: { roi: 2 } })).toBeCloseTo(6);
  });

  it('LinkedIn: an invitation may be accepted, a message answered; a GoHighLevel e-mail draws nothing', () => {
    const linkedin = (i: number, step: string): SimSend => ({ ...email(i), channel: 'heyreach', step, variant: null });
    const invites = Array.from({ length: 500 }, (_, i) => planEngagement(linkedin(i, 'cadence:s2:connect'), { ...defaults, linkedinAccept: 1 }, 1));
    expect(invites.every((e) => e.length === 1 && e[0]!.kind === 'linkedin_accepted')).toBe(true);
    const messages = planEngagement(linkedin(1, 'cadence:s4:message'), { ...defaults, linkedinReply: 1 }, 1);
    expect(messages.map((e) => e.kind)).toEqual(['linkedin_replied']);
    expect(REPLY_TEXTS[messages[0]!.meetingPick ? 'meeting_time' : messages[0]!.replyClass!].linkedin).toContain(messages[0]!.text);
    expect(planEngagement({ ...email(1), channel: 'ghl' }, { ...defaults, bounce: 1 }, 1)).toEqual([]);
  });

  it('a reply carries a realistic text of its class; a meeting pick names a time', () => {
    const settings = { ...defaults, bounce: 0, reply: 1, replyClasses: { meeting_request: 1 }, meetingPick: 1 };
    const [, reply] = planEngagement(email(1), settings, 1);
    expect(reply).toMatchObject({ kind: 'replied', replyClass: 'meeting_request', meetingPick: true });
    expect(REPLY_TEXTS.meeting_time.email).toContain(reply!.text);
  });

  it('reply classes follow the weights given; only the classes given are drawn', () => {
    const random = randomFor(1, 'classes');
    const drawn = new Set(Array.from({ length: 300 }, () => drawReplyClass(random, { objection: 1, question: 3 })));
    expect([...drawn].sort()).toEqual(['objection', 'question']);
  });

  it('our answer that offered slots: the prospect picks one by its position with slotPick; an answer without slots draws nothing', () => {
    const answer = (i: number, extra: Partial<SimSend> = {}): SimSend => email(i, { step: 'reply', variant: null, offeredSlots: 3, ...extra });
    const picks = Array.from({ length: 600 }, (_, i) => planEngagement(answer(i), { ...defaults, slotPick: 1 }, 4));
    expect(picks.every((e) => e.length === 1 && e[0]!.kind === 'replied' && e[0]!.replyClass === 'meeting_request')).toBe(true);
    // Each of the three offered slots is picked, and the pick comes within the configured delay after our answer.
    expect(new Set(picks.map((e) => e[0]!.pickedSlot))).toEqual(new Set([0, 1, 2]));
    for (const [e] of picks) {
      const hours = (e!.at.getTime() - answer(0).sentAt.getTime()) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(defaults.delays.slotPick[0]);
      expect(hours).toBeLessThanOrEqual(defaults.delays.slotPick[1]);
    }
    const some = Array.from({ length: 2000 }, (_, i) => planEngagement(answer(i), { ...defaults, slotPick: 0.4 }, 4)).filter((e) => e.length).length / 2000;
    expect(some).toBeGreaterThan(0.35);
    expect(some).toBeLessThan(0.45);
    // No slots offered (an objection's answer, a booking link), or slotPick 0: the prospect does nothing more; an answer is never "opened" or bounced.
    expect(Array.from({ length: 200 }, (_, i) => planEngagement(answer(i, { offeredSlots: 0 }), { ...defaults, slotPick: 1, bounce: 1, reply: 1 }, 4)).flat()).toEqual([]);
    expect(Array.from({ length: 200 }, (_, i) => planEngagement(answer(i), { ...defaults, slotPick: 0, bounce: 1, reply: 1 }, 4)).flat()).toEqual([]);
    // On LinkedIn the pick is a message reply, with a LinkedIn text.
    const [linkedin] = planEngagement(answer(1, { channel: 'heyreach' }), { ...defaults, slotPick: 1 }, 4);
    expect(linkedin).toMatchObject({ kind: 'linkedin_replied', replyClass: 'meeting_request' });
  });

  it('every slot-pick text is read by the production reply understanding as a meeting request picking that offered slot', () => {
    const offered = [new Date('2026-11-03T15:00:00Z'), new Date('2026-11-04T16:30:00Z'), new Date('2026-11-05T14:00:00Z')];
    for (const channel of ['email', 'linkedin'] as const) {
      for (const template of SLOT_PICK_TEXTS[channel]) {
        for (const index of [0, 1, 2]) {
          const text = slotPickText(template, index);
          const understood = understandReply(text, { sentAt: new Date('2026-11-02T18:00:00Z'), timeZone: 'America/New_York', offeredSlots: offered });
          expect(understood.class, text).toBe('meeting_request');
          expect(
            understood.proposedTimes.map((t) => [t.picksOffered, t.at]),
            text,
          ).toEqual([[index, offered[index]!.toISOString()]]);
        }
      }
    }
  });
});
