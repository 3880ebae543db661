import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { readLeadFile } from '../../../src/providers/files/read-lead-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer, ext = 'csv') => {
  const p = path.join(dir, `f${++n}.${ext}`);
  writeFileSync(p, content);
  return p;
};
const refused = async (p: string, message: RegExp) => {
  const error = await readLeadFile(p).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('INVALID_INPUT');
  expect((error as AppError).message).toMatch(message);
};

describe('readLeadFile', () => {
  it('reads a UTF-8 CSV with BOM, quoted commas and newlines, reporting each bad row with its line', async () => {
    const csv =
      '\uFEFFEmail,First Name,Company,Title,Notes\n' +
      'maya@northwind.example.com,Maya,"Northwind, Inc.",VP of Sales,"two\nlines"\n' +
      'bad-email,Theo,Blue Fern,CEO,\n' +
      ',,No Identity,,\n' +
      'MAYA@northwind.example.com,Maya,Northwind,VP,\n' +
      'omar@harbor.example.com,Omar,Harbor,CTO,x,extra\n' +
      'priya@cedar.example.com,Priya,Cedar,COO,\n';
    const { leads, report } = await readLeadFile(file(csv));
    expect(report).toMatchObject({ format: 'csv', rows: 6, accepted: 2, duplicates: 1 });
    expect(report.rejected).toEqual([
      { line: 4, field: 'email', message: 'not a valid email address' },
      { line: 5, field: 'email', message: 'no identity: neither an email nor a LinkedIn URL' },
      { line: 7, field: '(row)', message: 'expected 5 columns, found 6' },
    ]);
    expect(report.duplicateRows).toEqual([{ line: 6, of: 2 }]);
    expect(leads.map((l) => [l.line, l.identity])).toEqual([
      [2, 'maya@northwind.example.com'],
      [8, 'priya@cedar.example.com'],
    ]);
    expect(leads[0]!.profile.company.name).toBe('Northwind, Inc.');
    expect(leads[0]!.custom).toEqual({ Notes: 'two\nlines' });
  });

  it('reads semicolon-separated files', async () => {
    const { report, leads } = await readLeadFile(file('email;first name;company\na@x.example.com;Ann;"X; Y"\n'));
    expect(report.accepted).toBe(1);
    expect(leads[0]!.profile.company.name).toBe('X; Y');
  });

  it('reads a JSON array of lead objects, counting positions as lines', async () => {
    const json = JSON.stringify([{ email: 'a@x.example.com', 'First Name': 'Ann', employees: 120 }, { email: 'nope' }, 'not an object', { email: 'A@x.example.com' }]);
    const { report, leads } = await readLeadFile(file(json, 'json'));
    expect(report).toMatchObject({ format: 'json', rows: 4, accepted: 1, duplicates: 1 });
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(leads[0]!.profile.company.employeeCount).toBe(120);
  });

  it('refuses an empty file, a header-only file, a header without identity columns, binary, UTF-16 and invalid UTF-8', async () => {
    await refused(file(''), /empty/);
    await refused(file('\uFEFF  \n'), /empty/);
    await refused(file('email,first name\n'), /header but no rows/);
    await refused(file('name,company\nAnn,X\n'), /no email or LinkedIn column/);
    await refused(file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10])), /binary/);
    await refused(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\n', 'utf16le')])), /UTF-16/);
    await refused(file(Buffer.concat([Buffer.from('email,company\na@x.example.com,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])), /not valid UTF-8/);
    await refused(file('[1,2', 'json'), /not valid JSON/);
    await refused(file('{"email":"a@x.example.com"}', 'json'), /JSON array/);
    await refused(path.join(dir, 'missing.csv'), /not found/);
  });

  it('refuses a file with an oversized line or a broken quote, naming the line, and imports nothing', async () => {
    const huge = file(`email,notes\na@x.example.com,${'z'.repeat(300_000)}\nb@x.example.com,ok\n`);
    const error = await readLeadFile(huge, { maxRecordBytes: 64 * 1024 }).catch((e: unknown) => e as AppError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/line 2 is longer than 65536 bytes/) });
    await refused(file('email,notes\na@x.example.com,"never closed\nb@x.example.com,ok\n'), /cannot be read as CSV/);
    const { leads } = await readLeadFile(file('email,notes\na@x.example.com,5" screen\n'));
    expect(leads[0]!.custom).toEqual({ notes: '5" screen' });
  });

  it('never crashes on generated CSVs and accounts for every row', async () => {
    const cell = fc.oneof(fc.constantFrom('', 'a@x.example.com', 'B@X.example.com', 'bad', 'https://linkedin.com/in/x', 'Ann', '1,000+'), fc.string({ maxLength: 12 }));
    const csvRow = fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.map((c) => (/[",;\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(csvRow, { minLength: 1, maxLength: 25 }), async (rows) => {
        const p = file(`email,first name,linkedin,company,employees\n${rows.join('\n')}\n`);
        const result = await readLeadFile(p).catch((e: unknown) => e);
        if (result instanceof AppError) return result.code === 'INVALID_INPUT';
        if (result instanceof Error) return false;
        const { report } = result as Awaited<ReturnType<typeof readLeadFile>>;
        return report.accepted + report.rejected.length + report.duplicates === report.rows;
      }),
      { numRuns: 150 },
    );
  });
});
