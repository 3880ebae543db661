export {
  applySignal,
  applySignals,
  DEFAULT_ENGAGED_AFTER_OPENS,
  DEFAULT_STATUS_RULES,
  isLeadStatus,
  isSignalType,
  isTerminal,
  LEAD_STATUS_GROUPS,
  LEAD_STATUS_TRANSITIONS,
  LEAD_STATUSES,
  SIGNAL_TYPES,
  STATUS_RANK,
  statusGroupOf,
  statusRank,
  suppresses,
  type LeadStatus,
  type LeadStatusGroup,
  type LeadStatusState,
  type SignalEvent,
  type SignalType,
  type StatusChange,
  type StatusRules,
  type TransitionRule,
} from './lead-status.js';
export { classifyReply, MAX_READ_CHARS, REPLY_PHRASES, REPLY_PRIORITY, stripQuotedHistory, type ReplyCategory, type ReplyClassification } from './reply-classifier.js';
export { DECAY_SIGNAL, DEFAULT_DECAY_THRESHOLDS, detectDecay, detectDecayForAll, type Decay, type DecayFinding, type DecayInput, type DecayKind, type DecayReport, type DecayThresholds } from './decay.js';
export { eventTime } from './event-time.js';
