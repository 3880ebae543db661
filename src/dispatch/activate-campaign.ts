import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AuditStore } from '../pipeline/ports.js';
import { campaignPausedIncident } from './operator.js';
import type { CampaignStore, ControlStore, OutboundChannel, ProviderCampaign } from './ports.js';

export type ActivateCampaignDeps = {
  campaigns: Pick<CampaignStore, 'byExternalId' | 'setStatus'>;
  control: Pick<ControlStore, 'emergencyStop'>;
  /** EMERGENCY_STOP in the environment: it blocks an activation as the database flag does. */
  envEmergencyStop: boolean;
  /** The Instantly channel; without it (no INSTANTLY_API_KEY) an activation is refused. */
  instantly: Pick<OutboundChannel, 'activate'> | undefined;
  /** A campaign paused for its health is an incident until a person activates it again. */
  escalation: { resolve(key: string): Promise<unknown> };
  audit: AuditStore;
  clock: Clock;
};

/**
 * Start sending a draft (or paused) Instantly campaign we created: only a person does this, never
 * the OPERATOR, and never while the emergency stop is set. The provider is asked first, so a
 * refusal there leaves our record as it was; the pause incident is resolved and the activation
 * audited with who did it.
 */
export const activateCampaign = async (deps: ActivateCampaignDeps, externalId: string, by: string): Promise<ProviderCampaign> => {
  const who = by.trim();
  if (!who) throw new AppError('INVALID_INPUT', 'say who activates (--by NAME)');
  const id = externalId.trim();
  const campaign = await deps.campaigns.byExternalId('instantly', id);
  if (!campaign) throw new AppError('NOT_FOUND', `no Instantly campaign ${id} created by us (see: caio campaigns list)`);
  if (campaign.status === 'active') throw new AppError('CONFLICT', `campaign ${campaign.name} is already active`);
  const stop = await deps.control.emergencyStop();
  if (stop?.active || deps.envEmergencyStop) throw new AppError('EMERGENCY_STOP', 'refused: the emergency stop is set');
  if (!deps.instantly?.activate) throw new AppError('CONFLICT', 'Instantly is not configured (INSTANTLY_API_KEY)');
  await deps.instantly.activate(campaign.externalId);
  const at = deps.clock.now();
  await deps.campaigns.setStatus(campaign.id, 'active', { name: who, at });
  await deps.escalation.resolve(campaignPausedIncident('instantly', campaign.externalId));
  await deps.audit.append({
    at,
    actor: who,
    action: 'campaign.activated',
    entityType: 'campaign',
    entityId: campaign.id,
    runId: null,
    details: { provider: 'instantly', externalId: campaign.externalId, name: campaign.name },
  });
  return { ...campaign, status: 'active', activatedBy: who, activatedAt: at };
};
