-- The dashboard at 100,000 leads (issue 21's performance line; docs/benchmarks.md).
ALTER TABLE "leads" ADD COLUMN "recommended_campaign" text;--> statement-breakpoint
UPDATE "leads" AS l SET "recommended_campaign" = s."recommended_campaign"
  FROM (SELECT DISTINCT ON ("lead_id") "lead_id", "recommended_campaign" FROM "scores" ORDER BY "lead_id", "created_at" DESC) AS s
  WHERE s."lead_id" = l."id";--> statement-breakpoint
CREATE INDEX "leads_live_status_idx" ON "leads" USING btree ("status") WHERE "leads"."duplicate_of" is null;--> statement-breakpoint
CREATE INDEX "leads_points_idx" ON "leads" USING btree ("points","id");--> statement-breakpoint
CREATE INDEX "leads_campaign_idx" ON "leads" USING btree ("recommended_campaign");--> statement-breakpoint
CREATE INDEX "drafts_pending_lead_idx" ON "drafts" USING btree ("lead_id","created_at") WHERE "drafts"."status" = 'pending_review';--> statement-breakpoint
CREATE INDEX "drafts_decided_idx" ON "drafts" USING btree ("decided_at","status") WHERE "drafts"."decided_at" is not null;--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "outbox_updated_idx" ON "outbox" USING btree ("updated_at","id");
