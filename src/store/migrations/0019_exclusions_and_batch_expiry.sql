CREATE TABLE "recipient_exclusions" (
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"source" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recipient_exclusions_kind_value_pk" PRIMARY KEY("kind","value")
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "expiry_announced_at" timestamp with time zone;