CREATE TABLE "run_chunks" (
	"run_id" text NOT NULL,
	"chunk" integer NOT NULL,
	"lead_count" integer NOT NULL,
	"result" jsonb,
	"done_at" timestamp with time zone,
	CONSTRAINT "run_chunks_run_id_chunk_pk" PRIMARY KEY("run_id","chunk")
);
--> statement-breakpoint
ALTER TABLE "run_chunks" ADD CONSTRAINT "run_chunks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE cascade ON UPDATE no action;