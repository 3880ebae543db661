import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import { statementsDuring } from '../../support/statements.js';

/**
 * Issue 20: the OPERATOR tick's fixed round trips. A live run starts with one statement (the stop,
 * the lease taken only when the stop is not set, the ramp's days, the active campaigns), gives its
 * lease back with one (which says whether it still held it), and its drain's first read is one.
 */

const leases = async (h: Harness) => ((await h.db.execute(sql`select name, holder from leases order by name`)) as { rows: { name: string; holder: string }[] }).rows;

describe('the OPERATOR tick: fixed round trips (issue 20)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase('postgres');
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  it('a quiet live tick costs four statements: the start, the due list, the drain read, the release', async () => {
    // Nothing due, no campaign live: before, nine (ramp, stop, lease, campaigns, due list, unresolved, due, renew, release).
    const n = (await statementsDuring(() => h.operator.dispatch({ motion: 'cadence', live: true, by: 'scheduler' }))).statements;
    expect(n).toBe(4);
    expect(await leases(h)).toEqual([]);
  });

  it('a run refused for the emergency stop takes no lease; once resumed, the run takes it and gives it back', async () => {
    await h.operator.stop('Sam', 'checking a complaint');
    await expect(h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' })).rejects.toMatchObject({ code: 'EMERGENCY_STOP' });
    expect(await leases(h)).toEqual([]);
    await h.operator.resume('Sam');
    await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const report = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(report.drain.counts.sent).toBe(1);
    expect(await leases(h)).toEqual([]);
  });

  it('the start takes only a free or expired lease, and refuses one another holder has', async () => {
    const now = h.clock.now();
    const later = new Date(now.getTime() + 60_000);
    const start = (holder: string, at: Date) => h.control.startRun({ lease: 'dispatch:outbound', holder, until: new Date(at.getTime() + 60_000), now: at, sinceDay: '2026-11-01' });
    const first = await start('one', now);
    expect(first).toMatchObject({ stop: null, acquired: true, days: [], activeCampaigns: [] });
    expect((await start('two', now)).acquired).toBe(false);
    // Expired: another process takes it over; the first one's release then says it had lost it.
    expect((await start('two', new Date(later.getTime() + 1))).acquired).toBe(true);
    expect(await h.control.releaseLease('dispatch:outbound', 'one')).toBe(false);
    expect(await leases(h)).toEqual([{ name: 'dispatch:outbound', holder: 'two' }]);
    expect(await h.control.releaseLease('dispatch:outbound', 'two')).toBe(true);
    await h.control.setEmergencyStop({ active: true, reason: 'why', setBy: 'Sam', setAt: now });
    const stopped = await start('three', now);
    expect(stopped.acquired).toBe(false);
    expect(stopped.stop).toEqual({ active: true, reason: 'why', setBy: 'Sam', setAt: now });
    expect(await leases(h)).toEqual([]);
  });

  it("the drain's first read is what the unresolved and the due reads return, each in its order, the limit on the due items only", async () => {
    for (let i = 0; i < 5; i++) await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const now = h.clock.now();
    const old = new Date(now.getTime() - 3_600_000);
    const ids = ((await h.db.execute(sql`select id from outbox order by recipient`)) as { rows: { id: string }[] }).rows.map((r) => r.id);
    expect(ids.length).toBe(5);
    await h.db.execute(sql`update outbox set status = 'queued', not_before = ${old} where id in (${ids[0]}, ${ids[1]}, ${ids[2]})`);
    await h.db.execute(sql`update outbox set status = 'uncertain' where id = ${ids[3]}`);
    await h.db.execute(sql`update outbox set status = 'sending', claimed_at = ${old} where id = ${ids[4]}`);
    const before = new Date(now.getTime() - 60_000);
    const work = await h.outbox.drainWork(now, 2, before);
    expect(work).toEqual({ unresolved: await h.outbox.unresolved(before), due: await h.outbox.due(now, 2) });
    expect(work.unresolved.map((i) => i.id).sort()).toEqual([ids[3], ids[4]].sort());
    expect(work.due).toHaveLength(2);
  });
});
