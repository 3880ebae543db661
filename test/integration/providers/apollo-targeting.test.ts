import { afterEach, describe, expect, it } from 'vitest';
import { FileConfigSchema } from '../../../src/config/schema.js';
import { createApolloClient } from '../../../src/providers/apollo/client.js';
import { createApolloLeadSource } from '../../../src/providers/apollo/lead-source.js';
import { discoveryFor } from '../../../src/providers/apollo/profiles.js';
import { startApolloSandbox, type ApolloSandbox } from '../../../src/providers/sandbox/apollo/index.js';

const KEY = 'test-apollo-key-targeting';

/** The employee count the sandbox knows for a person, as Apollo's ranges read it. */
const employees = (value: number | string | null) => (typeof value === 'number' ? value : value === null ? null : Number(/\d[\d,]*/.exec(value)?.[0]?.replace(/,/g, '')));

describe('targeting profiles against the Apollo sandbox', () => {
  let sandbox: ApolloSandbox | undefined;
  const start = async () => {
    sandbox = await startApolloSandbox({ apiKey: KEY, count: 300, rateLimitPerMinute: 10_000 });
    return { sandbox, client: createApolloClient({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 2000 }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('the default tier1 profile finds only agencies, staffing and consulting firms of 51-500 people, one sweep per industry', async () => {
    const { sandbox, client } = await start();
    const settings = FileConfigSchema.parse({}).discovery;
    const source = createApolloLeadSource({ client, discovery: discoveryFor(settings, 'tier1'), name: 'tier1' });
    const found = await source.discover({ limit: 1000 });
    const byId = new Map(sandbox.people.map((p) => [p.id, p]));
    const people = found.leads.map((l) => byId.get(l.sourceId)!);
    const expected = sandbox.people.filter(
      (p) => ['marketing & advertising', 'staffing & recruiting', 'management consulting'].includes(p.organization.industry) && (employees(p.organization.employees) ?? 0) >= 51 && employees(p.organization.employees)! <= 500,
    );
    expect(expected.length).toBeGreaterThan(5);
    expect(new Set(people.map((p) => p.id))).toEqual(new Set(expected.map((p) => p.id)));
    expect(found.metrics).toMatchObject({ sweeps: 3 });
    expect(source.name).toBe('tier1');
  });

  it('narrows by person location, keywords and a named company list; the plain source is not narrowed', async () => {
    const { sandbox, client } = await start();
    const target = sandbox.people[40]!;
    const settings = FileConfigSchema.parse({
      discovery: {
        companyLists: { accounts: [target.organization.domain] },
        profiles: { accounts: { companyLists: ['accounts'] }, denver: { personLocations: ['Denver'], keywords: target.organization.industry.split(' ')[0] } },
      },
    }).discovery;
    const accounts = await createApolloLeadSource({ client, discovery: discoveryFor(settings, 'accounts') }).discover({ limit: 100 });
    expect(accounts.leads.length).toBeGreaterThan(0);
    for (const lead of accounts.leads) expect(sandbox.people.find((p) => p.id === lead.sourceId)!.organization.domain).toBe(target.organization.domain);

    const denver = await createApolloLeadSource({ client, discovery: discoveryFor(settings, 'denver') }).discover({ limit: 1000 });
    expect(denver.leads.length).toBeGreaterThan(0);
    for (const lead of denver.leads) {
      const p = sandbox.people.find((x) => x.id === lead.sourceId)!;
      expect(p.city).toBe('Denver');
      expect(`${p.title} ${p.organization.name} ${p.organization.industry}`.toLowerCase()).toContain(target.organization.industry.split(' ')[0]!.toLowerCase());
    }

    const plain = await createApolloLeadSource({ client, discovery: discoveryFor(settings, 'apollo') }).discover({ limit: 1000 });
    expect(plain.leads).toHaveLength(300);
  });

  it('sends the filters in the contract names, and the sandbox refuses a malformed employee range (422)', async () => {
    const { sandbox, client } = await start();
    const page = await client.searchPeople({ organization_num_employees_ranges: ['51,200'], organization_locations: ['Texas'], per_page: 100 });
    for (const p of page.people) {
      const person = sandbox.people.find((x) => x.id === p.id)!;
      expect(person.state).toBe('Texas');
      expect(employees(person.organization.employees)).toBeGreaterThanOrEqual(51);
      expect(employees(person.organization.employees)).toBeLessThanOrEqual(200);
    }
    const res = await fetch(`${sandbox.url}/mixed_people/api_search?organization_num_employees_ranges[]=lots`, { method: 'POST', headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(422);
  });

  it('refuses an unknown profile by name, listing the ones there are', () => {
    const settings = FileConfigSchema.parse({}).discovery;
    expect(() => discoveryFor(settings, 'tier9')).toThrow(/unknown lead source or targeting profile "tier9" \(available: apollo, tier1/);
  });

  it('refuses a profile that names a company list that does not exist, naming the key', () => {
    const result = FileConfigSchema.safeParse({ discovery: { profiles: { p: { companyLists: ['nope'] } } } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['discovery', 'profiles', 'p', 'companyLists', 0], message: 'no discovery.companyLists.nope' });
  });
});
