import type { FailureInjection } from '../failure-injection.js';
import { mulberry32, pick } from '../apollo/prng.js';

/**
 * RB2B is the sender (contracts/rb2b.md), so this sandbox is a visitor source, not a server: it
 * POSTs documented-shape events to our webhook URL, records each answer, and marks the integration
 * disconnected on any non-200 or a reply slower than `replyTimeoutMs` (RB2B allows 15 s [docs]),
 * after which it sends nothing until `reconnect()`, as RB2B would.
 */

/** The contract's fixtures (fixtures/rb2b/*.json request bodies), kept identical by a test. */
export const RB2B_FIXTURE_BODIES = {
  visitor: {
    'LinkedIn URL': 'https://www.linkedin.com/in/example-maya-rivera/',
    'First Name': 'Maya',
    'Last Name': 'Rivera',
    Title: 'VP of Sales @ Northwind Agency | B2B growth',
    'Company Name': 'Northwind Agency',
    'Business Email': 'maya.rivera@northwind-agency.example.com',
    Website: 'https://northwind-agency.example.com',
    Industry: 'Marketing & Advertising',
    'Employee Count': 180,
    'Estimate Revenue': '$24M rev',
    City: 'Denver',
    State: 'Colorado',
    Zipcode: '80202',
    'Seen At': '2026-03-02T15:04:05.000+00:00',
    Referrer: 'https://search.example.com/?q=ai+revenue+ops',
    'Captured URL': 'https://www.caio.example.com/pricing',
    Tags: 'Hot Pages, Hot Leads',
  },
  'visitor.no-email': {
    'LinkedIn URL': 'https://www.linkedin.com/in/example-jordan-lee/',
    'First Name': 'Jordan',
    'Last Name': 'Lee',
    Title: null,
    'Company Name': 'Quill Analytics',
    'Business Email': null,
    Website: 'https://quill.example.com',
    Industry: null,
    'Employee Count': '11-50',
    'Estimate Revenue': null,
    City: 'Austin',
    State: 'Texas',
    Zipcode: '73301',
    'Seen At': '2026-03-02T12:34:56:00.00+00.00',
    Referrer: null,
    'Captured URL': 'https://www.caio.example.com/blog/ai-council',
    Tags: null,
  },
  'visitor.repeat-visit': {
    'LinkedIn URL': 'https://www.linkedin.com/in/example-maya-rivera/',
    'First Name': 'Maya',
    'Last Name': 'Rivera',
    Title: 'VP of Sales @ Northwind Agency | B2B growth',
    'Company Name': 'Northwind Agency',
    'Business Email': 'maya.rivera@northwind-agency.example.com',
    Website: 'https://northwind-agency.example.com',
    Industry: 'Marketing & Advertising',
    'Employee Count': 180,
    'Estimate Revenue': '$24M rev',
    City: 'Denver',
    State: 'Colorado',
    Zipcode: '80202',
    'Seen At': '2026-03-02T16:10:44.000+00:00',
    Referrer: 'https://www.caio.example.com/pricing',
    'Captured URL': 'https://www.caio.example.com/case-studies/agency',
    Tags: 'Hot Pages, Hot Leads',
  },
} as const;

export type Rb2bFixtureName = keyof typeof RB2B_FIXTURE_BODIES;

/**
 * Sender-side failures. The shared createFailureSwitch shapes a server's answers; RB2B only sends,
 * so here `latencyMs` delays each POST, `malformed` sends bodies that are not a usable visitor and
 * `wrongToken` sends a wrong header secret (needs `token`).
 */
export type Rb2bSenderFailures = Pick<FailureInjection, 'latencyMs' | 'malformed'> & { wrongToken?: { count: number } };

export type Rb2bSandboxOptions = {
  /** Our webhook URL, e.g. `<receiver>/webhooks/rb2b/<secret>` (what a user pastes into RB2B). */
  targetUrl: string;
  /** Sent as `X-Caio-Webhook-Token` when given. Real RB2B sends no custom header: omit it to test the path secret. */
  token?: string;
  /** @defaultValue 1 */
  seed?: number;
  failures?: Rb2bSenderFailures;
  /** RB2B disconnects after 15 s without an answer [docs]; scale it down in tests. @defaultValue 15000 */
  replyTimeoutMs?: number;
  /** Every n-th generated visitor is an earlier person again, arriving from their previous page. @defaultValue 3 */
  repeatEvery?: number;
};

