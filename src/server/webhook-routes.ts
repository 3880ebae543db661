import type { Config } from '../config/load.js';
import type { ClayCorrelationStore } from '../pipeline/ports.js';
import {
  clayWebhookPaths,
  createClayCallbackHandler,
  createInboxHandler,
  createRb2bVisitorHandler,
  ghlWebhook,
  heyreachWebhook,
  instantlyWebhook,
  rb2bWebhookPath,
  RB2B_WEBHOOK_BASE_PATH,
  type InboxWriter,
  type WebhookHandler,
  type WebhookResponse,
} from '../webhooks/index.js';
import { sha256Hex } from '../lib/hash.js';
import { readiness } from './readiness.js';

export type WebhookRoutes = { post: Record<string, WebhookHandler>; get: Record<string, () => Promise<WebhookResponse>> };

/** Strict unless the environment says otherwise: on in live mode, off in sandbox mode. */
export const signatureRequired = (config: Config): boolean => config.env.WEBHOOK_SIGNATURE_REQUIRED ?? !config.usesSandboxes;

/** RB2B disconnects the integration without a 200 within 15 s (contracts/rb2b.md): ours comes well before. */
export const RB2B_ANSWER_WITHIN_MS = 10_000;

/** A path for a log line: the secret some paths carry (`/webhooks/rb2b/<secret>`) left out. */
const redactPath = (path: string): string => path.replace(/^(\/webhooks\/[a-z0-9]+)\/.*$/, '$1/...');

/**
 * RB2B's answer is always 200 once the secret is right: after `ms`, or if storing fails, it is
 * given anyway (RB2B documents no retry, so a 5xx would lose the visit AND disconnect every later
 * one) and the failure goes to `onError`.
 */
const answerRb2bWithin =
  (handler: WebhookHandler, ms: number, onError: (error: unknown, path: string) => void): WebhookHandler =>
  async (request) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<WebhookResponse>((resolve) => {
      timer = setTimeout(() => {
        onError(new Error(`the RB2B visit was not stored within ${ms} ms; answered 200 (it may still be stored)`), redactPath(request.path));
        resolve({ status: 200, body: { status: 'received', stored: 'pending' } });
      }, ms);
      timer.unref();
    });
    const handled = handler(request).catch((error: unknown): WebhookResponse => {
      onError(error, redactPath(request.path));
      return { status: 200, body: { status: 'received', stored: false } };
    });
    try {
      return await Promise.race([handled, late]);
    } finally {
      clearTimeout(timer);
    }
  };

/**
 * The inbound routes of `caio serve`, on the original's paths. Each provider has a GET health route
 * that says whether a secret is configured (never the secret) and whether verification is strict.
 * Every authenticated delivery within the size limit is answered 2xx (providers switch off webhooks
 * that fail); what cannot be used is kept in the inbox as `ignored`, with the reason.
 */
