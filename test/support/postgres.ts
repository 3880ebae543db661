import { randomBytes } from 'node:crypto';
import pg from 'pg';

const asAdmin = async (adminUrl: string, statement: string) => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
};

/**
 * A new, empty PostgreSQL database beside the one in `adminUrl`, for tests that run several real
 * processes (each migrates it on start): its URL, and `drop` to remove it with any open connection.
 */
export const freshPostgresDatabase = async (adminUrl: string, prefix: string) => {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await asAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};
