import { isSignalType } from '../domain/signals/index.js';
import type { NormalisedSignal, PayloadReaders, StoredDelivery } from './ports.js';

/** A stored delivery that will not be acted on, and why (an unknown event, no lead named...). */
export type IgnoredDelivery = { ignored: string };

const CHANNELS: ReadonlySet<string> = new Set(['email', 'linkedin', 'website']);
const textOrNull = (v: unknown) => v === null || typeof v === 'string';

/** Whether a stored `signal` has the NormalisedSignal shape (it is our own JSON, but a row can be edited by hand). */
const isNormalisedSignal = (value: unknown): value is NormalisedSignal => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  return (
    textOrNull(s.email) &&
    textOrNull(s.linkedinUrl) &&
    (s.type === null || (typeof s.type === 'string' && isSignalType(s.type))) &&
    typeof s.channel === 'string' &&
    CHANNELS.has(s.channel) &&
    typeof s.at === 'string' &&
    !Number.isNaN(Date.parse(s.at)) &&
    Boolean(s.details) &&
    typeof s.details === 'object' &&
    Array.isArray(s.flags)
  );
};

/**
 * The signal a stored delivery carries: the one the door stored beside the payload. A delivery
 * without one (stored before the door kept signals, or stored `ignored` and now replayed, so that a
 * replay reads it with today's code) is read once with its provider's parse from `readers`, on the
 * stored payload and the event type and receive time stored with it: the same reading the door does.
 */
export const storedSignalOf = (item: StoredDelivery, readers: PayloadReaders): NormalisedSignal | IgnoredDelivery => {
  if (isNormalisedSignal(item.signal)) return item.signal;
  const parse = readers[item.provider];
  if (!parse) return { ignored: `no reader for provider "${item.provider.slice(0, 40)}"` };
  const parsed = parse(item.payload, { receivedAt: item.receivedAt, urlEvent: item.eventType });
  return parsed.ok ? parsed.signal : { ignored: parsed.reason };
};
