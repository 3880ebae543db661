export { cleanReply, htmlToText, MAX_CLEAN_CHARS, MAX_INPUT_CHARS } from './clean-reply.js';
export { findProposedTimes, findReturnDate, resolveDay, WINDOW_HOURS, type ProposedTime, type TimeContext, type TimePrecision } from './proposed-times.js';
export { OBJECTION_KINDS, REPLY_CLASSES, understandReply, type ObjectionKind, type ReplyClass, type ReplyUnderstanding, type UnderstandOptions } from './understand-reply.js';
export { instantOfLocal, localDateTimeAt, ZONE_WORDS, type LocalDate, type LocalDateTime } from './zoned-time.js';
export {
  isOpenReading,
  llmUnavailable,
  mergeLlmReading,
  resolveLlmTimes,
  LLM_ANSWER_CAP,
  LLM_MIN_CONFIDENCE,
  OPEN_CONFIDENCE,
  type LlmNote,
  type LlmProposedTime,
  type LlmReading,
  type LlmVerdict,
  type MergeContext,
} from './llm-reading.js';
