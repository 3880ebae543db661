import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/hash.js';
import { WEBHOOK_EVENT_TYPES } from '../../../src/providers/heyreach/schemas.js';
import { heyreachWebhook, parseHeyReachWebhook } from '../../../src/providers/heyreach/webhook.js';
import { contractFixture } from '../../support/contracts.js';
import { expectJsonRoundTrip, expectRefusal } from '../../support/webhook-parse.js';

const RECEIVED = new Date('2026-04-03T00:00:00.000Z');
const body = (name: string) => contractFixture('heyreach', `webhook.${name}.json`).request.body as Record<string, unknown>;
const parse = (json: unknown, urlEvent?: string) => parseHeyReachWebhook(json, { receivedAt: RECEIVED, urlEvent: urlEvent ?? null });

const MAYA = { email: 'maya.rivera@northwind-agency.example.com', linkedinUrl: 'linkedin.com/in/example-maya-rivera' };
const REPLY = 'Thanks Alex, happy to compare notes. Send me a time next week.';
const CONVERSATION = '2-ZXhhbXBsZS1jb252ZXJzYXRpb24taWQtMDAwMS1ub3QtcmVhbC0wMDA=';
const replied = (at: string, campaignId: string | null, event = 'MESSAGE_REPLY_RECEIVED') => ({ ...MAYA, type: 'linkedin_replied', channel: 'linkedin', at, flags: [], details: { event, campaignId, replyCategory: 'positive' } });

describe('HeyReach webhook: paths, auth and parse', () => {
  it('serves /webhooks/heyreach and one URL per event (naming the event for bodies that carry none); the secret rides in the URL', () => {
    expect(heyreachWebhook.paths[0]).toEqual({ path: '/webhooks/heyreach' });
    expect(heyreachWebhook.paths.slice(1)).toEqual(WEBHOOK_EVENT_TYPES.map((event) => ({ path: `/webhooks/heyreach/${event}`, urlEvent: event })));
    expect(heyreachWebhook.auth).toEqual({ signatureHeaders: ['x-heyreach-signature'], tokenHeader: true, bearer: true, secretParams: ['secret', 'token'] });
  });

  it('connection_request_accepted (snake_case lead) is an accepted connection', () => {
    const outcome = parse(body('connection_request_accepted'));
    expect(outcome).toEqual({
      ok: true,
      eventType: 'CONNECTION_REQUEST_ACCEPTED',
      keyParts: [MAYA.linkedinUrl, null, '2026-03-05T12:00:00Z'],
      signal: { ...MAYA, type: 'linkedin_connection_accepted', channel: 'linkedin', at: '2026-03-05T12:00:00.000Z', details: { event: 'CONNECTION_REQUEST_ACCEPTED', campaignId: '334314' }, flags: [] },
    });
    expectJsonRoundTrip(outcome);
  });

  it('message_reply_received in each shape is the same reply, keyed by its text', () => {
    expect(parse(body('message_reply_received'))).toEqual({ ok: true, eventType: 'MESSAGE_REPLY_RECEIVED', keyParts: [MAYA.linkedinUrl, null, sha256Hex(REPLY)], signal: replied('2026-03-07T16:20:00.000Z', '334314') });
    expect(parse(body('message_reply_received.camelcase'))).toEqual({ ok: true, eventType: 'MESSAGE_REPLY_RECEIVED', keyParts: [MAYA.linkedinUrl, 'm_0001', sha256Hex(REPLY)], signal: replied('2026-03-07T16:20:00.000Z', '334314') });
    expect(parse(body('message_reply_received.lead-camel'))).toEqual({ ok: true, eventType: 'MESSAGE_REPLY_RECEIVED', keyParts: [CONVERSATION, null, sha256Hex(REPLY)], signal: replied('2026-03-07T16:20:05.000Z', '334314') });
    // Shape D names no event: the per-event URL does; it gives no time: the receive time.
    expect(parse(body('message_reply_received.flat'), 'MESSAGE_REPLY_RECEIVED')).toEqual({
      ok: true,
      eventType: 'MESSAGE_REPLY_RECEIVED',
      keyParts: [MAYA.linkedinUrl, null, sha256Hex(REPLY)],
      signal: { ...replied(RECEIVED.toISOString(), null), email: null },
    });
  });

  it('a conversation snapshot without an event name is a reply (the last message the lead sent)', () => {
    const outcome = parse(body('every_message_reply_received.snapshot'));
    expect(outcome).toEqual({ ok: true, eventType: 'EVERY_MESSAGE_REPLY_RECEIVED', keyParts: [CONVERSATION, null, sha256Hex(REPLY)], signal: replied(RECEIVED.toISOString(), null, 'EVERY_MESSAGE_REPLY_RECEIVED') });
    expectJsonRoundTrip(outcome);
  });

  it('a reply asking to be taken off the list is an unsubscribe; an event time in 2099 is the receive time, flagged', () => {
    expect(parse({ ...body('message_reply_received'), message_text: 'Please remove me from your list.' })).toMatchObject({ ok: true, signal: { type: 'unsubscribed', details: { replyCategory: 'unsubscribe_request' } } });
    expect(parse({ ...body('connection_request_accepted'), timestamp: '2099-06-01T00:00:00Z' })).toMatchObject({ ok: true, signal: { at: RECEIVED.toISOString(), flags: [expect.stringContaining('ahead')] } });
  });

  it("campaign_completed naming only its campaign (the contract's minimal shape) is a campaign-wide completion, keyed by campaign and time", () => {
    const outcome = parse(body('campaign_completed'));
    expect(outcome).toEqual({
      ok: true,
      eventType: 'CAMPAIGN_COMPLETED',
      keyParts: ['campaign:334314', null, '2026-04-02T08:00:00Z'],
      signal: { email: null, linkedinUrl: null, type: 'linkedin_campaign_completed', channel: 'linkedin', at: '2026-04-02T08:00:00.000Z', details: { event: 'CAMPAIGN_COMPLETED', campaignId: '334314', scope: 'campaign' }, flags: [] },
    });
    expectJsonRoundTrip(outcome);
    // A campaign id that is not HeyReach's integer cannot name a campaign of ours.
    const odd = { ...body('campaign_completed'), campaign: { id: 'drop table' } };
    expectRefusal(parse(odd), odd, /no campaign/);
  });

  it('unknown shapes are refused with a reason that names fields, never a personal value', () => {
    const nothing = { eventType: 'CAMPAIGN_COMPLETED', timestamp: '2026-04-02T08:00:00Z' };
    expectRefusal(parse(nothing), nothing, /CAMPAIGN_COMPLETED names no lead \(no LinkedIn URL and no e-mail\) and no campaign/);
    const flat = body('message_reply_received.flat');
    expectRefusal(parse(flat), flat, /no event type \(eventType, event_type, type, event\)/);
    const unknown = { eventType: 'SOMETHING_NEW', lead: { profileUrl: 'https://www.linkedin.com/in/example-maya-rivera', emailAddress: MAYA.email, firstName: 'Maya' } };
    expectRefusal(parse(unknown), unknown, /unknown HeyReach event type "SOMETHING_NEW"/);
    const nobody = { eventType: 'MESSAGE_REPLY_RECEIVED', lead: { firstName: 'Maya', lastName: 'Rivera' }, message: 'Call me on +1 555 010 2030' };
    expectRefusal(parse(nobody), nobody, /names no lead/);
    for (const odd of [[1, 2], 'text', null]) expectRefusal(parse(odd), odd, /not a JSON object/);
  });
});
