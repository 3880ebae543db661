CREATE TABLE "rejections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"draft_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"reason" text NOT NULL,
	"fingerprint" text NOT NULL,
	"angle_id" text NOT NULL,
	"subject" text NOT NULL,
	"rejected_by" text NOT NULL,
	"rejected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "edited_subject" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "edited_body" text;--> statement-breakpoint
ALTER TABLE "rejections" ADD CONSTRAINT "rejections_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rejections" ADD CONSTRAINT "rejections_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rejections_lead_idx" ON "rejections" USING btree ("lead_id","rejected_at");