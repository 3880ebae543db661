import { sha256Hex } from '../lib/hash.js';
import type { WebhookHandler } from './types.js';
import { verifyWebhook, type VerifyScheme } from './verify.js';

export type ReadOutcome = { ok: true; eventType: string; keyParts: readonly unknown[] | null } | { ok: false; code: 'INVALID_PAYLOAD' | 'UNKNOWN_EVENT' | 'EVENT_PATH_MISMATCH'; message: string };

export type WebhookSpec = {
  provider: string;
  secret: string | undefined;
  scheme: VerifyScheme;
  /** Validate the parsed body; the key parts name one delivery (null: hash the body). Messages name fields, never values. */
  read: (json: unknown) => ReadOutcome;
};

export type InboxWriter = { insert(item: { provider: string; eventType: string; idempotencyKey: string; payload: unknown; receivedAt: Date }): Promise<string | null> };

const MAX_DEPTH = 32;

const depthOf = (value: unknown, depth = 0): number => {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value as Record<string, unknown>)) {
    max = Math.max(max, depthOf(v, depth + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
};

/**
 * The common path of every provider webhook: verify over the raw body (401/503) -> JSON (400) ->
 * not absurdly nested (400) -> the provider's shape and event type (400) -> the inbox, keyed for
 * idempotency (a retried delivery is acknowledged as a duplicate) -> 202, and the stored id is
 * handed to the processor. Nothing is stored on any 4xx; no answer echoes the payload.
 */
export const createInboxHandler = (deps: { spec: WebhookSpec; inbox: InboxWriter; required: boolean; now?: () => Date; onStored?: (id: string) => void }): WebhookHandler => {
  const now = deps.now ?? (() => new Date());
  const { spec } = deps;
  return async ({ headers, body, query }) => {
    const verified = verifyWebhook({ headers, query, rawBody: body }, spec.secret, spec.scheme, deps.required);
    if (!verified.ok) return { status: verified.status, body: { error: verified.status === 503 ? `no secret is configured for ${spec.provider} webhooks` : 'unauthorized', code: verified.code } };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, body: { error: 'the body is not JSON', code: 'INVALID_JSON' } };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return { status: 400, body: { error: 'the body must be a JSON object', code: 'INVALID_PAYLOAD' } };
    if (depthOf(json) > MAX_DEPTH) return { status: 400, body: { error: `the body is nested deeper than ${MAX_DEPTH} levels`, code: 'PAYLOAD_TOO_DEEP' } };
    const read = spec.read(json);
    if (!read.ok) return { status: 400, body: { error: read.message, code: read.code } };
    const idempotencyKey = sha256Hex(read.keyParts ? JSON.stringify([read.eventType, ...read.keyParts]) : body);
    const id = await deps.inbox.insert({ provider: spec.provider, eventType: read.eventType, idempotencyKey, payload: json, receivedAt: now() });
    if (!id) return { status: 200, body: { status: 'duplicate' } };
    deps.onStored?.(id);
    return { status: 202, body: { status: 'accepted', id } };
  };
};
