import { eq } from 'drizzle-orm';
import { suppressionHash } from '../lib/hash.js';
import type { Db } from './database.js';
import { suppressions } from './schema.js';
import type { SuppressionStore } from '../pipeline/ports.js';

export const createSuppressionStore = (db: Db): SuppressionStore => ({
  isSuppressed: async (identity) =>
    (
      await db
        .select({ hash: suppressions.hash })
        .from(suppressions)
        .where(eq(suppressions.hash, suppressionHash(identity)))
        .limit(1)
    ).length > 0,
  add: async (identity, reason) => {
    await db
      .insert(suppressions)
      .values({ hash: suppressionHash(identity), reason })
      .onConflictDoNothing();
  },
  matcher: async () => {
    const hashes = new Set((await db.select({ hash: suppressions.hash }).from(suppressions)).map((r) => r.hash));
    return (identity: string) => hashes.size > 0 && hashes.has(suppressionHash(identity));
  },
});
