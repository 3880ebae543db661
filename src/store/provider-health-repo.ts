import { asc } from 'drizzle-orm';
import type { Db } from './database.js';
import { providerBreakers } from './schema.js';
import type { ProviderHealthStore } from '../pipeline/ports.js';

export const createProviderHealthStore = (db: Db): ProviderHealthStore => ({
  recordBreaker: async (provider, from, to, at) => {
    await db
      .insert(providerBreakers)
      .values({ provider, state: to, previousState: from, changedAt: at })
      .onConflictDoUpdate({ target: providerBreakers.provider, set: { state: to, previousState: from, changedAt: at } });
  },
  breakers: async () => (await db.select().from(providerBreakers).orderBy(asc(providerBreakers.provider))).map((r) => ({ provider: r.provider, state: r.state, changedAt: r.changedAt })),
});
