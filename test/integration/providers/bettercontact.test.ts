import { afterEach, describe, expect, it } from 'vitest';
import { emptyLead } from '../../../src/domain/lead.js';
import { AppError } from '../../../src/lib/app-error.js';
import { createBetterContactClient } from '../../../src/providers/bettercontact/client.js';
import { createBetterContactEnricher } from '../../../src/providers/bettercontact/enricher.js';
import { PollResponseSchema } from '../../../src/providers/bettercontact/schemas.js';
import { startBetterContactSandbox, type BetterContactSandboxOptions } from '../../../src/providers/sandbox/bettercontact/server.js';
import { createEnrichmentWaterfall } from '../../../src/pipeline/enrichment-waterfall.js';
import type { EnrichmentResult, LeadEnricher } from '../../../src/pipeline/ports.js';
import { contractFixture } from '../../support/contracts.js';

const KEY = 'bc-test-key-123456';
const lead = (first: string, last: string) => {
  const profile = emptyLead({ firstName: first, lastName: last });
  profile.company.name = 'Blue Fern Staffing';
  profile.company.domain = 'bluefern.example.com';
  return { source: 'apollo_search', sourceId: `id-${first}-${last}`, profile };
};

describe('BetterContact client and enricher against the sandbox', () => {
  let close: (() => Promise<void>) | undefined;
  const start = async (options: BetterContactSandboxOptions = {}) => {
    const sandbox = await startBetterContactSandbox({ apiKey: KEY, ...options });
    close = sandbox.close;
    return { sandbox, client: createBetterContactClient({ baseUrl: sandbox.url, apiKey: KEY }) };
  };
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('submits, polls while in progress, and reads the terminated result with custom_fields echoed', async () => {
    const { client } = await start({ pollsUntilDone: 2 });
    const id = await client.submit([{ first_name: 'Theo', last_name: 'Kaplan', company_domain: 'bluefern.example.com', custom_fields: { lead_id: 'L1' } }]);
    expect(id).toMatch(/^bc/);
    expect((await client.poll(id!))?.status).toBe('in progress');
    expect((await client.poll(id!))?.status).toBe('in progress');
    const done = await client.poll(id!);
    expect(done?.status).toBe('terminated');
    expect(done?.data?.[0]?.custom_fields).toEqual({ lead_id: 'L1' });
    expect(await client.poll('does-not-exist')).toBeNull();
  });

  it('maps a bad key to PROVIDER_AUTH and no credits to OUT_OF_CREDITS, never echoing the key', async () => {
    const { sandbox } = await start({ credits: 0 });
    const bad = await createBetterContactClient({ baseUrl: sandbox.url, apiKey: 'wrong-key-999' })
      .submit([])
      .then(
        () => null,
        (e: unknown) => e as AppError,
      );
    if (!bad) throw new Error('expected a failure');
    expect(bad).toMatchObject({ code: 'PROVIDER_AUTH' });
    expect(bad.message).not.toContain('wrong-key-999');
    const broke = await createBetterContactClient({ baseUrl: sandbox.url, apiKey: KEY })
      .submit([{ first_name: 'A', last_name: 'B', custom_fields: { lead_id: 'x' } }])
      .then(
        () => null,
        (e: unknown) => e as AppError,
      );
    if (!broke) throw new Error('expected a failure');
    expect(broke.code).toBe('OUT_OF_CREDITS');
  });

  it('keeps only usable verdicts: deliverable and catch_all_safe give an email, the rest are misses', async () => {
    const { client } = await start();
    const enricher = createBetterContactEnricher({ client, pollIntervalMs: 1, maxPolls: 5 });
    const outcomes: Record<string, number> = {};
    for (const name of ['Ann', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kit', 'Lu']) {
      const r = await enricher.enrich(lead(name, 'Smith'));
      const status = r.outcome === 'matched' ? String((r.raw as { emailStatus: string }).emailStatus) : 'miss';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      if (r.outcome === 'matched') expect(r.profile.provenance.email).toBe('bettercontact');
    }
    expect(Object.keys(outcomes).sort()).toEqual(expect.arrayContaining(['miss']));
    expect(Object.keys(outcomes).every((k) => ['deliverable', 'catch_all_safe', 'miss'].includes(k))).toBe(true);
    expect((outcomes.deliverable ?? 0) + (outcomes.catch_all_safe ?? 0)).toBeGreaterThan(0);
  });

  it('ends a job that never finishes at its poll bound, as a miss', async () => {
    const { client, sandbox } = await start({ pollsUntilDone: Number.POSITIVE_INFINITY });
    const enricher = createBetterContactEnricher({ client, pollIntervalMs: 1, maxPolls: 4 });
    expect(await enricher.enrich(lead('Theo', 'Kaplan'))).toEqual({ outcome: 'miss', reason: 'bettercontact_timeout' });
    expect(sandbox.stats.polls).toBe(4);
  });

  it('parses the contract fixtures', () => {
    expect(PollResponseSchema.parse(contractFixture('bettercontact', 'poll.terminated.hit.json').response.body).data?.[0]?.contact_email_address_status).toBe('deliverable');
    expect(PollResponseSchema.parse(contractFixture('bettercontact', 'poll.in-progress.json').response.body).status).toBe('in progress');
  });

  it('injected failures: 429 with Retry-After is retried and honoured, 5xx and timeouts are PROVIDER_UNAVAILABLE, a malformed body is PROVIDER_BAD_RESPONSE', async () => {
    const { createHttpPolicy } = await import('../../../src/providers/http/policy.js');
    const { sandbox } = await start();
    const waits: number[] = [];
    const retrying = createBetterContactClient({ baseUrl: sandbox.url, apiKey: KEY, policy: createHttpPolicy({ provider: 'bettercontact', retries: 2, secrets: [KEY], sleep: async (ms) => void waits.push(ms) }) });
    sandbox.setFailures({ status429: { count: 1, retryAfterSeconds: 2 } });
    expect(await retrying.submit([{ first_name: 'A', last_name: 'B', custom_fields: { lead_id: 'x' } }])).toMatch(/^bc/);
    expect(waits).toEqual([2000]);
    const once = createBetterContactClient({ baseUrl: sandbox.url, apiKey: KEY, policy: createHttpPolicy({ provider: 'bettercontact', retries: 0, timeoutMs: 200, secrets: [KEY] }) });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (e as AppError).code,
      );
    sandbox.setFailures({ status5xx: { count: 1 } });
    expect(await codeOf(once.poll('x'))).toBe('PROVIDER_UNAVAILABLE');
    sandbox.setFailures({ timeout: { count: 1 } });
    expect(await codeOf(once.poll('x'))).toBe('PROVIDER_UNAVAILABLE');
    sandbox.setFailures({ malformed: { count: 1 } });
    expect(await codeOf(once.poll('x'))).toBe('PROVIDER_BAD_RESPONSE');
  });
});

