import { isConnectionRequest } from '../domain/cadence/linkedin.js';
import type { ConfigProblem } from './config-error.js';
import type { FileConfig } from './schema.js';

/**
 * `heyreach.campaigns.<step>` must name a LinkedIn message step of `cadence.steps`: a key for an
 * e-mail step, a connect step (connection requests go into lead lists) or a step the cadence does
 * not have would never be used, and the campaign a person meant for a step would stay empty.
 * Whether HeyReach has the campaign is checked at first use (the channel; docs/linkedin.md).
 */
export const heyreachCampaignProblems = (config: Pick<FileConfig, 'heyreach' | 'cadence'>): ConfigProblem[] =>
  Object.keys(config.heyreach.campaigns).flatMap((key) => {
    const step = config.cadence.steps.find((s) => String(s.step) === key);
    if (!step) return [{ key: `heyreach.campaigns.${key}`, message: `cadence.steps has no step ${key} (steps: ${config.cadence.steps.map((s) => s.step).join(', ')})` }];
    if (step.channel !== 'linkedin') return [{ key: `heyreach.campaigns.${key}`, message: `step ${key} is an e-mail step; only LinkedIn message steps go into a HeyReach campaign` }];
    if (isConnectionRequest(step)) return [{ key: `heyreach.campaigns.${key}`, message: `step ${key} is the connection request (it goes into a lead list); only LinkedIn message steps go into a HeyReach campaign` }];
    return [];
  });
