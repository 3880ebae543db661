import { describe, expect, it } from 'vitest';
import { INSTANTLY_PATHS, instantlyWebhook, parseInstantlyWebhook } from '../../../src/providers/instantly/webhook.js';
import { contractFixture } from '../../support/contracts.js';
import { expectJsonRoundTrip, expectRefusal } from '../../support/webhook-parse.js';

const RECEIVED = new Date('2026-03-05T00:00:00.000Z');
const body = (name: string) => contractFixture('instantly', `webhook.${name}.json`).request.body as Record<string, unknown>;
const parse = (json: unknown) => parseInstantlyWebhook(json, { receivedAt: RECEIVED });

const MAYA = 'maya.rivera@northwind-agency.example.com';
const CAMPAIGN = '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b';

describe('Instantly webhook: paths, auth and parse', () => {
  it("serves the original's paths, and accepts the token header, a bearer token, ?token= and the original's HMAC header", () => {
    expect(instantlyWebhook.paths.map((p) => p.path)).toEqual(Object.keys(INSTANTLY_PATHS));
    expect(Object.keys(INSTANTLY_PATHS)).toEqual(['/webhooks/instantly/reply', '/webhooks/instantly/bounce', '/webhooks/instantly/open', '/webhooks/instantly/unsubscribe', '/webhooks/instantly']);
    expect(instantlyWebhook.auth).toEqual({ signatureHeaders: ['x-instantly-signature'], tokenHeader: true, bearer: true, secretParams: ['token'] });
  });

  it.each([
    ['reply_received', 'email_replied', { step: 1, replyCategory: 'positive' }, ['019a2d11-0000-7000-8000-00000000e001', CAMPAIGN, 1, '2026-03-04T10:12:40.512Z'], '2026-03-04T10:12:40.512Z'],
    ['email_opened', 'email_opened', { step: 1 }, ['019a2d11-0000-7000-8000-00000000e001', CAMPAIGN, 1, '2026-03-03T15:02:11.000Z'], '2026-03-03T15:02:11.000Z'],
    ['link_clicked', 'email_clicked', { step: 1 }, ['019a2d0f-0000-7000-8000-00000000e000', CAMPAIGN, 1, '2026-03-04T11:03:12.220Z'], '2026-03-04T11:03:12.220Z'],
    ['lead_unsubscribed', 'unsubscribed', { step: null }, [MAYA, CAMPAIGN, null, '2026-03-04T11:00:00.000Z'], '2026-03-04T11:00:00.000Z'],
    // A label is recorded on the timeline without moving the lead.
    ['lead_interested', null, { step: null }, [MAYA, CAMPAIGN, null, '2026-03-04T10:14:02.007Z'], '2026-03-04T10:14:02.007Z'],
  ] as const)('the %s contract fixture parses to its normalised signal (%s)', (name, type, details, keyParts, at) => {
    const outcome = parse(body(name));
    expect(outcome).toEqual({
      ok: true,
      eventType: name,
      keyParts,
      signal: { email: MAYA, linkedinUrl: null, type, channel: 'email', at, details: { event: name, campaignId: CAMPAIGN, ...details }, flags: [] },
    });
    expectJsonRoundTrip(outcome);
  });

  it('the email_bounced fixture is a bounce for its lead, keyed by its e-mail id', () => {
    expect(parse(body('email_bounced'))).toEqual({
      ok: true,
      eventType: 'email_bounced',
      keyParts: ['019a2d11-0000-7000-8000-00000000e002', CAMPAIGN, 1, '2026-03-02T16:05:09.000Z'],
      signal: {
        email: 'priya.natarajan@lumen-logistics.example.com',
        linkedinUrl: null,
        type: 'email_bounced',
        channel: 'email',
        at: '2026-03-02T16:05:09.000Z',
        details: { event: 'email_bounced', campaignId: CAMPAIGN, step: 1 },
        flags: [],
      },
    });
  });

  it('a reply asking to be taken off the list is an unsubscribe; an address as typed is normalised; the data wrapper is unwrapped', () => {
    const outcome = parse({ data: { ...body('reply_received'), lead_email: ' Maya.Rivera@Northwind-Agency.example.com ', reply_text: 'Please remove me from your list.' } });
    expect(outcome).toMatchObject({ ok: true, signal: { email: MAYA, type: 'unsubscribed', details: { replyCategory: 'unsubscribe_request' } } });
  });

  it('an event time out of range is replaced by the receive time and flagged; none at all is the receive time, unflagged', () => {
    const ahead = parse({ ...body('email_opened'), timestamp: '2099-06-01T00:00:00Z' });
    expect(ahead).toMatchObject({ ok: true, signal: { at: RECEIVED.toISOString(), flags: [expect.stringContaining('ahead')], details: { timeFlag: expect.stringContaining('ahead') } } });
    const { timestamp: _t, ...untimed } = body('email_opened');
    expect(parse(untimed)).toMatchObject({ ok: true, signal: { at: RECEIVED.toISOString(), flags: [] } });
  });

  it('the subscription name of a click is read as the payload name', () => {
    expect(parse({ ...body('link_clicked'), event_type: 'email_link_clicked' })).toMatchObject({ ok: true, eventType: 'link_clicked', signal: { type: 'email_clicked' } });
  });

  it('unknown shapes are refused with a reason that names fields, never a personal value', () => {
    expectRefusal(parse(body('custom_label')), body('custom_label'), /unknown Instantly event type "Asked for pricing"/);
    expect(parse(body('custom_label')).eventType).toBe('Asked for pricing');
    const noEvent = { lead_email: MAYA, first_name: 'Maya', last_name: 'Rivera' };
    expectRefusal(parse(noEvent), noEvent, /event_type/);
    const noLead = { event_type: 'email_opened', first_name: 'Maya', last_name: 'Rivera', lead_email: 'not an address' };
    expectRefusal(parse(noLead), noLead, /names no lead \(no lead_email\)/);
    const notLead = { event_type: 'supersearch_enrichment_completed', lead_email: MAYA };
    expectRefusal(parse(notLead), notLead, /not an event about one lead/);
    for (const odd of [[1, 2], 'text', null, 42]) expectRefusal(parse(odd), odd, /event_type/);
  });
});
