import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createApolloClient } from '../../../src/providers/apollo/client.js';
import { createApolloLeadSource } from '../../../src/providers/apollo/lead-source.js';
import { ApolloMatchResponseSchema, ApolloSearchResponseSchema } from '../../../src/providers/apollo/schemas.js';
import { contractFixture } from '../../support/contracts.js';
import { MESSY_CASES, startApolloSandbox, type ApolloSandbox, type ApolloSandboxOptions } from '../../../src/providers/sandbox/apollo/index.js';

const KEY = 'test-apollo-key-0123456789';
const fixture = (name: string) => contractFixture('apollo', name);

describe('Apollo client against the loopback sandbox', () => {
  let sandbox: ApolloSandbox | undefined;
  const start = async (options: ApolloSandboxOptions = {}) => {
    sandbox = await startApolloSandbox({ apiKey: KEY, count: 60, ...options });
    return { sandbox, client: createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 2000 }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(KEY);
      return e;
    }
    throw new Error('expected the call to fail');
  };

  it('searches people in the anonymised shape: no email, no last name, no LinkedIn', async () => {
    const { client } = await start();
    const page = await client.searchPeople({ person_titles: ['VP of Sales'], page: 1, per_page: 25 });
    expect(page.total_entries).toBe(60);
    expect(page.people).toHaveLength(25);
    const first = page.people[0]!;
    expect(first.id).toMatch(/^[0-9a-f]{24}$/);
    expect(first).not.toHaveProperty('email');
    expect(first).not.toHaveProperty('last_name');
    expect(first).not.toHaveProperty('linkedin_url');
    expect(first.last_name_obfuscated).toMatch(/\*\*\*/);
  });

  it('matches by search id and reveals the full record for one credit; a miss is null and free', async () => {
    const { client, sandbox } = await start();
    const [person] = (await client.searchPeople({ per_page: 1 })).people;
    const matched = await client.matchPerson({ id: person!.id });
    expect(matched?.id).toBe(person!.id);
    expect(matched?.organization?.primary_domain).toMatch(/\.example\.com$/);
    expect(await client.matchPerson({ id: 'does-not-exist' })).toBeNull();
    expect(sandbox.stats.creditsUsed).toBe(1);
  });

  it('serves every messy case within the first 25 people, whatever the seed', async () => {
    for (const seed of [1, 99]) {
      const { client, sandbox } = await start({ seed });
      const people = (await client.searchPeople({ per_page: 25 })).people;
      const records = await Promise.all(people.map((p) => client.matchPerson({ id: p.id })));
      const at = (c: string) => records[MESSY_CASES.find((m) => m.case === c)!.index]!;
      expect(at('missing_title').title).toBeNull();
      expect(at('employees_unknown').organization?.estimated_num_employees).toBeNull();
      expect(at('employees_string_plus').organization?.estimated_num_employees).toBe('1,000+');
      expect(at('employees_string_range').organization?.estimated_num_employees).toBe('51-200');
      expect(at('name_only').first_name).toBeUndefined();
      expect(at('name_only').name).toMatch(/ /);
      expect(at('no_email').email).toBeNull();
      expect(people[MESSY_CASES.find((m) => m.case === 'no_email')!.index]!.has_email).toBe(false);
      expect(at('verified_email_only').email).toBeNull();
      expect(at('verified_email_only').verified_email).toMatch(/@/);
      expect(at('locked_email_placeholder').email).toBe('email_not_unlocked@domain.com');
      expect(at('competitor_domain').email).toMatch(/@gong\.io$/);
      expect(at('competitor_subdomain').email).toMatch(/@emea\.zoominfo\.com$/);
      expect(at('excluded_domain').email).toMatch(/@chiefaiofficer\.com$/);
      expect(at('excluded_subdomain').email).toMatch(/@b2b\.chiefaiofficer\.com$/);
      const [a, b] = [at('duplicate_first'), at('duplicate_second_case')];
      expect(a.id).not.toBe(b.id);
      expect(a.email).not.toBe(b.email);
      expect(a.email!.toLowerCase()).toBe(b.email!.toLowerCase());
      await sandbox.close();
    }
  });

  it('serves the same people for the same seed and different people for another', async () => {
    const names = async (seed: number) => {
      const { client, sandbox } = await start({ seed });
      const people = (await client.searchPeople({ per_page: 30 })).people.map((p) => `${p.first_name} ${p.organization?.name}`);
      await sandbox.close();
      return people;
    };
    expect(await names(5)).toEqual(await names(5));
    expect(await names(5)).not.toEqual(await names(6));
  });

  it('accepts search filters as query parameters with [] notation too', async () => {
    const { sandbox } = await start();
    const res = await fetch(`${sandbox.url}/mixed_people/api_search?person_titles[]=VP%20of%20Sales&per_page=3`, { method: 'POST', headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { people: unknown[] }).people).toHaveLength(3);
  });

  it('maps a wrong key (401, plain text) to PROVIDER_AUTH without echoing the key', async () => {
    const { sandbox } = await start();
    const client = createApolloClient({ baseUrl: sandbox.url, apiKey: 'wrong-key-abcdef' });
    const error = await failure(client.searchPeople({}));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).not.toContain('wrong-key-abcdef');
  });

  it('maps a non-master key on People Search (403 API_INACCESSIBLE) to PROVIDER_AUTH', async () => {
    const { client } = await start({ masterKey: false });
    const error = await failure(client.searchPeople({}));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toContain('API_INACCESSIBLE');
  });

  it('maps exhausted credits (402) to OUT_OF_CREDITS, not retryable', async () => {
    const { client } = await start({ credits: 1 });
    const [a, b] = (await client.searchPeople({ per_page: 2 })).people;
    await client.matchPerson({ id: a!.id });
    const error = await failure(client.matchPerson({ id: b!.id }));
    expect(error.code).toBe('OUT_OF_CREDITS');
    expect(error.retryable).toBe(false);
  });

  it('maps 429 to PROVIDER_RATE_LIMITED with the Retry-After seconds', async () => {
    const { client } = await start({ failures: { status429: { count: 1, retryAfterSeconds: 37 } } });
    const error = await failure(client.searchPeople({}));
    expect(error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true, details: { retryAfterSeconds: 37 } });
  });

  it('answers 429 with retry-after once the per-minute limit is used up', async () => {
    const { client } = await start({ rateLimitPerMinute: 2 });
    await client.searchPeople({});
    await client.searchPeople({});
    const error = await failure(client.searchPeople({}));
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(Number(error.details.retryAfterSeconds)).toBeGreaterThan(0);
  });

  it('maps 5xx and a silent server (timeout) to PROVIDER_UNAVAILABLE, retryable', async () => {
    const { client, sandbox } = await start({ failures: { status5xx: { count: 1, status: 502 } } });
    expect(await failure(client.searchPeople({}))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    sandbox.setFailures({ timeout: { count: 1 } });
    const quick = createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 200 });
    const timeout = await failure(quick.searchPeople({}));
    expect(timeout).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { reason: 'timeout' } });
  });

  it('maps a malformed or wrong-shaped 200 to PROVIDER_BAD_RESPONSE', async () => {
    const { client, sandbox } = await start({ failures: { malformed: { count: 1, kind: 'not_json' } } });
    expect((await failure(client.searchPeople({}))).code).toBe('PROVIDER_BAD_RESPONSE');
    sandbox.setFailures({ malformed: { count: 1, kind: 'wrong_shape' }, path: '/api/v1/people/match' });
    expect((await failure(client.matchPerson({ id: 'x' }))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('refuses reveal_phone_number without a webhook_url, as Apollo does', async () => {
    const { sandbox } = await start();
    const res = await fetch(`${sandbox.url}/people/match`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', reveal_phone_number: true }) });
    expect(res.status).toBe(400);
  });

  it('parses the contract fixtures with the client schemas', () => {
    expect(ApolloSearchResponseSchema.parse(fixture('people-search.json').response.body).people).toHaveLength(2);
    expect(ApolloMatchResponseSchema.parse(fixture('people-match.json').response.body).person?.email).toBe('maya.rivera@northwind-agency.example.com');
    expect(ApolloMatchResponseSchema.parse(fixture('people-match.miss.json').response.body).person).toBeNull();
  });

  it('discovery pages past the people already handled and counts them; without the callback it starts at page 1 as before', async () => {
    const { client } = await start();
    const source = createApolloLeadSource({ client, discovery: { titles: [], seniorities: [], organizationDomains: [] } });
    const first = await source.discover({ limit: 10 });
    const firstIds = first.leads.map((l) => l.sourceId);
    expect(firstIds).toHaveLength(10);
    const asked: string[][] = [];
    const handled = async (src: string, ids: readonly string[]) => {
      expect(src).toBe('apollo_search');
      asked.push([...ids]);
      return new Set(ids.filter((id) => firstIds.includes(id)));
    };
    const next = await source.discover({ limit: 10, handled });
    expect(next.leads).toHaveLength(10);
    expect(next.leads.filter((l) => firstIds.includes(l.sourceId))).toEqual([]);
    expect(next.metrics).toMatchObject({ alreadyHandled: 10, pages: 2 });
    expect(asked.flat()).toEqual(expect.arrayContaining(firstIds));
    expect((await source.discover({ limit: 10 })).leads.map((l) => l.sourceId)).toEqual(firstIds);
  });
});

describe('Apollo client through the shared HTTP policy', () => {
  it('rides out a burst of 5xx and a short 429 from the sandbox', async () => {
    const { createHttpPolicy } = await import('../../../src/providers/http/policy.js');
    const sandbox = await startApolloSandbox({ apiKey: KEY, count: 10, failures: { status5xx: { count: 2, status: 503 }, status429: { count: 1, retryAfterSeconds: 0 } } });
    try {
      const policy = createHttpPolicy({ provider: 'apollo', retries: 4, backoffMs: 5, secrets: [KEY] });
      const client = createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, policy });
      const page = await client.searchPeople({ per_page: 5 });
      expect(page.people).toHaveLength(5);
      expect(sandbox.stats.searchCalls).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it('keeps concurrent calls within the sandbox-enforced window: no 429, never more than the limit in any window', async () => {
    const { createHttpPolicy } = await import('../../../src/providers/http/policy.js');
    const window = { limit: 5, intervalMs: 400 };
    const sandbox = await startApolloSandbox({ apiKey: KEY, count: 30, rateLimitPerMinute: 10_000, rateWindow: window, failures: { latencyMs: 50 } });
    try {
      const policy = createHttpPolicy({ provider: 'apollo', retries: 0, rateWindows: [window], secrets: [KEY] });
      const client = createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, policy });
      const started = Date.now();
      const matched = await Promise.all(sandbox.people.slice(0, 20).map((p) => client.matchPerson({ id: p.id })));
      expect(matched.every((m) => m !== null)).toBe(true);
      expect(sandbox.stats).toMatchObject({ matchCalls: 20, rateLimited: 0 });
      expect(sandbox.stats.maxInWindow).toBeLessThanOrEqual(window.limit);
      // 20 calls at 5 per 400 ms cannot finish before the fourth window opens.
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * window.intervalMs);
    } finally {
      await sandbox.close();
    }
  });

  it('a 429 storm: every retry waits the Retry-After the sandbox gave, then the call succeeds', async () => {
    const { createHttpPolicy } = await import('../../../src/providers/http/policy.js');
    const sandbox = await startApolloSandbox({ apiKey: KEY, count: 5, failures: { status429: { count: 3, retryAfterSeconds: 1 } } });
    try {
      const waits: number[] = [];
      const policy = createHttpPolicy({ provider: 'apollo', retries: 3, secrets: [KEY], sleep: async (ms) => void waits.push(ms) });
      const client = createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, policy });
      expect(await client.matchPerson({ id: sandbox.people[0]!.id })).not.toBeNull();
      expect(waits).toEqual([1000, 1000, 1000]);
      expect(policy.breakerState()).toBe('closed');
    } finally {
      await sandbox.close();
    }
  });
});
