import { sql } from 'drizzle-orm';
import { openBenchApp } from './bench-store.js';
import { apiDepsFor } from '../src/compose/api-deps.js';
import { openJobSet } from '../src/compose/job-set.js';
import { buildApp, serverLogging } from '../src/server/app.js';
import { leadSearchOf } from '../src/server/pages/leads-list-page.js';
import { SESSION_COOKIE } from '../src/server/pages/sessions.js';
import { createDashboardQueries } from '../src/store/dashboard-repo.js';
import { createLearningQuery } from '../src/store/learning-repo.js';
import { createSessionStore } from '../src/store/session-repo.js';

const LEADS = Number(process.env.BENCH_PAGES_LEADS ?? 100_000);
const EVENTS_PER_LEAD = 20;
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 60);
const TOKEN = 'bench-dashboard-pages-token-0123456789';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/**
 * Issue 21's performance line, "every dashboard page under 100 ms p95 server time at 100,000 leads": /leads (newest, a name search, filters with a
 * sort, a campaign filter), /leads/<id>, and every other page (review, decided today, operator, KPIs,
 * runs, agents, replies) at LEADS leads with a draft each, an outbox row per contacted lead and
 * LEADS/2 audit lines, p95 server time over RUNS requests
 * through the whole HTTP stack (fastify inject: the session, the page's queries, the stop banner,
 * the HTML), each against the same queries run directly in the same run (the baseline). The server
 * is `buildApp` with the API deps of `apiDepsFor` over the app and job set, as `caio serve` builds
 * them; inject, not a socket, so loopback TCP is not measured.
 */
