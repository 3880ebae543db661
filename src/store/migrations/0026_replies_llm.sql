-- The optional LLM reply classifier's note beside the rules' reading (docs/replies.md "The LLM
-- classifier"): what the model said and what was done with it (confirmed, added, disagrees, ...).
-- Null when no model read the reply (no ANTHROPIC_API_KEY, or stored before this column).
ALTER TABLE "replies" ADD COLUMN IF NOT EXISTS "llm" jsonb;
