-- The send history by time (dispatch's daily totals and quota window, /operator's figures) on an
-- index of the expression those reads use: with 100,000 outbox rows the daily totals took about
-- 65 ms per drain without it.
CREATE INDEX IF NOT EXISTS "outbox_sent_or_claimed_at_idx" ON "outbox" USING btree ((coalesce("sent_at", "claimed_at"))) WHERE "outbox"."status" IN ('sent', 'sending', 'uncertain', 'failed');
