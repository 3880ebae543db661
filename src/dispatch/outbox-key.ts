import { readScopeAction } from '../domain/approval/scope-action.js';
import type { ScopeItem } from '../domain/approval/batch.js';
import { isConnectionRequest } from '../domain/cadence/index.js';
import { normalizeLinkedinUrl } from '../domain/lead.js';
import { sha256Hex } from '../lib/hash.js';

/** The outbox step of an item: `s<n>` for a cadence step, `initial` for a first touch. */
export const outboxStepOf = (item: Pick<ScopeItem, 'action'>): string => {
  const action = readScopeAction(item.action);
  return action?.kind === 'cadence_step' ? `s${action.step}` : 'initial';
};

/** Whether the item sends a LinkedIn connection request: HeyReach's first touch, or a cadence connect step. */
const isConnectionRequestItem = (item: Pick<ScopeItem, 'channel' | 'action'>): boolean => {
  if (item.channel !== 'heyreach') return false;
  const action = readScopeAction(item.action);
  if (action?.kind === 'first_touch') return action.touch === 'linkedin_connect';
  return action?.kind === 'cadence_step' && isConnectionRequest({ channel: 'linkedin', action: action.action });
};

/** The key when it is made from the lead alone (every item but a connection request), without the recipient; else null. */
export const leadKeyOf = (item: Pick<ScopeItem, 'channel' | 'leadId' | 'action'>): string | null => (isConnectionRequestItem(item) ? null : `${item.channel}:${item.leadId}:${outboxStepOf(item)}`);

/**
 * The outbox's unique key of an item: `<channel>:<lead>:<step>`, except a LinkedIn connection
 * request, keyed by the PERSON (their normalised profile URL, hashed so the key holds no
 * address): the first touch's invitation and the cadence's connect step, and two leads with the
 * same LinkedIn URL, all share one key, so the outbox holds at most one request per person
 * whatever queues it (docs/linkedin.md).
 */
export const outboxKeyOf = (item: Pick<ScopeItem, 'channel' | 'leadId' | 'recipient' | 'action'>): string =>
  leadKeyOf(item) ?? `heyreach:connect:${sha256Hex(`linkedin:${normalizeLinkedinUrl(item.recipient) ?? item.recipient.trim().toLowerCase()}`).slice(0, 40)}`;
