export { daysInactive, isRevivable, pipelineStageOf, revivalVerdict, type RevivalInput, type RevivalReason, type RevivalSettings, type RevivalVerdict } from './score.js';
