CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"motion" text NOT NULL,
	"status" text NOT NULL,
	"scope" jsonb NOT NULL,
	"preview_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"executed_at" timestamp with time zone,
	"execution_report" jsonb
);
--> statement-breakpoint
CREATE INDEX "batches_status_idx" ON "batches" USING btree ("status");