import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { fnv1a32 } from '../../../domain/stable-hash.js';

export type BetterContactSandboxOptions = {
  apiKey?: string;
  /** Polls a job stays "in progress" before it terminates; Infinity: it never finishes. @defaultValue 1 */
  pollsUntilDone?: number;
  credits?: number;
  failures?: FailureInjection;
  port?: number;
};

type Job = { polls: number; contacts: Record<string, unknown>[] };

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

/** The verdict for a contact is decided by a stable hash of its name, so a run is repeatable. */
const VERDICTS = ['deliverable', 'catch_all_safe', 'undeliverable', 'not_found'] as const;

/**
 * A loopback BetterContact (contracts/bettercontact.md): X-API-Key, async submit, jobs that stay in
 * progress for a configurable number of polls (or forever), terminated results of each verdict,
 * custom_fields echoed, 406 for unknown ids, 402 when out of credits.
 */
export const startBetterContactSandbox = async (options: BetterContactSandboxOptions = {}) => {
  const apiKey = options.apiKey ?? 'sandbox-bettercontact-key';
  const pollsUntilDone = options.pollsUntilDone ?? 1;
  let credits = options.credits ?? Number.POSITIVE_INFINITY;
  const jobs = new Map<string, Job>();
  const failures = createFailureSwitch(options.failures);
  const stats = { submits: 0, polls: 0, creditsUsed: 0 };

  const result = (contact: Record<string, unknown>) => {
    const first = String(contact.first_name ?? '');
    const last = String(contact.last_name ?? '');
    const domain = String(contact.company_domain ?? `${slug(String(contact.company ?? 'company'))}.example.com`);
    const verdict = VERDICTS[fnv1a32(`${first}|${last}|${domain}`) % VERDICTS.length]!;
    const found = verdict !== 'not_found';
    if (found && verdict !== 'undeliverable' && credits !== Number.POSITIVE_INFINITY) credits--;
    if (found && verdict !== 'undeliverable') stats.creditsUsed++;
    return {
      enriched: found,
      contact_first_name: first,
      contact_last_name: last,
      contact_full_name: `${first} ${last}`,
      contact_email_address: found ? `${slug(first)}.${slug(last)}@${domain}` : null,
      contact_email_address_status: verdict,
      contact_phone_number: null,
      contact_job_title: null,
      contact_linkedin_profile_url: contact.linkedin_url ?? null,
      company_name: contact.company ?? null,
      company_domain: domain,
      custom_fields: contact.custom_fields ?? {},
    };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req);
      if (req.headers['x-api-key'] !== apiKey) return send(res, 401, { success: false, message: 'Not authorized' });
      if (await failures.intercept(url.pathname, res)) return;
      if (req.method === 'POST' && url.pathname === '/api/v2/async') {
        stats.submits++;
        if (credits <= 0) return send(res, 402, { success: false, message: 'Not enough credits' });
        let parsed: { data?: unknown };
        try {
          parsed = JSON.parse(body) as { data?: unknown };
        } catch {
          return send(res, 400, { success: false, message: 'Invalid JSON' });
        }
        if (!Array.isArray(parsed.data) || parsed.data.length === 0 || parsed.data.length > 100) return send(res, 400, { success: false, message: 'data must hold 1 to 100 contacts' });
        const id = `bc${randomBytes(8).toString('hex')}`;
        jobs.set(id, { polls: 0, contacts: parsed.data as Record<string, unknown>[] });
        return send(res, 201, { success: true, id, message: 'Processing' });
      }
      const match = /^\/api\/v2\/async\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && match) {
        stats.polls++;
        const job = jobs.get(decodeURIComponent(match[1]!));
        if (!job) return send(res, 406, { success: false, message: 'Invalid request_id' });
        job.polls++;
        if (job.polls <= pollsUntilDone) return send(res, 202, { id: match[1], status: 'in progress' });
        const data = job.contacts.map(result);
        // Charged only for an address it stands behind (found and not undeliverable).
        return send(res, 200, { id: match[1], status: 'terminated', credits_consumed: data.filter((d) => d.enriched && d.contact_email_address_status !== 'undeliverable').length, credits_left: credits, data });
      }
      return send(res, 404, { success: false, message: 'Not found' });
    })().catch(() => send(res, 500, { success: false }));
  });
  const loopback = await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${loopback.port}/api/v2`,
    apiKey,
    stats,
    setFailures: failures.set,
    close: loopback.close,
  };
};
