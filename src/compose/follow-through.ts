import type { Config } from '../config/load.js';
import { checkRecipient } from '../domain/sending/index.js';
import { applySignal, isLeadStatus } from '../domain/signals/index.js';
import { createHttpPolicy } from '../providers/http/policy.js';
import { GHL_INBOUND_EVENT, ghlInboundText, ghlThreadOf } from '../providers/ghl/webhook.js';
import { normalizeHeyReachEvent } from '../providers/heyreach/schemas.js';
import { WebhookEventSchema } from '../providers/instantly/schemas.js';
import { createSlackHotLeadPoster } from '../providers/slack/hot-lead.js';
import { createFollowThroughExecutor, type FollowThroughExecutor } from '../signals/follow-through-actions.js';
import type { FollowThroughProviders } from '../signals/ports.js';
import { createReplyFollowThrough, type FollowThroughStores } from '../signals/follow-through.js';
import type { InboxProcessor } from '../signals/process-inbox.js';
import type { StoredDelivery } from '../signals/ports.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import type { Db } from '../store/database.js';
import { createExclusionStore } from '../store/exclusions-repo.js';
import { createLeadEventStore } from '../store/inbox-repo.js';
import { withdrawMeetingMilestone } from '../store/kpi-repo.js';
import { createReplyActionStore } from '../store/reply-actions-repo.js';
import { createReplyQueries, createReplyStore } from '../store/replies-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createSuppressionStore } from '../store/suppressions-repo.js';
import { createDraftStore } from '../store/drafts-repo.js';
import { createInboxStore } from '../store/inbox-repo.js';
import { drafts, leads, replyActions } from '../store/schema.js';
import { createReplyDrafter, createReplySender, type ApprovedReplyDraft } from '../signals/reply-drafts.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { eq, sql } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { AppDeps, DispatchSet } from './app-deps.js';
import type { GhlClient } from '../providers/ghl/client.js';
import { confirmationReason, createScheduler, movedReason, type SchedulerCalendar } from '../signals/scheduler.js';
import { createAuditStore } from '../store/audit-repo.js';
import { AppError } from '../lib/app-error.js';
import { createCadenceSync, type CadenceSettings } from '../signals/cadence-sync.js';
import type { ReplyLlm } from './reply-classifier.js';

/** The config the follow-through reads inside a delivery's transaction; `llm`: the optional reply classifier (compose/reply-classifier.ts). */
export type FollowThroughConfig = Pick<Config, 'dispatch' | 'exclusions'> & { llm?: ReplyLlm | undefined };

/** Instantly's reply events (contract "Delivery payload") and HeyReach's (its webhook.ts): the deliveries that carry a prospect's text. */
const INSTANTLY_REPLIES = new Set(['reply_received', 'auto_reply_received']);
const HEYREACH_REPLIES = new Set(['MESSAGE_REPLY_RECEIVED', 'EVERY_MESSAGE_REPLY_RECEIVED', 'INMAIL_REPLY_RECEIVED']);

/**
 * The prospect's text of a stored reply delivery, read from its payload with the provider's own
 * schema (the normalised signal carries no message text); '' for a reply without text; null for a
 * delivery that is not a reply.
 */
export const replyTextOf = (item: StoredDelivery): string | null => {
  if (item.provider === 'instantly' && INSTANTLY_REPLIES.has(item.eventType)) {
    const e = WebhookEventSchema.safeParse(item.payload);
    if (!e.success) return '';
    // The plain text first; the HTML when only it came (understandReply strips it); the snippet last.
    return e.data.reply_text ?? e.data.reply_html ?? e.data.reply_text_snippet ?? '';
  }
  // A GoHighLevel nurture reply (workflow webhook, providers/ghl/webhook.ts): the e-mail's body, HTML as sent.
  if (item.provider === 'ghl' && item.eventType === GHL_INBOUND_EVENT) return ghlInboundText(item.payload) ?? '';
  if (item.provider === 'heyreach' && HEYREACH_REPLIES.has(item.eventType)) {
    const body = item.payload;
    return body && typeof body === 'object' && !Array.isArray(body) ? (normalizeHeyReachEvent(body as Record<string, unknown>).messageText ?? '') : '';
  }
  return null;
};

/**
 * How many follow-through actions this process's deliveries recorded: a delivery's job runs the
 * actions after it commits only when its processing recorded some, so an open or a click costs no
 * extra statement (the sweep runs whatever is left).
 */
