CREATE TABLE "provider_breakers" (
	"provider" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"previous_state" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
