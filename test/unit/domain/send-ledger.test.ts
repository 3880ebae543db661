import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSendQuota, type QuotaLimits } from '../../../src/domain/sending/quotas.js';
import { createSendLedger, normaliseKey, senderAnyKey, type LedgerRecord } from '../../../src/domain/sending/send-ledger.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 28); // a month boundary falls inside the range

const record = fc.record({
  at: fc.integer({ min: START, max: START + 6 * DAY }).map((ms) => new Date(ms)),
  channel: fc.constantFrom('email' as const, 'linkedin' as const),
  sender: fc.constantFrom(null, 'a@x.com', 'A@X.com ', 'b@x.com'),
  recipientDomain: fc.constantFrom(null, 'acme.com', 'ACME.com.', 'other.io'),
  provider: fc.constantFrom('instantly', 'ghl', 'heyreach'),
});

/** What the quotas counted before the ledger: a scan of every record. */
const scan = (records: readonly LedgerRecord[], since: Date, match: (r: LedgerRecord) => boolean) => records.filter((r) => r.at >= since && match(r)).length;

describe('the send ledger answers what a scan of the history answers', () => {
  it('counts per key since any hour, day or month boundary, after adds and removes', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 80 }), fc.array(record, { maxLength: 10 }), fc.integer({ min: 0, max: 6 * 24 }), (initial, more, hours) => {
        const ledger = createSendLedger(initial);
        for (const r of more) ledger.add(r);
        const removed = more.slice(0, Math.floor(more.length / 2));
        for (const r of removed) ledger.remove(r);
        const all = [...initial, ...more.slice(removed.length)];
        for (const since of [new Date(START + hours * HOUR), new Date(START + Math.floor(hours / 24) * DAY), new Date(Date.UTC(2026, 11, 1))]) {
          expect(ledger.count('email', since)).toBe(scan(all, since, (r) => r.channel === 'email'));
          expect(ledger.count('linkedin', since)).toBe(scan(all, since, (r) => r.channel === 'linkedin'));
          expect(ledger.count('email-domain:acme.com', since)).toBe(scan(all, since, (r) => r.channel === 'email' && normaliseKey(r.recipientDomain) === 'acme.com'));
          expect(ledger.count('email-sender:a@x.com', since)).toBe(scan(all, since, (r) => r.channel === 'email' && normaliseKey(r.sender) === 'a@x.com'));
          expect(ledger.count(senderAnyKey('b@x.com'), since)).toBe(scan(all, since, (r) => r.sender === 'b@x.com'));
          expect(ledger.count(senderAnyKey(null), since)).toBe(scan(all, since, (r) => r.sender === null));
        }
        const latest = (match: (r: LedgerRecord) => boolean) => all.filter(match).reduce<number | null>((m, r) => Math.max(m ?? -Infinity, r.at.getTime()), null);
        expect(ledger.lastAt('email')?.getTime() ?? null).toBe(latest((r) => r.channel === 'email'));
        expect(ledger.lastAt('email-sender:a@x.com')?.getTime() ?? null).toBe(latest((r) => r.channel === 'email' && normaliseKey(r.sender) === 'a@x.com'));
        expect(ledger.lastAt(senderAnyKey(null))?.getTime() ?? null).toBe(latest((r) => r.sender === null));
        const after = new Date(START + hours * HOUR + 17);
        expect(ledger.countAfter('provider:ghl', after)).toBe(all.filter((r) => r.provider === 'ghl' && r.at > after).length);
      }),
      { numRuns: 300 },
    );
  });

  it('a quota decided on a ledger is the quota decided on the list', () => {
    const limits: QuotaLimits = { emailDailyLimit: 20, emailHourlyLimit: 6, emailMonthlyLimit: 60, perDomainHourlyLimit: 3, minDelaySeconds: 90, senderDailyLimit: 8, linkedinDailyLimit: 5 };
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), record, fc.integer({ min: 0, max: 6 * DAY }), (history, send, offset) => {
        const now = new Date(START + offset);
        expect(checkSendQuota(send, limits, createSendLedger(history), now)).toEqual(checkSendQuota(send, limits, history, now));
      }),
      { numRuns: 300 },
    );
  });
});
