/**
 * The webhooks adapter's entry: what another adapter (the HTTP server that mounts these handlers)
 * may use. The door knows its providers: each one's paths, auth and parse come from its
 * src/providers/<name>/webhook.ts, re-exported here. Signature checks (verify.ts) stay inside.
 */
export { CLAY_TOKEN_HEADER, createClayCallbackHandler } from './clay-callback.js';
export { createInboxHandler, type InboxItemInput, type InboxWriter } from './inbox-handler.js';
export { type RawBody } from './raw-body.js';
export { createRb2bVisitorHandler, RB2B_TOKEN_HEADER, type VisitorIntake, type VisitorIntakeItem, type VisitorQuarantine } from './rb2b-visitor.js';
export type { WebhookHandler, WebhookRequest, WebhookResponse } from './types.js';
export { GHL_WEBHOOK_PATH, ghlWebhook } from '../providers/ghl/webhook.js';
export { heyreachWebhook } from '../providers/heyreach/webhook.js';
export { INSTANTLY_PATHS, instantlyWebhook } from '../providers/instantly/webhook.js';
export { RB2B_WEBHOOK_BASE_PATH, rb2bWebhook, rb2bWebhookPath } from '../providers/rb2b/webhook.js';
export { clayWebhookPaths } from '../providers/clay/webhook.js';
