CREATE TABLE "incidents" (
	"key" text PRIMARY KEY NOT NULL,
	"level" integer NOT NULL,
	"notified_level" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_notified_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_daily" (
	"day" date NOT NULL,
	"campaign" text NOT NULL,
	"angle" text NOT NULL,
	"type" text NOT NULL,
	"leads" integer NOT NULL,
	CONSTRAINT "kpi_daily_day_campaign_angle_type_pk" PRIMARY KEY("day","campaign","angle","type")
);
--> statement-breakpoint
CREATE TABLE "lead_milestones" (
	"lead_id" uuid NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"campaign" text NOT NULL,
	"angle" text NOT NULL,
	CONSTRAINT "lead_milestones_lead_id_type_pk" PRIMARY KEY("lead_id","type")
);
--> statement-breakpoint
ALTER TABLE "lead_milestones" ADD CONSTRAINT "lead_milestones_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("resolved_at");--> statement-breakpoint
-- Backfill the KPI rollup from the timeline recorded before it existed (kpi-repo.ts, rebuild()).
INSERT INTO "lead_milestones" ("lead_id", "type", "at", "campaign", "angle")
SELECT f.lead_id, f.type, f.at,
  coalesce((SELECT recommended_campaign FROM scores WHERE lead_id = f.lead_id ORDER BY created_at DESC LIMIT 1), 'none'),
  coalesce((SELECT angle_id FROM drafts WHERE lead_id = f.lead_id AND status IN ('approved', 'sent') ORDER BY created_at DESC LIMIT 1), 'none')
FROM (SELECT lead_id, type, min(at) AS at FROM lead_events
  WHERE type IN ('email_sent', 'email_opened', 'email_clicked', 'email_replied', 'email_bounced', 'unsubscribed', 'linkedin_connection_sent', 'linkedin_connection_accepted', 'linkedin_replied')
  GROUP BY lead_id, type) f;--> statement-breakpoint
INSERT INTO "kpi_daily" ("day", "campaign", "angle", "type", "leads")
SELECT (at AT TIME ZONE 'UTC')::date, campaign, angle, type, count(*)::int FROM lead_milestones GROUP BY 1, 2, 3, 4;
