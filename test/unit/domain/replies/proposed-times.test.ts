import { describe, expect, it } from 'vitest';
import { findProposedTimes, findReturnDate, instantOfLocal, type TimeContext } from '../../../../src/domain/replies/index.js';

// Wednesday 14 January 2026, 09:00 in New York (EST, UTC-5).
const WED = new Date('2026-01-14T14:00:00.000Z');
const NY = 'America/New_York';
const ctx = (overrides: Partial<TimeContext> = {}): TimeContext => ({ sentAt: WED, timeZone: NY, ...overrides });
const instants = (text: string, context: TimeContext = ctx()) => findProposedTimes(text, context).map((t) => t.at);

describe('findProposedTimes: days and times', () => {
  it('reads a weekday with a time as its next occurrence, in the prospect zone', () => {
    expect(findProposedTimes('Can we talk Thursday at 3:30pm?', ctx())).toEqual([{ at: '2026-01-15T20:30:00.000Z', text: 'Thursday at 3:30pm', precision: 'exact', timeZone: NY }]);
  });

  it('reads "next Wednesday" as the Wednesday of the following week, and a morning as 09:00, an afternoon as 14:00', () => {
    expect(findProposedTimes('How about next Wednesday afternoon?', ctx())).toMatchObject([{ at: '2026-01-21T19:00:00.000Z', precision: 'part_of_day' }]);
    expect(instants('next Mon morning works')).toEqual(['2026-01-19T14:00:00.000Z']);
    expect(instants('Wednesday next week at 10 works')).toEqual(['2026-01-21T15:00:00.000Z']);
  });

  it('reads tomorrow, "at 3 tomorrow" and hours without am/pm as business hours', () => {
    expect(instants('tomorrow at 4 works')).toEqual(['2026-01-15T21:00:00.000Z']);
    expect(instants('at 3 tomorrow?')).toEqual(['2026-01-15T20:00:00.000Z']);
    expect(instants('Friday at 8 or Friday at 12:30?')).toEqual(['2026-01-16T13:00:00.000Z', '2026-01-16T17:30:00.000Z']);
    expect(instants('Friday at 17:00?')).toEqual(['2026-01-16T22:00:00.000Z']);
  });

  it('reads US month/day dates with a zone written after the time', () => {
    expect(findProposedTimes('Does 1/20 11:15 PT work?', ctx())).toMatchObject([{ at: '2026-01-20T19:15:00.000Z', timeZone: 'America/Los_Angeles', text: '1/20 11:15 PT' }]);
    expect(instants("Let's meet 1/22 at 9 CT")).toEqual(['2026-01-22T15:00:00.000Z']);
    expect(instants('Friday 14:00 GMT works')).toEqual(['2026-01-16T14:00:00.000Z']);
    expect(instants('Friday 10am CET works')).toEqual(['2026-01-16T09:00:00.000Z']);
    expect(instants('January 20th at 2 pm eastern?')).toEqual(['2026-01-20T19:00:00.000Z']);
  });

  it('shares a time across days joined by "or", and keeps several times of one day', () => {
    expect(instants("Let's do Thursday or Friday at 2pm")).toEqual(['2026-01-15T19:00:00.000Z', '2026-01-16T19:00:00.000Z']);
    expect(instants('Thursday at 10am or 4pm')).toEqual(['2026-01-15T15:00:00.000Z', '2026-01-15T21:00:00.000Z']);
  });

  it('reads a range by its start and a day alone as 09:00 local when the sentence is about meeting', () => {
    expect(instants('Thursday 1-3pm works')).toEqual(['2026-01-15T18:00:00.000Z']);
    expect(instants('Thursday 11-1pm works')).toEqual(['2026-01-15T16:00:00.000Z']);
    expect(findProposedTimes('Are you free on the 20th?', ctx())).toMatchObject([{ at: '2026-01-20T14:00:00.000Z', precision: 'day' }]);
  });

  it('reads "your time" in our zone when it is given, else in the prospect zone', () => {
    expect(instants('Thursday 3pm your time works', ctx({ senderTimeZone: 'Europe/London' }))).toEqual(['2026-01-15T15:00:00.000Z']);
    expect(instants('Thursday 3pm your time works')).toEqual(['2026-01-15T20:00:00.000Z']);
    expect(instants('Thursday 3pm my time works', ctx({ senderTimeZone: 'Europe/London' }))).toEqual(['2026-01-15T20:00:00.000Z']);
  });

  it('reads in UTC when the given zone is not a zone', () => {
    expect(instants('Thursday at 3pm?', ctx({ timeZone: 'Mars/Olympus' }))).toEqual(['2026-01-15T15:00:00.000Z']);
  });
});

