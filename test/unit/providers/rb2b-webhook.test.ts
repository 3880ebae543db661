import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/domain/stable-hash.js';
import { parseRb2bWebhook, rb2bWebhook, rb2bWebhookPath } from '../../../src/providers/rb2b/webhook.js';
import { contractFixture } from '../../support/contracts.js';
import { expectJsonRoundTrip, expectRefusal } from '../../support/webhook-parse.js';

const RECEIVED = new Date('2026-03-02T18:00:00.000Z');
const body = (name: string) => contractFixture('rb2b', `${name}.json`).request.body as Record<string, unknown>;
const parse = (json: unknown) => parseRb2bWebhook(json, { receivedAt: RECEIVED });

describe('RB2B webhook: paths, auth and parse', () => {
  it('serves /webhooks/rb2b, the secret as its last segment (or ?token=, or the token header)', () => {
    expect(rb2bWebhook.paths).toEqual([{ path: '/webhooks/rb2b' }]);
    expect(rb2bWebhookPath('s3cr/et')).toBe('/webhooks/rb2b/s3cr%2Fet');
    expect(rb2bWebhook.auth).toEqual({ signatureHeaders: [], tokenHeader: true, bearer: false, secretParams: ['token'], secretPathUnder: '/webhooks/rb2b' });
  });

  it('visitor.json is a website visit to the pricing page, the visitor a lead of their own, keyed by the event', () => {
    const outcome = parse(body('visitor'));
    expect(outcome).toEqual({
      ok: true,
      eventType: 'visit',
      keyParts: [fingerprint('linkedin.com/in/example-maya-rivera|2026-03-02T15:04:05.000+00:00|https://www.caio.example.com/pricing')],
      signal: {
        email: 'maya.rivera@northwind-agency.example.com',
        linkedinUrl: 'https://www.linkedin.com/in/example-maya-rivera/',
        type: 'website_visit',
        channel: 'website',
        at: '2026-03-02T15:04:05.000Z',
        details: { event: 'visit', page: 'https://www.caio.example.com/pricing', pricingPage: true, repeat: false },
        flags: [],
        newLead: {
          source: 'rb2b',
          sourceId: 'linkedin.com/in/example-maya-rivera',
          profile: expect.objectContaining({
            email: 'maya.rivera@northwind-agency.example.com',
            firstName: 'Maya',
            lastName: 'Rivera',
            sourceType: 'website_visitor',
            company: expect.objectContaining({ name: 'Northwind Agency', domain: 'northwind-agency.example.com' }),
          }),
        },
      },
    });
    expectJsonRoundTrip(outcome);
    // The lead's raw record is the stored payload, not a copy in the signal.
    expect(outcome.ok && Object.keys(outcome.signal.newLead!)).toEqual(['source', 'sourceId', 'profile']);
  });

  it("visitor.no-email.json: no e-mail, RB2B's own malformed Seen At read leniently", () => {
    expect(parse(body('visitor.no-email'))).toMatchObject({
      ok: true,
      signal: {
        email: null,
        linkedinUrl: 'https://www.linkedin.com/in/example-jordan-lee/',
        at: '2026-03-02T12:34:56.000Z',
        flags: [],
        details: { pricingPage: false, repeat: false },
        newLead: { sourceId: 'linkedin.com/in/example-jordan-lee' },
      },
    });
  });

  it('visitor.repeat-visit.json: the same person again, a repeat (from our own pricing page), another event key', () => {
    const first = parse(body('visitor'));
    const again = parse(body('visitor.repeat-visit'));
    expect(again).toMatchObject({
      ok: true,
      signal: { at: '2026-03-02T16:10:44.000Z', details: { page: 'https://www.caio.example.com/case-studies/agency', pricingPage: false, repeat: true }, newLead: { sourceId: 'linkedin.com/in/example-maya-rivera' } },
    });
    expect(again.ok && first.ok && again.keyParts).not.toEqual(first.ok && first.keyParts);
  });

  it('an unreadable Seen At is the receive time (the contract says so), unflagged', () => {
    expect(parse({ ...body('visitor'), 'Seen At': 'yesterday' })).toMatchObject({ ok: true, signal: { at: RECEIVED.toISOString(), flags: [] } });
  });

  it('unknown shapes are refused with a reason that names fields, never a personal value', () => {
    const nobody = { 'First Name': 'Maya', 'Last Name': 'Rivera', 'Company Name': 'Northwind Agency', 'Business Email': 'maya at northwind', 'LinkedIn URL': 'n/a', 'Captured URL': 'https://www.caio.example.com/pricing' };
    expectRefusal(parse(nobody), nobody, /no LinkedIn URL or business e-mail/);
    expect(parse(nobody).eventType).toBe('visit');
    for (const odd of [[1], 'text', null]) expectRefusal(parse(odd), odd, /not a JSON object/);
  });
});
