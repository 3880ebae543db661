CREATE TABLE "replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inbox_id" uuid NOT NULL,
	"lead_id" uuid,
	"channel" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"class" text NOT NULL,
	"kind" text,
	"confidence" double precision NOT NULL,
	"evidence" jsonb NOT NULL,
	"proposed_times" jsonb NOT NULL,
	"return_date" timestamp with time zone,
	"time_zone" text NOT NULL,
	"needs_response" boolean NOT NULL,
	"excerpt" text NOT NULL,
	"referred_lead_id" uuid,
	"paused_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reply_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reply_id" uuid NOT NULL,
	"lead_id" uuid,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"payload" jsonb NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"last_error" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_inbox_id_webhook_inbox_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "webhook_inbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replies" ADD CONSTRAINT "replies_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_actions" ADD CONSTRAINT "reply_actions_reply_id_replies_id_fk" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_actions" ADD CONSTRAINT "reply_actions_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "replies_inbox_uq" ON "replies" USING btree ("inbox_id");--> statement-breakpoint
CREATE INDEX "replies_class_idx" ON "replies" USING btree ("class","received_at");--> statement-breakpoint
CREATE INDEX "replies_lead_idx" ON "replies" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reply_actions_key_uq" ON "reply_actions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "reply_actions_due_idx" ON "reply_actions" USING btree ("status","not_before");--> statement-breakpoint
CREATE INDEX "reply_actions_reply_idx" ON "reply_actions" USING btree ("reply_id");