import { expect } from 'vitest';
import type { WebhookParse } from '../../src/signals/ports.js';

/** Every string in a body that could be about a person (addresses, names, URLs, message text): none may show in a reason. */
export const personalValuesIn = (body: unknown): string[] => {
  const found: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string' && v.trim().length > 2 && !/^(event_?type|type|event)$/i.test(key)) found.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(body, '');
  return found;
};

/** A refusal: `ok: false`, a reason naming `fields`, and no personal value of `body` in it. */
export const expectRefusal = (outcome: WebhookParse | { ok: boolean; reason?: string }, body: unknown, fields: RegExp) => {
  expect(outcome.ok).toBe(false);
  const reason = 'reason' in outcome ? String(outcome.reason) : '';
  expect(reason).toMatch(fields);
  for (const value of personalValuesIn(body)) expect(reason.toLowerCase(), `the reason shows "${value}"`).not.toContain(value.toLowerCase());
};

/** The signal as the door stores it in jsonb: plain JSON, read back unchanged. */
export const expectJsonRoundTrip = (outcome: WebhookParse) => {
  if (!outcome.ok) throw new Error(`expected a signal, got: ${outcome.reason}`);
  expect(JSON.parse(JSON.stringify(outcome.signal))).toEqual(outcome.signal);
};