/** `status` 0: no HTTP answer (timeout or network error), or not sent because the integration was disconnected. */
export type Rb2bDelivery = { status: number; sent: boolean; elapsedMs: number; body: string };

const SITE = 'https://www.caio.example.com';
const PAGES = ['/pricing', '/blog/ai-council', '/case-studies/agency', '/', '/services/ai-sprint', '/pricing/enterprise', '/about'];
const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Felix', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Keira', 'Luis'];
const LAST = ['Adler', 'Brooks', 'Castillo', 'Dumont', 'Eze', 'Fischer', 'Gupta', 'Holm', 'Ivers', 'Jansen', 'Kowal', 'Lindqvist'];
const COMPANIES = ['Harbor Freight Labs', 'Pinecrest Media', 'Orbit Payroll', 'Slate Dental Group', 'Tidewater Logistics', 'Quill Analytics'];
const INDUSTRIES = ['Marketing & Advertising', 'Computer Software', 'Logistics', 'Health Care', null] as const;
const TITLES = ['VP of Sales', 'Head of Revenue Operations', 'Chief Operating Officer', 'Founder & CEO', null] as const;
const PLACES = [
  ['Denver', 'Colorado', '80202'],
  ['Austin', 'Texas', '73301'],
  ['Seattle', 'Washington', '98101'],
  ['Boston', 'Massachusetts', '02108'],
] as const;
const BASE_TIME = Date.parse('2026-03-02T09:00:00.000Z');

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

type Person = { first: string; last: string; company: string; index: number; lastPage: string };