describe('findProposedTimes: what the held-out set taught (docs/replies.md)', () => {
  it('reads a city the prospect says they are in as their zone, and "<city> time" after a time', () => {
    expect(instants("Let's meet. I'm in Denver, so Tuesday afternoon my time works.")).toEqual(['2026-01-20T21:00:00.000Z']);
    expect(instants('Thursday at 3pm Berlin time?')).toEqual(['2026-01-15T14:00:00.000Z']);
    expect(instants('Tuesday afternoon works.')).toEqual(['2026-01-20T19:00:00.000Z']);
  });

  it('reads "2-ish", a range closed by a zone by its start, and weekdays sharing a "next week"', () => {
    expect(instants('Monday 2-ish?')).toEqual(['2026-01-19T19:00:00.000Z']);
    expect(instants("I'm around Wed 1/21 between 2 and 4 PT.")).toEqual(['2026-01-21T22:00:00.000Z']);
    expect(instants('wed or thu next week, after 3pm')).toEqual(['2026-01-21T20:00:00.000Z', '2026-01-22T20:00:00.000Z']);
  });

  it('does not read "it is a Saturday" or "the week of the 19th" as proposals', () => {
    expect(instants('I can only do 1/17 at 10:30, it is a Saturday but I am catching up that day.')).toEqual(['2026-01-17T15:30:00.000Z']);
    expect(instants('Week of the 19th works, Tuesday the 20th at 10 ideally.')).toEqual(['2026-01-20T15:00:00.000Z']);
  });
});

describe('findProposedTimes: what is not a proposal', () => {
  it('ignores days in sentences that are not about meeting, days after "back"/"until", and days ruled out', () => {
    expect(instants('We signed with them on Monday.')).toEqual([]);
    expect(instants("I'll be back on Monday.")).toEqual([]);
    expect(instants('Thursday does not work for me.')).toEqual([]);
    expect(instants("I'm out Thursday, but Friday at 11 works")).toEqual(['2026-01-16T16:00:00.000Z']);
    expect(instants('Good morning Sam, the 24/7 support line is 555-1234.')).toEqual([]);
  });

  it('drops past times: earlier today, last week, a date already gone', () => {
    expect(instants('today at 8am?')).toEqual([]);
    expect(instants('today at 11am?')).toEqual(['2026-01-14T16:00:00.000Z']);
    expect(instants('last Tuesday at 2 was great, again Tuesday at 2?')).toEqual(['2026-01-20T19:00:00.000Z']);
    expect(instants('1/2 at 10am works?')).toEqual([]);
  });

  it('moves a window that has begun to the next whole hour, and drops one that has ended', () => {
    const afternoon = new Date('2026-01-14T20:10:00.000Z'); // 15:10 EST
    expect(instants('can we do this afternoon?', ctx({ sentAt: afternoon }))).toEqual(['2026-01-14T21:00:00.000Z']);
    expect(instants('can we do this morning?', ctx({ sentAt: afternoon }))).toEqual([]);
  });

  it('drops impossible dates', () => {
    expect(instants('Could we meet 2/30 at 10?')).toEqual([]);
    expect(instants('Could we meet 13/5 at 10?')).toEqual([]);
    expect(instants('February 30th at 3pm?')).toEqual([]);
    expect(instants('the 31st works', ctx({ sentAt: new Date('2026-04-10T14:00:00.000Z') }))).toEqual([]);
    expect(instants('the 31st works')).toEqual(['2026-01-31T14:00:00.000Z']);
  });
});

