import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScopeItem } from '../../../src/domain/approval/batch.js';
import { scopeActionText } from '../../../src/domain/approval/scope-action.js';
import { exitSignalOf, pacedDueSteps } from '../../../src/domain/cadence/index.js';
import { outboxKeyOf } from '../../../src/dispatch/outbox-key.js';
import type { SendChannel } from '../../../src/pipeline/context.js';
import { leadFactsOf } from '../../../src/signals/cadence-facts.js';
import { createBatchStore } from '../../../src/store/batches-repo.js';
import { createCadenceStore } from '../../../src/store/cadence-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createLeadStateQuery } from '../../../src/store/dispatch-query-repo.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import { statementsDuring } from '../../support/statements.js';

/**
 * The cadence's due list, its hourly sync and the OPERATOR's cadence scope read the facts of all
 * their leads in a few statements. What they decide is what the per-lead reads decided: the
 * reference below is the former path (the lead row, its 500 newest events, the lead's state and
 * its latest approved draft, one lead at a time), on the same database at the same moment.
 */

const DAY_MS = 86_400_000;
const S3 = scopeActionText({ kind: 'cadence_step', step: 3, action: 'value_followup' });

describe('the cadence reads its leads set-based, and decides as the per-lead reads did', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  const run = (query: ReturnType<typeof sql>) => database.db.execute(query);

  /** A lead with an approved draft, enrolled by its intro e-mail at `day1` (no LinkedIn URL: its e-mail steps only). */
  const enrolledLead = async (day1: Date) => {
    const lead = await h.approvedLead({ linkedin: false });
    await h.cadence.onTouch(lead.leadId, day1, 'email');
    return lead;
  };

  /** The former `cadence.due`: per enrolment, the lead row and its 500 newest events. */
  const perLeadDue = async (now: Date) => {
    const store = createCadenceStore(database.db);
    const leads = createSignalLeadStore(database.db);
    const events = createLeadEventStore(database.db);
    const out = [];
    for (const e of await store.due(now, 1000)) {
      out.push({ leadId: e.leadId, ...pacedDueSteps(e, h.app.config.cadence.steps, await perLeadFacts(leads, events, e.leadId), now, h.app.config.cadence.catchUp) });
    }
    return out;
  };
  const perLeadFacts = async (leads: ReturnType<typeof createSignalLeadStore>, events: ReturnType<typeof createLeadEventStore>, leadId: string) => {
    const lead = await leads.byId(leadId);
    const eventTypes = new Set((await events.timeline(leadId, 500)).map((e) => e.type));
    return leadFactsOf(lead ? { status: lead.status, linkedinUrl: lead.linkedinUrl, eventTypes } : undefined);
  };

  /** The former cadence scope: per due lead its state and its dispatched draft, the queued keys dropped last. */
  const perLeadScope = async (now: Date): Promise<ScopeItem[]> => {
    const query = createLeadStateQuery(database.db);
    const inBatches = new Set((await createBatchStore(database.db).open()).filter((b) => b.expiresAt > now).flatMap((b) => b.scope.map((i) => `${i.channel}:${i.leadId}:${i.action}`)));
    const items: ScopeItem[] = [];
    for (const { leadId, due } of await perLeadDue(now)) {
      const state = await query.leadState(leadId);
      const draftId = await query.dispatchedDraftOf(leadId);
      if (!state || !draftId) continue;
      for (const step of due) {
        const channel: SendChannel = step.channel === 'email' ? 'instantly' : 'heyreach';
        const recipient = channel === 'heyreach' ? state.linkedinUrl : state.email;
        const action = scopeActionText({ kind: 'cadence_step', step: step.step, action: step.action });
        if (!recipient || inBatches.has(`${channel}:${leadId}:${action}`)) continue;
        items.push({ draftId, leadId, recipient, channel, action });
      }
    }
    const queued = await query.existingKeys(items.map(outboxKeyOf));
    return items.filter((i) => !queued.has(outboxKeyOf(i)));
  };

  it('a mix of leads: the same due steps, the same scope, the same exits, and the waiting count the second scope gave', async () => {
    const day1 = h.clock.now();
    const plain = await enrolledLead(day1);
    const replied = await enrolledLead(day1);
    const withoutDraft = await enrolledLead(day1);
    const bounced = await enrolledLead(day1);
    const otherStatus = await enrolledLead(day1);
    const queued = await enrolledLead(day1);
    const inBatch = await enrolledLead(day1);
    const buried = await enrolledLead(day1);
    h.clock.advance(4 * DAY_MS);
    const now = h.clock.now();

    const events = createLeadEventStore(database.db);
    await events.append({ leadId: replied.leadId, at: now, channel: 'email', type: 'email_replied', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    await run(sql`update drafts set status = 'rejected' where lead_id = ${withoutDraft.leadId}`);
    await run(sql`update leads set status = 'bounced' where id = ${bounced.leadId}`);
    await run(sql`update leads set status = 'engaged' where id = ${otherStatus.leadId}`);
    // Step 3 already in the outbox (a refused item keeps its key): it is never queued again.
    await h.outbox.enqueue([
      {
        dedupKey: outboxKeyOf({ channel: 'instantly', leadId: queued.leadId, recipient: queued.email, action: S3 }),
        batchId: null,
        draftId: queued.draftId,
        leadId: queued.leadId,
        channel: 'instantly',
        step: 's3',
        recipient: queued.email,
        recipientDomain: queued.email.split('@')[1]!,
        tier: null,
        subject: 's',
        body: 'b',
        payload: { firstName: null, lastName: null, companyName: null, title: null, email: queued.email },
        sender: null,
        notBefore: now,
        status: 'rejected',
        reason: 'test',
      },
    ]);
    // Step 3 already in an open batch.
    await h.gatekeeper.freeze('cadence', [{ draftId: inBatch.draftId, leadId: inBatch.leadId, recipient: inBatch.email, channel: 'instantly', action: S3 }], 'Dani');
    // A reply older than the lead's 500 newest events is outside what the facts are read from.
    await events.append({ leadId: buried.leadId, at: new Date(day1.getTime() + 60_000), channel: 'email', type: 'email_replied', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    await run(sql`insert into lead_events (lead_id, at, channel, type, source)
      select ${buried.leadId}::uuid, ${day1.toISOString()}::timestamptz + make_interval(hours => 1, secs => g), 'email', 'email_opened', 'test' from generate_series(1, 500) g`);

    const due = await h.cadence.due(now);
    expect(due).toEqual(await perLeadDue(now));
    expect(due.filter((d) => d.due.length > 0).map((d) => d.leadId)).toEqual(expect.arrayContaining([plain.leadId, withoutDraft.leadId, otherStatus.leadId, queued.leadId, inBatch.leadId, buried.leadId]));
    expect(due.find((d) => d.leadId === replied.leadId)?.due).toEqual([]);
    expect(due.find((d) => d.leadId === bounced.leadId)?.due).toEqual([]);

    const expected = await perLeadScope(now);
    expect(expected.map((i) => i.leadId).sort()).toEqual([plain.leadId, otherStatus.leadId, buried.leadId].sort());
    const dry = await h.operator.dispatch({ motion: 'cadence', live: false, by: 'A' });
    expect(dry.waitingForBatch).toBe(expected.length);

    const live = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    expect((await h.gatekeeper.show(live.pendingBatch!.id)).scope).toEqual(expected);
    // What the second scope counted after the freeze, now counted from what the freeze left out.
    expect(live.waitingForBatch).toBe((await perLeadScope(h.clock.now())).length);
    expect((await h.operator.dispatch({ motion: 'cadence', live: false, by: 'A' })).waitingForBatch).toBe(live.waitingForBatch);

    // The hourly sync exits the enrolments the per-lead facts exit, and only those.
    const store = createCadenceStore(database.db);
    const leads = createSignalLeadStore(database.db);
    const exits = [];
    for (const e of await store.open()) if (exitSignalOf(await perLeadFacts(leads, events, e.leadId))) exits.push(e.leadId);
    expect(exits.sort()).toEqual([replied.leadId, bounced.leadId].sort());
    expect((await h.cadence.sync(now)).map((c) => c.leadId).sort()).toEqual(exits);
  });

  it('steps already in the outbox (held by the quotas) cost no read of their leads: the scope reads only the leads of the others', async () => {
    const day1 = h.clock.now();
    const leads = [await enrolledLead(day1), await enrolledLead(day1), await enrolledLead(day1)];
    h.clock.advance(4 * DAY_MS);
    const now = h.clock.now();
    const queue = (lead: (typeof leads)[number]) =>
      h.outbox.enqueue([
        {
          dedupKey: outboxKeyOf({ channel: 'instantly', leadId: lead.leadId, recipient: lead.email, action: S3 }),
          batchId: null,
          draftId: lead.draftId,
          leadId: lead.leadId,
          channel: 'instantly',
          step: 's3',
          recipient: lead.email,
          recipientDomain: lead.email.split('@')[1]!,
          tier: null,
          subject: 's',
          body: 'b',
          payload: { firstName: null, lastName: null, companyName: null, title: null, email: lead.email },
          sender: null,
          notBefore: new Date(now.getTime() + DAY_MS),
          status: 'queued',
          reason: 'quota_daily',
        },
      ]);
    /** The cadence scope's read of its leads (`cadenceTargets`): how many statements, naming how many leads. */
    const targetReads = async () => {
      const prototype = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
      const original = prototype.query;
      const reads: number[] = [];
      prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const config = args[0] as { text?: string; values?: unknown[] } | string;
        const text = typeof config === 'string' ? config : (config.text ?? '');
        if (/from "drafts" d where d\.lead_id = "leads"\."id" and d\.status = 'approved'/.test(text)) {
          const values = (typeof config === 'string' ? args[1] : (config.values ?? args[1])) as unknown[];
          reads.push((values.find(Array.isArray) as unknown[] | undefined)?.length ?? -1);
        }
        return original.apply(this, args);
      };
      try {
        const report = await h.operator.dispatch({ motion: 'cadence', live: false, by: 'A' });
        return { reads, waiting: report.waitingForBatch };
      } finally {
        prototype.query = original;
      }
    };
    // Every due step in the scope: its three leads read once.
    expect(await targetReads()).toEqual({ reads: [3], waiting: 3 });
    await queue(leads[0]!);
    expect(await targetReads()).toEqual({ reads: [2], waiting: 2 });
    await queue(leads[1]!);
    await queue(leads[2]!);
    // Every due step queued: nothing to read.
    expect(await targetReads()).toEqual({ reads: [], waiting: 0 });
  });

  it('the due list, the sync and the cadence scope cost the same statements for 2 due leads as for 5', async () => {
    const day1 = h.clock.now();
    await enrolledLead(day1);
    await enrolledLead(day1);
    const later = [await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false })];
    h.clock.advance(4 * DAY_MS);
    const now = h.clock.now();

    const measure = async () => {
      const due = (await statementsDuring(() => h.cadence.due(now))).statements;
      const sync = (await statementsDuring(() => h.cadence.sync(now))).statements;
      let batchId = '';
      const dispatch = (
        await statementsDuring(async () => {
          batchId = (await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' })).pendingBatch!.id;
        })
      ).statements;
      const items = (await h.gatekeeper.show(batchId)).scope.length;
      // Its steps wait again for the next batch.
      await h.gatekeeper.reject(batchId, 'Sam', 'measured');
      return { due, sync, dispatch, items };
    };

    const two = await measure();
    for (const lead of later) await h.cadence.onTouch(lead.leadId, day1, 'email');
    const five = await measure();
    expect([two.items, five.items]).toEqual([2, 5]);
    // The due enrolments and their facts; the open enrolments and their facts (nothing to exit).
    expect([two.due, two.sync]).toEqual([2, 2]);
    expect({ ...five, items: two.items }).toEqual(two);
  });
});
