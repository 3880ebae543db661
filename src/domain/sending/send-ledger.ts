/**
 * The send history as counters, kept as sends happen: what the quotas, the sender rotation, the
 * inbox gap and the GHL windows ask of the history, answered without rescanning it. A drain builds
 * one from the month's sends once and adds each send it makes (and takes back one that did not go
 * out), so the cost of judging an item does not grow with the history (issue "Cost that stays flat").
 *
 * Counts are kept per UTC hour and per UTC day and per key (e-mails, LinkedIn touches, e-mails to a
 * domain, e-mails from a sender, sends from a sender on any channel); a count since an hour
 * boundary adds the hours, since a day boundary the days. The times of each sender's sends and of
 * the GHL sends are kept sorted for the gaps and the rolling windows.
 */
import type { SendChannel } from './channel.js';

/**
 * One past send (a provider is kept when known: GHL's rolling windows count its sends). `count`: an
 * aggregate of that many sends of one UTC day, `at` the latest of them; it counts in its day's and
 * hour's buckets and puts one time (the latest) in the times lists, so it may stand only for sends
 * older than every rolling window asked (a day), whose times nothing counts one by one.
 */
export type LedgerRecord = { at: Date; channel: SendChannel; sender: string | null; recipientDomain: string | null; provider?: string; count?: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A domain or sender as the quotas compare it: trimmed, lower case, no trailing dot; null when empty. */
export const normaliseKey = (value: string | null): string | null => {
  const key = value?.trim().toLowerCase().replace(/\.+$/, '') ?? '';
  return key === '' ? null : key;
};

/** Sends from exactly this sender (as stored, any channel; null is a key of its own). */
export const senderAnyKey = (sender: string | null): string => `sender-any:${sender ?? '\u0000'}`;

/** The counter keys one record adds to. */
const keysOf = (r: LedgerRecord): string[] => {
  const keys = [r.channel === 'email' ? 'email' : 'linkedin', senderAnyKey(r.sender)];
  if (r.channel === 'email') {
    const domain = normaliseKey(r.recipientDomain);
    const sender = normaliseKey(r.sender);
    if (domain !== null) keys.push(`email-domain:${domain}`);
    if (sender !== null) keys.push(`email-sender:${sender}`);
  }
  return keys;
};

/** The times lists kept sorted: every e-mail (`email`), per normalised e-mail sender, per raw sender (any channel), per provider. */
const timeKeysOf = (r: LedgerRecord): string[] => {
  const keys: string[] = [];
  if (r.channel === 'email') {
    keys.push('email');
    const sender = normaliseKey(r.sender);
    if (sender !== null) keys.push(`email-sender:${sender}`);
  }
  keys.push(senderAnyKey(r.sender));
  if (r.provider) keys.push(`provider:${r.provider}`);
  return keys;
};

/** Index of the first element greater than `value` in an ascending list. */
const upperBound = (list: readonly number[], value: number): number => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export type SendLedger = {
  add(record: LedgerRecord): void;
  /** Takes back a send that was added but did not go out (deferred or failed after the claim). */
  remove(record: LedgerRecord): void;
  /** Records under `key` since `since`, a UTC hour (or day, or month) boundary. */
  count(key: string, since: Date): number;
  /** The latest send under a time key (`email`, `email-sender:<s>`, `sender-any:<s>`, `provider:<p>`), or null. */
  lastAt(key: string): Date | null;
  /** Sends under a time key strictly after `after`. */
  countAfter(key: string, after: Date): number;
};

export const createSendLedger = (records: readonly LedgerRecord[] = []): SendLedger => {
  const hours = new Map<number, Map<string, number>>();
  const days = new Map<number, Map<string, number>>();
  const times = new Map<string, number[]>();
  let lastHour = Number.NEGATIVE_INFINITY;

  const bump = (buckets: Map<number, Map<string, number>>, start: number, keys: readonly string[], by: number) => {
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = new Map<string, number>()));
    for (const key of keys) bucket.set(key, (bucket.get(key) ?? 0) + by);
  };

  const apply = (record: LedgerRecord, by: 1 | -1) => {
    const at = record.at.getTime();
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const keys = keysOf(record);
    const n = by * (record.count ?? 1);
    bump(hours, hour, keys, n);
    bump(days, Math.floor(at / DAY_MS) * DAY_MS, keys, n);
    lastHour = Math.max(lastHour, hour);
    for (const key of timeKeysOf(record)) {
      let list = times.get(key);
      if (!list) times.set(key, (list = [] as number[]));
      if (by === 1) list.splice(upperBound(list, at), 0, at);
      else {
        const i = upperBound(list, at) - 1;
        if (i >= 0 && list[i] === at) list.splice(i, 1);
      }
    }
  };

  for (const record of [...records].sort((a, b) => a.at.getTime() - b.at.getTime())) apply(record, 1);

  return {
    add: (record) => apply(record, 1),
    remove: (record) => apply(record, -1),
    count: (key, since) => {
      const from = since.getTime();
      let total = 0;
      if (from % DAY_MS === 0) {
        for (const [start, bucket] of days) if (start >= from) total += bucket.get(key) ?? 0;
        return total;
      }
      for (let hour = Math.ceil(from / HOUR_MS) * HOUR_MS; hour <= lastHour; hour += HOUR_MS) total += hours.get(hour)?.get(key) ?? 0;
      return total;
    },
    lastAt: (key) => {
      const list = times.get(key);
      return list?.length ? new Date(list[list.length - 1]!) : null;
    },
    countAfter: (key, after) => {
      const list = times.get(key) ?? [];
      return list.length - upperBound(list, after.getTime());
    },
  };
};

/** The history as a ledger: the one given, or one built from a list of records. */
export type SendHistory = SendLedger | readonly LedgerRecord[];
export const ledgerOf = (history: SendHistory): SendLedger => (Array.isArray(history) ? createSendLedger(history as readonly LedgerRecord[]) : (history as SendLedger));
