import { describe, expect, it } from 'vitest';
import { GHL_WEBHOOK_AUTH, ghlThreadOf, parseGhlWebhook } from '../../../src/providers/ghl/webhook.js';
import { TOKEN_HEADER, verifyWebhook } from '../../../src/webhooks/verify.js';
import { contractFixture } from '../../support/contracts.js';

const receivedAt = new Date('2026-03-20T16:05:00Z');

/** The contract's InboundMessage example (contracts/ghl.md, fixtures/ghl/webhook.inbound_message.email.json), values invented there. */
const INBOUND = {
  type: 'InboundMessage',
  timestamp: '2026-03-20T16:02:11Z',
  webhookId: 'whk0Example0000000001',
  locationId: 'loc0Example0000000001',
  contactId: 'ctc0Example0000000001',
  conversationId: 'cnv0Example0000000001',
  dateAdded: '2026-03-20T16:02:09.045Z',
  direction: 'inbound',
  messageType: 'Email',
  emailMessageId: 'eml0Example0000000009',
  threadId: 'eml0Example0000000001',
  from: 'Maya Rivera <Maya.Rivera@northwind-agency.example.com>',
  to: ['jordan@nurture.example.com'],
  subject: 'Re: Picking our conversation back up',
  body: '<div>Thanks Jordan, could we move it to Thursday?</div>',
  conversationProviderId: 'cpr0Example0000000001',
};

const read = (body: unknown) => parseGhlWebhook(body, { receivedAt });

describe('GoHighLevel webhook: an inbound e-mail is a reply; anything else is kept as ignored', () => {
  it("INBOUND is the contract fixture's body, the sender in another case", () => {
    expect(contractFixture('ghl', 'webhook.inbound_message.email.json').request.body).toEqual({ ...INBOUND, from: 'Maya Rivera <maya.rivera@northwind-agency.example.com>' });
  });

  it("reads the contract's InboundMessage: the sender's address, an e-mail reply at dateAdded, keyed by the e-mail message", () => {
    const parsed = read(INBOUND);
    expect(parsed).toMatchObject({
      ok: true,
      eventType: 'InboundMessage',
      keyParts: ['ghl', 'eml0Example0000000009', 'cnv0Example0000000001'],
      signal: { email: 'maya.rivera@northwind-agency.example.com', linkedinUrl: null, type: 'email_replied', channel: 'email', at: '2026-03-20T16:02:09.045Z', flags: [] },
    });
    // The signal never carries the message's words.
    expect(JSON.stringify(parsed)).not.toContain('Thursday');
  });

  it('a redelivery (another webhookId and timestamp, the same message) has the same key; another message does not', () => {
    const first = read(INBOUND);
    const again = read({ ...INBOUND, webhookId: 'whk0Example0000000002', timestamp: '2026-03-20T16:07:00Z' });
    const other = read({ ...INBOUND, emailMessageId: 'eml0Example0000000010' });
    expect(first.ok && again.ok && other.ok).toBe(true);
    if (!first.ok || !again.ok || !other.ok) return;
    expect(again.keyParts).toEqual(first.keyParts);
    expect(other.keyParts).not.toEqual(first.keyParts);
  });

  it('without emailMessageId the conversation message id keys it; with neither, the body does (null)', () => {
    const byMessage = read({ ...INBOUND, emailMessageId: undefined, messageId: 'msg-1' });
    expect(byMessage.ok && byMessage.keyParts).toEqual(['ghl', 'msg-1', 'cnv0Example0000000001']);
    const byBody = read({ ...INBOUND, emailMessageId: undefined });
    expect(byBody.ok && byBody.keyParts).toBeNull();
  });

  it('a bare address in from, the read enum TYPE_EMAIL, and no direction are accepted', () => {
    const parsed = read({ ...INBOUND, from: 'maya@northwind.example.com', messageType: 'TYPE_EMAIL', direction: undefined });
    expect(parsed).toMatchObject({ ok: true, signal: { email: 'maya@northwind.example.com' } });
  });

  it('an opt-out in the body is an unsubscribe', () => {
    expect(read({ ...INBOUND, body: '<p>Please remove me from your list.</p>' })).toMatchObject({ ok: true, signal: { type: 'unsubscribed' } });
  });

  it('an unreadable or far-future dateAdded: the receive time, flagged', () => {
    const parsed = read({ ...INBOUND, dateAdded: '2099-01-01T00:00:00Z' });
    expect(parsed).toMatchObject({ ok: true, signal: { at: receivedAt.toISOString() } });
    expect(parsed.ok && parsed.signal.flags).toHaveLength(1);
  });

  it.each([
    ['not an object', [INBOUND], 'unknown', 'not a JSON object'],
    ['no type', { ...INBOUND, type: undefined }, 'unknown', 'no type'],
    ['an outbound message', { ...INBOUND, type: 'OutboundMessage', direction: 'outbound' }, 'OutboundMessage', 'outbound'],
    ['an inbound event marked outbound', { ...INBOUND, direction: 'outbound' }, 'InboundMessage', 'only inbound'],
    ['an SMS', { ...INBOUND, messageType: 'SMS' }, 'InboundMessage', 'SMS'],
    ['another event', { type: 'ContactTagUpdate', contactId: 'c1' }, 'ContactTagUpdate', 'unknown GoHighLevel event type'],
    ['no sender address', { ...INBOUND, from: 'Maya Rivera' }, 'InboundMessage', 'no sender address'],
  ])('%s: ignored with the reason', (_name, body, eventType, reason) => {
    const parsed = read(body);
    expect(parsed).toMatchObject({ ok: false, eventType });
    expect(!parsed.ok && parsed.reason).toContain(reason);
    // Reasons name fields, never a person's value.
    expect(JSON.stringify(parsed)).not.toContain('northwind-agency');
  });

  it('the thread an answer would need: the thread id and the e-mail message answered', () => {
    expect(ghlThreadOf(INBOUND)).toEqual({
      contactId: 'ctc0Example0000000001',
      threadId: 'eml0Example0000000001',
      replyMessageId: 'eml0Example0000000009',
      conversationId: 'cnv0Example0000000001',
      subject: 'Re: Picking our conversation back up',
    });
  });

  it('auth: our token header or a bearer token; never a query parameter, and x-wh-signature (RSA) proves nothing', () => {
    const keys = { token: 'ghl-secret-0123456789', hmac: 'ghl-secret-0123456789' };
    const rawBody = JSON.stringify(INBOUND);
    expect(verifyWebhook({ headers: { [TOKEN_HEADER]: keys.token }, rawBody }, keys, GHL_WEBHOOK_AUTH, true)).toEqual({ ok: true, method: 'token' });
    expect(verifyWebhook({ headers: { authorization: `Bearer ${keys.token}` }, rawBody }, keys, GHL_WEBHOOK_AUTH, true)).toEqual({ ok: true, method: 'bearer' });
    expect(verifyWebhook({ headers: {}, query: new URLSearchParams({ token: keys.token }), rawBody }, keys, GHL_WEBHOOK_AUTH, true)).toMatchObject({ ok: false, status: 401 });
    expect(verifyWebhook({ headers: { 'x-wh-signature': 'c2ln' }, rawBody }, keys, GHL_WEBHOOK_AUTH, true)).toMatchObject({ ok: false, status: 401 });
    expect(verifyWebhook({ headers: { [TOKEN_HEADER]: 'wrong-secret-0000000000' }, rawBody }, keys, GHL_WEBHOOK_AUTH, true)).toMatchObject({ ok: false, status: 401, code: 'SIGNATURE_INVALID' });
  });
});
