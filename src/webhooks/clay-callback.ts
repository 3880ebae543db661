import { safeEqual } from '../lib/hash.js';
import { rawBytesOf } from './raw-body.js';
import { verifyWebhook } from './verify.js';
import type { ClayCorrelationStore } from '../pipeline/ports.js';
import { readClayCallback } from '../providers/clay/callback.js';
import { linkedinHash } from '../providers/clay/correlation.js';
import type { WebhookHandler } from './types.js';

/** The header the user adds to Clay's HTTP API column (Clay does not sign requests). contracts/clay.md */
export const CLAY_TOKEN_HEADER = 'x-caio-webhook-token';

/**
 * Clay's HTTP API column calls this when a row's enrichment finishes. A wrong or missing token is
 * 401; a body that is not a JSON object, or names no request, lead or LinkedIn URL, is 4xx and
 * stores nothing. Any other authenticated callback is stored and answered 200, correlated or not
 * (Clay's retry behaviour is unknown; an uncorrelated answer is reconciled later by LinkedIn hash).
 */
export const createClayCallbackHandler = (deps: { token: string; store: ClayCorrelationStore; now?: () => Date; /** CLAY_WEBHOOK_SECRET: also accept the original's X-Clay-Signature HMAC of the body. */ hmacSecret?: string }): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const { headers, body } = request;
    const given = headers[CLAY_TOKEN_HEADER];
    const signed = deps.hmacSecret ? verifyWebhook({ headers, rawBody: rawBytesOf(request) }, deps.hmacSecret, { signatureHeaders: ['x-clay-signature'], secretParams: [] }, true).ok : false;
    if (!signed && (!given || !safeEqual(given, deps.token))) return { status: 401, body: { error: 'unauthorized' } };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, body: { error: 'the body is not JSON' } };
    }
    const result = readClayCallback(json);
    if (!result) return { status: 400, body: { error: 'the body must be a JSON object' } };
    const hash = linkedinHash(result.linkedinUrl);
    if (!result.requestId && !result.leadId && !hash) return { status: 422, body: { error: 'no request_id, lead_id or LinkedIn URL to correlate with' } };
    const outcome = await deps.store.recordCallback(result, hash, now());
    return { status: 200, body: { status: 'received', correlated: outcome.correlated, ...(outcome.requestId ? { request_id: outcome.requestId } : {}) } };
  };
};
