import type { ClayResult } from '../../pipeline/ports.js';
import type { WebhookAuthScheme } from '../../signals/ports.js';
import { readClayCallback } from './callback.js';
import { linkedinHash } from './correlation.js';

/**
 * Clay's callback, whole: its paths, how a callback proves it comes from our Clay table, and the one
 * reading of a body into an enrichment answer (contracts/clay.md). Unlike the other providers' webhooks
 * it carries no engagement signal: the answer goes to the Clay correlation store for the waiting
 * enricher, not through the inbox processor.
 */

/** The original's path for Clay's HTTP API column (visitor enrichment arrives the same way). */
export const CLAY_WEBHOOK_PATH = '/webhooks/clay';

/** `callbackPath`: `clay.callbackPath` from the config (default `/webhooks/clay/callback`). */
export const clayWebhookPaths = (callbackPath: string): string[] => [...new Set([callbackPath, CLAY_WEBHOOK_PATH])];

/**
 * Clay does not sign requests: the user adds `X-Caio-Webhook-Token: <CLAY_CALLBACK_TOKEN>` to the
 * HTTP API column. The original's `X-Clay-Signature` HMAC of the body is accepted too, keyed by
 * CLAY_WEBHOOK_SECRET (a different secret) when that is set.
 */
export const CLAY_WEBHOOK_AUTH: WebhookAuthScheme = { signatureHeaders: ['x-clay-signature'], tokenHeader: true, bearer: false, secretParams: [] };

/** A callback read: the answer and its correlation key (SHA-256 of the normalised LinkedIn URL), or why it is kept without being used. */
export type ClayCallbackParse = { ok: true; eventType: 'callback'; answer: ClayResult; linkedinHash: string | null } | { ok: false; eventType: 'callback'; reason: string };

/** One (storable) parsed body: an answer we can correlate (by request id, lead id or LinkedIn URL), or why not. Reasons name fields only. */
export const parseClayCallback = (json: unknown): ClayCallbackParse => {
  const answer = readClayCallback(json);
  if (!answer) return { ok: false, eventType: 'callback', reason: 'the body is not a JSON object' };
  const hash = linkedinHash(answer.linkedinUrl);
  if (!answer.requestId && !answer.leadId && !hash) return { ok: false, eventType: 'callback', reason: 'no request_id, lead_id or LinkedIn URL to correlate with' };
  return { ok: true, eventType: 'callback', answer, linkedinHash: hash };
};
