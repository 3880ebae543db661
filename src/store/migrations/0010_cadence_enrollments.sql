CREATE TABLE "cadence_enrollments" (
	"lead_id" uuid PRIMARY KEY NOT NULL,
	"cadence_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"completed_steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"exit_reason" text,
	"last_step_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"next_due_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cadence_enrollments" ADD CONSTRAINT "cadence_enrollments_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cadence_due_idx" ON "cadence_enrollments" USING btree ("status","next_due_at");