import { safeEqual } from '../lib/hash.js';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';
import type { InboxWriter } from './inbox-handler.js';
import { rawBytesOf, readBody } from './raw-body.js';
import { verifyWebhook } from './verify.js';
import type { ClayCorrelationStore } from '../pipeline/ports.js';
import { readClayCallback } from '../providers/clay/callback.js';
import { linkedinHash } from '../providers/clay/correlation.js';
import type { WebhookHandler } from './types.js';

/** The header the user adds to Clay's HTTP API column (Clay does not sign requests). contracts/clay.md */
export const CLAY_TOKEN_HEADER = 'x-caio-webhook-token';

/** Why a callback about a suppressed person was not kept. */
export const CLAY_SUPPRESSED = 'suppressed (privacy request or unsubscribe)';

/**
 * Clay's HTTP API column calls this when a row's enrichment finishes. A wrong or missing token is
 * 401 (and 413 for size, at the server): the only refusals. Every authenticated callback is answered
 * 200: one we can use is stored, correlated or not (an uncorrelated answer is reconciled later by
 * LinkedIn hash); one that is not a JSON object or names no request, lead or LinkedIn URL is kept
 * in the webhook inbox as `ignored` with the reason (`caio webhooks list --status ignored`); one
 * about a suppressed person is not kept at all. No answer echoes the payload.
 */
export const createClayCallbackHandler = (deps: { token: string; store: ClayCorrelationStore; /** Where unusable callbacks are kept, as ignored. */ inbox: InboxWriter; now?: () => Date; /** CLAY_WEBHOOK_SECRET: also accept the original's X-Clay-Signature HMAC of the body. */ hmacSecret?: string }): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const { headers, body } = request;
    const given = headers[CLAY_TOKEN_HEADER];
    const signed = deps.hmacSecret ? verifyWebhook({ headers, rawBody: rawBytesOf(request) }, deps.hmacSecret, { signatureHeaders: ['x-clay-signature'], secretParams: [] }, true).ok : false;
    if (!signed && (!given || !safeEqual(given, deps.token))) return { status: 401, body: { error: 'unauthorized' } };
    const receivedAt = now();
    const bytes = rawBytesOf(request);
    const read = readBody(bytes, body);
    const ignore = async (reason: string) => {
      // Keyed by the exact bytes: a retried callback is kept once.
      const id = await deps.inbox.insert({ provider: 'clay', eventType: 'callback', idempotencyKey: sha256Hex(`clay|ignored|${createHash('sha256').update(bytes).digest('hex')}`), payload: read.json, receivedAt, status: 'ignored', reason, raw: read.raw });
      return { status: 200, body: id ? { status: 'ignored', id, reason } : { status: 'duplicate' } };
    };
    if (!read.ok) return ignore(read.reason);
    const result = readClayCallback(read.json);
    if (!result) return ignore('the body is not a JSON object');
    const hash = linkedinHash(result.linkedinUrl);
    if (!result.requestId && !result.leadId && !hash) return ignore('no request_id, lead_id or LinkedIn URL to correlate with');
    const outcome = await deps.store.recordCallback(result, hash, receivedAt);
    if (outcome.suppressed) return { status: 200, body: { status: 'ignored', reason: CLAY_SUPPRESSED } };
    return { status: 200, body: { status: 'received', correlated: outcome.correlated, ...(outcome.requestId ? { request_id: outcome.requestId } : {}) } };
  };
};
