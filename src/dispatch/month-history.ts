import type { OutboxStore, SendRecord } from './ports.js';

const DAY_MS = 86_400_000;

/**
 * The send history the quotas read, for a ledger (domain/sending/send-ledger.ts): the last day's
 * sends one by one (the hour's and the day's counts, GHL's rolling windows, the gaps) and the
 * month's older sends as counts per UTC day, channel and sender with each group's latest time (the
 * month's count and each sender's latest send are all the quotas ask of them). So a drain or a
 * status read does not read every send of a busy month (issue 22).
 */
export const monthSendHistory = async (outbox: Pick<OutboxStore, 'sentSince' | 'sentCountsBetween'>, now: Date): Promise<SendRecord[]> => {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const [recent, older] = await Promise.all([outbox.sentSince(dayAgo), monthStart < dayAgo ? outbox.sentCountsBetween(monthStart, dayAgo) : Promise.resolve([])]);
  return [...older, ...recent];
};
