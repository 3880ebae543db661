import { AppError } from '../../lib/app-error.js';
import type { OutboundChannel } from '../../dispatch/ports.js';
import type { GhlClient } from './client.js';

/**
 * GoHighLevel as an outbound e-mail channel (nurture, revival, single-draft approval sends): find
 * or create the contact, then send through Conversations. GHL sends at once, so the gateway checks
 * business hours for this channel. GHL cannot tell us afterwards whether a message went out, so an
 * uncertain send is handed to a person, never resent.
 */
export const createGhlChannel = (deps: { client: GhlClient }): OutboundChannel => ({
  name: 'ghl',
  deliver: async (item) => {
    const email = item.recipient;
    const existing = await deps.client.findContactByEmail(email);
    const contactId =
      existing?.id ??
      (
        await deps.client.createContact({
          email,
          ...(item.payload.firstName ? { firstName: item.payload.firstName } : {}),
          ...(item.payload.lastName ? { lastName: item.payload.lastName } : {}),
          ...(item.payload.companyName ? { companyName: item.payload.companyName } : {}),
          source: 'caio-alpha-swarm',
        })
      ).contactId;
    if (!item.subject || !item.body) throw new AppError('PROVIDER_BAD_REQUEST', 'a GHL e-mail needs a subject and a body', { details: { provider: 'ghl', reason: 'empty_message' } });
    const sent = await deps.client.sendEmail({ contactId, subject: item.subject, html: item.body, ...(item.sender ? { emailFrom: item.sender } : {}) });
    return { providerRef: `ghl:message:${sent.messageId ?? sent.emailMessageId ?? 'unknown'}` };
  },
  lookup: async () => ({ found: 'unknown' }),
});
