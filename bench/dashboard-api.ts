import { openBenchApp } from './bench-store.js';
import { sql } from 'drizzle-orm';
import { apiDepsFor } from '../src/compose/api-deps.js';
import { openJobSet } from '../src/compose/job-set.js';
import { buildApp, serverLogging } from '../src/server/app.js';
import { createDashboardQueries } from '../src/store/dashboard-repo.js';
import { createKpiStore } from '../src/store/kpi-repo.js';
import { createSessionStore } from '../src/store/session-repo.js';

const LEADS = Number(process.env.BENCH_API_LEADS ?? 100_000);
const EVENTS = Number(process.env.BENCH_API_EVENTS ?? 1_000_000);
const RUNS = 60;
const TOKEN = 'bench-dashboard-token-0123456789';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/**
 * The dashboard's heaviest reads with LEADS leads and EVENTS timeline events in PostgreSQL (the embedded
 * without DATABASE_URL, said in the output): p95 over RUNS requests of a filtered leads page, the
 * funnel and the KPIs through the whole HTTP stack (fastify inject: auth, parsing, JSON), each
 * against its own SQL run directly in the same run (the baseline: the dashboard queries, built by
 * hand on the same database because they are what the API is measured against). The API's deps
 * are the server's (`apiDepsFor` over the app and the job set `openJobSet` opens, as `caio serve`
 * builds them and the API tests take them); the HTTP app is the server's `buildApp` with the API
 * mounted as `openServer` mounts it. `openServer` itself only listens on a port: a client in this
 * process would measure loopback TCP and itself with every request.
 */
export const benchDashboardApi = async () => {
  // Scheduled jobs off: a job running in the middle would be measured with the requests.
  const bench = await openBenchApp({ jobs: { enabled: false } });
  const db = bench.app.database.db;
  try {
    const statuses = ['discovered', 'scored', 'pending_review', 'approved', 'sent', 'opened', 'replied', 'ghosted', 'bounced', 'unsubscribed'];
    await db.execute(sql`insert into leads (email, source, source_id, profile, status, tier, points, first_run_id, last_run_id, created_at)
      select 'p' || g || '@c' || (g % 5000) || '.example.com', 'bench', 'b' || g, '{}'::jsonb, (${sql.raw(`array['${statuses.join("','")}']`)})[1 + g % 10], 'tier_' || (1 + g % 4), g % 100, 'bench', 'bench', now() - (g || ' minutes')::interval
      from generate_series(1, ${LEADS}) g`);
    const types = ['email_sent', 'email_opened', 'email_replied', 'email_bounced', 'linkedin_connection_sent', 'linkedin_connection_accepted'];
    await db.execute(sql`insert into lead_events (lead_id, at, channel, type, source)
      select l.id, now() - ((g % 90) || ' days')::interval - ((g % 1440) || ' minutes')::interval, 'email', (${sql.raw(`array['${types.join("','")}']`)})[1 + g % 6], 'bench'
      from generate_series(1, ${EVENTS}) g join (select id, row_number() over (order by id) as rn from leads) l on l.rn = 1 + g % ${LEADS}`);
    // The bulk load bypasses the event store, so the KPI rollup is rebuilt once, as `caio kpis rebuild` does.
    const rebuildStart = performance.now();
    await createKpiStore(db).rebuild();
    const rollupRebuildMs = Math.round(performance.now() - rebuildStart);
    // Bench leads have no scores or drafts: spread them over 6 campaigns and 10 angles, as a real account has.
    await db.execute(sql`update lead_milestones set campaign = 'campaign_' || (abs(hashtext(lead_id::text)) % 6), angle = 'angle_' || (abs(hashtext(lead_id::text) / 7) % 10)`);
    await db.execute(sql`delete from kpi_daily`);
    await db.execute(sql`insert into kpi_daily (day, campaign, angle, type, leads) select (at at time zone 'UTC')::date, campaign, angle, type, count(*)::int from lead_milestones group by 1, 2, 3, 4`);
    await db.execute(sql`analyze`);
    const queries = createDashboardQueries(db);
    const statusCounts = () => queries.statusCounts();
    const jobSet = await openJobSet(bench.app, { work: false });
    const logging = serverLogging(bench.app.log);
    const deps = apiDepsFor(bench.app, jobSet.dispatch, jobSet.runPipelineNow, jobSet.watcher);
    const server = buildApp({
      routes: { post: {}, get: {} },
      maxBodyBytes: bench.app.config.server.maxBodyBytes,
      api: { token: TOKEN, deps, sessions: createSessionStore(db) },
      onRequestDone: logging.onRequestDone,
      onError: logging.onError,
    });
    try {
      const time = async (fn: () => Promise<unknown>) => {
        await fn();
        const xs: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const t = performance.now();
          await fn();
          xs.push(performance.now() - t);
        }
        return +p95(xs).toFixed(1);
      };
      const http = (path: string) => () =>
        server.inject({ method: 'GET', url: path, headers: { 'x-dashboard-token': TOKEN } }).then((r) => {
          if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        });
      const since = new Date(Date.now() - 30 * 86_400_000);
      return {
        name: `dashboard API p95 over ${RUNS} requests, ${LEADS.toLocaleString('en')} leads and ${EVENTS.toLocaleString('en')} events (${bench.label}, API deps by apiDepsFor)`,
        leadsPage: { apiP95Ms: await time(http('/api/leads?status=opened&tier=tier_2&limit=50')), baselineSqlP95Ms: await time(() => queries.leadsPage({ status: 'opened', tier: 'tier_2', limit: 50 })) },
        funnel: { apiP95Ms: await time(http('/api/leads/funnel')), baselineSqlP95Ms: await time(statusCounts) },
        kpis: {
          apiP95Ms: await time(http('/api/kpis?days=30')),
          baselineSqlP95Ms: await time(() => queries.kpis(since, new Date())),
          // What the KPIs cost before the rollup: distinct leads per type counted over the raw events.
          rawEventCountP95Ms: await time(() => db.execute(sql`select type, count(distinct lead_id) from lead_events where at >= ${since} group by type`)),
          rollupRebuildMs,
        },
      };
    } finally {
      await server.close();
      await jobSet.close();
    }
  } finally {
    await bench.close();
  }
};
