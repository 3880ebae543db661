import { and, desc, eq, like, lt, or, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { controlFlags, leases, providerCampaigns } from './schema.js';
import type { CampaignStore, ControlStore, ProviderCampaign } from '../dispatch/ports.js';

/** The name of the emergency stop's row in control_flags. */
export const EMERGENCY_STOP_FLAG = 'emergency_stop';
const EMERGENCY_STOP = EMERGENCY_STOP_FLAG;

export const createControlStore = (db: Db): ControlStore => ({
  emergencyStop: async () => {
    const [row] = await db.select().from(controlFlags).where(eq(controlFlags.name, EMERGENCY_STOP)).limit(1);
    return row ? { active: row.active, reason: row.reason, setBy: row.setBy, setAt: row.setAt } : null;
  },
  setEmergencyStop: async (stop) => {
    await db
      .insert(controlFlags)
      .values({ name: EMERGENCY_STOP, ...stop })
      .onConflictDoUpdate({ target: controlFlags.name, set: { active: stop.active, reason: stop.reason, setBy: stop.setBy, setAt: stop.setAt } });
  },
  // One statement: insert, or take over only an expired lease (or one we already hold).
  acquireLease: async (name, holder, until, now) =>
    (
      await db
        .insert(leases)
        .values({ name, holder, expiresAt: until })
        .onConflictDoUpdate({ target: leases.name, set: { holder, expiresAt: until }, setWhere: or(lt(leases.expiresAt, now), eq(leases.holder, holder)) })
        .returning({ holder: leases.holder })
    ).length === 1,
  renewLease: async (name, holder, until) =>
    (
      await db
        .update(leases)
        .set({ expiresAt: until })
        .where(and(eq(leases.name, name), eq(leases.holder, holder)))
        .returning({ name: leases.name })
    ).length === 1,
  releaseLease: async (name, holder) => {
    await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
  },
  pruneLeases: async (prefix, now) => {
    await db.delete(leases).where(and(like(leases.name, `${prefix.replace(/[%_\\]/g, '\\$&')}%`), lt(leases.expiresAt, now)));
  },
});

const toCampaign = (r: typeof providerCampaigns.$inferSelect): ProviderCampaign => ({ ...r, kind: r.kind as ProviderCampaign['kind'], status: r.status as ProviderCampaign['status'] });
const tierIs = (tier: string | null) => (tier === null ? sql`${providerCampaigns.tier} is null` : eq(providerCampaigns.tier, tier));

export const createCampaignStore = (db: Db): CampaignStore => ({
  latest: async (provider, kind, tier, day) => {
    const [row] = await db
      .select()
      .from(providerCampaigns)
      .where(and(eq(providerCampaigns.provider, provider), eq(providerCampaigns.kind, kind), tierIs(tier), eq(providerCampaigns.day, day)))
      .orderBy(desc(providerCampaigns.createdAt))
      .limit(1);
    return row ? toCampaign(row) : null;
  },
  countFor: async (provider, kind, tier, day) =>
    Number(
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(providerCampaigns)
          .where(and(eq(providerCampaigns.provider, provider), eq(providerCampaigns.kind, kind), tierIs(tier), eq(providerCampaigns.day, day)))
      )[0]?.n ?? 0,
    ),
  insert: async (c) => toCampaign((await db.insert(providerCampaigns).values(c).returning())[0]!),
  byExternalId: async (provider, externalId) => {
    const [row] = await db
      .select()
      .from(providerCampaigns)
      .where(and(eq(providerCampaigns.provider, provider), eq(providerCampaigns.externalId, externalId)))
      .limit(1);
    return row ? toCampaign(row) : null;
  },
  setStatus: async (id, status, by) => {
    await db
      .update(providerCampaigns)
      .set({ status, ...(by ? { activatedBy: by.name, activatedAt: by.at } : {}) })
      .where(eq(providerCampaigns.id, id));
  },
  list: async (provider) =>
    (
      await db
        .select()
        .from(providerCampaigns)
        .where(provider ? eq(providerCampaigns.provider, provider) : undefined)
        .orderBy(desc(providerCampaigns.createdAt))
    ).map(toCampaign),
});
