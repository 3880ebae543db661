import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { queenDepsFor } from '../../../src/compose/queen.js';
import { loadConfig } from '../../../src/config/load.js';
import { openApp } from '../../../src/deps.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createLogAlerts } from '../../../src/providers/log-alerts.js';
import { ask } from '../../../src/queen/ask.js';
import { createControlStore } from '../../../src/store/control-repo.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * QUEEN's reply, calendar, learning, visitor and webhook tools through the production wiring
 * (loadConfig → openApp → queenDepsFor): data written by the production stores, read back by the
 * ask, and the booking write held for confirmation and refused under the emergency stop.
 */
const NOW = '2026-11-23T15:00:00Z';
const log = pino({ level: 'silent' });

const openQueen = async () => {
  const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: {} });
  const app = await openApp(config, { database: await openTestDatabase(), clock: fixedClock(NOW), log, alerts: createLogAlerts(log) });
  return { app, deps: queenDepsFor(app) };
};

describe('QUEEN over the stored signals', () => {
  it('counts webhook deliveries by provider and status, with no payload or address in the answer', async () => {
    const { app, deps } = await openQueen();
    const inbox = createInboxStore(app.database.db);
    const at = new Date(Date.parse(NOW) - 3_600_000);
    await inbox.insert({ provider: 'instantly', eventType: 'reply_received', idempotencyKey: 'k1', payload: { lead_email: 'pat@acme.example.com' }, receivedAt: at });
    await inbox.insert({ provider: 'rb2b', eventType: 'visit', idempotencyKey: 'k2', payload: {}, receivedAt: at });
    await inbox.insert({ provider: 'rb2b', eventType: 'visit', idempotencyKey: 'k3', payload: {}, receivedAt: new Date(Date.parse(NOW) - 72 * 3_600_000) });
    const r = await ask(deps, 'Show the recent webhook deliveries from the last 24 hours');
    expect(r.intents).toContain('webhooks');
    expect(r.results['webhooks.recent']).toMatchObject({ total: 2, byProvider: { instantly: { pending: 1 }, rb2b: { pending: 1 } } });
    expect(r.answer).toContain('2 stored');
    expect(r.answer).not.toContain('pat@acme');
  });

  it('ranks RB2B visitors by their recorded visits, without addresses', async () => {
    const { app, deps } = await openQueen();
    const [lead] = await app.stores.leads.upsertDiscovered('run_queen_visitors', [
      aDiscoveredLead({ source: 'rb2b', sourceId: 'rb2b_1', profile: aProfile({ email: 'vic@visitor.example.com', title: 'VP of Sales', company: { ...aProfile().company, name: 'Visitor Co', domain: 'visitor.example.com' } }) }),
    ]);
    for (const h of [5, 2])
      await app.database.db.execute(sql`insert into lead_events (lead_id, at, channel, type, source) values (${lead!.id}, ${new Date(Date.parse(NOW) - h * 3_600_000).toISOString()}::timestamptz, 'website', 'website_visit', 'rb2b')`);
    const r = await ask(deps, 'Which website visitors came from target accounts recently? Rank who to contact first.');
    expect(r.intents).toContain('visitors');
    expect(r.results['visitors.recent']).toMatchObject({ count: 1, visitors: [{ company: 'Visitor Co', visits: 2 }] });
    expect(r.answer).toContain('Visitor Co');
    expect(r.answer).not.toContain('vic@visitor');
  });

  it('classifies a reply given in the request with the reply understanding, and reads an empty store as empty', async () => {
    const { deps } = await openQueen();
    const r = await ask(deps, 'Classify this reply: "Please remove me from your list."');
    expect(r.results['replies.classify']).toMatchObject({ class: 'unsubscribe' });
    expect(r.answer).toContain('intent unsubscribe');
    const recent = await ask(deps, 'Show the latest replies that came in');
    expect(recent.results['replies.recent']).toMatchObject({ count: 0 });
    expect(recent.answer).toContain('No stored reply');
    const learning = await ask(deps, 'Which subject line variant is winning the A/B test?');
    expect(learning.results['learning.report']).toMatchObject({ sent: 0 });
    expect(learning.answer).toContain('no winner is declared without data');
  });

  it("reads live free slots from the SCHEDULER's calendar (the GoHighLevel sandbox), in the zone the request names", async () => {
    const { deps } = await openQueen();
    const r = await ask(deps, 'Which free slots does the calendar have in Europe/Berlin this week?');
    expect(r.calls.find((c) => c.tool === 'calendar.slots')).toMatchObject({ status: 'ok', args: { timeZone: 'Europe/Berlin' } });
    const slots = r.results['calendar.slots'] as { calendar: boolean; timeZone: string; slots: { at: string }[] };
    expect(slots).toMatchObject({ calendar: true, timeZone: 'Europe/Berlin' });
    expect(slots.slots.length).toBeGreaterThan(0);
    expect(r.answer).toContain(`${slots.slots[0]!.at} UTC`);
  });

  it('holds a booking for confirmation, asks for the reply it answers, and books nothing under the emergency stop', async () => {
    const { app, deps } = await openQueen();
    const replyId = '00000000-0000-4000-9000-000000000001';
    const held = await ask(deps, `Book the meeting for reply ${replyId} at 2026-11-25T15:00:00Z`);
    expect(held.plan.map((c) => c.tool)).toEqual(['calendar.slots', 'calendar.book']);
    expect(held.calls.find((c) => c.tool === 'calendar.book')).toMatchObject({ status: 'needs_confirmation', args: { replyId, slot: '2026-11-25T15:00:00.000Z' } });
    const noReply = await ask(deps, 'Book a meeting with this prospect', { confirm: true });
    expect(noReply.calls.find((c) => c.tool === 'calendar.book')).toMatchObject({ status: 'missing_input' });
    await createControlStore(app.database.db).setEmergencyStop({ active: true, reason: 'test', setBy: 'ana', setAt: new Date(NOW) });
    const stopped = await ask(deps, `Book the meeting for reply ${replyId} at 2026-11-25T15:00:00Z`, { confirm: true });
    expect(stopped.calls.find((c) => c.tool === 'calendar.book')).toMatchObject({ status: 'failed', error: expect.stringContaining('emergency stop') });
  });
});
