import { createHash } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';
import type { NormalisedSignal, ProviderWebhook, WebhookParse } from '../signals/ports.js';
import { rawBytesOf, readBody, type RawBody } from './raw-body.js';
import type { WebhookHandler } from './types.js';
import { verifyWebhook } from './verify.js';

/**
 * One delivery for the inbox. `ignored` (with the reason) is kept for a person, never processed;
 * `raw` is the body as received; `signal` is the provider's reading of it, which the processor acts
 * on (null for an ignored one).
 */
export type InboxItemInput = {
  provider: string;
  eventType: string;
  idempotencyKey: string;
  payload: unknown;
  receivedAt: Date;
  status?: 'pending' | 'ignored';
  reason?: string | null;
  raw?: RawBody | null;
  signal?: NormalisedSignal | null;
};

export type InboxWriter = { insert(item: InboxItemInput): Promise<string | null> };

/** The key of a delivery kept as ignored: its exact bytes, so a retried delivery is stored once. */
export const ignoredKey = (prefix: string, bytes: Buffer): string => sha256Hex(`${prefix}|${createHash('sha256').update(bytes).digest('hex')}`);

/**
 * The common path of a provider webhook (`webhook`: the provider's paths, auth and parse): verify
 * over the raw bytes (401/503; the only refusals, with 413 for size at the server) -> parse once ->
 * store -> 2xx. Providers switch off webhooks that keep failing, so every authenticated delivery is
 * kept: one we can act on is stored `pending` with its normalised signal beside the payload, keyed
 * for idempotency (a retried delivery is acknowledged as a duplicate), answered 202 and its id
 * handed to the processor; one that is not JSON, not an object, too deep, of an unknown event or
 * naming no lead is stored `ignored` with the reason and the raw body, and answered 200. Text
 * PostgreSQL cannot store (NUL, lone surrogates) is made storable; the raw body is then kept too.
 * No answer echoes the payload. `urlEvent`: the event this path names (HeyReach's per-event URLs).
 */
export const createInboxHandler = (deps: { webhook: ProviderWebhook; secret: string | undefined; urlEvent?: string | undefined; inbox: InboxWriter; required: boolean; now?: () => Date; onStored?: (id: string) => void }): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  const { webhook } = deps;
  const provider = webhook.provider;
  return async (request) => {
    const bytes = rawBytesOf(request);
    const verified = verifyWebhook({ headers: request.headers, query: request.query, path: request.path, rawBody: bytes }, { token: deps.secret, hmac: deps.secret }, webhook.auth, deps.required);
    if (!verified.ok) return { status: verified.status, body: { error: verified.status === 503 ? `no secret is configured for ${provider} webhooks` : 'unauthorized', code: verified.code } };
    const receivedAt = now();
    const body = readBody(bytes, request.body);
    const read: WebhookParse = body.ok ? webhook.parse(body.json, { receivedAt, urlEvent: deps.urlEvent ?? null }) : { ok: false, eventType: 'unknown', reason: body.reason };
    if (!read.ok) {
      const id = await deps.inbox.insert({ provider, eventType: read.eventType, idempotencyKey: ignoredKey('ignored', bytes), payload: body.json, receivedAt, status: 'ignored', reason: read.reason, raw: body.raw, signal: null });
      return { status: 200, body: id ? { status: 'ignored', id, reason: read.reason } : { status: 'duplicate' } };
    }
    // The same key as before the signal was stored: a delivery retried across an upgrade is still one.
    const idempotencyKey = sha256Hex(read.keyParts ? JSON.stringify([read.eventType, ...read.keyParts]) : body.raw.text);
    const id = await deps.inbox.insert({ provider, eventType: read.eventType, idempotencyKey, payload: body.json, receivedAt, raw: body.keepRaw ? body.raw : null, signal: read.signal });
    if (!id) return { status: 200, body: { status: 'duplicate' } };
    deps.onStored?.(id);
    return { status: 202, body: { status: 'accepted', id } };
  };
};