export type ActionsRecorded = { count: number };

/** The follow-through bound to one delivery's transaction `tx` (compose/signals.ts deliveryStoresFor). */
export const followThroughOn = (tx: Db, cadence: CadenceSettings, config: FollowThroughConfig, recorded?: ActionsRecorded) => {
  const events = createLeadEventStore(tx, { inTransaction: true });
  const leads = createSignalLeadStore(tx);
  const exclusions = createExclusionStore(tx);
  const actions = createReplyActionStore(tx);
  const stores: FollowThroughStores = {
    replies: createReplyStore(tx),
    actions: {
      ...actions,
      record: async (rows) => {
        if (recorded) recorded.count += rows.length;
        return actions.record(rows);
      },
    },
    leads,
    events,
    suppressions: createSuppressionStore(tx),
    cadence: createCadenceSync({ store: createCadenceStore(tx), settings: cadence }),
    isExcluded: async (email) => {
      const imported = await exclusions.list();
      const policy = {
        excludedDomains: [...config.exclusions.excludedDomains, ...config.exclusions.competitorDomains, ...imported.filter((e) => e.kind === 'domain').map((e) => e.value)],
        excludedEmails: [...config.exclusions.excludedEmails, ...imported.filter((e) => e.kind === 'email').map((e) => e.value)],
      };
      return !checkRecipient(email, null, policy).ok;
    },
    replyTextOf,
    settings: { timeZone: config.dispatch.timeZone, businessHours: config.dispatch.businessHours },
    ...(config.llm ? { classifier: config.llm.classifier, onLlmNote: config.llm.onLlmNote } : {}),
  };
  return createReplyFollowThrough(stores);
};

