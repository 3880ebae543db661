import { asc } from 'drizzle-orm';
import type { ExclusionStore, RecipientExclusion } from '../dispatch/ports.js';
import type { Db } from './database.js';
import { recipientExclusions } from './schema.js';

/** Inserted in slices: PostgreSQL takes at most 65,535 parameters per statement (5 per row). */
const SLICE = 5000;

export const createExclusionStore = (db: Db): ExclusionStore => ({
  add: async (entries) => {
    let added = 0;
    for (let i = 0; i < entries.length; i += SLICE) {
      const rows = await db
        .insert(recipientExclusions)
        .values(entries.slice(i, i + SLICE).map((e) => ({ ...e })))
        .onConflictDoNothing()
        .returning({ value: recipientExclusions.value });
      added += rows.length;
    }
    return added;
  },
  list: async (): Promise<RecipientExclusion[]> => (await db.select().from(recipientExclusions).orderBy(asc(recipientExclusions.kind), asc(recipientExclusions.value))).map((r) => ({ ...r, kind: r.kind === 'email' ? 'email' : 'domain' })),
});
