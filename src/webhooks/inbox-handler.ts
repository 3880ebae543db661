import { createHash } from 'node:crypto';
import { sha256Hex } from '../lib/hash.js';
import { rawBytesOf, readBody, type RawBody } from './raw-body.js';
import type { WebhookHandler } from './types.js';
import { verifyWebhook, type VerifyScheme } from './verify.js';

/** What a provider makes of a parsed body: an event to act on, or why it is kept without being acted on. */
export type ReadOutcome = { ok: true; eventType: string; keyParts: readonly unknown[] | null } | { ok: false; eventType: string; reason: string };

export type WebhookSpec = {
  provider: string;
  secret: string | undefined;
  scheme: VerifyScheme;
  /** Read the (storable) parsed body; the key parts name one delivery (null: hash the body). Reasons name fields, never personal values. */
  read: (json: unknown) => ReadOutcome;
};

/** One delivery for the inbox. `ignored` (with the reason) is kept for a person, never processed; `raw` is the body as received. */
export type InboxItemInput = { provider: string; eventType: string; idempotencyKey: string; payload: unknown; receivedAt: Date; status?: 'pending' | 'ignored'; reason?: string | null; raw?: RawBody | null };

export type InboxWriter = { insert(item: InboxItemInput): Promise<string | null> };

/**
 * The common path of every provider webhook: verify over the raw bytes (401/503; the only
 * refusals, with 413 for size at the server) -> store -> 2xx. Providers switch off webhooks that
 * keep failing, so every authenticated delivery is kept: one we can act on is stored `pending`,
 * keyed for idempotency (a retried delivery is acknowledged as a duplicate), answered 202 and its
 * id handed to the processor; one that is not JSON, not an object, too deep, of an unknown event
 * or naming no lead is stored `ignored` with the reason and the raw body, and answered 200. Text
 * PostgreSQL cannot store (NUL, lone surrogates) is made storable; the raw body is then kept too.
 * No answer echoes the payload.
 */
export const createInboxHandler = (deps: {
  spec: WebhookSpec;
  inbox: InboxWriter;
  required: boolean;
  now?: () => Date;
  onStored?: (id: string) => void;
}): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  const { spec } = deps;
  return async (request) => {
    const bytes = rawBytesOf(request);
    const verified = verifyWebhook({ headers: request.headers, query: request.query, rawBody: bytes }, spec.secret, spec.scheme, deps.required);
    if (!verified.ok) return { status: verified.status, body: { error: verified.status === 503 ? `no secret is configured for ${spec.provider} webhooks` : 'unauthorized', code: verified.code } };
    const receivedAt = now();
    const body = readBody(bytes, request.body);
    const read: ReadOutcome = body.ok ? spec.read(body.json) : { ok: false, eventType: 'unknown', reason: body.reason };
    if (!read.ok) {
      // Keyed by the exact bytes: a retried delivery is stored once.
      const id = await deps.inbox.insert({ provider: spec.provider, eventType: read.eventType, idempotencyKey: sha256Hex(`ignored|${createHash('sha256').update(bytes).digest('hex')}`), payload: body.json, receivedAt, status: 'ignored', reason: read.reason, raw: body.raw });
      return { status: 200, body: id ? { status: 'ignored', id, reason: read.reason } : { status: 'duplicate' } };
    }
    const idempotencyKey = sha256Hex(read.keyParts ? JSON.stringify([read.eventType, ...read.keyParts]) : body.raw.text);
    const id = await deps.inbox.insert({ provider: spec.provider, eventType: read.eventType, idempotencyKey, payload: body.json, receivedAt, raw: body.keepRaw ? body.raw : null });
    if (!id) return { status: 200, body: { status: 'duplicate' } };
    deps.onStored?.(id);
    return { status: 202, body: { status: 'accepted', id } };
  };
};
