import { buildApp } from '../../src/server/app.js';
import type { WebhookHandler } from '../../src/webhooks/index.js';

/**
 * Webhook handlers served over HTTP on loopback by the server's own factory (buildApp, as `caio
 * serve` and `caio pipeline run`'s Clay callback serve them): raw bytes, size limit, content type.
 */
export const serveWebhooks = async (post: Record<string, WebhookHandler>, options: { maxBodyBytes?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> => {
  const app = buildApp({ routes: { post, get: {} }, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
};
