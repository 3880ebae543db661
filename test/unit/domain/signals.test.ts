import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySignal,
  applySignals,
  classifyReply,
  DECAY_SIGNAL,
  DEFAULT_DECAY_THRESHOLDS,
  detectDecay,
  detectDecayForAll,
  isLeadStatus,
  isSignalType,
  LEAD_STATUS_GROUPS,
  LEAD_STATUS_TRANSITIONS,
  LEAD_STATUSES,
  SIGNAL_TYPES,
  STATUS_RANK,
  stripQuotedHistory,
  suppresses,
  type DecayInput,
  type LeadStatus,
  type SignalEvent,
  type SignalType,
} from '../../../src/domain/signals/index.js';

const at = (iso: string) => new Date(iso);
const T0 = at('2025-03-03T09:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);
const event = (type: SignalType, when: Date = T0, source = 'test'): SignalEvent => ({ type, at: when, source });
/** Disables the repeated-open rule so a table entry can be checked on its own. */
const NO_LIFT = { engagedAfterOpens: Number.POSITIVE_INFINITY };

const SUPPRESSION_STATUSES: readonly LeadStatus[] = ['bounced', 'unsubscribed', 'do_not_contact'];
const SUPPRESSION_SIGNALS: readonly SignalType[] = ['email_bounced', 'unsubscribed', 'do_not_contact'];
const CLOSED_STATUSES: readonly LeadStatus[] = ['disqualified', 'rejected'];
const PRE_CONTACT: readonly LeadStatus[] = LEAD_STATUSES.filter((s) => STATUS_RANK[s] === 0);

describe('lead statuses', () => {
  it('has the 21 statuses of the spec plus unknown, do_not_contact and the pipeline statuses', () => {
    const spec = [
      'pending',
      'approved',
      'dispatched',
      'sent',
      'opened',
      'replied',
      'meeting_booked',
      'ghosted',
      'stalled',
      'engaged_not_replied',
      'bounced',
      'unsubscribed',
      'rejected',
      'disqualified',
      'linkedin_sent',
      'linkedin_connected',
      'linkedin_replied',
      'linkedin_exhausted',
      'revival_candidate',
      'revival_queued',
      'revival_sent',
    ];
    for (const status of [...spec, 'unknown', 'do_not_contact', 'discovered', 'enriched', 'scored', 'pending_review', 'queued']) expect(isLeadStatus(status), status).toBe(true);
    expect(new Set(LEAD_STATUSES).size).toBe(LEAD_STATUSES.length);
    expect(isLeadStatus('clicked')).toBe(false);
  });

  it('suppresses exactly unsubscribed, bounced and do_not_contact', () => {
    expect(LEAD_STATUSES.filter(suppresses).sort()).toEqual(['bounced', 'do_not_contact', 'unsubscribed']);
    expect(suppresses('not-a-status')).toBe(false);
  });

  it('covers the signal types of the brief', () => {
    for (const type of [
      'email_sent',
      'email_opened',
      'email_clicked',
      'email_replied',
      'email_bounced',
      'unsubscribed',
      'linkedin_connection_sent',
      'linkedin_connection_accepted',
      'linkedin_replied',
      'meeting_booked',
      'website_visit',
      'do_not_contact',
    ]) {
      expect(isSignalType(type), type).toBe(true);
    }
  });
});

describe('the transition table', () => {
  const entries = LEAD_STATUSES.flatMap((from) => SIGNAL_TYPES.map((type) => ({ from, type, to: LEAD_STATUS_TRANSITIONS[from][type] })));

  it.each(entries.filter((e) => e.to !== undefined).map((e) => [e.from, e.type, e.to!] as const))('%s + %s -> %s', (from, type, to) => {
    const change = applySignal({ status: from, lastEventAt: null }, event(type), NO_LIFT);
    expect(change.status).toBe(to);
    expect(change.changed).toBe(to !== from);
    expect(change.from).toBe(from);
    expect(change.reason).toContain(type);
  });

  it('leaves the status as it is for every signal the table does not list', () => {
    for (const { from, type } of entries.filter((e) => e.to === undefined)) {
      const change = applySignal({ status: from, lastEventAt: null }, event(type));
      expect(change, `${from} + ${type}`).toMatchObject({ changed: false, status: from });
      expect(['not_forward', 'terminal', 'closed', 'no_status_effect', 'same_status']).toContain(change.rule);
    }
  });

  it('only moves forward in rank, except the documented recovery and restarts', () => {
    for (const { from, type, to } of entries) {
      if (to === undefined || to === from || STATUS_RANK[to] > STATUS_RANK[from]) continue;
      const recovery = from === 'stalled' && type === 'email_opened';
      const restart = type === 'revival_queued';
      const cancel = from === 'meeting_booked' && type === 'meeting_cancelled' && to === 'replied';
      expect(recovery || restart || cancel, `${from} + ${type} -> ${to} moves backwards`).toBe(true);
    }
  });

  it('lets every non-suppressed status be suppressed, and suppression only escalates', () => {
    for (const from of LEAD_STATUSES) {
      for (const type of SUPPRESSION_SIGNALS) {
        const to = LEAD_STATUS_TRANSITIONS[from][type];
        if (!suppresses(from)) expect(to, `${from} + ${type}`).toBeDefined();
        if (to !== undefined) expect(suppresses(to)).toBe(true);
      }
      if (suppresses(from)) {
        for (const to of Object.values(LEAD_STATUS_TRANSITIONS[from])) expect(STATUS_RANK[to] > STATUS_RANK[from] && suppresses(to)).toBe(true);
      }
    }
    expect(LEAD_STATUS_TRANSITIONS.do_not_contact).toEqual({});
  });

  it('keeps closed statuses closed to engagement', () => {
    for (const from of CLOSED_STATUSES) expect(Object.keys(LEAD_STATUS_TRANSITIONS[from]).sort()).toEqual([...SUPPRESSION_SIGNALS].sort());
  });

  it('never changes a status on a website visit', () => {
    for (const from of LEAD_STATUSES) expect(LEAD_STATUS_TRANSITIONS[from].website_visit).toBeUndefined();
  });

  it.each([
    ['discovered', 'email_opened', 'opened'],
    ['pending_review', 'email_replied', 'replied'],
    ['queued', 'email_sent', 'sent'],
    ['scored', 'linkedin_connection_sent', 'linkedin_sent'],
    ['approved', 'meeting_booked', 'meeting_booked'],
    ['sent', 'email_opened', 'opened'],
    ['sent', 'email_clicked', 'engaged_not_replied'],
    ['sent', 'linkedin_connection_accepted', 'linkedin_connected'],
    ['linkedin_sent', 'linkedin_replied', 'linkedin_replied'],
    ['linkedin_connected', 'linkedin_campaign_completed', 'linkedin_exhausted'],
    ['linkedin_replied', 'email_replied', 'replied'],
    ['ghosted', 'email_opened', 'opened'],
    ['ghosted', 'revival_queued', 'revival_queued'],
    ['revival_queued', 'email_sent', 'revival_sent'],
    ['revival_sent', 'decay_ghosted', 'ghosted'],
    ['dispatched', 'decay_ghosted', 'ghosted'],
    ['opened', 'decay_stalled', 'stalled'],
    ['opened', 'decay_engaged_not_replied', 'engaged_not_replied'],
    ['engaged_not_replied', 'email_replied', 'replied'],
    ['replied', 'meeting_booked', 'meeting_booked'],
    ['meeting_booked', 'unsubscribed', 'unsubscribed'],
    ['disqualified', 'do_not_contact', 'do_not_contact'],
    ['bounced', 'unsubscribed', 'unsubscribed'],
    ['unsubscribed', 'do_not_contact', 'do_not_contact'],
  ] as const)('moves %s on %s to %s', (from, type, to) => {
    expect(applySignal({ status: from, lastEventAt: null }, event(type))).toMatchObject({ changed: true, status: to });
  });

  it.each([
    ['replied', 'email_opened'],
    ['replied', 'email_sent'],
    ['meeting_booked', 'email_replied'],
    ['engaged_not_replied', 'email_opened'],
    ['opened', 'email_sent'],
    ['opened', 'linkedin_connection_accepted'],
    ['ghosted', 'email_sent'],
    ['sent', 'revival_queued'],
    ['opened', 'decay_ghosted'],
    ['engaged_not_replied', 'decay_stalled'],
    ['disqualified', 'email_replied'],
    ['rejected', 'meeting_booked'],
    ['unsubscribed', 'email_bounced'],
    ['do_not_contact', 'unsubscribed'],
    ['bounced', 'email_replied'],
    ['scored', 'website_visit'],
  ] as const)('keeps %s on %s', (from, type) => {
    expect(applySignal({ status: from, lastEventAt: null }, event(type))).toMatchObject({ changed: false, status: from });
  });

  it('says why a status was kept', () => {
    expect(applySignal({ status: 'replied', lastEventAt: null }, event('email_opened')).rule).toBe('not_forward');
    expect(applySignal({ status: 'unsubscribed', lastEventAt: null }, event('email_replied')).rule).toBe('terminal');
    expect(applySignal({ status: 'disqualified', lastEventAt: null }, event('email_replied')).rule).toBe('closed');
    expect(applySignal({ status: 'sent', lastEventAt: null }, event('website_visit')).rule).toBe('no_status_effect');
    expect(applySignal({ status: 'replied', lastEventAt: null }, event('email_replied')).rule).toBe('same_status');
    expect(applySignal({ status: 'sent', lastEventAt: null }, event('email_replied', T0, 'instantly_webhook:reply')).reason).toBe('email_replied from instantly_webhook:reply: sent to replied');
  });
});

describe('repeated opens', () => {
  it('turns an opened lead engaged-not-replied on the second open, as the original did', () => {
    expect(applySignal({ status: 'opened', lastEventAt: null, opens: 1 }, event('email_opened'))).toMatchObject({ changed: true, status: 'engaged_not_replied', rule: 'moved' });
  });

  it('keeps the first open as opened, and reads a missing count as one earlier open', () => {
    expect(applySignal({ status: 'sent', lastEventAt: null, opens: 0 }, event('email_opened')).status).toBe('opened');
    expect(applySignal({ status: 'opened', lastEventAt: null }, event('email_opened')).status).toBe('engaged_not_replied');
  });

  it('follows a configured threshold', () => {
    const rules = { engagedAfterOpens: 3 };
    expect(applySignal({ status: 'opened', lastEventAt: null, opens: 1 }, event('email_opened'), rules)).toMatchObject({ changed: false, status: 'opened' });
    expect(applySignal({ status: 'opened', lastEventAt: null, opens: 2 }, event('email_opened'), rules).status).toBe('engaged_not_replied');
  });

  it('recovers a stalled lead on a fresh open', () => {
    expect(applySignal({ status: 'stalled', lastEventAt: T0, opens: 1 }, event('email_opened', plus(T0, HOUR)))).toMatchObject({ changed: true, status: 'engaged_not_replied' });
    expect(applySignal({ status: 'stalled', lastEventAt: T0, opens: 1 }, event('email_opened', plus(T0, HOUR)), { engagedAfterOpens: 3 })).toMatchObject({
      changed: true,
      status: 'opened',
      rule: 'recovered',
    });
  });
});

describe('a cancelled meeting (decision 13)', () => {
  it('moves meeting_booked back to replied, with its own rule and a reason naming the signal', () => {
    expect(applySignal({ status: 'meeting_booked', lastEventAt: T0 }, event('meeting_cancelled', plus(T0, HOUR), 'scheduler'))).toMatchObject({
      changed: true,
      from: 'meeting_booked',
      status: 'replied',
      rule: 'cancelled',
      reason: 'meeting_cancelled from scheduler: meeting_booked to replied',
    });
  });

  it('lets the lead book again after the cancel', () => {
    const { state } = applySignals({ status: 'replied', lastEventAt: null }, [event('meeting_booked', T0), event('meeting_cancelled', plus(T0, HOUR)), event('meeting_booked', plus(T0, 2 * HOUR))]);
    expect(state.status).toBe('meeting_booked');
  });

  it('moves nothing else: a suppressed, replied or closed lead keeps its status', () => {
    for (const status of ['unsubscribed', 'replied', 'disqualified', 'sent'] as const) expect(applySignal({ status, lastEventAt: null }, event('meeting_cancelled'))).toMatchObject({ changed: false, status });
  });

  it('is not applied late: a cancel older than the last event does not undo it', () => {
    expect(applySignal({ status: 'meeting_booked', lastEventAt: T0 }, event('meeting_cancelled', plus(T0, -HOUR)))).toMatchObject({ changed: false, rule: 'late', status: 'meeting_booked' });
  });
});

describe('late and duplicate events', () => {
  it('keeps replied when an open arrives after it, whatever its timestamp', () => {
    for (const when of [plus(T0, -DAY), T0, plus(T0, DAY)]) expect(applySignal({ status: 'replied', lastEventAt: T0 }, event('email_opened', when)).status).toBe('replied');
  });

  it('still applies a late event that moves forward', () => {
    expect(applySignal({ status: 'opened', lastEventAt: T0 }, event('email_replied', plus(T0, -DAY)))).toMatchObject({ changed: true, status: 'replied' });
  });

  it('never lets a late event recover or restart a lead', () => {
    const late = plus(T0, -HOUR);
    expect(applySignal({ status: 'stalled', lastEventAt: T0, opens: 1 }, event('email_opened', late), { engagedAfterOpens: 3 })).toMatchObject({ changed: false, rule: 'late', status: 'stalled' });
    expect(applySignal({ status: 'ghosted', lastEventAt: T0 }, event('revival_queued', late))).toMatchObject({ changed: false, rule: 'late' });
  });

  it('applies a late unsubscribe or bounce', () => {
    expect(applySignal({ status: 'meeting_booked', lastEventAt: T0 }, event('unsubscribed', plus(T0, -DAY)))).toMatchObject({ changed: true, status: 'unsubscribed', rule: 'suppressed' });
    expect(applySignal({ status: 'replied', lastEventAt: T0 }, event('email_bounced', plus(T0, -DAY))).status).toBe('bounced');
  });

  it('treats a duplicate delivery as no change', () => {
    const first = applySignal({ status: 'sent', lastEventAt: null }, event('email_replied', T0));
    expect(applySignal({ status: first.status, lastEventAt: first.lastEventAt }, event('email_replied', T0))).toMatchObject({ changed: false, rule: 'same_status' });
  });

  it('keeps the later instant as lastEventAt', () => {
    expect(applySignal({ status: 'sent', lastEventAt: T0 }, event('email_opened', plus(T0, -HOUR))).lastEventAt).toEqual(T0);
    expect(applySignal({ status: 'sent', lastEventAt: T0 }, event('email_opened', plus(T0, HOUR))).lastEventAt).toEqual(plus(T0, HOUR));
  });

  it('keeps terminal statuses through a whole engagement sequence', () => {
    const sequence = (['email_sent', 'email_opened', 'email_clicked', 'email_replied', 'linkedin_replied', 'meeting_booked', 'revival_queued'] as const).map((type, i) => event(type, plus(T0, i * HOUR)));
    for (const status of ['unsubscribed', 'bounced', 'do_not_contact', 'disqualified', 'rejected'] as const) {
      expect(applySignals({ status, lastEventAt: null }, sequence).state.status, status).toBe(status);
    }
  });
});

describe('order independence (property)', () => {
  /** Engagement and outreach signals; decay and revival are emitted at "now" by the system itself. */
  const PROGRESS_SIGNALS = SIGNAL_TYPES.filter((t) => !t.startsWith('decay_') && t !== 'revival_queued' && t !== 'meeting_cancelled');
  const arbEvents = fc.array(
    fc.record({ type: fc.constantFrom(...PROGRESS_SIGNALS), offsetMinutes: fc.integer({ min: 0, max: 60 * 24 * 30 }) }).map(({ type, offsetMinutes }) => event(type, plus(T0, offsetMinutes * 60_000))),
    { minLength: 1, maxLength: 12 },
  );
  const arbInitial = fc.constantFrom<LeadStatus>(...PRE_CONTACT, ...CLOSED_STATUSES, ...SUPPRESSION_STATUSES);
  const arbCase = arbInitial.chain((initial) => arbEvents.chain((events) => fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }).map((shuffled) => ({ initial, events, shuffled }))));
  const byTime = (events: readonly SignalEvent[]) => [...events].sort((a, b) => a.at.getTime() - b.at.getTime());

  it('ends in the same status for any delivery order as in time order', () => {
    fc.assert(
      fc.property(arbCase, ({ initial, events, shuffled }) => {
        const inOrder = applySignals({ status: initial, lastEventAt: null }, byTime(events)).state.status;
        const delivered = applySignals({ status: initial, lastEventAt: null }, shuffled).state.status;
        expect(delivered).toBe(inOrder);
      }),
      { numRuns: 500 },
    );
  });

  it('never ends below the highest-ranked status any single event leads to', () => {
    fc.assert(
      fc.property(arbCase, ({ initial, shuffled }) => {
        const final = applySignals({ status: initial, lastEventAt: null }, shuffled).state.status;
        expect(STATUS_RANK[final]).toBeGreaterThanOrEqual(STATUS_RANK[initial]);
        if (STATUS_RANK[initial] !== 0) return;
        for (const e of shuffled) {
          const target = LEAD_STATUS_TRANSITIONS.unknown[e.type];
          if (target !== undefined) expect(STATUS_RANK[final]).toBeGreaterThanOrEqual(STATUS_RANK[target]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('ends suppressed, at the strongest suppression seen, once any suppression event arrives, with every signal type in play', () => {
    const anyEvents = fc.array(
      fc.record({ type: fc.constantFrom(...SIGNAL_TYPES), offsetMinutes: fc.integer({ min: 0, max: 60 * 24 * 30 }) }).map(({ type, offsetMinutes }) => event(type, plus(T0, offsetMinutes * 60_000))),
      { minLength: 1, maxLength: 15 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...LEAD_STATUSES), anyEvents, (initial, events) => {
        const final = applySignals({ status: initial, lastEventAt: null }, events).state.status;
        const strongest = events
          .map((e) => LEAD_STATUS_TRANSITIONS.unknown[e.type])
          .concat(initial)
          .filter((s): s is LeadStatus => s !== undefined && suppresses(s))
          .sort((a, b) => STATUS_RANK[b] - STATUS_RANK[a])[0];
        if (strongest !== undefined) expect(final).toBe(strongest);
        else if (CLOSED_STATUSES.includes(initial)) expect(final).toBe(initial);
        else expect(suppresses(final)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('classifyReply', () => {
  it('does not read "passionate" as a pass, nor "nonstop" as a stop', () => {
    const result = classifyReply("I'm passionate about this, our team works nonstop on AI.");
    expect(result.category).not.toBe('objection');
    expect(result.category).not.toBe('unsubscribe_request');
    expect(result.matched).not.toContain('pass');
    expect(classifyReply('I am passionate about automation').category).toBe('unclear');
  });

  it.each([
    ['Please unsubscribe me', 'unsubscribe_request'],
    ['Take me off your list, thanks', 'unsubscribe_request'],
    ['STOP', 'unsubscribe_request'],
    ['Stop.\n\nSent from my iPhone', 'unsubscribe_request'],
    ['Interested, but please remove me from this sequence', 'unsubscribe_request'],
    ['I am out of the office until Monday. For urgent matters contact Jane.', 'out_of_office'],
    ['Automatic reply: I am on vacation, back next week', 'out_of_office'],
    ["You've got the wrong person, try our CTO", 'wrong_person'],
    ['I no longer work at Acme.', 'wrong_person'],
    ['Not interested right now, maybe next quarter', 'not_now'],
    ['Bad timing for us, circle back in Q3', 'not_now'],
    ['Not interested.', 'objection'],
    ["We're already using a vendor for this, I'll pass", 'objection'],
    ['No thanks', 'objection'],
    ['No', 'objection'],
    ['Sounds great, send me a calendar link', 'positive'],
    ["Yes, let's talk Thursday", 'positive'],
    ['INTERESTED! Tell Me More', 'positive'],
    ['Thanks for the note.', 'unclear'],
    ['', 'unclear'],
  ] as const)('classifies %j as %s', (text, category) => {
    expect(classifyReply(text).category).toBe(category);
  });

  it('puts unsubscribe before out-of-office, out-of-office before wrong person, and so on', () => {
    expect(classifyReply('Out of office. Please remove me from your list.').category).toBe('unsubscribe_request');
    expect(classifyReply('Out of office: I no longer work here').category).toBe('out_of_office');
    expect(classifyReply('Wrong person, and not right now anyway').category).toBe('wrong_person');
    expect(classifyReply('Not a good fit, maybe next year').category).toBe('not_now');
    expect(classifyReply('Not interested, but thanks, sounds great otherwise').category).toBe('objection');
  });

  it('does not count a negated positive phrase', () => {
    expect(classifyReply("I'm not sure").category).toBe('unclear');
    expect(classifyReply("We aren't open to new tools").category).toBe('unclear');
    expect(classifyReply('No, sounds great, send me times').category).toBe('positive');
  });

  it('ignores quoted reply history', () => {
    const reply = ['Sounds good, happy to chat next Tuesday.', '', 'On Mon, Mar 3, 2025 at 9:00 AM Chris <chris@caio.example> wrote:', '> Hi Jane, reply STOP or unsubscribe if not interested.', 'Not interested? Unsubscribe here.'].join(
      '\n',
    );
    const result = classifyReply(reply);
    expect(result.category).toBe('positive');
    expect(result.matched).toEqual(expect.arrayContaining(['happy to chat', 'sounds good']));
  });

  it('ignores lines starting with ">" anywhere, and a header wrapped over two lines', () => {
    expect(classifyReply('> please unsubscribe me\nLove to see a demo').category).toBe('positive');
    expect(classifyReply('Tell me more.\nOn Mon, Mar 3, 2025 at 9:00 AM Chris Smith\n<chris@caio.example> wrote:\nnot interested').category).toBe('positive');
    expect(classifyReply('Yes please\n-----Original Message-----\nFrom: x\nunsubscribe').category).toBe('positive');
    expect(stripQuotedHistory('Hi\r\n> quoted\r\nthere')).toBe('Hi\nthere');
  });

  it('matches curly apostrophes and any whitespace inside a phrase', () => {
    expect(classifyReply('I’ll   pass').category).toBe('objection');
    expect(classifyReply('not\ninterested').category).toBe('objection');
  });

  it('reports what it matched and a confidence that reflects ambiguity', () => {
    const clear = classifyReply('Sounds great, tell me more');
    expect(clear.matched).toEqual(['tell me more', 'sounds great']);
    const mixed = classifyReply('Sounds great but not right now');
    expect(mixed.category).toBe('not_now');
    expect(mixed.confidence).toBeLessThan(clear.confidence);
    expect(classifyReply('hmm').confidence).toBe(0);
  });

  it('never throws and always answers a known category (property)', () => {
    const categories = ['positive', 'objection', 'not_now', 'out_of_office', 'unsubscribe_request', 'wrong_person', 'unclear'];
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = classifyReply(text);
        expect(categories).toContain(result.category);
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('reads only the start of a huge reply', () => {
    expect(classifyReply(`${'word '.repeat(20_000)}unsubscribe`).category).toBe('unclear');
  });
});

describe('detectDecay', () => {
  const lead = (overrides: Partial<DecayInput>): DecayInput => ({ status: 'sent', lastTouchAt: T0, lastEngagementAt: null, opens: 0, clicks: 0, replied: false, ...overrides });

  it('uses the spec thresholds by default', () => {
    expect(DEFAULT_DECAY_THRESHOLDS).toEqual({ ghostedAfterHours: 72, stalledAfterDays: 7, engagedOpens: 2, engagedClicks: 1 });
  });

  it('ghosts a sent lead after more than 72 hours, not at exactly 72', () => {
    expect(detectDecay(lead({}), plus(T0, 72 * HOUR))).toBeNull();
    const decay = detectDecay(lead({}), plus(T0, 72 * HOUR + 1));
    expect(decay).toMatchObject({ kind: 'ghosted', since: plus(T0, 72 * HOUR) });
    expect(decay!.detail).toContain('72 h');
  });

  it.each(['dispatched', 'sent', 'linkedin_sent', 'revival_sent'] as const)('ghosts a %s lead', (status) => {
    expect(detectDecay(lead({ status }), plus(T0, 4 * DAY))?.kind).toBe('ghosted');
  });

  it.each(['queued', 'ghosted', 'linkedin_connected', 'replied', 'unsubscribed', 'disqualified'] as const)('never ghosts a %s lead', (status) => {
    expect(detectDecay(lead({ status }), plus(T0, 30 * DAY))).toBeNull();
  });

  it('does not ghost a lead that engaged after the last touch, or one never touched', () => {
    expect(detectDecay(lead({ lastEngagementAt: plus(T0, HOUR) }), plus(T0, 10 * DAY))).toBeNull();
    expect(detectDecay(lead({ lastTouchAt: null }), plus(T0, 10 * DAY))).toBeNull();
    expect(detectDecay(lead({ lastEngagementAt: plus(T0, -HOUR) }), plus(T0, 4 * DAY))?.kind).toBe('ghosted');
  });

  it('stalls an opened lead after more than 7 days without engagement, not at exactly 7', () => {
    const opened = lead({ status: 'opened', lastEngagementAt: T0, opens: 1 });
    expect(detectDecay(opened, plus(T0, 7 * DAY))).toBeNull();
    expect(detectDecay(opened, plus(T0, 7 * DAY + 1))).toMatchObject({ kind: 'stalled', since: plus(T0, 7 * DAY) });
  });

  it('falls back to the last touch for stalling, and judges nothing with neither instant', () => {
    expect(detectDecay(lead({ status: 'opened', opens: 1 }), plus(T0, 8 * DAY))?.kind).toBe('stalled');
    expect(detectDecay(lead({ status: 'opened', opens: 1, lastTouchAt: null }), plus(T0, 8 * DAY))).toBeNull();
  });

  it('marks an opened lead engaged-not-replied at 2 opens or 1 click, not at 1 open', () => {
    const now = plus(T0, DAY);
    expect(detectDecay(lead({ status: 'opened', lastEngagementAt: T0, opens: 1 }), now)).toBeNull();
    expect(detectDecay(lead({ status: 'opened', lastEngagementAt: T0, opens: 2 }), now)).toMatchObject({ kind: 'engaged_not_replied', since: T0 });
    expect(detectDecay(lead({ status: 'opened', lastEngagementAt: T0, opens: 1, clicks: 1 }), now)?.kind).toBe('engaged_not_replied');
  });

  it('evaluates in the spec order: stalled before engaged-not-replied', () => {
    expect(detectDecay(lead({ status: 'opened', lastEngagementAt: T0, opens: 5 }), plus(T0, 8 * DAY))?.kind).toBe('stalled');
  });

  it('never decays a lead that replied', () => {
    expect(detectDecay(lead({ replied: true }), plus(T0, 30 * DAY))).toBeNull();
    expect(detectDecay(lead({ status: 'opened', opens: 3, replied: true }), plus(T0, 30 * DAY))).toBeNull();
  });

  it('follows configured thresholds', () => {
    const thresholds = { ...DEFAULT_DECAY_THRESHOLDS, ghostedAfterHours: 24 };
    expect(detectDecay(lead({}), plus(T0, 24 * HOUR + 1), thresholds)?.kind).toBe('ghosted');
    expect(detectDecay(lead({}), plus(T0, 24 * HOUR + 1))).toBeNull();
  });

  it('feeds the status machine through DECAY_SIGNAL, and a second run finds nothing', () => {
    const now = plus(T0, 4 * DAY);
    const decay = detectDecay(lead({}), now)!;
    const change = applySignal({ status: 'sent', lastEventAt: T0 }, event(DECAY_SIGNAL[decay.kind], decay.since, 'decay'));
    expect(change).toMatchObject({ changed: true, status: 'ghosted' });
    expect(detectDecay(lead({ status: change.status }), now)).toBeNull();
    expect(applySignal({ status: 'ghosted', lastEventAt: change.lastEventAt }, event('email_opened', plus(decay.since, HOUR))).status).toBe('opened');
  });

  it('groups findings for many leads and keeps the input order', () => {
    const leads = [
      { id: 'a', ...lead({}) },
      { id: 'b', ...lead({ status: 'opened', lastEngagementAt: T0, opens: 1 }) },
      { id: 'c', ...lead({ status: 'replied', replied: true }) },
      { id: 'd', ...lead({ status: 'opened', lastEngagementAt: plus(T0, 7 * DAY), opens: 2 }) },
      { id: 'e', ...lead({ status: 'linkedin_sent' }) },
    ];
    const report = detectDecayForAll(leads, plus(T0, 8 * DAY));
    expect(report.ghosted.map((f) => f.lead.id)).toEqual(['a', 'e']);
    expect(report.stalled.map((f) => f.lead.id)).toEqual(['b']);
    expect(report.engaged_not_replied.map((f) => f.lead.id)).toEqual(['d']);
    expect(detectDecayForAll([], T0)).toEqual({ ghosted: [], stalled: [], engaged_not_replied: [] });
  });
});

describe('groups', () => {
  it('places every status in exactly one group', () => {
    const all = Object.values(LEAD_STATUS_GROUPS).flat();
    expect(all.length).toBe(new Set(all).size);
  });
});
