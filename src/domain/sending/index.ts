export {
  applyDomainConcentration,
  checkAddressFormat,
  checkRecipient,
  EMAIL_FORMAT,
  emailDomainOf,
  isExcludedDomain,
  isExcludedEmail,
  matchExcludedDomain,
  normaliseDomain,
  normaliseEmail,
  type ConcentrationOutcome,
  type RecipientPolicy,
  type RecipientRejection,
  type RecipientRejectionCode,
  type SuppressionReason,
} from './recipient-guards.js';
export { checkSendQuota, linkedinDailyLimit, quotaUsage, type LinkedinWarmup, type PlannedSend, type QuotaCode, type QuotaDecision, type QuotaLimits, type QuotaUsage, type SendChannel, type SendRecord } from './quotas.js';
export { CLEAN_DAY_MAX_BOUNCE_RATE, CLEAN_DAY_MAX_COMPLAINT_RATE, effectiveEmailDailyLimit, isCleanDay, rampStatus, type RampReason, type RampSettings, type RampStatus, type SendDay } from './ramp.js';
export {
  crossChannelCapHit,
  DEFAULT_BUSINESS_HOURS,
  isValidTimeZone,
  isWithinBusinessHours,
  nextBusinessStart,
  nextSendAt,
  parseUtcDate,
  resolveTimeZone,
  startOfNextUtcDay,
  startOfNextUtcHour,
  startOfNextUtcMonth,
  startOfUtcDay,
  startOfUtcHour,
  startOfUtcMonth,
  utcDateKey,
  utcDaysBetween,
  type BusinessHours,
  type LeadTouch,
  type SendGap,
} from './timing.js';
export { DEFAULT_HEALTH_THRESHOLDS, shouldAutoPause, type HealthThresholds, type PauseDecision, type PauseReason, type SendHealth } from './health.js';
export { channelKindOf, decideItem, emergencyStopReason, rampTierRefusal, senderFor, suppressionOf, type GuardSettings, type ItemFacts, type ItemVerdict, type OutboundProvider, type ProviderSendRecord } from './dispatch-guard.js';
export { createSendLedger, ledgerOf, type LedgerRecord, type SendHistory, type SendLedger } from './send-ledger.js';
export { ghlSendWindows, type ProviderSend } from './ghl-send-windows.js';
