export { composeAnswer } from './answer.js';
export { extractEntities, type Entities, type Segment, type TimeRange } from './entities.js';
export { MAX_REQUEST_CHARS, normaliseRequest, understand, type IntentName, type Understanding, type Unsupported } from './grammar.js';
export { redactText } from './redact.js';
export { findRefusals, hasConflictingSendConstraints, type Refusal, type RefusalRuleId } from './refusals.js';
export * from './results.js';
export { AUTHORIZE_STEP, isQueenTool, QUEEN_TOOL_NAMES, QUEEN_TOOLS, REFUSALS_STEP, TRACE_STEP, UNDERSTAND_STEP, type QueenToolName, type ToolArgs, type ToolCall } from './tools.js';
export * from './replay.js';
export { learningRowOf } from './learning-row.js';
