/**
 * The rolling windows the agent's action-rate limits are checked against for GoHighLevel, the one
 * channel whose sends reach a person at once. Instantly and HeyReach queue a lead at the provider,
 * which paces the real sends itself, so their sends are not counted here (the daily quotas in
 * quotas.ts still count them).
 */
import type { WindowCounts } from '../agents/index.js';
import { ledgerOf, type LedgerRecord, type SendHistory } from './send-ledger.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One past send: when, and through which provider. */
export type ProviderSend = { at: Date; provider: string };

/**
 * GHL sends in the last minute, hour and day before `now`. Rolling windows (unlike the quotas'
 * UTC calendar buckets): a send exactly one window ago no longer counts.
 */
export const ghlSendWindows = (history: SendHistory | readonly ProviderSend[], now: Date): Required<WindowCounts> => {
  // Plain { at, provider } records count as sends without a channel or sender.
  const ledger = ledgerOf(Array.isArray(history) ? (history as readonly ProviderSend[]).map((h): LedgerRecord => ({ channel: 'email', sender: null, recipientDomain: null, ...h })) : (history as SendHistory));
  const within = (windowMs: number) => ledger.countAfter('provider:ghl', new Date(now.getTime() - windowMs));
  return { lastMinute: within(MINUTE_MS), lastHour: within(HOUR_MS), lastDay: within(DAY_MS) };
};