export const startRb2bSandbox = async (options: Rb2bSandboxOptions) => {
  const random = mulberry32(options.seed ?? 1);
  const replyTimeoutMs = options.replyTimeoutMs ?? 15_000;
  const repeatEvery = Math.max(2, options.repeatEvery ?? 3);
  let failures: Rb2bSenderFailures = structuredClone(options.failures ?? {});
  const people: Person[] = [];
  const deliveries: Rb2bDelivery[] = [];
  const inFlight = new Set<AbortController>();
  let generated = 0;
  const stats = { sent: 0, ok: 0, failed: 0, generated: 0, repeats: 0, disconnected: false, disconnectedBecause: null as string | null };

  /** The next visitor, in the documented shape, with the contract's variants spread through the run. */
  const nextVisitor = (): Record<string, unknown> => {
    const i = generated++;
    stats.generated++;
    const repeat = people.length > 0 && i % repeatEvery === repeatEvery - 1;
    const person: Person = repeat ? people[Math.floor(random() * people.length)]! : { first: pick(random, FIRST), last: pick(random, LAST), company: pick(random, COMPANIES), index: people.length, lastPage: '' };
    if (!repeat) people.push(person);
    else stats.repeats++;
    const page = pick(
      random,
      PAGES.filter((p) => p !== person.lastPage),
    );
    const referrer = repeat ? `${SITE}${person.lastPage}` : pick(random, ['https://search.example.com/?q=ai+for+sales', 'https://www.linkedin.com/', null]);
    person.lastPage = page;
    const domain = `${slug(person.company)}.example.com`;
    const noEmail = person.index % 4 === 3;
    const seen = new Date(BASE_TIME + i * 7 * 60_000).toISOString();
    const [city, state, zip] = PLACES[person.index % PLACES.length]!;
    return {
      'LinkedIn URL': `https://www.linkedin.com/in/example-${slug(person.first)}-${slug(person.last)}-${person.index}/`,
      'First Name': person.first,
      'Last Name': person.last,
      Title: noEmail ? null : TITLES[person.index % TITLES.length],
      'Company Name': person.company,
      'Business Email': noEmail ? null : `${slug(person.first)}.${slug(person.last)}@${domain}`,
      Website: `https://${domain}`,
      Industry: INDUSTRIES[person.index % INDUSTRIES.length],
      // Integer or string, as documented.
      'Employee Count': person.index % 2 === 0 ? 20 + person.index * 37 : '51-200',
      'Estimate Revenue': person.index % 3 === 0 ? null : `$${5 + person.index}M rev`,
      City: city,
      State: state,
      Zipcode: zip,
      // Every fifth event uses RB2B's own (malformed) documented example format.
      'Seen At': i % 5 === 4 ? `${seen.slice(0, 19)}:00.00+00.00` : seen.replace('Z', '+00:00'),
      Referrer: referrer,
      'Captured URL': `${SITE}${page}`,
      Tags: page.startsWith('/pricing') ? 'Hot Pages, Hot Leads' : null,
    };
  };

  const malformedBody = (kind: 'not_json' | 'wrong_shape' | 'empty'): string =>
    kind === 'empty' ? '' : kind === 'wrong_shape' ? JSON.stringify({ visitor_id: 'v-anon', company: { name: 'Anon Co', domain: 'anon.example.com' }, page_url: `${SITE}/` }) : '{"LinkedIn URL": ';

  const post = async (body: string): Promise<Rb2bDelivery> => {
    if (stats.disconnected) {
      const skipped = { status: 0, sent: false, elapsedMs: 0, body };
      deliveries.push(skipped);
      return skipped;
    }
    if (failures.latencyMs) await new Promise((r) => setTimeout(r, failures.latencyMs));
    let token = options.token;
    if (token && failures.wrongToken && failures.wrongToken.count > 0) {
      failures.wrongToken.count--;
      token = `${token}-wrong`;
    }
    const controller = new AbortController();
    inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), replyTimeoutMs);
    const started = performance.now();
    let status = 0;
    try {
      const res = await fetch(options.targetUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'rb2b-sandbox', ...(token ? { 'x-caio-webhook-token': token } : {}) },
        body,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer(); // RB2B ignores the body [docs]
    } catch {
      status = 0;
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
    const delivery = { status, sent: true, elapsedMs: Math.round(performance.now() - started), body };
    deliveries.push(delivery);
    stats.sent++;
    if (status === 200) stats.ok++;
    else {
      stats.failed++;
      stats.disconnected = true;
      stats.disconnectedBecause = status === 0 ? `no answer within ${replyTimeoutMs} ms` : `answered ${status}`;
    }
    return delivery;
  };

  const sendPayload = (payload: unknown): Promise<Rb2bDelivery> => {
    const malformed = failures.malformed;
    if (malformed && malformed.count > 0) {
      malformed.count--;
      return post(malformedBody(malformed.kind ?? 'not_json'));
    }
    return post(typeof payload === 'string' ? payload : JSON.stringify(payload));
  };

  return {
    stats,
    /** Every delivery attempt with our answer, in order. */
    deliveries: (): readonly Rb2bDelivery[] => deliveries,
    /** Generate and POST n visitors one after another (RB2B sends one event per page view). */
    sendVisitors: async (n: number): Promise<Rb2bDelivery[]> => {
      const results: Rb2bDelivery[] = [];
      for (let i = 0; i < n; i++) results.push(await sendPayload(nextVisitor()));
      return results;
    },
    sendFixture: (name: Rb2bFixtureName | `${Rb2bFixtureName}.json`): Promise<Rb2bDelivery> => {
      const body = RB2B_FIXTURE_BODIES[name.replace(/\.json$/, '') as Rb2bFixtureName];
      if (!body) throw new Error(`unknown RB2B fixture ${name}`);
      return sendPayload(body);
    },
    /** POST any body (a string is sent as is): for shapes the generator does not make. */
    sendPayload,
    setFailures: (next: Rb2bSenderFailures) => {
      failures = structuredClone(next);
    },
    /** What a user does in RB2B after fixing the endpoint. */
    reconnect: () => {
      stats.disconnected = false;
      stats.disconnectedBecause = null;
    },
    close: async () => {
      for (const controller of inFlight) controller.abort();
    },
  };
};

export type Rb2bSandbox = Awaited<ReturnType<typeof startRb2bSandbox>>;
