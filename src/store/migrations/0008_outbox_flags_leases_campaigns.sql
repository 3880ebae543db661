CREATE TABLE "control_flags" (
	"name" text PRIMARY KEY NOT NULL,
	"active" boolean NOT NULL,
	"reason" text,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedup_key" text NOT NULL,
	"batch_id" uuid,
	"draft_id" uuid,
	"lead_id" uuid,
	"channel" text NOT NULL,
	"step" text NOT NULL,
	"recipient" text NOT NULL,
	"recipient_domain" text,
	"tier" text,
	"subject" text,
	"body" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sender" text,
	"status" text NOT NULL,
	"reason" text,
	"not_before" timestamp with time zone NOT NULL,
	"claim_token" text,
	"claimed_at" timestamp with time zone,
	"provider_ref" text,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"tier" text,
	"day" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_by" text,
	"activated_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedup_uq" ON "outbox" USING btree ("dedup_key");--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","not_before");--> statement-breakpoint
CREATE INDEX "outbox_sent_idx" ON "outbox" USING btree ("channel","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_campaigns_ext_uq" ON "provider_campaigns" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "provider_campaigns_day_idx" ON "provider_campaigns" USING btree ("provider","kind","tier","day");