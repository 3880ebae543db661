import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';
import { redactPath, safeErrorMessage, stripQuery } from '../../../src/lib/redact.js';
import { routeLabel } from '../../../src/server/app.js';

/** The helpers behind "no secret or personal data in logs, metrics or stored errors" (item 7). */
const pgError = (message: string, fields: Record<string, string>) => Object.assign(new Error(message), { severity: 'ERROR', ...fields });

describe('redaction helpers', () => {
  it('a drizzle query error keeps its SQL state, schema names and statement, never its parameters or the driver message', () => {
    const cause = pgError('invalid input syntax for type uuid: "ann@example.com"', { code: '22P02' });
    const error = new DrizzleQueryError('insert into leads (id, email) values ($1::uuid, $2)', ['ann@example.com', '+15550100999'], cause);
    expect(error.message).toContain('params: ann@example.com');
    expect(safeErrorMessage(error)).toBe('database error SQLSTATE 22P02 in: insert into leads (id, email) values ($1::uuid, $2)');
    const unique = new DrizzleQueryError(
      'insert into leads (email) values ($1)',
      ['ann@example.com'],
      pgError('duplicate key value violates unique constraint "leads_email_uq"', { code: '23505', detail: 'Key (email)=(ann@example.com) already exists.', constraint: 'leads_email_uq', table: 'leads' }),
    );
    expect(safeErrorMessage(unique)).toBe('database error SQLSTATE 23505 (constraint leads_email_uq, table leads) in: insert into leads (email) values ($1)');
    // The driver's error on its own: its message (which may quote a value) is not kept.
    expect(safeErrorMessage(cause)).toBe('database error SQLSTATE 22P02');
    // A message already flattened to text loses its parameters all the same.
    expect(safeErrorMessage(error.message)).toBe('database error in: insert into leads (id, email) values ($1::uuid, $2)');
  });

  it('any other message loses a params tail and its e-mail addresses and phone numbers', () => {
    expect(safeErrorMessage(new Error('no lead with email Ann.Lee@Example.com (call +15550100999)'))).toBe('no lead with email [e-mail] (call [phone])');
    expect(safeErrorMessage('boom params: secret stuff')).toBe('boom');
    expect(safeErrorMessage({ reason: 'x' })).toBe('{"reason":"x"}');
    expect(safeErrorMessage(new Error('the RB2B visit was not stored within 10000 ms'))).toBe('the RB2B visit was not stored within 10000 ms');
  });

  it('paths lose their query string and any segment that is a secret', () => {
    expect(stripQuery('/webhooks/heyreach?secret=s3cr3t-value#x')).toBe('/webhooks/heyreach');
    expect(redactPath('/webhooks/rb2b/s3cr3t%2Fvalue?token=x', ['s3cr3t/value'])).toBe('/webhooks/rb2b/:secret');
    expect(redactPath('/webhooks/x/abc', ['a'])).toBe('/webhooks/x/abc');
    expect(routeLabel('/webhooks/rb2b/anything-at-all')).toBe('/webhooks/rb2b/:secret');
    expect(routeLabel('/webhooks/rb2b/health')).toBe('/webhooks/rb2b/health');
    expect(routeLabel('/api/leads/:id')).toBe('/api/leads/:id');
  });

  it('the logger serializes errors, urls and paths safely and redacts secret keys and headers', () => {
    const lines: string[] = [];
    const log = createLogger('trace', new Writable({ write: (chunk: Buffer, _e, done) => void (lines.push(String(chunk)), done()) }));
    const error = new DrizzleQueryError('update leads set email = $1', ['ann@example.com'], pgError('x', { code: '23505' }));
    log.error(
      { err: error, url: '/webhooks/heyreach?secret=hr-secret-123', path: '/x?token=t0k3n', token: 'tok-123456', headers: { authorization: 'Bearer b-123456', cookie: 'caio_session=abc123' }, nested: { secret: 'nested-secret-1' } },
      'failed',
    );
    log.warn({ err: 'Failed query: select 1\nparams: ann@example.com' }, 'string err');
    const text = lines.join('');
    for (const leak of ['ann@example.com', 'hr-secret-123', 't0k3n', 'tok-123456', 'b-123456', 'abc123', 'nested-secret-1']) expect(text, leak).not.toContain(leak);
    const first = JSON.parse(lines[0]!) as { err: { type: string; message: string; stack: string }; url: string; path: string };
    expect(first.err.message).toBe('database error SQLSTATE 23505 in: update leads set email = $1');
    expect(first.err.stack.startsWith(`${first.err.type}: ${first.err.message}\n    at `)).toBe(true);
    expect([first.url, first.path]).toEqual(['/webhooks/heyreach', '/x']);
  });
});
