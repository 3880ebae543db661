/**
 * The webhooks adapter's entry: what another adapter (the HTTP server that mounts these handlers)
 * may use. Signature checks (verify.ts) stay inside.
 */
export { CLAY_TOKEN_HEADER, createClayCallbackHandler } from './clay-callback.js';
export { createInboxHandler, type InboxItemInput, type InboxWriter, type ReadOutcome, type WebhookSpec } from './inbox-handler.js';
export { type RawBody } from './raw-body.js';
export { HEYREACH_EVENTS, heyreachSpec, INSTANTLY_EVENTS, INSTANTLY_PATHS, instantlySpec } from './provider-specs.js';
export { createRb2bVisitorHandler, RB2B_TOKEN_HEADER, RB2B_WEBHOOK_BASE_PATH, rb2bWebhookPath, type VisitorIntake, type VisitorIntakeItem, type VisitorQuarantine } from './rb2b-visitor.js';
export { startWebhookReceiver, type WebhookReceiverOptions } from './receiver.js';
export type { WebhookHandler, WebhookRequest, WebhookResponse } from './types.js';
