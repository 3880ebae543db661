import type { Config } from '../config/load.js';
import type { ClayCorrelationStore } from '../pipeline/ports.js';
import {
  createClayCallbackHandler,
  createInboxHandler,
  createRb2bVisitorHandler,
  heyreachSpec,
  INSTANTLY_PATHS,
  instantlySpec,
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
export const signatureRequired = (config: Config): boolean => config.env.WEBHOOK_SIGNATURE_REQUIRED ?? config.providers === 'live';

/**
 * The inbound routes of `caio serve`, on the original's paths. Each provider has a GET health route
 * that says whether a secret is configured (never the secret) and whether verification is strict.
 */
export const webhookRoutes = (deps: { config: Config; inbox: InboxWriter; clay: ClayCorrelationStore; onStored: (id: string) => void; now?: () => Date; pingDatabase?: () => Promise<void> }): WebhookRoutes => {
  const { config } = deps;
  const env = config.env;
  const required = signatureRequired(config);
  const common = { inbox: deps.inbox, required, onStored: deps.onStored, ...(deps.now ? { now: deps.now } : {}) };
  const post: Record<string, WebhookHandler> = {};
  for (const path of Object.keys(INSTANTLY_PATHS)) post[path] = createInboxHandler({ spec: instantlySpec(path, env.INSTANTLY_WEBHOOK_SECRET), ...common });
  post['/webhooks/heyreach'] = createInboxHandler({ spec: heyreachSpec(env.HEYREACH_WEBHOOK_SECRET), ...common });
  // RB2B signs nothing and sends no custom header: the secret rides in the URL (/webhooks/rb2b/<secret> or ?token=).
  const rb2bSecret = env.RB2B_WEBHOOK_SECRET;
  if (rb2bSecret) {
    const rb2b = createRb2bVisitorHandler({
      secret: rb2bSecret,
      intake: async ({ visit, lead, receivedAt }) => {
        const id = await deps.inbox.insert({ provider: 'rb2b', eventType: 'visit', idempotencyKey: sha256Hex(`rb2b|${visit.eventKey}`), payload: lead.raw, receivedAt });
        if (id) deps.onStored(id);
        return { accepted: true, duplicate: id === null };
      },
      ...(deps.now ? { now: deps.now } : {}),
    });
    post[RB2B_WEBHOOK_BASE_PATH] = rb2b;
    post[rb2bWebhookPath(rb2bSecret)] = rb2b;
  }
  const clayToken = env.CLAY_CALLBACK_TOKEN;
  if (clayToken) {
    const clay = createClayCallbackHandler({ token: clayToken, store: deps.clay, ...(env.CLAY_WEBHOOK_SECRET ? { hmacSecret: env.CLAY_WEBHOOK_SECRET } : {}) });
    post[config.clay.callbackPath] = clay;
    // The original's path for Clay's HTTP API column (visitor enrichment arrives the same way).
    post['/webhooks/clay'] = clay;
  }
  const health = (provider: string, secret: string | undefined) => async (): Promise<WebhookResponse> => ({
    status: 200,
    body: { status: 'ok', provider, secretConfigured: Boolean(secret), signatureRequired: required, accepting: Boolean(secret) || !required },
  });
  const liveness = async (): Promise<WebhookResponse> => ({ status: 200, body: { status: 'ok', mode: config.providers } });
  const ready = async (): Promise<WebhookResponse> => {
    const result = await readiness({
      pingDatabase: deps.pingDatabase ?? (async () => undefined),
      redisUrl: env.REDIS_URL,
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
    '/webhooks/clay/health': health('clay', clayToken),
    '/webhooks/rb2b/health': health('rb2b', rb2bSecret),
  };
  return { post, get };
};
