/**
 * One inbound webhook request as the server (buildApp) hands it to a handler: headers lower-cased,
 * the body as UTF-8 text, and (when the server has them) the exact bytes, which signatures are
 * verified over.
 */
export type WebhookRequest = { path: string; headers: Record<string, string | undefined>; body: string; query?: URLSearchParams; rawBody?: Buffer };

export type WebhookResponse = { status: number; body: Record<string, unknown> };

export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;