export const webhookRoutes = (deps: {
  config: Config;
  inbox: InboxWriter;
  clay: ClayCorrelationStore;
  onStored: (id: string) => void;
  now?: () => Date;
  pingDatabase?: () => Promise<void>;
  /** A delivery answered 2xx that could not be stored (RB2B only: the others answer 5xx and are retried). @defaultValue a line on stderr */
  onError?: (error: unknown, path: string) => void;
  /** @defaultValue RB2B_ANSWER_WITHIN_MS */
  rb2bAnswerWithinMs?: number;
}): WebhookRoutes => {
  const { config } = deps;
  const env = config.env;
  const required = signatureRequired(config);
  const now = deps.now ?? (() => new Date());
  const onError = deps.onError ?? ((error: unknown, path: string) => void process.stderr.write(`webhook ${path}: ${error instanceof Error ? error.message : String(error)}\n`));
  const common = { inbox: deps.inbox, required, onStored: deps.onStored, now };
  const post: Record<string, WebhookHandler> = {};
  // Each provider's paths, auth and parse come from its webhook.ts; the door only knows its secret.
  for (const [webhook, secret] of [
    [instantlyWebhook, env.INSTANTLY_WEBHOOK_SECRET],
    [heyreachWebhook, env.HEYREACH_WEBHOOK_SECRET],
    // GoHighLevel: a workflow "Custom Webhook" action with our token header (nurture replies, docs/replies.md).
    [ghlWebhook, env.GHL_WEBHOOK_SECRET],
  ] as const) {
    for (const { path, urlEvent } of webhook.paths) post[path] = createInboxHandler({ webhook, secret, urlEvent, ...common });
  }
  // RB2B signs nothing and sends no custom header: the secret rides in the URL (/webhooks/rb2b/<secret> or ?token=).
  const rb2bSecret = env.RB2B_WEBHOOK_SECRET;
  if (rb2bSecret) {
    const rb2b = createRb2bVisitorHandler({
      secret: rb2bSecret,
      intake: async ({ eventType, eventKey, signal, payload, receivedAt, raw }) => {
        const id = await deps.inbox.insert({ provider: 'rb2b', eventType, idempotencyKey: sha256Hex(`rb2b|${eventKey}`), payload, receivedAt, raw, signal });
        if (id) deps.onStored(id);
        return { accepted: true, duplicate: id === null };
      },
      // RB2B disconnects on any answer but 200: an unusable visit is kept as ignored, with the reason.
      quarantine: async ({ reason, receivedAt, raw, json }) => {
        await deps.inbox.insert({ provider: 'rb2b', eventType: 'visit', idempotencyKey: sha256Hex(`rb2b|ignored|${raw.base64 ?? raw.text}`), payload: json, receivedAt, status: 'ignored', reason, raw, signal: null });
      },
      now,
    });
    const answered = answerRb2bWithin(rb2b, deps.rb2bAnswerWithinMs ?? RB2B_ANSWER_WITHIN_MS, onError);
    post[RB2B_WEBHOOK_BASE_PATH] = answered;
    post[rb2bWebhookPath(rb2bSecret)] = answered;
  }
  const clayToken = env.CLAY_CALLBACK_TOKEN;
  if (clayToken) Object.assign(post, clayCallbackRoutes({ token: clayToken, hmacSecret: env.CLAY_WEBHOOK_SECRET, store: deps.clay, inbox: deps.inbox, now, paths: clayWebhookPaths(config.clay.callbackPath) }).post);
  const health = (provider: string, secret: string | undefined) => async (): Promise<WebhookResponse> => ({
    status: 200,
    body: { status: 'ok', provider, secretConfigured: Boolean(secret), signatureRequired: required, accepting: Boolean(secret) || !required },
  });
  const liveness = async (): Promise<WebhookResponse> => ({ status: 200, body: { status: 'ok', mode: config.providers } });
  const ready = async (): Promise<WebhookResponse> => {
    const result = await readiness({
      pingDatabase: deps.pingDatabase ?? (async () => undefined),
      redisUrl: config.jobsBackend.kind === 'bullmq' ? config.jobsBackend.redisUrl : undefined,
      strictWebhooks: required,
      secrets: { instantly: Boolean(env.INSTANTLY_WEBHOOK_SECRET), heyreach: Boolean(env.HEYREACH_WEBHOOK_SECRET), rb2b: Boolean(env.RB2B_WEBHOOK_SECRET), clay: Boolean(env.CLAY_CALLBACK_TOKEN) },
    });
    return { status: result.status === 'ready' ? 200 : 503, body: result };
  };
  const get: Record<string, () => Promise<WebhookResponse>> = {
    '/health': liveness,
    '/api/health': liveness,
    '/api/health/live': liveness,
    '/ready': ready,
    '/api/health/ready': ready,
    '/webhooks/instantly/health': health('instantly', env.INSTANTLY_WEBHOOK_SECRET),
    '/webhooks/heyreach/health': health('heyreach', env.HEYREACH_WEBHOOK_SECRET),
    '/webhooks/ghl/health': health('ghl', env.GHL_WEBHOOK_SECRET),
    '/webhooks/clay/health': health('clay', clayToken),
    '/webhooks/rb2b/health': health('rb2b', rb2bSecret),
  };
  return { post, get };
};

/**
 * Only Clay's callback, on `paths`: what `caio pipeline run` serves (through buildApp, as `caio
 * serve` does) while its Clay step waits for answers. `hmacSecret`: CLAY_WEBHOOK_SECRET.
 */
export const clayCallbackRoutes = (deps: { token: string; hmacSecret?: string | undefined; store: ClayCorrelationStore; inbox: InboxWriter; now?: () => Date; paths: readonly string[] }): WebhookRoutes => {
  const handler = createClayCallbackHandler({ token: deps.token, store: deps.store, inbox: deps.inbox, ...(deps.now ? { now: deps.now } : {}), ...(deps.hmacSecret ? { hmacSecret: deps.hmacSecret } : {}) });
  return { post: Object.fromEntries(deps.paths.map((path) => [path, handler])), get: {} };
};
