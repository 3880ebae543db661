CREATE TABLE "clay_callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" text,
	"linkedin_hash" text,
	"result" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clay_requests" (
	"request_id" text PRIMARY KEY NOT NULL,
	"lead_id" uuid,
	"linkedin_hash" text NOT NULL,
	"run_id" text,
	"webhook_ref" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enrichments" ADD COLUMN "quality" integer;--> statement-breakpoint
ALTER TABLE "enrichments" ADD COLUMN "credits" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "clay_requests" ADD CONSTRAINT "clay_requests_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clay_callbacks_request_idx" ON "clay_callbacks" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "clay_callbacks_linkedin_idx" ON "clay_callbacks" USING btree ("linkedin_hash");--> statement-breakpoint
CREATE INDEX "clay_requests_linkedin_idx" ON "clay_requests" USING btree ("linkedin_hash");--> statement-breakpoint
CREATE INDEX "clay_requests_webhook_idx" ON "clay_requests" USING btree ("webhook_ref");