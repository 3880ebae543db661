-- A delivery processed twice before this index (the crash finding) has two events of one type: the first stays.
DELETE FROM "lead_events" "dup" USING "lead_events" "first" WHERE "dup"."inbox_id" IS NOT NULL AND "dup"."inbox_id" = "first"."inbox_id" AND "dup"."type" = "first"."type" AND "dup"."id" > "first"."id";--> statement-breakpoint
CREATE UNIQUE INDEX "lead_events_inbox_type_uq" ON "lead_events" USING btree ("inbox_id","type") WHERE "lead_events"."inbox_id" is not null;
