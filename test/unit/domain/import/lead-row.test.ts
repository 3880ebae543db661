import { describe, expect, it } from 'vitest';
import { mapLeadRow, planColumns } from '../../../../src/domain/import/lead-row.js';

describe('planColumns', () => {
  it('matches common column names case-insensitively and keeps unknown columns as custom fields', () => {
    const plan = planColumns(['\uFEFFWork Email', 'First_Name', 'LASTNAME', 'Company Name', 'Job Title', 'LinkedIn URL', 'Employee Count', 'Industry', 'Domain', 'Favourite Colour']);
    expect(plan.fields).toEqual(['email', 'firstName', 'lastName', 'company', 'title', 'linkedin', 'employees', 'industry', 'website', null]);
    expect(planColumns(['e-mail', 'organization', 'firstname']).fields).toEqual(['email', 'company', 'firstName']);
  });

  it('uses the first of two columns for the same field', () => {
    expect(planColumns(['email', 'Work Email']).fields).toEqual(['email', null]);
  });
});

describe('mapLeadRow', () => {
  const plan = planColumns(['email', 'first name', 'last name', 'company', 'title', 'linkedin', 'employees', 'industry', 'website', 'notes']);
  const row = (o: Partial<Record<'email' | 'first' | 'last' | 'company' | 'title' | 'linkedin' | 'employees' | 'industry' | 'website' | 'notes', string>>) => [
    o.email ?? '',
    o.first ?? '',
    o.last ?? '',
    o.company ?? '',
    o.title ?? '',
    o.linkedin ?? '',
    o.employees ?? '',
    o.industry ?? '',
    o.website ?? '',
    o.notes ?? '',
  ];

  it('maps a full row with provenance and custom fields', () => {
    const r = mapLeadRow(
      row({
        email: ' Maya@Northwind.example.com ',
        first: 'Maya',
        last: 'Rivera',
        company: 'Northwind',
        title: 'VP of Sales',
        employees: '1,000+',
        industry: 'marketing',
        website: 'https://www.northwind.example.com/',
        notes: 'met at SaaStr',
      }),
      plan,
      7,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.identity).toBe('maya@northwind.example.com');
    expect(r.value.profile).toMatchObject({ email: 'maya@northwind.example.com', firstName: 'Maya', sourceType: 'csv_import', company: { name: 'Northwind', employeeCount: 1000, domain: 'northwind.example.com' } });
    expect(r.value.profile.provenance.email).toBe('csv_import');
    expect(r.value.custom).toEqual({ notes: 'met at SaaStr' });
  });

  it('accepts a LinkedIn URL as the only identity', () => {
    const r = mapLeadRow(row({ linkedin: 'https://www.linkedin.com/in/example-omar/', first: 'Omar' }), plan, 3);
    expect(r.ok && r.value.identity).toBe('linkedin:linkedin.com/in/example-omar');
  });

  it.each([
    [row({ first: 'No', company: 'Identity' }), 'email', 'no identity'],
    [row({ email: 'name[at]domain.com' }), 'email', 'not a valid email'],
    [row({ linkedin: 'https://example.com/profile' }), 'linkedin', 'not a LinkedIn profile'],
    [['a@b.example.com', 'x'], '(row)', 'expected 10 columns, found 2'],
  ])('refuses %j with its line, field and reason', (cells, field, message) => {
    const r = mapLeadRow(cells, plan, 12);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ line: 12, field, message: expect.stringContaining(message) });
  });

  it("splits a full name and undoes the export's formula escaping", () => {
    const p = planColumns(['email', 'name', 'title']);
    const r = mapLeadRow(['a@x.example.com', 'Ana María López', "'-VP-"], p, 2);
    expect(r.ok && r.value.profile).toMatchObject({ firstName: 'Ana', lastName: 'María López', title: '-VP-' });
  });
});
