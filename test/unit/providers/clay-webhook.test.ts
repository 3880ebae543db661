import { describe, expect, it } from 'vitest';
import { linkedinHash } from '../../../src/providers/clay/correlation.js';
import { CLAY_WEBHOOK_AUTH, clayWebhookPaths, parseClayCallback } from '../../../src/providers/clay/webhook.js';
import { contractFixture } from '../../support/contracts.js';
import { expectRefusal } from '../../support/webhook-parse.js';

const body = (name: string) => contractFixture('clay', `${name}.json`).request.body as Record<string, unknown>;
const PRIYA_LINKEDIN_HASH = linkedinHash('linkedin.com/in/example-priya-natarajan');

describe('Clay callback: paths, auth and parse', () => {
  it('serves the configured callback path and the original /webhooks/clay; a token header, or the HMAC header keyed by the other secret', () => {
    expect(clayWebhookPaths('/webhooks/clay/callback')).toEqual(['/webhooks/clay/callback', '/webhooks/clay']);
    expect(clayWebhookPaths('/webhooks/clay')).toEqual(['/webhooks/clay']);
    expect(CLAY_WEBHOOK_AUTH).toEqual({ signatureHeaders: ['x-clay-signature'], tokenHeader: true, bearer: false, secretParams: [] });
  });

  it('callback.json is an answer correlated by request id, with its LinkedIn hash', () => {
    expect(parseClayCallback(body('callback'))).toEqual({
      ok: true,
      eventType: 'callback',
      linkedinHash: PRIYA_LINKEDIN_HASH,
      answer: {
        requestId: 'clay_req_0001',
        leadId: 'lead_0003',
        linkedinUrl: 'https://www.linkedin.com/in/example-priya-natarajan/',
        email: 'priya.natarajan@lumen-logistics.example.com',
        emailVerified: true,
        firstName: 'Priya',
        lastName: 'Natarajan',
        title: 'Head of RevOps',
        companyName: 'Lumen Logistics',
        companyDomain: 'lumen-logistics.example.com',
        industry: 'Logistics & Supply Chain',
        employeeCount: 640,
        revenue: '$50M-$100M',
      },
    });
  });

  it('callback.title-case.json (Clay column names) is the same person, correlated by LinkedIn hash only', () => {
    expect(parseClayCallback(body('callback.title-case'))).toMatchObject({
      ok: true,
      linkedinHash: PRIYA_LINKEDIN_HASH,
      answer: { requestId: null, leadId: null, email: 'priya.natarajan@lumen-logistics.example.com', emailVerified: true, title: 'Head of RevOps' },
    });
  });

  it('callback.no-email.json is an answer without an e-mail (Clay found none), still correlated', () => {
    expect(parseClayCallback(body('callback.no-email'))).toMatchObject({ ok: true, answer: { requestId: 'clay_req_0002', email: null, emailVerified: false } });
  });

  it('unknown shapes are refused with a reason that names fields, never a personal value', () => {
    const uncorrelated = { work_email: 'priya.natarajan@lumen-logistics.example.com', first_name: 'Priya', last_name: 'Natarajan', company_name: 'Lumen Logistics' };
    expectRefusal(parseClayCallback(uncorrelated), uncorrelated, /no request_id, lead_id or LinkedIn URL/);
    const unfilled = { 'Work Email': '{{Work Email}}', 'LinkedIn URL': '{{LinkedIn URL}}' };
    expectRefusal(parseClayCallback(unfilled), unfilled, /no request_id, lead_id or LinkedIn URL/);
    for (const odd of [[1, 2], 'text', null]) expectRefusal(parseClayCallback(odd), odd, /not a JSON object/);
  });
});
