import { TIER_1_ANGLES } from './tier-1.js';
import { TIER_2_ANGLES } from './tier-2.js';
import { TIER_3_ANGLES } from './tier-3.js';
import type { AngleId, AngleTemplate } from './types.js';

export { ANGLE_IDS, isAngleId, type AngleId, type AngleTemplate, type TemplateVariable } from './types.js';

export const ANGLES: Record<AngleId, AngleTemplate> = Object.fromEntries([...TIER_1_ANGLES, ...TIER_2_ANGLES, ...TIER_3_ANGLES].map((a) => [a.id, a])) as Record<AngleId, AngleTemplate>;
