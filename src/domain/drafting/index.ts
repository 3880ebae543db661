export { ANGLES, ANGLE_IDS, isAngleId, type AngleId, type AngleTemplate } from './angles/index.js';
export { craftDraft, draftFingerprint, type CraftedDraft, type CraftSkip, type DraftStep } from './craft-draft.js';
export { CADENCE_ACTIONS, craftCadenceFollowup, isCadenceAction, SEQUENCE_FOLLOW_UPS, type CadenceAction, type CadenceFollowup } from './follow-ups.js';
export type { Grounding } from './grounding.js';
export { personalizationHooks, type Hook } from './personalization-hooks.js';
export { personalizationOpening } from './personalization-opening.js';
export { selectAngle, TIER_ANGLES } from './select-angle.js';
export { DEFAULT_SENDER_SETTINGS, type SenderSettings } from './settings.js';
export { enforceSignature } from './signature.js';
export { normalizeTitle } from './title.js';
export { craftRevivalDraft, REVIVAL_ANGLE_ID, revivalWhyOf, sinceWords, type RevivalContext, type RevivalDraft, type RevivalWhy } from './revival-draft.js';
export {
  cancellationReason,
  craftCancelAcknowledgement,
  craftReplyDraft,
  DRAFTED_CLASSES,
  isReplyAngle,
  pickSlotsToOffer,
  REPLY_ANGLE_PREFIX,
  REPLY_GROUNDING_CLAIM,
  replyAngleId,
  REVIEWER_PLACEHOLDER,
  SLOT_CLASSES,
  slotWords,
  type ReplyDraft,
  type ReplySkip,
  type ReplyToAnswer,
  type SlotOffer,
} from './reply-draft.js';
export { editRulesFor, replyDraftChannel, type EditRules } from './edit-rules.js';
