import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import { deliveryStoresFor, PAYLOAD_READERS, processorFor, transactionalUnit } from '../../../src/compose/signals.js';
import { createInboxProcessor, type InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const rows = async <T>(h: Harness, query: ReturnType<typeof sql>) => ((await h.db.execute(query)) as { rows: T[] }).rows;

/**
 * The same deliveries processed one at a time and set-based (processMany) end in the same state:
 * statuses, timeline events with their status moves, KPI milestones and counters, cadence
 * enrolments, suppressions, cancelled sends and every delivery's outcome. Lead ids differ between
 * the two runs, so rows are compared by the lead's address.
 */
describe('set-based delivery processing (processMany) ends where one-at-a-time processing ends', () => {
  let database: Database;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  /** Three leads sent their first e-mail, then a burst of Instantly events about them (and others). */
  const scenario = async (process: (processor: InboxProcessor, ids: string[]) => Promise<void>) => {
    await h?.close();
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const leads = [await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false })];
    const [ann, ben, cat, dan] = leads.map((l) => l.email) as [string, string, string, string];
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'Maya' });
    h.clock.advance(3600_000);
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { WEBHOOK_SIGNATURE_REQUIRED: 'false' } });
    const stored: string[] = [];
    const routes = webhookRoutes({ config, inbox: createInboxStore(h.db), clay: createClayStore(h.db), onStored: (id) => stored.push(id), now: () => h!.clock.now() });
    let n = 0;
    const event = async (fixture: string, email: string, minutes: number, extra: Record<string, unknown> = {}) => {
      // One second apart, as deliveries arrive: the order received is the order processed.
      h!.clock.advance(1000);
      const body = {
        ...(contractFixture('instantly', fixture).request.body as Record<string, unknown>),
        lead_email: email,
        email: email,
        timestamp: new Date(h!.clock.now().getTime() + minutes * 60_000).toISOString(),
        email_id: `e-${++n}`,
        ...extra,
      };
      const answer = await routes.post['/webhooks/instantly']!({ path: '/webhooks/instantly', headers: {}, body: JSON.stringify(body) });
      expect(answer.status).toBeLessThan(300);
    };
    await event('webhook.email_opened.json', ann, 1);
    await event('webhook.email_opened.json', ann, 2);
    await event('webhook.link_clicked.json', ann, 3);
    await event('webhook.reply_received.json', ann, 4);
    await event('webhook.email_opened.json', ann, 0); // late: older than what the lead already heard
    // Replies read and followed through inside the group (issue 22): an absence, a time, a no, and an opt-out (alone).
    await event('webhook.reply_received.json', ben, 4, { reply_text: 'I am out of the office until Monday, December 7 with limited access to email.' });
    await event('webhook.reply_received.json', dan, 2, { reply_text: 'Tuesday at 2pm works, send an invite.' });
    await event('webhook.reply_received.json', dan, 3, { reply_text: 'Actually we already use HubSpot and are happy with it.' });
    await event('webhook.reply_received.json', dan, 4, { reply_text: 'Please take me off your list.' });
    await event('webhook.email_opened.json', ben, 5);
    await event('webhook.lead_unsubscribed.json', ben, 6);
    await event('webhook.email_opened.json', ben, 7); // after the unsubscribe
    await event('webhook.email_bounced.json', cat, 1);
    await event('webhook.email_opened.json', 'nobody@unknown.example.com', 1);
    await event('webhook.custom_label.json', cat, 2);
    // The production processor, with the reply follow-through.
    await process(processorFor(h.app), stored);
    const byEmail = new Map(leads.map((l, i) => [l.leadId, `lead${i}`]));
    const name = (id: string | null) => (id ? (byEmail.get(id) ?? 'other') : null);
    return {
      leads: (await rows<{ id: string; status: string }>(h, sql`select id, status from leads order by email`)).map((r) => [name(r.id), r.status]),
      events: (
        await rows<{ lead_id: string; type: string; from_status: string | null; to_status: string | null; at: Date; details: unknown }>(
          h,
          sql`select lead_id, type, from_status, to_status, at, details from lead_events where inbox_id is not null`,
        )
      )
        .map((r) => JSON.stringify([name(r.lead_id), r.type, r.from_status, r.to_status, new Date(r.at).toISOString(), r.details]))
        .sort(),
      milestones: (await rows<{ lead_id: string; type: string; at: Date }>(h, sql`select lead_id, type, at from lead_milestones`)).map((r) => `${name(r.lead_id)} ${r.type} ${new Date(r.at).toISOString()}`).sort(),
      kpi: (await rows<{ day: string; type: string; leads: number }>(h, sql`select day::text, type, leads from kpi_daily`)).map((r) => `${r.day} ${r.type} ${r.leads}`).sort(),
      cadence: (await rows<{ lead_id: string; status: string; exit_reason: string | null; completed_steps: unknown }>(h, sql`select lead_id, status, exit_reason, completed_steps from cadence_enrollments`))
        .map((r) => JSON.stringify([name(r.lead_id), r.status, r.exit_reason, r.completed_steps]))
        .sort(),
      suppressions: (await rows<{ n: number }>(h, sql`select count(*)::int as n from suppressions`))[0]!.n,
      replies: (await rows<{ lead_id: string; class: string; kind: string | null; needs_response: boolean; paused_until: Date | null }>(h, sql`select lead_id, class, kind, needs_response, paused_until from replies`))
        .map((r) => JSON.stringify([name(r.lead_id), r.class, r.kind, r.needs_response, r.paused_until ? new Date(r.paused_until).toISOString() : null]))
        .sort(),
      replyActions: (await rows<{ lead_id: string; kind: string; status: string; not_before: Date }>(h, sql`select lead_id, kind, status, not_before from reply_actions`))
        .map((r) => `${name(r.lead_id)} ${r.kind} ${r.status} ${new Date(r.not_before).toISOString()}`)
        .sort(),
      outbox: (await rows<{ lead_id: string; status: string }>(h, sql`select lead_id, status from outbox`)).map((r) => `${name(r.lead_id)} ${r.status}`).sort(),
      inbox: (
        await rows<{ event_type: string; status: string; error: string | null; lead_id: string | null; flags: string[] | null }>(h, sql`select event_type, status, error, lead_id, flags from webhook_inbox order by received_at, event_type`)
      )
        .map((r) => JSON.stringify([r.event_type, r.status, r.error, name(r.lead_id), r.flags]))
        .sort(),
    };
  };

  it('in one unit of work, with the deliveries that need more taken one at a time inside it', async () => {
    const alone = await scenario(async (processor, ids) => {
      for (const id of ids) await processor.process(id);
    });
    const together = await scenario(async (processor, ids) => {
      const outcomes = await processor.processMany(ids);
      expect([...outcomes.values()].filter((o) => o === 'failed')).toEqual([]);
    });
    expect(alone.events.length).toBeGreaterThan(6);
    expect(alone.leads.map(([, status]) => status)).toEqual(expect.arrayContaining(['replied', 'unsubscribed', 'bounced']));
    expect(alone.replies).toHaveLength(5);
    expect(alone.replyActions.length).toBeGreaterThan(4);
    expect(together).toEqual(alone);
    // Through each delivery's own job (what caio serve runs): the first job takes the waiting ones with it.
    const jobs: string[] = [];
    const throughJobs = await scenario(async (processor, ids) => {
      for (const id of ids) jobs.push(await processor.processWithWaiting(id));
    });
    expect(jobs.filter((o) => o === 'skipped').length).toBeGreaterThan(5);
    expect(throughJobs).toEqual(alone);
  }, 120_000);

  it('processes a batch again as a no-op: every delivery is taken once', async () => {
    const once = await scenario(async (processor, ids) => {
      await processor.processMany(ids);
    });
    const twice = await scenario(async (processor, ids) => {
      await processor.processMany(ids);
      const again = await processor.processMany(ids);
      expect([...again.values()].every((o) => o === 'skipped')).toBe(true);
    });
    expect(twice).toEqual(once);
  }, 120_000);

  it('one delivery that cannot be processed rolls its batch back; the others then commit one at a time and only it fails', async () => {
    let poison = '';
    const outcome = await scenario(async (_processor, ids) => {
      poison = ids[1]!;
      // A timeline write that fails for one delivery (a constraint, a bug): set-based and alone alike.
      const processor = createInboxProcessor({
        inbox: createInboxStore(h!.db),
        clock: h!.clock,
        log: silentLog,
        payloadReaders: PAYLOAD_READERS,
        unitOfWork: transactionalUnit(h!.db, (tx) => {
          const stores = deliveryStoresFor(tx, CADENCE);
          const fail = () => Promise.reject(new Error('timeline write failed'));
          return {
            ...stores,
            events: {
              ...stores.events,
              appendMany: async (events) => (events.some((e) => e.inboxId === poison) ? fail() : stores.events.appendMany(events)),
              append: async (event) => (event.inboxId === poison ? fail() : stores.events.append(event)),
            },
          };
        }),
      });
      const outcomes = await processor.processMany(ids);
      expect(outcomes.get(poison)).toBe('failed');
      expect([...outcomes.entries()].filter(([id, o]) => id !== poison && o === 'failed')).toEqual([]);
    });
    expect(outcome.inbox.filter((r) => r.includes('"failed"'))).toHaveLength(1);
    expect(outcome.inbox.filter((r) => r.includes('"processed"')).length).toBeGreaterThan(6);
  }, 120_000);

  it('a job whose burst has more deliveries waiting than it takes leaves none of them claimed and unfinished', async () => {
    let left: { status: string; n: number }[] = [];
    await scenario(async (processor, ids) => {
      // More waiting than one job takes (25): the same 11 deliveries again under other keys, three times.
      const inbox = createInboxStore(h!.db);
      const stored = (await rows<{ provider: string; event_type: string; payload: unknown; signal: unknown }>(h!, sql`select provider, event_type, payload, signal from webhook_inbox`)).filter((r) => r.signal);
      for (let copy = 0; copy < 3; copy++)
        for (const [i, r] of stored.entries()) await inbox.insert({ provider: r.provider, eventType: r.event_type, idempotencyKey: `copy-${copy}-${i}`, payload: r.payload, receivedAt: h!.clock.now(), signal: r.signal });
      expect(await processor.processWithWaiting(ids[0]!)).toBe('processed');
      left = await rows<{ status: string; n: number }>(h!, sql`select status, count(*)::int as n from webhook_inbox group by 1 order by 1`);
    });
    expect(left.find((r) => r.status === 'processing')).toBeUndefined();
    expect(left.find((r) => r.status === 'pending')?.n).toBeGreaterThan(0);
  }, 120_000);
});
