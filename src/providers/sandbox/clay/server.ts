import { createServer, type ServerResponse } from 'node:http';
import { fnv1a32 } from '../../../domain/stable-hash.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { listenOnLoopback, readBody } from '../loopback.js';

/**
 * How the sandbox answers a row (contracts/clay.md "Sandbox must"): our template; the same without
 * request_id/lead_id; Clay column names in Title Case (no ids either); finished without an email;
 * or never calling back.
 */
export type ClayCallbackVariant = 'full' | 'no_ids' | 'title_case' | 'no_email' | 'never';

export type ClaySandboxOptions = {
  /** Where the HTTP API column posts (our webhook receiver). */
  callbackUrl: string;
  /** Sent in X-Caio-Webhook-Token, as a user would configure the column. */
  callbackToken: string;
  /** When set, rows must carry `x-clay-webhook-auth: <token>`. */
  webhookAuthToken?: string | null;
  /** @defaultValue 50 */
  callbackDelayMs?: number;
  /** Submissions accepted before the webhook refuses more. @defaultValue 50000 */
  submissionCap?: number;
  /** A fixed variant, or one chosen per row; default: a stable hash of the LinkedIn URL spreads them. */
  variant?: ClayCallbackVariant | ((row: Record<string, unknown>) => ClayCallbackVariant);
  failures?: FailureInjection;
  port?: number;
};

const WEBHOOK_PATH = /^\/api\/v1\/webhooks\/([A-Za-z0-9_-]+)$/;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '');

/** Mostly full answers; some of every awkward kind, decided by the person so a run repeats. */
const defaultVariant = (row: Record<string, unknown>): ClayCallbackVariant => {
  const bucket = fnv1a32(`clay|${String(row.linkedin_url ?? '')}`) % 20;
  if (bucket < 11) return 'full';
  if (bucket < 13) return 'no_ids';
  if (bucket < 15) return 'title_case';
  if (bucket < 18) return 'no_email';
  return 'never';
};

export const callbackBodyFor = (row: Record<string, unknown>, variant: Exclude<ClayCallbackVariant, 'never'>): Record<string, unknown> => {
  const first = String(row.first_name ?? '');
  const last = String(row.last_name ?? '');
  const domain = String(row.company_domain ?? `${slug(String(row.company_name ?? 'company')) || 'company'}.example.com`);
  const email = variant === 'no_email' || !first || !last ? null : `${slug(first)}.${slug(last)}@${domain}`;
  const employees = String(50 + (fnv1a32(domain) % 900));
  if (variant === 'title_case') {
    return { 'LinkedIn URL': row.linkedin_url, 'Work Email': email, 'Email Verified': email !== null, 'First Name': first, 'Last Name': last, 'Company Name': row.company_name ?? null, 'Company Domain': domain, 'Employee Count': employees };
  }
  return {
    ...(variant === 'no_ids' ? {} : { request_id: row.request_id, lead_id: row.lead_id }),
    linkedin_url: row.linkedin_url,
    work_email: email,
    email_verified: email !== null,
    first_name: first,
    last_name: last,
    company_name: row.company_name ?? null,
    company_domain: domain,
    phone: null,
    employee_count: employees,
    sources: ['clay'],
  };
};

/**
 * A loopback Clay: the table webhook (optional x-clay-webhook-auth, 200 ack, a submission cap)
 * and, after a delay, the HTTP API column's callback to our receiver with the configured token.
 */
export const startClaySandbox = async (options: ClaySandboxOptions) => {
  const cap = options.submissionCap ?? 50_000;
  const delay = options.callbackDelayMs ?? 50;
  const failures = createFailureSwitch(options.failures);
  const chooser = typeof options.variant === 'function' ? options.variant : options.variant ? () => options.variant as ClayCallbackVariant : defaultVariant;
  const rows: Record<string, unknown>[] = [];
  const stats = { rows: 0, callbacksSent: 0, callbacksRefused: 0, callbacksFailed: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const callBack = async (body: Record<string, unknown>) => {
    try {
      const res = await fetch(options.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': options.callbackToken }, body: JSON.stringify(body) });
      await res.text();
      if (res.ok) stats.callbacksSent++;
      else stats.callbacksRefused++;
    } catch {
      stats.callbacksFailed++;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req);
      const match = WEBHOOK_PATH.exec(url.pathname);
      if (!match || req.method !== 'POST') return send(res, 404, { error: 'Not found' });
      if (options.webhookAuthToken && req.headers['x-clay-webhook-auth'] !== options.webhookAuthToken) return send(res, 401, { error: 'Unauthorized' });
      if (await failures.intercept(url.pathname, res)) return;
      if (rows.length >= cap) return send(res, 429, { error: 'This webhook has reached its submission limit' });
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(body) as Record<string, unknown>;
        if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error('not an object');
      } catch {
        return send(res, 400, { error: 'Invalid JSON' });
      }
      rows.push(row);
      stats.rows++;
      const variant = chooser(row);
      if (variant !== 'never') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void callBack(callbackBodyFor(row, variant));
        }, delay);
        timers.add(timer);
      }
      return send(res, 200, { success: true });
    })().catch(() => send(res, 500, { error: 'sandbox error' }));
  });
  const loopback = await listenOnLoopback(server, options.port);
  return {
    /** The table webhook URL to configure (opaque, like Clay's). */
    webhookUrl: `http://127.0.0.1:${loopback.port}/api/v1/webhooks/sandbox-table`,
    stats,
    rows: () => rows.slice(),
    setFailures: failures.set,
    close: async () => {
      timers.forEach(clearTimeout);
      timers.clear();
      await loopback.close();
    },
  };
};

export type ClaySandbox = Awaited<ReturnType<typeof startClaySandbox>>;
