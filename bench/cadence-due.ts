import { openBenchApp } from './bench-store.js';
import { sql } from 'drizzle-orm';
import { createCadenceStore } from '../src/store/cadence-repo.js';

const ENROLLED = Number(process.env.BENCH_CADENCE_LEADS ?? 100_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The due-cadence query over ENROLLED active enrolments (the embedded PostgreSQL, as `npm start` runs, or DATABASE_URL):
 * the indexed `(status, next_due_at)` range scan that returns the 1,000 earliest due, against a
 * baseline that reads the same table without the index (a count over every row). The database is
 * the app's (`openApp`); the cadence store is built on it by hand because the query alone is what
 * is measured: the root builds it only inside the cadence sync, whose `due` also reads each lead's
 * facts.
 */
export const benchCadenceDue = async () => {
  const bench = await openBenchApp();
  try {
    const db = bench.app.database.db;
    // Leads first (enrolments reference them); spread enrolment days over 60 days, 1 % due now.
    await db.execute(sql`insert into leads (source, source_id, profile, status, first_run_id, last_run_id) select 'bench', 'b' || g, '{}'::jsonb, 'sent', 'bench', 'bench' from generate_series(1, ${ENROLLED}) g`);
    await db.execute(sql`insert into cadence_enrollments (lead_id, cadence_id, enrolled_at, status, next_due_at)
      select id, 'default_21day', now() - interval '1 day', case when random() < 0.1 then 'exited' else 'active' end,
             now() + ((row_number() over ()) % 6000 - 60) * interval '1 hour' from leads`);
    await db.execute(sql`analyze cadence_enrollments`);
    const store = createCadenceStore(db);
    const now = new Date();
    const due: number[] = [];
    const scan: number[] = [];
    let found = 0;
    for (let i = 0; i < 15; i++) {
      let t = performance.now();
      found = (await store.due(now, 1000)).length;
      due.push(performance.now() - t);
      t = performance.now();
      await db.execute(sql`select count(*) from cadence_enrollments where coalesce(exit_reason, '') = ''`);
      scan.push(performance.now() - t);
    }
    return {
      name: `due-cadence query over ${ENROLLED.toLocaleString('en')} enrolments (${bench.label})`,
      dueQueryMedianMs: +median(due).toFixed(2),
      dueRowsReturned: found,
      baselineFullScanMedianMs: +median(scan).toFixed(2),
      ratio: `${(median(due) / median(scan)).toFixed(3)}x`,
    };
  } finally {
    await bench.close();
  }
};