describe('enrichment waterfall', () => {
  const step = (provider: string, answer: EnrichmentResult | Error, calls: string[]): LeadEnricher => ({
    provider,
    enrich: async ({ profile }) => {
      calls.push(provider);
      if (answer instanceof Error) throw answer;
      return answer.outcome === 'matched' ? { ...answer, profile: { ...profile, ...answer.profile, provenance: { ...profile.provenance, ...answer.profile.provenance } } } : answer;
    },
  });
  const withEmail = (email: string | null, provider: string): EnrichmentResult => ({
    outcome: 'matched',
    profile: emptyLead({ email, provenance: email ? { email: provider } : { title: provider } }),
    raw: {},
    fields: email ? ['email'] : ['title'],
  });
  const down = new AppError('PROVIDER_UNAVAILABLE', 'down', { retryable: true });

  it('stops at the first provider that finds an email', async () => {
    const calls: string[] = [];
    const r = await createEnrichmentWaterfall([step('apollo', withEmail('a@x.example.com', 'apollo'), calls), step('bc', withEmail('b@x.example.com', 'bc'), calls)]).enrich(lead('A', 'B'));
    expect(calls).toEqual(['apollo']);
    expect(r.outcome === 'matched' && r.profile.email).toBe('a@x.example.com');
  });

  it('asks the next provider when the first found the person but no email, and keeps both sources', async () => {
    const calls: string[] = [];
    const r = await createEnrichmentWaterfall([step('apollo', withEmail(null, 'apollo'), calls), step('bc', withEmail('b@x.example.com', 'bc'), calls)]).enrich(lead('A', 'B'));
    expect(calls).toEqual(['apollo', 'bc']);
    expect(r.outcome === 'matched' && r.fields.sort()).toEqual(['email', 'title']);
  });

  it('skips a failing provider, and says miss when the rest only missed', async () => {
    const calls: string[] = [];
    const r1 = await createEnrichmentWaterfall([step('apollo', down, calls), step('bc', withEmail('b@x.example.com', 'bc'), calls)]).enrich(lead('A', 'B'));
    expect(r1.outcome).toBe('matched');
    const r2 = await createEnrichmentWaterfall([step('apollo', down, []), step('bc', { outcome: 'miss' }, [])]).enrich(lead('A', 'B'));
    expect(r2).toEqual({ outcome: 'miss', credits: {}, reason: 'apollo:PROVIDER_UNAVAILABLE > bc:miss' });
  });

  it('skips a provider that ran out of credits for the rest of the run', async () => {
    const calls: string[] = [];
    const broke = new AppError('OUT_OF_CREDITS', 'apollo: out of credits');
    const waterfall = createEnrichmentWaterfall([step('apollo', broke, calls), step('bc', withEmail('b@x.example.com', 'bc'), calls)]);
    await waterfall.enrich(lead('A', 'B'));
    await waterfall.enrich(lead('C', 'D'));
    expect(calls).toEqual(['apollo', 'bc', 'bc']);
  });

  it('reports the failure when every provider failed', async () => {
    await expect(createEnrichmentWaterfall([step('apollo', down, []), step('bc', down, [])]).enrich(lead('A', 'B'))).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
  });
});
