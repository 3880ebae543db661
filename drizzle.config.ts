import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './src/store/migrations',
});

// After `npm run db:generate`, remove the `"public".` qualifiers drizzle-kit writes into foreign
// keys: migrations must follow search_path so tests can run each in its own schema
// (test/integration/store/migrations.test.ts checks this).