/** The dashboard's view of one lead, by id (server.publicUrl, else the listen address): no address in the link. */
export const leadPageUrl = (config: Pick<Config, 'server'>) => (leadId: string) => `${(config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`).replace(/\/+$/, '')}/leads?lead=${encodeURIComponent(leadId)}`;

/**
 * The providers the follow-through calls, as the OPERATOR's channels reach them: in sandbox mode
 * the dispatch set's loopback GoHighLevel and Instantly; live, their keys. Slack only with
 * SLACK_WEBHOOK_URL (`slackWebhookUrl` overrides it: tests point it at the Slack sandbox).
 */
/** The follow-through's providers plus the calendar the SCHEDULER books on (null: no GoHighLevel or no calendar). */
export type FollowThroughProvidersWithCalendar = FollowThroughProviders & { calendar?: SchedulerCalendar | null };

export const followThroughProvidersFor = async (app: AppDeps, dispatch: Pick<DispatchSet, 'sandboxes'>, overrides: { slackWebhookUrl?: string } = {}): Promise<FollowThroughProvidersWithCalendar> => {
  const { config } = app;
  const sandbox = config.usesSandboxes;
  const policyFor = (provider: string, secret: string, endpoint: { timeoutMs: number; retries: number; rateLimitPerMinute: number }) =>
    createHttpPolicy({ provider, timeoutMs: endpoint.timeoutMs, retries: endpoint.retries, secrets: [secret], ...(sandbox ? {} : { rateLimitPerMinute: endpoint.rateLimitPerMinute }) });
  const ghl = sandbox
    ? dispatch.sandboxes.ghl
      ? { url: dispatch.sandboxes.ghl.url, key: dispatch.sandboxes.ghl.apiKey, location: dispatch.sandboxes.ghl.locationId }
      : null
    : config.env.GHL_API_KEY && config.env.GHL_LOCATION_ID
      ? { url: config.ghl.baseUrl, key: config.env.GHL_API_KEY, location: config.env.GHL_LOCATION_ID }
      : null;
  const instantly = sandbox
    ? dispatch.sandboxes.instantly
      ? { url: dispatch.sandboxes.instantly.url, key: dispatch.sandboxes.instantly.apiKey }
      : null
    : config.env.INSTANTLY_API_KEY
      ? { url: config.instantly.baseUrl, key: config.env.INSTANTLY_API_KEY }
      : null;
  const slackUrl = overrides.slackWebhookUrl ?? config.env.SLACK_WEBHOOK_URL;
  const { createGhlClient } = await import('../providers/ghl/client.js');
  const { createInstantlyClient } = await import('../providers/instantly/client.js');
  const ghlClient = ghl ? createGhlClient({ baseUrl: ghl.url, apiKey: ghl.key, locationId: ghl.location, policy: policyFor('ghl', ghl.key, config.ghl) }) : null;
  const instantlyClient = instantly ? createInstantlyClient({ baseUrl: instantly.url, apiKey: instantly.key, policy: policyFor('instantly', instantly.key, config.instantly) }) : null;
  // The calendar a suggested answer offers slots from: configured, else the sandbox's own in sandbox mode.
  const calendarId = config.scheduler.calendarId ?? (sandbox ? (dispatch.sandboxes.ghl?.calendarIds[0] ?? null) : null);
  const freeSlots: FollowThroughProviders['freeSlots'] =
    ghlClient && calendarId ? async ({ start, end, timeZone }) => (await ghlClient.freeSlots(calendarId, { startDate: start, endDate: end, timezone: timeZone })).flatMap((day) => day.slots) : null;
  return {
    calendar: ghlClient && calendarId && freeSlots ? schedulerCalendarOf(ghlClient, calendarId, freeSlots) : null,
    freeSlots: ghlClient && calendarId ? async ({ start, end, timeZone }) => (await ghlClient.freeSlots(calendarId, { startDate: start, endDate: end, timezone: timeZone })).flatMap((day) => day.slots) : null,
    hotLead: slackUrl ? createSlackHotLeadPoster({ webhookUrl: slackUrl }) : null,
    crm: ghlClient ? { upsertContact: (input) => ghlClient.upsertContact(input), addTags: (id, tags) => ghlClient.addTags(id, tags) } : null,
    interest: instantlyClient ? (input) => instantlyClient.updateInterestStatus(input) : null,
  };
};

/** The GoHighLevel calendar as the SCHEDULER books it: the contact by e-mail upsert, the booking (toNotify: GHL's confirmations run), the read-back by listing the slot's events. */
const schedulerCalendarOf = (ghl: GhlClient, calendarId: string, freeSlots: NonNullable<FollowThroughProviders['freeSlots']>): SchedulerCalendar => ({
  freeSlots,
  contactFor: async (lead) => {
    if (!lead.email) throw new AppError('INVALID_INPUT', 'the lead has no e-mail for a GoHighLevel contact');
    const name = { ...(lead.firstName ? { firstName: lead.firstName } : {}), ...(lead.lastName ? { lastName: lead.lastName } : {}), ...(lead.company.name ? { companyName: lead.company.name } : {}) };
    return (await ghl.upsertContact({ email: lead.email, ...name, source: 'caio reply' })).contactId;
  },
  book: async ({ contactId, slot, title }) => ({ id: (await ghl.bookAppointment({ calendarId, contactId, startTime: slot.replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00'), title, toNotify: true, ignoreFreeSlotValidation: false })).id }),
  update: async (appointmentId, patch) => {
    await ghl.updateAppointment(appointmentId, { ...(patch.slot ? { startTime: patch.slot.replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00') } : {}), ...(patch.cancelled ? { appointmentStatus: 'cancelled' as const } : {}), toNotify: true });
  },
  findBooked: async ({ contactId, slot }) => {
    const at = Date.parse(slot);
    const events = await ghl.listEvents(calendarId, { startTime: at - 60_000, endTime: at + 60_000 });
    const found = events.find((e) => e.contactId === contactId && Date.parse(e.startTime ?? '') === at && e.appointmentStatus !== 'cancelled');
    return found ? { id: found.id } : null;
  },
});

/** What the SCHEDULER and the reply drafter both read: the reply, its lead's profile, the thread's subject, the suppression list. */
const replyReadsFor = (db: Db) => {
  const replyStore = createReplyStore(db);
  const inbox = createInboxStore(db);
  return {
    reply: (id: string) => replyStore.byId(id),
    profile: async (leadId: string) => ((await db.select({ profile: leads.profile }).from(leads).where(eq(leads.id, leadId)).limit(1))[0]?.profile as LeadProfile | undefined) ?? null,
    subjectOf: async (reply: { inboxId: string }) => {
      const delivery = await inbox.get(reply.inboxId);
      if (delivery?.provider === 'ghl') return ghlThreadOf(delivery.payload).subject;
      const parsed = delivery?.provider === 'instantly' ? WebhookEventSchema.safeParse(delivery.payload) : null;
      return parsed?.success ? (parsed.data.reply_subject ?? null) : null;
    },
    suppressions: createSuppressionStore(db),
  };
};

/** The SCHEDULER (issue 17 item 4) for one app: the reply and lead from the store, the calendar, drafts, and the meeting_booked unit of work. */
export const schedulerFor = (app: AppDeps, providers: FollowThroughProvidersWithCalendar) => {
  const db = app.database.db;
  const { config } = app;
  const draftStore = createDraftStore(db);
  return createScheduler({
    ...replyReadsFor(db),
    calendar: providers.calendar ?? null,
    queueDraft: async (replyId, leadId, draft, approve) => {
      const id = (await draftStore.queueManyForReview(`reply:${replyId}`, [{ leadId, draft }]))[0]!.draftId;
      // scheduler.autoConfirm: approved by the scheduler, so the reply sender queues it for the gateway like an approved answer.
      if (approve) await db.update(drafts).set({ status: 'approved', decidedBy: 'scheduler (autoConfirm)', decidedAt: app.clock.now() }).where(eq(drafts.id, id));
      return id;
    },
    hasConfirmation: async (replyId, slot) => rowsOf(await db.execute(sql`select 1 from drafts where run_id = ${`reply:${replyId}`} and angle_reason in (${confirmationReason(slot)}, ${movedReason(slot)}) limit 1`)).length > 0,
    currentAppointment: async (leadId) => {
      const [last] = rowsOf(await db.execute(sql`select type, details from lead_events where lead_id = ${leadId} and type in ('meeting_booked', 'meeting_moved', 'meeting_cancelled') order by at desc, id desc limit 1`));
      const details = (last?.details ?? {}) as Row;
      return last && last.type !== 'meeting_cancelled' && typeof details.appointmentId === 'string' && typeof details.slot === 'string' ? { appointmentId: details.appointmentId, slot: details.slot } : null;
    },
    recordMove: async (leadId, at, details) => {
      await createLeadEventStore(db).append({ leadId, at, channel: 'email', type: 'meeting_moved', source: 'scheduler', fromStatus: null, toStatus: null, inboxId: null, details });
    },
    // The cancel's unit of work: the status move through the transition table (meeting_booked -> replied), the event, the KPI milestone withdrawn.
    markCancelled: (leadId, at, details) =>
      db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const signalLeads = createSignalLeadStore(t);
        const found = await signalLeads.withTimeline(leadId);
        if (!found) return;
        const { lead, ...history } = found;
        const outcome = isLeadStatus(lead.status) ? applySignal({ status: lead.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: 'meeting_cancelled', at, source: 'scheduler' }) : null;
        const moved = outcome?.changed ? await signalLeads.setStatus(leadId, lead.status, outcome.status, at) : false;
        await createLeadEventStore(t, { inTransaction: true }).append({
          leadId,
          at,
          channel: 'email',
          type: 'meeting_cancelled',
          source: 'scheduler',
          fromStatus: moved ? lead.status : null,
          toStatus: moved ? outcome!.status : null,
          inboxId: null,
          details,
        });
        await withdrawMeetingMilestone(t, leadId);
      }),
    markBooked: (leadId, at, details) =>
      db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const signalLeads = createSignalLeadStore(t);
        const events = createLeadEventStore(t, { inTransaction: true });
        const lead = await signalLeads.byId(leadId);
        if (!lead) return;
        const moved = lead.status !== 'meeting_booked' && (await signalLeads.setStatus(leadId, lead.status, 'meeting_booked', at));
        await events.append({ leadId, at, channel: 'email', type: 'meeting_booked', source: 'scheduler', fromStatus: moved ? lead.status : null, toStatus: moved ? 'meeting_booked' : null, inboxId: null, details });
        await createCadenceSync({ store: createCadenceStore(t), settings: config.cadence }).onSignal(leadId, 'meeting_booked', at);
        if (details.by)
          await createAuditStore(t).append({
            at,
            actor: details.by,
            action: 'meeting_booked_by_hand',
            entityType: 'reply',
            entityId: details.replyId,
            runId: null,
            details: { leadId, slot: details.slot, appointmentId: details.appointmentId },
          });
      }),
    alerts: app.alerts,
    settings: {
      sender: config.sender,
      businessHours: config.dispatch.businessHours,
      lookaheadDays: config.scheduler.lookaheadDays,
      slotsOffered: config.scheduler.slotsOffered,
      autoConfirm: config.scheduler.autoConfirm,
      bookingUrl: config.scheduler.bookingUrl ?? config.sender.calendarLink,
    },
  });
};

/** The executor of the follow-through's actions for one app (its database, clock, alerts). */
export const followThroughExecutorFor = (app: AppDeps, providers: FollowThroughProvidersWithCalendar): FollowThroughExecutor => {
  const db = app.database.db;
  const queries = createReplyQueries(db);
  const replies = replySenderFor(app);
  const scheduler = schedulerFor(app, providers);
  const executor = createFollowThroughExecutor({
    actions: createReplyActionStore(db),
    read: { reply: queries.reply, lead: queries.lead },
    providers,
    resumeCadence: (leadId, at) =>
      db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        return createCadenceSync({ store: createCadenceStore(t), settings: app.config.cadence }).resume(leadId, at);
      }),
    alerts: app.alerts,
    clock: app.clock,
    log: app.log,
    leadUrl: leadPageUrl(app.config),
    draftReply: replyDrafterFor(app, providers).draft,
    bookMeeting: scheduler.book,
    changeMeeting: scheduler.change,
  });
  return {
    ...executor,
    // The same after-commit pass also puts approved suggested answers into the outbox (the send gateway sends them).
    runDue: async (limit?: number) => {
      const counts = await executor.runDue(limit);
      await replies.queueApproved(app.clock.now());
      return counts;
    },
  };
};

type Row = Record<string, unknown>;
/** The rows of a raw statement (node-postgres and PGlite both answer `{ rows }`). */
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/**
 * Approved suggested answers into the outbox as `reply` items (reply-drafts.ts createReplySender):
 * each with its lead, and its thread read from the reply's own delivery (Instantly: `email_id`, the
 * receiving `email_account`; HeyReach: the lead's profile; GoHighLevel: the InboundMessage's contact,
 * thread, e-mail message and conversation).
 */
export const replySenderFor = (app: AppDeps) => {
  const db = app.database.db;
  const outbox = createOutboxStore(db);
  return createReplySender({
    approvedUnqueued: async (limit) => {
      const result = await db.execute(sql`
        select d.id as draft_id, d.lead_id, r.id as reply_id, r.channel, coalesce(d.edited_subject, d.subject_a) as subject, coalesce(d.edited_body, d.body) as body,
               l.email, l.linkedin_url, l.tier, l.first_name, l.last_name, l.company_name, i.provider, i.payload
        from drafts d
        join replies r on d.run_id = 'reply:' || r.id::text
        join leads l on l.id = d.lead_id
        join webhook_inbox i on i.id = r.inbox_id
        where d.angle_id like 'reply:%' and d.status = 'approved'
          and not exists (select 1 from outbox o where o.dedup_key = 'reply:' || d.id::text)
        order by d.decided_at nulls last, d.id
        limit ${limit}`);
      return rowsOf(result).map((r) => {
        const email = r.channel !== 'linkedin';
        const instantly = r.provider === 'instantly' ? WebhookEventSchema.safeParse(r.payload) : null;
        const heyreach = r.provider === 'heyreach' && r.payload && typeof r.payload === 'object' ? normalizeHeyReachEvent(r.payload as Record<string, unknown>) : null;
        const profileUrl = text(r.linkedin_url) ?? heyreach?.linkedinUrl ?? null;
        // A GoHighLevel nurture reply's thread, from its InboundMessage (contracts/ghl.md "Where threadId / replyMessageId come from").
        const ghl = r.provider === 'ghl' ? ghlThreadOf(r.payload) : null;
        return {
          draftId: String(r.draft_id),
          leadId: String(r.lead_id),
          replyId: String(r.reply_id),
          channel: email ? 'email' : 'linkedin',
          provider: String(r.provider),
          subject: String(r.subject ?? ''),
          body: String(r.body ?? ''),
          recipient: email ? text(r.email) : profileUrl,
          tier: text(r.tier),
          names: { firstName: text(r.first_name), lastName: text(r.last_name), companyName: text(r.company_name) },
          thread: {
            replyToUuid: instantly?.success ? (instantly.data.email_id ?? null) : null,
            eaccount: instantly?.success ? (instantly.data.email_account ?? null) : null,
            threadId: ghl ? ghl.threadId : text((r.payload as Row | null)?.thread_id),
            profileUrl: email ? null : profileUrl,
            contactId: ghl?.contactId ?? null,
            replyMessageId: ghl?.replyMessageId ?? null,
            conversationId: ghl?.conversationId ?? null,
          },
        } satisfies ApprovedReplyDraft;
      });
    },
    enqueue: async (items) => (await outbox.enqueue(items.map((i) => ({ ...i, batchId: null, sender: null })))).inserted.length,
    alerts: app.alerts,
  });
};

/**
 * CRAFTER's suggested answers to replies (issue 17 item 3): the reply and its lead from the store,
 * the calendar from the providers, the draft into the review queue under the run id `reply:<id>`.
 */
export const replyDrafterFor = (app: AppDeps, providers: Pick<FollowThroughProviders, 'freeSlots'>) => {
  const db = app.database.db;
  const { config } = app;
  const draftStore = createDraftStore(db);
  return createReplyDrafter({
    ...replyReadsFor(db),
    freeSlots: providers.freeSlots ?? null,
    drafts: {
      existing: async (runId) => (await db.select({ id: drafts.id }).from(drafts).where(eq(drafts.runId, runId)).limit(1))[0]?.id ?? null,
      queue: async (runId, leadId, draft) => (await draftStore.queueManyForReview(runId, [{ leadId, draft }]))[0]!.draftId,
    },
    alerts: app.alerts,
    settings: {
      sender: config.sender,
      businessHours: config.dispatch.businessHours,
      bookingUrl: config.scheduler.bookingUrl ?? config.sender.calendarLink,
      lookaheadDays: config.scheduler.lookaheadDays,
      slotsOffered: config.scheduler.slotsOffered,
    },
  });
};

/**
 * The processor with the follow-through's calls made right after each delivery commits (and
 * after the sweep, which also catches leftovers: actions whose worker died, retries now due). A
 * failing call never fails the delivery: it is kept on its action row.
 */
export const withFollowThroughActions = (processor: InboxProcessor, executor: FollowThroughExecutor, log: AppDeps['log'], recorded?: ActionsRecorded): InboxProcessor => {
  const drain = async () => {
    try {
      await executor.runDue();
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'reply follow-through actions not run now; the sweep runs them');
    }
  };
  /** `always`: the sweep and a replay; a delivery's own job only when its processing recorded actions (a count taken before it ran). */
  const after =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>, always = false) =>
    async (...args: A): Promise<R> => {
      const before = recorded?.count ?? 0;
      const result = await run(...args);
      if (always || !recorded || recorded.count !== before) await drain();
      return result;
    };
  return {
    ...processor,
    process: after(processor.process),
    processMany: after(processor.processMany),
    processWithWaiting: after(processor.processWithWaiting),
    processPending: after(processor.processPending, true),
    replay: after(processor.replay, true),
  };
};

/**
 * `caio replies book <id> --slot ISO --by NAME` (issue 17 item 4): a person's booking goes through
 * the same `book_meeting` action as a reply's (keyed by lead and slot, so a slot already booked for
 * the lead is not booked again), run at once; `by` is audited with the booking.
 */
export const bookReplyByHand = async (app: AppDeps, executor: FollowThroughExecutor, input: { replyId: string; slot: Date; by: string }) => {
  const db = app.database.db;
  const reply = await createReplyStore(db).byId(input.replyId);
  if (!reply) throw new AppError('NOT_FOUND', `no reply with id ${input.replyId}`);
  if (!reply.leadId) throw new AppError('INVALID_INPUT', 'this reply is from an address we hold no lead for: nothing to book');
  const slot = input.slot.toISOString();
  const actions = createReplyActionStore(db);
  const idempotencyKey = `${reply.leadId}:book:${slot}`;
  await actions.record([{ replyId: reply.id, leadId: reply.leadId, kind: 'book_meeting', idempotencyKey, payload: { slot, by: input.by }, notBefore: app.clock.now() }]);
  await executor.runDue();
  const rows = await db.select().from(replyActions).where(eq(replyActions.idempotencyKey, idempotencyKey)).limit(1);
  const row = rows[0];
  // Done is also an offer of the nearest free slots (the slot was taken or off hours): booked only with its timeline event.
  const booked = rowsOf(await db.execute(sql`select 1 from lead_events where lead_id = ${reply.leadId} and type = 'meeting_booked' and details->>'slot' = ${slot} limit 1`)).length > 0;
  return { slot, booked, status: row?.status ?? 'missing', error: row?.lastError ?? null, replyId: row?.replyId ?? reply.id };
};
