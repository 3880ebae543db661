import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';

export type { FailureInjection } from '../failure-injection.js';
import { generateSyntheticPeople, type SyntheticPerson } from './synthetic-people.js';
import { toMatchRecord, toOrganizationRecord, toSearchRecord } from './records.js';
import { matchesSearch, readSearchFilters } from './search-filters.js';

export type ApolloSandboxOptions = {
  seed?: number;
  count?: number;
  apiKey?: string;
  /** false: the key is not a master key, so People Search answers 403 API_INACCESSIBLE. */
  masterKey?: boolean;
  credits?: number;
  rateLimitPerMinute?: number;
  /** A further sliding window the sandbox enforces (e.g. 10 per 1,000 ms in the enrichment benchmark). */
  rateWindow?: { limit: number; intervalMs: number };
  failures?: FailureInjection;
  port?: number;
};

export type ApolloSandbox = {
  url: string;
  close: () => Promise<void>;
  /** `rateLimited`: 429s the rate limit caused; `maxInWindow`: the most requests seen in any window of `rateWindow` (or a minute). */
  stats: { searchCalls: number; matchCalls: number; creditsUsed: number; rateLimited: number; maxInWindow: number };
  setFailures: (failures: FailureInjection) => void;
  people: readonly SyntheticPerson[];
};

const PREFIX = '/api/v1';

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
};

/** Query parameters with Apollo's `[]` array notation, merged under the JSON body (the body wins). */
const paramsOf = (url: URL, body: string): Record<string, unknown> | null => {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (key.endsWith('[]')) ((params[key.slice(0, -2)] ??= []) as string[]).push(value);
    else params[key] = value;
  }
  if (!body.trim()) return params;
  try {
    const json = JSON.parse(body) as unknown;
    if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
    return { ...params, ...(json as Record<string, unknown>) };
  } catch {
    return null;
  }
};

const intParam = (value: unknown, fallback: number) => {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/**
 * A loopback Apollo that follows contracts/apollo.md: x-api-key auth, the master-key rule, the
 * anonymised search shape, match by id/email/LinkedIn with credits, rate-limit headers and 429s.
 * Search filters are validated; domains, employee ranges, locations and `q_keywords` narrow the
 * results (search-filters.ts), titles and seniorities do not, so a seed decides what a plain run discovers.
 */
export const startApolloSandbox = async (options: ApolloSandboxOptions = {}): Promise<ApolloSandbox> => {
  const { seed = 1, count = 200, apiKey = 'sandbox-apollo-key', masterKey = true, rateLimitPerMinute = 50, port = 0 } = options;
  let credits = options.credits ?? Number.POSITIVE_INFINITY;
  const failures = createFailureSwitch(options.failures);
  const people = generateSyntheticPeople({ seed, count });
  const byId = new Map(people.map((p) => [p.id, p]));
  const stats = { searchCalls: 0, matchCalls: 0, creditsUsed: 0, rateLimited: 0, maxInWindow: 0 };
  // Sliding windows over arrival times: the minute limit and, optionally, one more.
  const windows = [{ limit: rateLimitPerMinute, intervalMs: 60_000 }, ...(options.rateWindow ? [options.rateWindow] : [])];
  const arrivals: number[] = [];
  const inLast = (ms: number, now: number) => {
    let n = 0;
    for (let i = arrivals.length - 1; i >= 0 && arrivals[i]! > now - ms; i--) n++;
    return n;
  };

  const rateHeaders = () => ({
    'x-rate-limit-minute': String(rateLimitPerMinute),
    'x-minute-usage': String(inLast(60_000, Date.now())),
    'x-minute-requests-left': String(Math.max(0, rateLimitPerMinute - inLast(60_000, Date.now()))),
  });

  const findPerson = (params: Record<string, unknown>): SyntheticPerson | undefined => {
    if (typeof params.id === 'string') return byId.get(params.id);
    if (typeof params.email === 'string') return people.find((p) => (p.email ?? p.verifiedEmail)?.toLowerCase() === (params.email as string).toLowerCase());
    if (typeof params.linkedin_url === 'string') return people.find((p) => p.linkedinUrl === params.linkedin_url);
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const key = req.headers['x-api-key'];
    if (key !== apiKey) return send(res, 401, 'Invalid API key. Please check your API key and try again.');

    const now = Date.now();
    arrivals.push(now);
    if (arrivals.length > 200_000) arrivals.splice(0, 100_000);
    const counted = options.rateWindow ?? windows[0]!;
    stats.maxInWindow = Math.max(stats.maxInWindow, inLast(counted.intervalMs, now));
    const over = windows.find((w) => inLast(w.intervalMs, now) > w.limit);
    if (over) {
      stats.rateLimited++;
      const retryAfter = Math.max(1, Math.ceil(over.intervalMs / 1000));
      return send(
        res,
        429,
        { message: `The maximum number of api calls allowed for ${url.pathname.slice(1)} is ${over.limit} times per ${over.intervalMs === 60_000 ? 'minute' : `${over.intervalMs} ms`}.` },
        { ...rateHeaders(), 'retry-after': String(retryAfter) },
      );
    }
    if (await failures.intercept(url.pathname, res)) return;

    const params = paramsOf(url, body);
    if (!params) return send(res, 422, { error: 'Invalid parameters' });

    if (req.method === 'POST' && url.pathname === `${PREFIX}/mixed_people/api_search`) {
      stats.searchCalls++;
      if (!masterKey) return send(res, 403, { error: 'api/v1/mixed_people/api_search is not accessible with this api_key', error_code: 'API_INACCESSIBLE' }, rateHeaders());
      const filters = readSearchFilters(params);
      if (!filters) return send(res, 422, { error: 'Invalid parameters' });
      const found = people.filter((p) => matchesSearch(p, filters));
      const perPage = Math.min(intParam(params.per_page, 10), 100);
      const page = intParam(params.page, 1);
      const slice = found.slice((page - 1) * perPage, page * perPage);
      return send(res, 200, { total_entries: found.length, people: slice.map(toSearchRecord) }, rateHeaders());
    }

    if (req.method === 'POST' && url.pathname === `${PREFIX}/people/match`) {
      stats.matchCalls++;
      if (params.reveal_phone_number === true && !params.webhook_url) {
        return send(res, 400, { error: 'Please add a valid webhook_url parameter when using reveal_phone_number' }, rateHeaders());
      }
      if (credits <= 0) return send(res, 402, { error: 'You have insufficient credits to complete this request.' }, rateHeaders());
      const person = findPerson(params);
      if (!person) return send(res, 200, { person: null }, rateHeaders());
      credits--;
      stats.creditsUsed++;
      return send(res, 200, { person: toMatchRecord(person) }, rateHeaders());
    }

    if (req.method === 'GET' && url.pathname === `${PREFIX}/organizations/enrich`) {
      const domain = String(params.domain ?? '').toLowerCase();
      if (!domain) return send(res, 422, { error: 'Invalid parameters' });
      const owner = people.find((p) => p.organization.domain === domain);
      return send(res, 200, owner ? { organization: toOrganizationRecord(owner) } : {}, rateHeaders());
    }

    return send(res, 404, { error: 'Not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'sandbox error' }));
  });
  const loopback = await listenOnLoopback(server, port);
  return {
    url: `http://127.0.0.1:${loopback.port}${PREFIX}`,
    stats,
    people,
    setFailures: failures.set,
    close: loopback.close,
  };
};
