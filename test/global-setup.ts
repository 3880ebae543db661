import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openEmbeddedServer } from '../src/store/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The one PostgreSQL of this run: DATABASE_URL (CI), else an embedded server started here. */
    testDatabaseUrl: string;
    /** Every test file's schema starts with this, so the teardown drops exactly this run's. */
    testSchemaPrefix: string;
  }
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (CI), else the embedded server the app
 * itself uses, in a temporary folder with fsync off (a test database need not survive a power
 * cut). DATABASE_URL is exported so the multi-process tests gated on it run here too.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `t_${randomBytes(3).toString('hex')}_`;
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-test-pg-'));
    chmodSync(dir, 0o755); // as root the server runs as the user postgres, who must enter it
    const server = await openEmbeddedServer({ dir: path.join(dir, 'pg'), role: 'command', settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' } });
    url = server.url;
    process.env.DATABASE_URL = url;
    stop = async () => {
      await server.release();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  project.provide('testDatabaseUrl', url);
  project.provide('testSchemaPrefix', prefix);
  return async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where nspname like $1', [`${prefix}%`]);
      for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    } finally {
      await client.end();
    }
    await stop();
  };
}
