import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapFor, touchRecorderFor } from '../../../src/compose/signals.js';
import type { OutboundChannel } from '../../../src/dispatch/ports.js';
import type { SendChannel } from '../../../src/pipeline/context.js';
import type { Database } from '../../../src/store/database.js';
import { createCadenceStore } from '../../../src/store/cadence-repo.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import { statementsDuring } from '../../support/statements.js';

/**
 * Issue 22, item 3: a sent item costs the gateway's read with the claim, and one statement that marks it
 * sent with its audit line and records the lead's touch (status, timeline event with its KPI
 * milestone, cadence enrolment), decided from the state read before the send. What it writes is
 * what the touch recorder writes; a lead that moved meanwhile gets the recorder's long way; a touch
 * that fails never fails the send. Through the production wiring (openApp, openDispatch), each
 * channel answering at once (the sandboxes are not what is counted here).
 */

const HUGE = 1_000_000;
/** Quotas out of the way: every item is judged by every guard and sent. */
const GATEWAY = { limits: { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0 }, emailDailyLimit: HUGE };

const rows = async <T>(h: Harness, query: ReturnType<typeof sql>) => ((await h.db.execute(query)) as { rows: T[] }).rows;

/** What a touch leaves on one lead, without what names the lead or the outbox item. */
const leadSide = async (h: Harness, leadId: string) => ({
  status: (await rows<{ status: string }>(h, sql`select status from leads where id = ${leadId}`))[0]?.status,
  events: await rows(h, sql`select at, channel, type, source, from_status, to_status, inbox_id, details - 'outboxId' - 'providerRef' as details from lead_events where lead_id = ${leadId} order by id`),
  enrolment: await rows(h, sql`select cadence_id, enrolled_at, status, completed_steps, exit_reason, last_step_at, status_changed_at, next_due_at from cadence_enrollments where lead_id = ${leadId}`),
  milestones: await rows(h, sql`select type, at from lead_milestones where lead_id = ${leadId} order by type`),
});