export const benchDashboardPages = async () => {
  const bench = await openBenchApp({ jobs: { enabled: false } });
  const db = bench.app.database.db;
  try {
    const statuses = ['discovered', 'scored', 'pending_review', 'approved', 'sent', 'opened', 'replied', 'ghosted', 'bounced', 'revival_candidate'];
    const first = ['Maya', 'Noor', 'Omar', 'Ann', 'Li', 'Sam', 'Dani', 'Jo', 'Kim', 'Ravi'];
    await db.execute(sql`insert into leads (email, source, source_id, first_name, last_name, company_name, title, profile, status, tier, points, first_run_id, last_run_id, created_at)
      select 'p' || g || '@c' || (g % 5000) || '.example.com', (array['apollo','import','ghl'])[1 + g % 3], 'b' || g,
        (${sql.raw(`array['${first.join("','")}']`)})[1 + g % 10], 'Person' || g, 'Company ' || (g % 5000), 'CEO',
        jsonb_build_object('provenance', jsonb_build_object('email', 'apollo', 'title', 'apollo', 'company.domain', 'bettercontact')),
        (${sql.raw(`array['${statuses.join("','")}']`)})[1 + g % 10], 'tier_' || (1 + g % 4), g % 100, 'bench', 'bench', now() - (g || ' minutes')::interval
      from generate_series(1, ${LEADS}) g`);
    await db.execute(sql`insert into scores (lead_id, run_id, points, raw_points, multiplier, tier, needs_review, breakdown, reasons, recommended_campaign)
      select id, 'bench', points, points, '1.0', tier, false,
        '{"components":[{"code":"title","points":20,"max":20,"reason":"+20: CEO","fields":["title"]},{"code":"company_size","points":10,"max":25,"reason":"+10: 50 people","fields":["company.employeeCount"]}]}'::jsonb,
        '[]'::jsonb, 'campaign_' || (abs(hashtext(id::text)) % 6) from leads`);
    const leadId = ((await db.execute(sql`select id from leads order by created_at desc limit 1`)) as { rows: { id: string }[] }).rows[0]!.id;
    await db.execute(sql`insert into lead_events (lead_id, at, channel, type, source, details)
      select ${leadId}::uuid, now() - (g || ' hours')::interval, 'email', (array['email_sent','email_opened','email_clicked','email_replied'])[1 + g % 4], 'instantly', '{}'::jsonb from generate_series(1, ${EVENTS_PER_LEAD}) g`);
    await db.execute(sql`insert into kpi_daily (day, campaign, angle, type, leads) select current_date, 'campaign_' || g, 'none', 'email_sent', 1 from generate_series(0, 5) g on conflict do nothing`);
    // History behind the other pages: a draft per lead (a tenth waiting for review, the rest decided
    // over the last days), an outbox row per contacted lead, and audit lines for the agents page.
    await db.execute(sql`insert into drafts (lead_id, run_id, angle_id, angle_reason, subject_a, subject_b, body, fingerprint, status, decided_by, decided_at, created_at)
      select id, 'bench', 't1_executive_buyin', 'the title', 'Quick question, ' || first_name, 'An idea for ' || company_name, 'Hi ' || first_name || E',\n\nA short note.\n\nUnsubscribe: reply stop', md5(id::text),
        case when status = 'pending_review' then 'pending_review' when status in ('review_rejected') then 'rejected' else 'approved' end,
        case when status = 'pending_review' then null else 'Dani' end, case when status = 'pending_review' then null else now() - ((abs(hashtext(id::text)) % 72) || ' hours')::interval end, created_at
      from leads`);
    await db.execute(sql`insert into outbox (dedup_key, lead_id, channel, step, recipient, status, not_before, payload)
      select 'bench:' || id, id, 'instantly', 'initial', email, 'sent', now() - interval '1 day', '{}'::jsonb from leads where status in ('sent', 'opened', 'replied', 'ghosted', 'bounced')`);
    await db.execute(sql`insert into audit_log (at, actor, action, entity_type, entity_id, details)
      select now() - ((g % 1440) || ' minutes')::interval, (array['OPERATOR','CRAFTER','SCOUT','QUEEN'])[1 + g % 4], (array['outbox.sent','draft.created','lead.scored','ask.answered'])[1 + g % 4], 'lead', g::text, '{}'::jsonb
      from generate_series(1, ${LEADS / 2}) g`);
    // As autovacuum leaves a table in production: statistics and the visibility map, which the
    // index-only counts (statuses, waiting drafts, decisions of the day) need.
    for (const table of ['leads', 'scores', 'lead_events', 'kpi_daily', 'drafts', 'outbox', 'audit_log']) await db.execute(sql.raw(`vacuum analyze ${table}`));

    const queries = createDashboardQueries(db);
    const jobSet = await openJobSet(bench.app, { work: false });
    const logging = serverLogging(bench.app.log);
    const sessions = createSessionStore(db);
    const api = apiDepsFor(bench.app, jobSet.dispatch, jobSet.runPipelineNow, jobSet.watcher);
    const server = buildApp({
      routes: { post: {}, get: {} },
      maxBodyBytes: bench.app.config.server.maxBodyBytes,
      api: { token: TOKEN, deps: api, sessions },
      onRequestDone: logging.onRequestDone,
      onError: logging.onError,
    });
    const cookie = `${SESSION_COOKIE}=${(await sessions.create()).id}`;
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
      const page = (path: string) => () =>
        server.inject({ method: 'GET', url: path, headers: { cookie } }).then((r) => {
          if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        });
      // The list page's queries run directly: the search, the funnel's counts, the campaign choices.
      const listQueries = (query: Record<string, unknown>) => () => Promise.all([queries.leadsSearch(leadSearchOf(query)), queries.statusCounts(), queries.campaignNames()]);
      const list = async (path: string, query: Record<string, unknown>) => ({ pageP95Ms: await time(page(path)), baselineSqlP95Ms: await time(listQueries(query)) });
      return {
        name: `dashboard lead pages p95 over ${RUNS} requests, ${LEADS.toLocaleString('en')} leads (${bench.label}, API deps by apiDepsFor)`,
        leadsNewest: await list('/leads', {}),
        leadsNameSearch: await list('/leads?q=noor', { q: 'noor' }),
        // A search that matches nobody reads every lead (no trigram index): the worst case.
        leadsNameSearchNoMatch: await list('/leads?q=zzqx', { q: 'zzqx' }),
        leadsFilteredSorted: await list('/leads?tier=tier_2&status=opened&sort=points&dir=desc', { tier: 'tier_2', status: 'opened', sort: 'points', dir: 'desc' }),
        leadsCampaign: await list('/leads?campaign=campaign_3&sort=name&dir=asc', { campaign: 'campaign_3', sort: 'name', dir: 'asc' }),
        leadPage: { pageP95Ms: await time(page(`/leads/${leadId}`)), baselineSqlP95Ms: await time(() => queries.leadFile(leadId)) },
        // Every other page, against the use cases it calls run directly (the same ApiDeps).
        review: { pageP95Ms: await time(page('/sales')), baselineSqlP95Ms: await time(() => Promise.all([api.review.list({ limit: 50 }), api.queueWatcher.status(), api.review.decidedToday(1)])) },
        decidedToday: { pageP95Ms: await time(page('/sales/decided')), baselineSqlP95Ms: await time(() => api.review.decidedToday(200)) },
        operator: {
          pageP95Ms: await time(page('/operator')),
          baselineSqlP95Ms: await time(() => Promise.all([api.operatorStatus(), api.gatekeeper.list(50), api.batchSend.board(20), api.campaigns.list(), api.sendBoard.outbox(100), api.stopView.current()])),
        },
        kpis: {
          pageP95Ms: await time(page('/kpis')),
          baselineSqlP95Ms: await time(() => api.dashboard.kpis(new Date(Date.now() - 29 * 86_400_000), new Date(), bench.app.config.kpis.trailingDays)),
          // The funnel the page reuses for a minute (compose/learning.ts funnelFor), counted afresh each time.
          funnelCountedP95Ms: await time(() => createLearningQuery(db).funnel(new Date(Date.now() - 29 * 86_400_000))),
        },
        runs: { pageP95Ms: await time(page('/runs')), baselineSqlP95Ms: await time(() => api.runs.list(20)) },
        agents: { pageP95Ms: await time(page('/agents')), baselineSqlP95Ms: await time(() => api.agentsStatus()) },
        replies: { pageP95Ms: await time(page('/replies')), baselineSqlP95Ms: await time(() => api.replies.list({ limit: 100 })) },
      };
    } finally {
      await server.close();
      await jobSet.close();
    }
  } finally {
    await bench.close();
  }
};
