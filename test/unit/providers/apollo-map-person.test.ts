import { describe, expect, it } from 'vitest';
import { matchedPersonToLead, searchResultToLead } from '../../../src/providers/apollo/map-person.js';
import { ApolloPersonSchema, ApolloSearchResponseSchema } from '../../../src/providers/apollo/schemas.js';
import { contractFixture } from '../../support/contracts.js';
import { generateSyntheticPeople, MESSY_CASES, toMatchRecord } from '../../../src/providers/sandbox/apollo/index.js';

const fixture = (name: string) => contractFixture('apollo', name) as { response: { body: { person: unknown } } };
const people = generateSyntheticPeople({ seed: 3, count: 25 });
const mapped = (c: string) => matchedPersonToLead(ApolloPersonSchema.parse(toMatchRecord(people[MESSY_CASES.find((m) => m.case === c)!.index]!)));

describe('Apollo person → lead profile', () => {
  it('maps the contract example field by field, with provenance', () => {
    const lead = matchedPersonToLead(ApolloPersonSchema.parse(fixture('people-match.json').response.body.person));
    expect(lead).toMatchObject({
      email: 'maya.rivera@northwind-agency.example.com',
      firstName: 'Maya',
      lastName: 'Rivera',
      title: 'VP of Sales',
      location: 'Denver, Colorado',
      company: { name: 'Northwind Agency', domain: 'northwind-agency.example.com', industry: 'marketing & advertising', employeeCount: 180, annualRevenue: 24_000_000, technologies: ['Salesforce', 'HubSpot', 'Gong'] },
    });
    expect(lead.provenance).toMatchObject({ email: 'apollo_match', title: 'apollo_match', 'company.industry': 'apollo_match' });
  });

  it('keeps only what search reveals', () => {
    const [person] = ApolloSearchResponseSchema.parse(contractFixture('apollo', 'people-search.json').response.body).people;
    const lead = searchResultToLead(person!);
    expect(lead).toMatchObject({ email: null, firstName: 'Maya', lastName: null, title: 'VP of Sales', company: { name: 'Northwind Agency' } });
    expect(lead.provenance).toEqual({ firstName: 'apollo_search', title: 'apollo_search', 'company.name': 'apollo_search' });
  });

  it('handles the messy cases', () => {
    expect(mapped('missing_title').title).toBeNull();
    expect(mapped('employees_unknown').company.employeeCount).toBeNull();
    expect(mapped('employees_string_plus').company.employeeCount).toBe(1000);
    expect(mapped('employees_string_range').company.employeeCount).toBe(51);
    const nameOnly = mapped('name_only');
    expect(nameOnly.firstName).toBeTruthy();
    expect(nameOnly.lastName).toBeTruthy();
    expect(nameOnly.provenance.firstName).toBe('apollo_match');
    expect(mapped('no_email').email).toBeNull();
    expect(mapped('verified_email_only').email).toMatch(/@.+\.example\.com$/);
    expect(mapped('locked_email_placeholder').email).not.toBe('email_not_unlocked@domain.com');
    expect(mapped('locked_email_placeholder').email).toMatch(/@/);
    expect(mapped('duplicate_first').email).toBe(mapped('duplicate_second_case').email);
  });

  it('keeps the search facts when the match leaves them out', () => {
    const base = searchResultToLead({ id: 'x', first_name: 'Theo', title: 'CEO', organization: { name: 'Blue Fern' } });
    const lead = matchedPersonToLead(ApolloPersonSchema.parse({ id: 'x', first_name: null, title: null, email: 'theo@bluefern.example.com' }), base);
    expect(lead).toMatchObject({ firstName: 'Theo', title: 'CEO', email: 'theo@bluefern.example.com', company: { name: 'Blue Fern' } });
    expect(lead.provenance).toMatchObject({ firstName: 'apollo_search', email: 'apollo_match' });
  });
});
