import { and, desc, eq, like, lt, or, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { dailyTotalsSql, toDailyTotals } from './daily-totals-sql.js';
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
  // Returning: a lease given back that this holder no longer had (another process took it over) says so.
  releaseLease: async (name, holder) =>
    (
      await db
        .delete(leases)
        .where(and(eq(leases.name, name), eq(leases.holder, holder)))
        .returning({ name: leases.name })
    ).length === 1,
  /**
   * One statement: the stop flag as it is, the lease taken (as `acquireLease` takes it) only when the
   * flag is not set, the ramp's daily totals and the active campaigns (the health check's list). A
   * stopped run holds no lease, so it leaves nothing to give back.
   */
  startRun: async ({ lease, holder, until, now, sinceDay }) => {
    const result = (await db.execute(sql`
      with flag as (select active, reason, set_by, set_at from ${controlFlags} where name = ${EMERGENCY_STOP}),
      taken as (
        insert into ${leases} (name, holder, expires_at)
        select ${lease}, ${holder}, ${until} where not exists (select 1 from flag where active)
        on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
          where ${leases}.expires_at < ${now} or ${leases}.holder = excluded.holder
        returning holder),
      totals as (${dailyTotalsSql(sinceDay)})
      select (select json_build_object('active', f.active, 'reason', f.reason, 'setBy', f.set_by, 'setAt', f.set_at) from flag f) as stop,
        exists (select 1 from taken) as acquired,
        (select coalesce(json_agg(t), '[]'::json) from totals t) as days,
        (select coalesce(json_agg(json_build_object('id', c.id, 'provider', c.provider, 'externalId', c.external_id, 'name', c.name, 'kind', c.kind, 'status', c.status,
            'tier', c.tier, 'day', c.day, 'createdAt', c.created_at, 'activatedBy', c.activated_by, 'activatedAt', c.activated_at) order by c.created_at desc), '[]'::json)
          from ${providerCampaigns} c where c.status = 'active') as campaigns`)) as {
      rows: {
        stop: { active: boolean; reason: string | null; setBy: string; setAt: string } | null;
        acquired: boolean;
        days: { date: string; sent: number; errors: number; bounces: number }[];
        campaigns: (Omit<ProviderCampaign, 'createdAt' | 'activatedAt'> & { createdAt: string; activatedAt: string | null })[];
      }[];
    };
    const row = result.rows[0]!;
    return {
      stop: row.stop ? { ...row.stop, setAt: new Date(row.stop.setAt) } : null,
      acquired: row.acquired,
      days: toDailyTotals(row.days),
      activeCampaigns: row.campaigns.map((c) => ({ ...c, createdAt: new Date(c.createdAt), activatedAt: c.activatedAt ? new Date(c.activatedAt) : null })),
    };
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
