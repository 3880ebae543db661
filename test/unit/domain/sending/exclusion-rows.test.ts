import { describe, expect, it } from 'vitest';
import { exclusionColumns, readExclusionRows } from '../../../../src/domain/sending/exclusion-rows.js';
import { checkRecipient } from '../../../../src/domain/sending/recipient-guards.js';

const rows = (...cells: string[][]) => cells.map((c, i) => ({ line: i + 2, cells: c }));

describe('exclusion rows', () => {
  it('finds the domain and e-mail columns by their header names, or says there are none', () => {
    expect(exclusionColumns(['Company', 'Domain', 'Email'])).toEqual({ domain: 1, email: 2 });
    expect(exclusionColumns(['website'])).toEqual({ domain: 0, email: -1 });
    expect(exclusionColumns(['name', 'notes'])).toBeNull();
  });

  it('keeps the good rows and reports each bad one by line; URLs and @domains become bare domains', () => {
    const read = readExclusionRows(
      { domain: 0, email: 1 },
      rows(['https://www.Acme.com/about', ''], ['', 'Ceo@Client.example.com'], ['not a domain', ''], ['', ''], ['@beta.io', 'bad@'], ['acme.com', ''], ['gamma.co.uk', 'ops@gamma.co.uk']),
    );
    expect(read.entries).toEqual([
      { kind: 'domain', value: 'acme.com' },
      { kind: 'email', value: 'ceo@client.example.com' },
      { kind: 'domain', value: 'gamma.co.uk' },
      { kind: 'email', value: 'ops@gamma.co.uk' },
    ]);
    expect(read.errors).toEqual([
      { line: 4, message: 'domain "not a domain" is not a domain like example.com' },
      { line: 5, message: 'no domain or e-mail' },
      { line: 6, message: 'e-mail "bad@" is not an e-mail address' },
    ]);
    expect(read.rows).toBe(7);
  });

  it('gives entries the recipient guards refuse as they refuse the config exclusions', () => {
    const read = readExclusionRows({ domain: 0, email: 1 }, rows(['acme.com', 'vip@else.org']));
    const policy = { excludedDomains: read.entries.filter((e) => e.kind === 'domain').map((e) => e.value), excludedEmails: read.entries.filter((e) => e.kind === 'email').map((e) => e.value) };
    expect(checkRecipient('a@sales.acme.com', null, policy)).toMatchObject({ ok: false, error: { code: 'excluded_recipient_domain', matched: 'acme.com' } });
    expect(checkRecipient('VIP@else.org', null, policy)).toMatchObject({ ok: false, error: { code: 'excluded_recipient_email' } });
    expect(checkRecipient('b@else.org', null, policy).ok).toBe(true);
  });
});
