import type { Config } from '../config/load.js';
import { cadenceEmailPreview } from '../dispatch/cadence-preview.js';
import type { LeadProfile } from '../domain/lead.js';

/**
 * The cadence's e-mail steps for one lead as they would go out today (`caio leads show`), with the
 * settings the batch crafts them with (deps.ts `cadenceCopy`): the configured steps, the sender,
 * the quality guard.
 */
export const cadencePreviewFor = (config: Config, profile: LeadProfile) => cadenceEmailPreview(profile, config.cadence.steps, { sender: config.sender, quality: { ...config.quality, maxRejections: config.review.maxRejections } });