describe('findProposedTimes: business hours and DST', () => {
  it('keeps weekend and after-hours proposals but marks them', () => {
    expect(findProposedTimes('Saturday at 10am works', ctx())).toMatchObject([{ at: '2026-01-17T15:00:00.000Z', outsideBusinessHours: true }]);
    expect(findProposedTimes('Thursday at 7:30am works', ctx())[0]?.outsideBusinessHours).toBe(true);
    expect(findProposedTimes('Thursday at 9pm works', ctx())[0]?.outsideBusinessHours).toBe(true);
    expect(findProposedTimes('Thursday at 2pm works', ctx())[0]?.outsideBusinessHours).toBeUndefined();
  });

  it('uses the offset in force at the proposed time, not at sending', () => {
    const beforeChange = new Date('2026-03-05T15:00:00.000Z'); // Thursday, EST
    expect(instants('Could we do Tuesday at 10am?', ctx({ sentAt: beforeChange }))).toEqual(['2026-03-10T14:00:00.000Z']);
    const london = new Date('2026-03-26T10:00:00.000Z');
    expect(instants('Monday at 9 works', ctx({ sentAt: london, timeZone: 'Europe/London' }))).toEqual(['2026-03-30T08:00:00.000Z']);
  });

  it('moves a time the clock skips forward by the gap, and takes the earlier of a repeated time', () => {
    expect(instants('3/8 at 2:30am ET works', ctx({ sentAt: new Date('2026-03-05T15:00:00.000Z') }))).toEqual(['2026-03-08T07:30:00.000Z']);
    expect(instants('11/1 at 1:30am ET works', ctx({ sentAt: new Date('2026-10-29T15:00:00.000Z') }))).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(new Date(instantOfLocal({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('findProposedTimes: picking offered slots', () => {
  // Thursday 10:00, Friday 14:00, Tuesday 09:00 (New York).
  const slots = [new Date('2026-01-15T15:00:00.000Z'), new Date('2026-01-16T19:00:00.000Z'), new Date('2026-01-20T14:00:00.000Z')];
  const picks = (text: string) => findProposedTimes(text, ctx({ offeredSlots: slots })).map((t) => [t.picksOffered, t.at]);

  it('picks by ordinal, option number, "the last one" and "either"', () => {
    expect(picks('option 2 works')).toEqual([[1, '2026-01-16T19:00:00.000Z']]);
    expect(picks('The third one please')).toEqual([[2, '2026-01-20T14:00:00.000Z']]);
    expect(picks('the last one')).toEqual([[2, '2026-01-20T14:00:00.000Z']]);
    expect(picks('Either of those is fine')).toEqual([[0, '2026-01-15T15:00:00.000Z']]);
    expect(picks('option 7 works')).toEqual([]);
  });

  it('picks a lettered option ("option B")', () => {
    expect(picks('Option B works for me.')).toEqual([[1, '2026-01-16T19:00:00.000Z']]);
    expect(picks('option f works')).toEqual([]);
  });

  it('picks by day of month, by weekday and by time', () => {
    expect(picks('the 16th is best')).toEqual([[1, '2026-01-16T19:00:00.000Z']]);
    expect(picks('Friday works')).toEqual([[1, '2026-01-16T19:00:00.000Z']]);
    expect(picks('2pm works for me')).toEqual([[1, '2026-01-16T19:00:00.000Z']]);
    expect(picks('Thursday at 10am then')).toEqual([[0, '2026-01-15T15:00:00.000Z']]);
  });

  it('keeps a time that is not among the offered ones as a new proposal', () => {
    expect(picks('None of those, but Thursday at 4pm works')).toEqual([[undefined, '2026-01-15T21:00:00.000Z']]);
  });
});

describe('findReturnDate', () => {
  const back = (text: string, context: TimeContext = ctx()) => findReturnDate(text, context)?.at ?? null;

  it('reads "until X" as back on X and "through X" as back the next weekday, at 09:00 local', () => {
    expect(back("I'm out of the office until Monday, January 19.")).toBe('2026-01-19T14:00:00.000Z');
    expect(back('Out of office through Friday 1/16')).toBe('2026-01-19T14:00:00.000Z');
    expect(back('I will be back on 1/21.')).toBe('2026-01-21T14:00:00.000Z');
    expect(back('On leave, returning 12 February.')).toBe('2026-02-12T14:00:00.000Z');
  });

  it('prefers "back on" to "until", reads German day.month.year, and returns null for a past or missing date', () => {
    expect(back('Away until Friday, back on Monday the 19th.')).toBe('2026-01-19T14:00:00.000Z');
    expect(back('Ich bin bis einschließlich 16.01.2026 nicht im Büro.', ctx({ timeZone: 'Europe/Berlin' }))).toBe('2026-01-19T08:00:00.000Z');
    expect(back('I was away until 1/2.')).toBeNull();
    expect(back('I am out of the office.')).toBeNull();
  });
});
