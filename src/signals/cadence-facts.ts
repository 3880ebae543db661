import type { LeadFacts } from '../domain/cadence/index.js';
import type { CadenceLeadRecord } from './ports.js';

/** How many of a lead's latest timeline events its cadence facts are read from. */
export const CADENCE_FACTS_EVENTS = 500;

/** The engine's facts about a lead, from its record (undefined: the lead is gone, so nothing is known of it). */
export const leadFactsOf = (lead: CadenceLeadRecord | undefined): LeadFacts => {
  const types = lead?.eventTypes ?? new Set<string>();
  return {
    hasLinkedinUrl: Boolean(lead?.linkedinUrl),
    replied: types.has('email_replied'),
    connected: types.has('linkedin_connection_accepted'),
    bounced: lead?.status === 'bounced',
    unsubscribed: lead?.status === 'unsubscribed',
    meetingBooked: types.has('meeting_booked'),
    linkedinReplied: types.has('linkedin_replied'),
    rejected: lead?.status === 'rejected',
    // Ours (the touch recorder) or HeyReach's own (CONNECTION_REQUEST_SENT): a person is invited once.
    connectionRequested: types.has('linkedin_connection_sent'),
    linkedinExhausted: types.has('linkedin_campaign_completed') || lead?.status === 'linkedin_exhausted',
  };
};