describe('dispatch round trips: the mark and the touch in one statement (issue 22)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  /** Every channel answers at once; `before` runs inside the provider call (after the gateway's read). */
  const harness = async (before?: (leadId: string) => Promise<void>) => {
    const instant = (c: OutboundChannel): OutboundChannel => ({
      ...c,
      deliver: async (item) => {
        if (before && item.leadId) await before(item.leadId);
        return { providerRef: `ref-${item.id}` };
      },
    });
    h = await dispatchHarness(database, {
      gateway: GATEWAY,
      wrap: (channels) => Object.fromEntries(Object.entries(channels).map(([k, c]) => [k, instant(c)])),
    });
    return h;
  };

  /** A lead (through the pipeline, its draft approved) with one item of its own queued directly in the outbox. */
  const queued = async (channel: SendChannel, step: string, lead?: { leadId: string; email: string }) => {
    const l = lead ?? (await h.approvedLead());
    const domain = l.email.split('@')[1]!;
    const [item] = (
      await h.outbox.enqueue([
        {
          dedupKey: `rt:${randomUUID()}`,
          batchId: null,
          draftId: null,
          leadId: l.leadId,
          channel,
          step,
          recipient: channel === 'heyreach' ? `https://www.linkedin.com/in/rt-${randomUUID()}` : l.email,
          recipientDomain: domain,
          tier: 'tier_2',
          subject: 'Hello',
          body: 'Hello there',
          payload: { firstName: 'Ann', lastName: 'Lee', companyName: 'Northwind', title: 'CEO', email: l.email },
          sender: null,
          notBefore: h.clock.now(),
          status: 'queued',
          reason: null,
        },
      ])
    ).inserted;
    return { ...l, outboxId: item!.id };
  };

  const drain = () => h.gateway.drain({ dryRun: false, limit: 100 });

  it('each sent item costs two statements (the read with the claim, the mark with the touch) and no transaction of its own', async () => {
    await harness();
    await queued('instantly', 'initial');
    const one = await statementsDuring(async () => expect((await drain()).counts.sent).toBe(1));
    for (let i = 0; i < 3; i++) await queued('instantly', 'initial');
    const three = await statementsDuring(async () => expect((await drain()).counts.sent).toBe(3));
    // The drain's own reads (reconcile, due, history, suppressions, exclusions) are the same for both.
    expect(three.statements - one.statements).toBe(2 * 2);
    expect(three.transactions).toBe(0);
    // Before: 10 statements and one transaction per item (markSent + audit, then the recorder's
    // begin, lead and timeline read, status, event, enrolment read and save, commit); then 3 (the
    // read, the claim, the mark with the touch) until the claim joined the read.
  });

  it('writes what the touch recorder writes: first e-mail, a cadence step, a LinkedIn invitation, a revival e-mail', async () => {
    await harness();
    const recorder = touchRecorderFor(h.app);
    const earlier = new Date(h.clock.now().getTime() - 3 * 86_400_000);
    const cases: { channel: SendChannel; step: string; enrolledBefore: boolean }[] = [
      { channel: 'instantly', step: 'initial', enrolledBefore: false },
      { channel: 'instantly', step: 's3', enrolledBefore: true },
      { channel: 'heyreach', step: 'initial', enrolledBefore: true },
      { channel: 'heyreach', step: 'initial', enrolledBefore: false },
      { channel: 'ghl', step: 'revival', enrolledBefore: false },
    ];
    const pairs: { sent: string; twin: string; c: (typeof cases)[number] }[] = [];
    for (const c of cases) {
      const sent = await h.approvedLead();
      const twin = await h.approvedLead();
      // The same history on both: an e-mail three days ago enrolled each (the recorder's way).
      if (c.enrolledBefore) for (const l of [sent, twin]) await recorder({ id: randomUUID(), leadId: l.leadId, channel: 'instantly', step: 'initial', providerRef: 'old' }, earlier);
      await queued(c.channel, c.step, sent);
      pairs.push({ sent: sent.leadId, twin: twin.leadId, c });
    }
    const report = await drain();
    expect(report.counts.sent).toBe(cases.length);
    for (const { sent, twin, c } of pairs) {
      // The twin's touch the long way, at the same instant (the harness's clock is fixed).
      await recorder({ id: randomUUID(), leadId: twin, channel: c.channel, step: c.step, providerRef: 'x' }, h.clock.now());
      const [a, b] = [await leadSide(h, sent), await leadSide(h, twin)];
      expect(a, `${c.channel} ${c.step}`).toEqual(b);
      expect(a.events.at(-1)).toMatchObject({ source: 'operator', type: c.channel === 'heyreach' ? 'linkedin_connection_sent' : 'email_sent' });
      // The revival rule: no enrolment; the LinkedIn rule: the invitation completes the connect step.
      if (c.step === 'revival') expect(a.enrolment).toEqual([]);
      else expect(a.enrolment).toHaveLength(1);
    }
    // Something moved (the first e-mail: status and milestone), so the comparison is not of empty states.
    const first = await leadSide(h, pairs[0]!.sent);
    expect(first.events.at(-1)).toMatchObject({ to_status: 'sent' });
    expect(first.milestones).toEqual([expect.objectContaining({ type: 'email_sent' })]);
    // Each send marked with its audit line once.
    expect(Number((await rows<{ n: number }>(h, sql`select count(*)::int as n from audit_log where action = 'outbox.sent'`))[0]!.n)).toBe(cases.length);
  });

  it('a lead that moved between the read and the write (an open arrived): the touch goes the long way, decided on the new state', async () => {
    const events = () => createLeadEventStore(database.db);
    const opened = async (leadId: string) => {
      await createSignalLeadStore(database.db).setStatus(leadId, (await leadSide(h, leadId)).status!, 'opened', h.clock.now());
      await events().append({ leadId, at: h.clock.now(), channel: 'email', type: 'email_opened', source: 'instantly', fromStatus: null, toStatus: 'opened', inboxId: null, details: {} });
    };
    await harness(opened);
    const { leadId } = await queued('instantly', 'initial');
    const twin = await h.approvedLead();
    const seen = await statementsDuring(async () => expect((await drain()).counts.sent).toBe(1));
    // The recorder's transaction ran: the compare-and-set lost.
    expect(seen.transactions).toBe(1);
    await opened(twin.leadId);
    await touchRecorderFor(h.app)({ id: randomUUID(), leadId: twin.leadId, channel: 'instantly', step: 'initial', providerRef: 'x' }, h.clock.now());
    const [a, b] = [await leadSide(h, leadId), await leadSide(h, twin.leadId)];
    expect(a).toEqual(b);
    expect(a.events.filter((e) => (e as { type: string }).type === 'email_sent')).toHaveLength(1);
    expect(a.status).toBe('opened');
  });

  it('an enrolment that exited between the read and the write (status unchanged) is not overwritten by the planned one', async () => {
    const exited = (leadId: string) =>
      createCadenceStore(database.db).save({ leadId, cadenceId: 'default_21day', enrolledAt: h.clock.now(), status: 'exited', completedSteps: [], exitReason: 'replied', statusChangedAt: h.clock.now() }, null);
    await harness(exited);
    const { leadId } = await queued('instantly', 'initial');
    expect((await drain()).counts.sent).toBe(1);
    const side = await leadSide(h, leadId);
    // The recorder's way on the exited enrolment (never re-enrolled), not the active one planned before the send.
    expect(side.enrolment).toEqual([expect.objectContaining({ status: 'exited', exit_reason: 'replied' })]);
    expect(side.events).toEqual([expect.objectContaining({ type: 'email_sent', to_status: 'sent' })]);
  });

  it('a touch that cannot be written never fails the send; `caio leads bootstrap` repairs it', async () => {
    await harness();
    const { leadId, outboxId } = await queued('instantly', 'initial');
    await h.db.execute(sql`alter table lead_events add constraint rt_no_sends check (type <> 'email_sent')`);
    try {
      const report = await drain();
      expect(report.counts).toMatchObject({ sent: 1, failed: 0, uncertain: 0 });
    } finally {
      await h.db.execute(sql`alter table lead_events drop constraint rt_no_sends`);
    }
    expect((await rows<{ status: string }>(h, sql`select status from outbox where id = ${outboxId}`))[0]!.status).toBe('sent');
    expect(Number((await rows<{ n: number }>(h, sql`select count(*)::int as n from audit_log where action = 'outbox.sent' and entity_id = ${outboxId}`))[0]!.n)).toBe(1);
    expect((await leadSide(h, leadId)).events).toEqual([]);
    expect(await bootstrapFor(h.app)({ dryRun: false, limit: 10 })).toMatchObject({ recorded: 1 });
    const after = await leadSide(h, leadId);
    expect(after.events).toHaveLength(1);
    expect(after.status).toBe('sent');
  });
});
