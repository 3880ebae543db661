-- A reply's suggested answer is found by its run id ('reply:<reply id>', the newest version): the
-- replies list looks it up per reply, which read every draft without this index.
CREATE INDEX IF NOT EXISTS "drafts_run_idx" ON "drafts" USING btree ("run_id","version");
