/** One inbound webhook request as the receiver hands it to a handler: headers lower-cased, raw body text. */
export type WebhookRequest = { path: string; headers: Record<string, string | undefined>; body: string; query?: URLSearchParams };

export type WebhookResponse = { status: number; body: Record<string, unknown> };

export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;
