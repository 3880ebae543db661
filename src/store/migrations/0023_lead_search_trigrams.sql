-- Trigram indexes for the /leads search (a name or company containing the words), so a search that
-- matches few people does not read every lead. pg_trgm ships with PostgreSQL (and the embedded
-- server) and is a trusted extension, but a role may still lack the right to create it: then the
-- search keeps working without the indexes, a notice says why, and nothing else changes. The
-- extension goes into `public` (not the app's schema, which a test or `caio simulate` may drop).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported OR invalid_schema_name OR unique_violation OR duplicate_object THEN
      RAISE NOTICE 'pg_trgm is not available (%): the /leads search reads every lead', SQLERRM;
    END;
  END IF;
END $$;--> statement-breakpoint
DO $$
DECLARE ops text;
BEGIN
  SELECT quote_ident(n.nspname) || '.gin_trgm_ops' INTO ops FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  IF ops IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS leads_name_trgm_idx ON leads USING gin ((lower(coalesce(first_name, %L) || %L || coalesce(last_name, %L))) %s)', '', ' ', '', ops);
    EXECUTE format('CREATE INDEX IF NOT EXISTS leads_company_trgm_idx ON leads USING gin ((lower(coalesce(company_name, %L))) %s)', '', ops);
    -- The planner needs the expressions' statistics to prefer the indexes for a rare word.
    ANALYZE leads;
  END IF;
END $$;
