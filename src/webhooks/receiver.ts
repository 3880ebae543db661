import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookHandler, WebhookResponse } from './types.js';

export type WebhookReceiverOptions = {
  routes: Record<string, WebhookHandler>;
  /** GET routes (health checks): answer without a body to read. */
  getRoutes?: Record<string, () => Promise<WebhookResponse>>;
  /** @defaultValue 127.0.0.1 */
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** Larger bodies are refused with 413 before they are read whole. @defaultValue 1 MiB */
  maxBodyBytes?: number;
  onError?: (error: unknown, path: string) => void;
};

class BodyTooLarge extends Error {}

const readLimited = (req: IncomingMessage, max: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * A small HTTP server for inbound webhooks (POST only, exact paths). It owns transport concerns
 * (method, size, unknown paths, JSON answers); each handler owns authentication and parsing.
 * A handler that throws answers 500 and the provider retries; nothing partial is stored because
 * handlers write in one step after validating.
 */
export const startWebhookReceiver = async (options: WebhookReceiverOptions): Promise<{ url: string; close: () => Promise<void> }> => {
  const max = options.maxBodyBytes ?? 1024 * 1024;
  const server = createServer((req, res) => {
    const answer = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://receiver');
    const path = url.pathname;
    const get = options.getRoutes?.[path];
    if (get && req.method === 'GET') {
      void get().then((r) => answer(r.status, r.body), () => answer(500, { error: 'internal error' }));
      return;
    }
    const handler = options.routes[path];
    if (!handler) return answer(404, { error: 'not found' });
    if (req.method !== 'POST') return answer(405, { error: 'POST only' });
    const type = req.headers['content-type'];
    // JSON, or nothing said (some senders omit it); anything else is refused before it is read.
    if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
      req.resume();
      return answer(415, { error: 'content type must be application/json', code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    void (async () => {
      let raw: Buffer;
      try {
        raw = await readLimited(req, max);
      } catch (error) {
        return answer(error instanceof BodyTooLarge ? 413 : 400, { error: error instanceof BodyTooLarge ? 'body too large' : 'unreadable body' });
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
      try {
        // The text for parsing, the exact bytes for signatures (and for keeping a body that is not UTF-8).
        const result = await handler({ path, headers, body: raw.toString('utf8'), rawBody: raw, query: url.searchParams });
        answer(result.status, result.body);
      } catch (error) {
        options.onError?.(error, path);
        answer(500, { error: 'internal error' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
