import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { touchRecorderFor } from '../../../src/compose/signals.js';
import type { OutboundChannel } from '../../../src/dispatch/ports.js';
import type { Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * Issue 18 leftovers, item 2: a HeyReach item of a LinkedIn message step (cadence action `message`,
 * `followup_message`) is recorded as `linkedin_message_sent`, not as a connection request; it moves
 * no status and is no KPI connection request. Both ways a touch is written: the send's one statement
 * (store/send-touch-repo.ts, decided by planTouch) and the recorder's long way (createTouchRecorder),
 * which must write the same. Through the production wiring, each channel answering at once.
 */

const HUGE = 1_000_000;
const GATEWAY = { limits: { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0, linkedinWarmupDailyLimit: HUGE, linkedinFullDailyLimit: HUGE }, emailDailyLimit: HUGE };

const rows = async <T>(h: Harness, query: ReturnType<typeof sql>) => ((await h.db.execute(query)) as { rows: T[] }).rows;

/** What a touch leaves on one lead, without what names the lead or the outbox item. */
const leadSide = async (h: Harness, leadId: string) => ({
  status: (await rows<{ status: string }>(h, sql`select status from leads where id = ${leadId}`))[0]?.status,
  events: await rows<{ type: string; from_status: string | null; to_status: string | null }>(
    h,
    sql`select at, channel, type, source, from_status, to_status, inbox_id, details - 'outboxId' - 'providerRef' as details from lead_events where lead_id = ${leadId} order by id`,
  ),
  enrolment: await rows<{ completed_steps: number[] }>(h, sql`select cadence_id, enrolled_at, status, completed_steps, exit_reason, last_step_at, status_changed_at, next_due_at from cadence_enrollments where lead_id = ${leadId}`),
  milestones: await rows<{ type: string }>(h, sql`select type, at from lead_milestones where lead_id = ${leadId} order by type`),
});

describe('a LinkedIn message step is recorded as a LinkedIn message, not a connection request', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  const harness = async () => {
    const instant = (c: OutboundChannel): OutboundChannel => ({ ...c, deliver: async (item) => ({ providerRef: `heyreach:campaign:${item.id.slice(0, 4)}` }) });
    h = await dispatchHarness(database, { gateway: GATEWAY, wrap: (channels) => Object.fromEntries(Object.entries(channels).map(([k, c]) => [k, instant(c)])) });
    return h;
  };

  /** A lead invited on LinkedIn three days ago (the recorder's way: enrolled, connect step done) who has accepted since. */
  const connectedLead = async () => {
    const lead = await h.approvedLead();
    const earlier = new Date(h.clock.now().getTime() - 3 * 86_400_000);
    await touchRecorderFor(h.app)({ id: randomUUID(), leadId: lead.leadId, channel: 'heyreach', step: 'initial', providerRef: 'old' }, earlier);
    const accepted = new Date(earlier.getTime() + 86_400_000);
    await createSignalLeadStore(database.db).setStatus(lead.leadId, 'linkedin_sent', 'linkedin_connected', accepted);
    await createLeadEventStore(database.db).append({
      leadId: lead.leadId,
      at: accepted,
      channel: 'linkedin',
      type: 'linkedin_connection_accepted',
      source: 'heyreach',
      fromStatus: 'linkedin_sent',
      toStatus: 'linkedin_connected',
      inboxId: null,
      details: {},
    });
    return lead;
  };

  const queueStep = async (leadId: string, email: string, step: string) =>
    h.outbox.enqueue([
      {
        dedupKey: `lm:${randomUUID()}`,
        batchId: null,
        draftId: null,
        leadId,
        channel: 'heyreach',
        step,
        recipient: `https://www.linkedin.com/in/lm-${randomUUID()}`,
        recipientDomain: email.split('@')[1]!,
        tier: 'tier_2',
        subject: null,
        body: null,
        payload: { firstName: 'Ann', lastName: 'Lee', companyName: 'Northwind', title: 'CEO', email },
        sender: null,
        notBefore: h.clock.now(),
        status: 'queued',
        reason: null,
      },
    ]);

  it('the send path and the recorder both write linkedin_message_sent for steps 4 and 6; the status stays; no KPI milestone; the step completes', async () => {
    await harness();
    const recorder = touchRecorderFor(h.app);
    for (const step of ['s4', 's6']) {
      const sent = await connectedLead();
      const twin = await connectedLead();
      await queueStep(sent.leadId, sent.email, step);
      expect((await h.gateway.drain({ dryRun: false, limit: 10 })).counts.sent).toBe(1);
      await recorder({ id: randomUUID(), leadId: twin.leadId, channel: 'heyreach', step, providerRef: 'x' }, h.clock.now());
      const [a, b] = [await leadSide(h, sent.leadId), await leadSide(h, twin.leadId)];
      // The one statement wrote what the long way writes.
      expect(a, step).toEqual(b);
      expect(a.events.map((e) => e.type)).toEqual(['linkedin_connection_sent', 'linkedin_connection_accepted', 'linkedin_message_sent']);
      expect(a.events.at(-1)).toMatchObject({ source: 'operator', from_status: null, to_status: null });
      expect(a.status).toBe('linkedin_connected');
      // The KPIs count the invitation as the lead's one connection request; the message is not one.
      expect(a.milestones.map((m) => m.type)).toEqual(['linkedin_connection_accepted', 'linkedin_connection_sent']);
      expect(a.enrolment[0]!.completed_steps).toContain(Number(step.slice(1)));
    }
    expect(await rows(h, sql`select 1 from kpi_daily where type = 'linkedin_message_sent'`)).toEqual([]);
  });

  it('a first touch and the connect step are still connection requests', async () => {
    await harness();
    const recorder = touchRecorderFor(h.app);
    const lead = await h.approvedLead();
    await queueStep(lead.leadId, lead.email, 'initial');
    await h.gateway.drain({ dryRun: false, limit: 10 });
    const other = await h.approvedLead();
    await recorder({ id: randomUUID(), leadId: other.leadId, channel: 'heyreach', step: 's2', providerRef: 'x' }, h.clock.now());
    for (const id of [lead.leadId, other.leadId]) expect((await leadSide(h, id)).events.map((e) => e.type)).toEqual(['linkedin_connection_sent']);
  });
});
