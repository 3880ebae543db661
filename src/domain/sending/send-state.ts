/**
 * What one outbox item's state means to a person, in words (issue 21): an e-mail handed to an
 * Instantly campaign still in draft is not being sent, so it never shows as "sent". Pure: the
 * caller passes the item's stored facts, the campaign's status when the item went to one, and now.
 */

export type SendStateKind = 'queued' | 'deferred' | 'sending' | 'handed_draft' | 'handed_paused' | 'sent' | 'refused' | 'failed' | 'uncertain' | 'cancelled';

export type SendStateFacts = {
  status: string;
  reason: string | null;
  notBefore: Date;
  channel: string;
  /** The status of the provider campaign the item was handed to (Instantly), when known. */
  campaignStatus: string | null;
};

export type SendState = { kind: SendStateKind; label: string; until?: Date };

const PROVIDER: Record<string, string> = { instantly: 'Instantly', heyreach: 'HeyReach', ghl: 'GoHighLevel' };

/** The guard a refusal names: the part of the stored reason before its first ':' (`ramp_tier_filter:tier_1` -> `ramp_tier_filter`). */
export const guardOf = (reason: string | null): string => (reason ?? 'unknown').split(':')[0]!.trim() || 'unknown';

export const sendStateOf = (facts: SendStateFacts, now: Date): SendState => {
  const provider = PROVIDER[facts.channel] ?? facts.channel;
  switch (facts.status) {
    case 'queued':
      return facts.notBefore.getTime() > now.getTime() ? { kind: 'deferred', label: `deferred until ${facts.notBefore.toISOString()} (${facts.reason ?? 'waiting'})`, until: facts.notBefore } : { kind: 'queued', label: 'queued' };
    case 'sending':
      return { kind: 'sending', label: `being handed to ${provider}` };
    case 'sent':
      if (facts.channel === 'instantly') {
        if (facts.campaignStatus === 'draft') return { kind: 'handed_draft', label: 'handed to Instantly (draft campaign, not sending yet)' };
        if (facts.campaignStatus === 'paused') return { kind: 'handed_paused', label: 'handed to Instantly (campaign paused, not sending)' };
        if (facts.campaignStatus === 'active') return { kind: 'sending', label: 'sending (Instantly campaign active, it sends on its schedule)' };
      }
      return { kind: 'sent', label: 'sent' };
    case 'rejected':
      return { kind: 'refused', label: `refused by ${guardOf(facts.reason)}` };
    case 'failed':
      return { kind: 'failed', label: `failed: ${facts.reason ?? 'no reason recorded'}` };
    case 'uncertain':
      return { kind: 'uncertain', label: `uncertain, needs a person: ${facts.reason ?? 'no answer from the provider'}` };
    default:
      return { kind: 'cancelled', label: `cancelled${facts.reason ? `: ${facts.reason}` : ''}` };
  }
};
