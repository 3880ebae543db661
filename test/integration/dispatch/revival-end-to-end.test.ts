import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../../src/domain/drafting/index.js';
import type { DispatchReport } from '../../../src/dispatch/ports.js';
import { createReviewService } from '../../../src/pipeline/review-draft.js';
import { scanRevival } from '../../../src/signals/revival-scan.js';
import type { Database } from '../../../src/store/database.js';
import { createExclusionStore } from '../../../src/store/exclusions-repo.js';
import { createKpiStore } from '../../../src/store/kpi-repo.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { timelinesOf } from '../../../src/store/timelines-repo.js';
import { dispatchHarness, HARNESS_CONFIG, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/** What a run did (live) or would do (dry), per lead and channel, in one comparable shape. */
const actionsOf = (r: DispatchReport) => ({
  revivals: r.queued?.revivals ?? 0,
  revivalDrafts: r.queued?.revivalDrafts ?? 0,
  rejected: (r.queued?.rejected ?? []).map((x) => `${x.leadId}:${x.channel}:${x.reason}`).sort(),
  drain: r.drain.items.map((i) => `${i.leadId}:${i.channel}:${i.outcome === 'would_send' ? 'sent' : i.outcome}:${i.reason ?? ''}`).sort(),
});

describe('revival end to end: stale CRM contact -> revival draft -> review -> revival batch -> GoHighLevel', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  const review = () => createReviewService({ review: createReviewStore(h.db), audit: h.stores.audit, clock: h.clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });

  /** Later drains send what the minimum delay between sends deferred (45 s in the harness). */
  const drainUntilDone = async () => {
    for (let i = 0; i < 12; i++) {
      h.clock.advance(60_000);
      await h.gateway.drain({ dryRun: false, limit: 500 });
    }
  };

  /** The revival motion's candidate batch, approved and executed: the leads queued, their revival e-mails in review. */
  const queueRevivalDrafts = async () => {
    const pending = await h.operator.dispatch({ motion: 'revival', live: true, by: 'Dani' });
    expect(pending.pendingBatch).not.toBeNull();
    await h.gatekeeper.approve(pending.pendingBatch!.id, 'Sam');
    const dry = await h.operator.dispatch({ motion: 'revival', live: false, batchId: pending.pendingBatch!.id, by: 'Dani' });
    const live = await h.operator.dispatch({ motion: 'revival', live: true, batchId: pending.pendingBatch!.id, by: 'Dani' });
    return { dry, live, items: pending.pendingBatch!.items };
  };

  /** Execute a pending revival-candidate batch and approve every revival draft it made. */
  const queueApprovedRevivalDrafts = async (batchId: string) => {
    await h.gatekeeper.approve(batchId, 'Sam');
    await h.operator.dispatch({ motion: 'revival', live: true, batchId, by: 'Dani' });
    const reviews = review();
    const drafts = await reviews.list({ angleId: 'revival' });
    for (const d of drafts) await reviews.approve({ draftId: d.id, by: 'Dani' });
    return drafts;
  };

  it('crafts, reviews and sends revival e-mails once through GHL; each dry run predicts its live run exactly', async () => {
    const { dry, live, items } = await queueRevivalDrafts();
    expect(items).toBeGreaterThan(0);
    expect(live.queued?.revivals).toBe(items);
    expect(live.queued?.revivalDrafts).toBe(items);
    expect(actionsOf(dry)).toEqual(actionsOf(live));
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);

    // In the review queue under the revival angle, grounded and guarded; the lead stays revival_queued.
    const reviews = review();
    const drafts = await reviews.list({ angleId: 'revival' });
    expect(drafts).toHaveLength(items);
    for (const d of drafts) {
      expect(d.body).toContain(d.lead.profile.firstName!);
      expect(d.body).toContain(d.lead.company!);
      expect(d.body).toContain('Unsubscribe:');
      expect(d.quality?.passed).toBe(true);
      const stored = (await h.stores.leadDetail.detailByEmail(d.lead.email!))!;
      expect(stored.lead.status).toBe('revival_queued');
      expect(stored.drafts[0]!.grounding.map((g) => g.claim)).toEqual(expect.arrayContaining(['first name', 'company name', 'why now']));
    }
    for (const d of drafts) await reviews.approve({ draftId: d.id, by: 'Dani' });
    expect((await h.stores.leadDetail.detailByEmail(drafts[0]!.lead.email!))!.lead.status).toBe('revival_queued');

    // Revival drafts never ride in an outbound batch; `batch create --motion revival` freezes them for GHL.
    await expect(h.gatekeeper.create('outbound', 'Dani')).rejects.toMatchObject({ code: 'CONFLICT' });
    const batch = await h.gatekeeper.create('revival', 'Dani');
    expect(batch.scope).toHaveLength(items);
    expect(new Set(batch.scope.map((i) => `${i.channel}:${i.action}`))).toEqual(new Set(['ghl:revival_email']));
    await h.gatekeeper.approve(batch.id, 'Sam');

    const dryRun = await h.operator.dispatch({ motion: 'revival', live: false, batchId: batch.id, by: 'Dani' });
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);
    const liveRun = await h.operator.dispatch({ motion: 'revival', live: true, batchId: batch.id, by: 'Dani' });
    expect(actionsOf(dryRun)).toEqual(actionsOf(liveRun));
    expect(liveRun.drain.counts.sent).toBe(1);
    expect(liveRun.drain.counts.deferred).toBe(items - 1);
    await drainUntilDone();

    const sent = h.sandboxes.ghl.sentEmails();
    expect(sent).toHaveLength(items);
    // Each person got their own reviewed revival e-mail (A or B subject, by the lead's stable variant).
    for (const e of sent) {
      const d = drafts.find((x) => x.lead.email === e.to)!;
      expect([d.subjectA, d.subjectB]).toContain(e.subject);
      expect(e.html).toContain(d.lead.profile.firstName!);
    }

    // Once: the batch cannot run again, and a further drain sends nothing.
    await expect(h.operator.dispatch({ motion: 'revival', live: true, batchId: batch.id, by: 'Dani' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const again = await h.operator.dispatch({ motion: 'revival', live: true, by: 'Dani' });
    expect(again.drain.counts.sent).toBe(0);
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(items);

    // Outcomes: the timeline (revival_sent, the send marked as the revival's) and the KPIs under the revival angle.
    const lead = (await h.stores.leadDetail.detailByEmail(drafts[0]!.lead.email!))!;
    expect(lead.lead.status).toBe('revival_sent');
    const timeline = await createLeadEventStore(h.db).timeline(lead.lead.id, 20);
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['revival_queued', 'email_sent']));
    expect(timeline.find((e) => e.type === 'email_sent')).toMatchObject({ channel: 'email', toStatus: 'revival_sent', details: expect.objectContaining({ provider: 'ghl', motion: 'revival' }) });
    const kpis = await createKpiStore(h.db).since('2026-11-01');
    expect(kpis.filter((k) => k.angle === 'revival' && k.type === 'email_sent').reduce((n, k) => n + k.leads, 0)).toBe(items);
  });

  it('the scheduled all-motion tick and `batch create --motion all` put CRM re-contacts in a revival batch of their own', async () => {
    // A stale CRM contact waiting to be revived, and an approved outbound draft, at the same tick.
    const outbound = await h.approvedLead({ linkedin: false });
    const tick = await h.operator.dispatch({ motion: 'all', live: true, by: 'scheduler' });
    expect(tick.pendingBatches?.map((b) => b.motion)).toEqual(['all', 'revival']);
    const [main, recontacts] = await Promise.all(tick.pendingBatches!.map((b) => h.gatekeeper.show(b.id)));
    expect(tick.pendingBatch).toEqual({ id: main!.id, items: main!.scope.length, expiresAt: main!.expiresAt.toISOString() });
    expect(main!.scope.map((i) => i.draftId)).toContain(outbound.draftId);
    expect(main!.scope.every((i) => !i.action.startsWith('revival'))).toBe(true);
    expect(recontacts!.scope.length).toBeGreaterThan(0);
    expect(recontacts!.scope.every((i) => i.action.startsWith('revival:'))).toBe(true);

    // Approved revival e-mails and a new outbound draft: `create('all')` makes two batches too, the first returned.
    const approved = await queueApprovedRevivalDrafts(recontacts!.id);
    const second = await h.approvedLead({ linkedin: false, email: 'second@outbound.example' });
    const made = await h.gatekeeper.createBatches('all', 'Dani');
    expect(made.map((b) => b.motion)).toEqual(['all', 'revival']);
    expect(made[0]!.scope.map((i) => i.draftId)).toEqual([second.draftId]);
    expect(made[1]!.scope.map((i) => i.action)).toEqual(approved.map(() => 'revival_email'));
  });

  it('a suppressed or excluded revival contact is refused by the gateway, nothing sent to it; the rest go', async () => {
    await queueRevivalDrafts();
    const reviews = review();
    const drafts = await reviews.list({ angleId: 'revival' });
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    for (const d of drafts) await reviews.approve({ draftId: d.id, by: 'Dani' });
    const [suppressed, excluded] = [drafts[0]!.lead.email!, drafts[1]!.lead.email!];
    await h.stores.suppressions.add(suppressed, 'unsubscribed');
    await createExclusionStore(h.db).add([{ kind: 'email', value: excluded, source: 'customers.csv', addedBy: 'Dani', addedAt: h.clock.now() }]);

    const batch = await h.gatekeeper.create('revival', 'Dani');
    await h.gatekeeper.approve(batch.id, 'Sam');
    const dry = await h.operator.dispatch({ motion: 'revival', live: false, batchId: batch.id, by: 'Dani' });
    const live = await h.operator.dispatch({ motion: 'revival', live: true, batchId: batch.id, by: 'Dani' });
    expect(actionsOf(dry)).toEqual(actionsOf(live));
    await drainUntilDone();
    const byLead = new Map(live.drain.items.map((i) => [i.leadId, i]));
    expect(byLead.get(drafts[0]!.lead.id)).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('suppressed') });
    expect(byLead.get(drafts[1]!.lead.id)).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('excluded') });
    const to = h.sandboxes.ghl.sentEmails().map((e) => e.to);
    expect(to).not.toContain(suppressed);
    expect(to).not.toContain(excluded);
    expect(to).toHaveLength(drafts.length - 2);
  });

  it('the emergency stop and GHL business hours hold revival sends; after resume, inside hours, each goes once', async () => {
    await queueRevivalDrafts();
    const reviews = review();
    for (const d of await reviews.list({ angleId: 'revival' })) await reviews.approve({ draftId: d.id, by: 'Dani' });
    const batch = await h.gatekeeper.create('revival', 'Dani');
    await h.gatekeeper.approve(batch.id, 'Sam');

    await h.operator.stop('Dani', 'checking the nurture domain');
    await expect(h.operator.dispatch({ motion: 'revival', live: true, batchId: batch.id, by: 'Dani' })).rejects.toMatchObject({ code: 'EMERGENCY_STOP' });
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);
    await h.operator.resume('Dani');

    // Monday 19:00 UTC: after the configured 8-18 hours, so GHL items wait (GHL sends at once, the gateway holds them).
    h.clock.advance(9 * 3_600_000);
    const weekend = await h.operator.dispatch({ motion: 'revival', live: true, batchId: batch.id, by: 'Dani' });
    expect(weekend.drain.counts.sent).toBe(0);
    expect(weekend.drain.items.every((i) => i.channel === 'ghl' && i.outcome === 'deferred')).toBe(true);
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);

    h.clock.advance(15 * 3_600_000);
    await drainUntilDone();
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(batch.scope.length);
    expect(new Set(h.sandboxes.ghl.sentEmails().map((e) => e.to)).size).toBe(batch.scope.length);
  });

  it('without the Gatekeeper, the revival dry run predicts exactly what the live run then does (it once said 0, and the live run queued 5)', async () => {
    await h.close();
    h = await dispatchHarness(database, { config: { dispatch: { ...HARNESS_CONFIG.dispatch, gatekeeperRequired: false } } });
    const dry = await h.operator.dispatch({ motion: 'revival', live: false, by: 'Dani' });
    const live = await h.operator.dispatch({ motion: 'revival', live: true, by: 'Dani' });
    expect(live.queued?.revivals).toBe(5);
    expect(live.queued?.revivalDrafts).toBe(5);
    expect(actionsOf(dry)).toEqual(actionsOf(live));
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);
  });

  it('a revival contact without an e-mail is skipped with a reason, not crashed, and nothing is sent', async () => {
    const now = h.clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const crm = {
      searchContacts: async () => ({
        contacts: [
          { id: 'c-no-email', firstName: 'Nora', lastName: 'Vale', companyName: 'Quarry Labs', tags: [], lastActivity: ago(50) },
          { id: 'c-ok', email: 'rui.costa@harbor.example.com', firstName: 'Rui', lastName: 'Costa', companyName: 'Harbor Analytics', tags: [], lastActivity: ago(50) },
        ],
      }),
    };
    const skipped: { contactId: string; why: string }[] = [];
    const found = await scanRevival({ ghl: crm, leads: createSignalLeadStore(h.db), timelines: (ids, limit) => timelinesOf(h.db, ids, limit), settings: { minInactiveDays: 30, maxInactiveDays: 120, excludeTags: [] } }, now, 10, skipped);
    expect(found.map((c) => c.contactId)).toEqual(['c-ok']);
    expect(skipped).toEqual([{ contactId: 'c-no-email', why: 'no_email' }]);

    // A queued lead whose e-mail is gone (erased since) gets no draft, with the reason; nothing is sent.
    const outcome = await h.revival.approve({ leadId: 'crm:c-gone', recipient: 'gone@nowhere.example.com', scan: { score: 0.3, reason: 'never_engaged', daysInactive: 50 } }, now, false);
    expect(outcome).toMatchObject({ queued: true, drafted: false, reason: 'lead_missing' });
    const noEmail = await h.revival.approve({ leadId: 'crm:c-x', recipient: '', scan: { score: 0.3, reason: 'never_engaged', daysInactive: 50 }, contact: { firstName: 'Nora', lastName: 'Vale', company: 'Quarry Labs' } }, now, false);
    expect(noEmail).toMatchObject({ drafted: false, reason: 'missing_email' });
    expect(h.sandboxes.ghl.sentEmails()).toHaveLength(0);
  });
});
