ALTER TABLE "webhook_inbox" ADD COLUMN "raw_body" text;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "raw_base64" text;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "flags" text[];