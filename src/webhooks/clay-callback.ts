import type { ClayCorrelationStore } from '../pipeline/ports.js';
import { CLAY_WEBHOOK_AUTH, parseClayCallback } from '../providers/clay/webhook.js';
import { ignoredKey, type InboxWriter } from './inbox-handler.js';
import { rawBytesOf, readBody } from './raw-body.js';
import type { WebhookHandler } from './types.js';
import { TOKEN_HEADER, verifyWebhook } from './verify.js';

/** The header the user adds to Clay's HTTP API column (Clay does not sign requests). contracts/clay.md */
export const CLAY_TOKEN_HEADER = TOKEN_HEADER;

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
export const createClayCallbackHandler = (deps: {
  token: string;
  store: ClayCorrelationStore;
  /** Where unusable callbacks are kept, as ignored. */ inbox: InboxWriter;
  now?: () => Date;
  /** CLAY_WEBHOOK_SECRET: also accept the original's X-Clay-Signature HMAC of the body. */ hmacSecret?: string;
}): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const bytes = rawBytesOf(request);
    const verified = verifyWebhook({ headers: request.headers, query: request.query, path: request.path, rawBody: bytes }, { token: deps.token, hmac: deps.hmacSecret }, CLAY_WEBHOOK_AUTH, true);
    if (!verified.ok) return { status: 401, body: { error: 'unauthorized' } };
    const receivedAt = now();
    const read = readBody(bytes, request.body);
    const parsed = read.ok ? parseClayCallback(read.json) : { ok: false as const, eventType: 'callback' as const, reason: read.reason };
    if (!parsed.ok) {
      const id = await deps.inbox.insert({
        provider: 'clay',
        eventType: parsed.eventType,
        idempotencyKey: ignoredKey('clay|ignored', bytes),
        payload: read.json,
        receivedAt,
        status: 'ignored',
        reason: parsed.reason,
        raw: read.raw,
        signal: null,
      });
      return { status: 200, body: id ? { status: 'ignored', id, reason: parsed.reason } : { status: 'duplicate' } };
    }
    // The answer is the normalised form: the correlation store keeps it (clay_callbacks.result) for the waiting enricher.
    const outcome = await deps.store.recordCallback(parsed.answer, parsed.linkedinHash, receivedAt);
    if (outcome.suppressed) return { status: 200, body: { status: 'ignored', reason: CLAY_SUPPRESSED } };
    return { status: 200, body: { status: 'received', correlated: outcome.correlated, ...(outcome.requestId ? { request_id: outcome.requestId } : {}) } };
  };
};
