import { describe, expect, it } from 'vitest';
import { emptyLead, isDomainListed, mergeProfiles, normalizeDomain, normalizeEmail, normalizeLinkedinUrl, parseEmployeeCount, splitFullName } from '../../../src/domain/lead.js';

describe('lead normalisation', () => {
  it.each([
    ['  Jane.Doe@Acme.Example.com ', 'jane.doe@acme.example.com'],
    ['name[at]domain.com', null],
    ['no-at-sign', null],
    ['a@b', null],
    ['email_not_unlocked@domain.com', null],
    ['', null],
    [null, null],
    ['first+tag@sub.example.com', 'first+tag@sub.example.com'],
  ])('email %j → %j', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    [180, 180],
    ['1,000+', 1000],
    ['51-200', 51],
    ['  250 ', 250],
    ['unknown', null],
    [null, null],
    [undefined, null],
    [-3, null],
    [12.7, 12],
    ['10,001+', 10001],
  ])('employee count %j → %j', (raw, expected) => {
    expect(parseEmployeeCount(raw)).toBe(expected);
  });

  it('splits a full name on its first whitespace only', () => {
    expect(splitFullName('Ana María López')).toEqual({ firstName: 'Ana', lastName: 'María López' });
    expect(splitFullName('  Cher ')).toEqual({ firstName: 'Cher', lastName: null });
    expect(splitFullName(null)).toEqual({ firstName: null, lastName: null });
  });

  it('matches listed domains and their sub-domains, never a look-alike', () => {
    expect(isDomainListed('gong.io', ['gong.io'])).toBe(true);
    expect(isDomainListed('emea.gong.io', ['gong.io'])).toBe(true);
    expect(isDomainListed('EMEA.Gong.IO', ['gong.io'])).toBe(true);
    expect(isDomainListed('notgong.io', ['gong.io'])).toBe(false);
    expect(isDomainListed('gong.io.example.com', ['gong.io'])).toBe(false);
  });

  it('normalises domains and LinkedIn URLs', () => {
    expect(normalizeDomain('https://www.Acme.example.com/about')).toBe('acme.example.com');
    expect(normalizeLinkedinUrl('https://www.linkedin.com/in/Example-Maya/?trk=x')).toBe('linkedin.com/in/example-maya');
  });

  it('merges a newer profile without erasing what we knew, and keeps provenance with the kept value', () => {
    const base = emptyLead({ firstName: 'Maya', title: 'VP of Sales', provenance: { firstName: 'apollo_search', title: 'apollo_search' } });
    const next = emptyLead({ firstName: 'Maya', title: null, email: 'maya@x.example.com', provenance: { firstName: 'apollo_match', email: 'apollo_match' } });
    const merged = mergeProfiles(base, next);
    expect(merged).toMatchObject({ firstName: 'Maya', title: 'VP of Sales', email: 'maya@x.example.com' });
    expect(merged.provenance).toEqual({ firstName: 'apollo_match', title: 'apollo_search', email: 'apollo_match' });
  });
});
