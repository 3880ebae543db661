import { isAppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { safeErrorMessage } from '../lib/redact.js';
import type { AlertPort } from '../pipeline/ports.js';
import type { FollowThroughProviders, ReplyAction, ReplyActionKind, ReplyActionStatus, ReplyActionStore, ReplyLeadCard, StoredReply } from './ports.js';

/** Attempts before an action that keeps failing is handed to a person. */
export const MAX_ACTION_ATTEMPTS = 6;
/** A claim this old belongs to a worker that died mid-call. */
export const STALE_ACTION_CLAIM_MS = 5 * 60_000;
/** The first retry after a failure; doubled per attempt, at most an hour. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3600_000;

/** Which calls may be made again after they may have reached the provider (see each provider's client). */
const REPEATABLE: Readonly<Record<ReplyActionKind, boolean>> = { slack_hot_lead: false, crm_tag: true, instantly_interest: true, cadence_resume: true, reply_draft: true, book_meeting: true, change_meeting: true, llm_opt_out: true };
// llm_opt_out goes through the alerts port, which never throws (Slack down: the alert is logged), so it is done once.
// book_meeting is repeatable only because scheduler.ts reads the calendar back before any retry; change_meeting is a PUT (sets values).

export type FollowThroughExecutorDeps = {
  actions: ReplyActionStore;
  /** The reply and its lead, as an action needs them (outside any transaction). */
  read: { reply(id: string): Promise<StoredReply | null>; lead(id: string): Promise<ReplyLeadCard | null> };
  providers: FollowThroughProviders;
  /** CRAFTER's suggested answer to a reply (reply-drafts.ts); repeatable: it finds a draft already written. Null: not wired. */
  draftReply?: ((replyId: string, now: Date) => Promise<{ skipped: string } | { draftId: string }>) | null;
  /** The SCHEDULER (scheduler.ts): book the reply's time, or offer the nearest free slots. Null: not wired. */
  bookMeeting?: ((replyId: string, o: { slot: string | null; by: string | null; retry: boolean; firstAttempt: boolean; now: Date }) => Promise<{ skipped: string } | Record<string, unknown>>) | null;
  /** The SCHEDULER's move or cancel of a booked meeting (scheduler.ts). Null: not wired. */
  changeMeeting?: ((replyId: string, o: { change: 'move' | 'cancel'; now: Date; firstAttempt: boolean }) => Promise<{ skipped: string } | Record<string, unknown>>) | null;
  /** The cadence's resume, in its own unit of work. */
  resumeCadence: (leadId: string, at: Date) => Promise<boolean>;
  /** A person hears about an action that needs them (uncertain, or out of retries). */
  alerts: AlertPort;
  clock: Clock;
  log: Logger;
  /** The dashboard's page for a lead (server.publicUrl, else the listen address), by id: no address in the link. */
  leadUrl: (leadId: string) => string;
};

type Outcome = { status: Exclude<ReplyActionStatus, 'pending' | 'running'>; error?: string; retryInMs?: number };

class Skip extends Error {}

/**
 * The follow-through's calls, after the reply's transaction committed (issue 17 item 2): each
 * action row is claimed (its claim commits before the call), called, and finished. A call that
 * failed before reaching the provider, or that is repeatable, is retried with backoff; one that
 * may have reached the provider and is not repeatable (the Slack alert) is never made again: it
 * becomes `uncertain` for a person, as the send gateway does with an uncertain send. Out of
 * retries, or refused for good: `needs_person`, with an alert. Nothing here ever holds a reply back:
 * the reply and its rows are committed before any call.
 */
export const createFollowThroughExecutor = (deps: FollowThroughExecutorDeps) => {
  const name = (lead: ReplyLeadCard) => [lead.firstName, lead.lastName].filter(Boolean).join(' ') || 'A lead';

  const call = async (action: ReplyAction): Promise<void> => {
    const p = deps.providers;
    if (action.kind === 'cadence_resume') {
      if (!action.leadId) throw new Skip('no lead');
      await deps.resumeCadence(action.leadId, deps.clock.now());
      return;
    }
    if (action.kind === 'reply_draft') {
      if (!deps.draftReply) throw new Skip('reply drafts are not wired');
      const outcome = await deps.draftReply(action.replyId, deps.clock.now());
      if ('skipped' in outcome) throw new Skip(outcome.skipped);
      return;
    }
    if (action.kind === 'book_meeting') {
      if (!deps.bookMeeting) throw new Skip('the scheduler is not wired');
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const outcome = await deps.bookMeeting(action.replyId, {
        slot: text(action.payload.slot),
        by: text(action.payload.by),
        retry: action.attempts > 1 || (action as { stale?: boolean }).stale === true,
        firstAttempt: action.attempts <= 1,
        now: deps.clock.now(),
      });
      if ('skipped' in outcome && typeof outcome.skipped === 'string') throw new Skip(outcome.skipped);
      return;
    }
    if (action.kind === 'change_meeting') {
      if (!deps.changeMeeting) throw new Skip('the scheduler is not wired');
      const outcome = await deps.changeMeeting(action.replyId, { change: action.payload.change === 'cancel' ? 'cancel' : 'move', now: deps.clock.now(), firstAttempt: action.attempts <= 1 });
      if ('skipped' in outcome && typeof outcome.skipped === 'string') throw new Skip(outcome.skipped);
      return;
    }
    const reply = await deps.read.reply(action.replyId);
    const lead = action.leadId ? await deps.read.lead(action.leadId) : null;
    if (!reply || !lead) throw new Skip('the reply or its lead is gone');
    if (action.kind === 'llm_opt_out') {
      // The escalation alerts (Slack, else the log): like the executor's other alerts it names the reply,
      // its classes and the link HOT LEAD uses, never the person, an address or the reply's words.
      const model = typeof action.payload.model === 'string' ? action.payload.model : 'the LLM classifier';
      await deps.alerts.send({
        severity: 'warning',
        title: `A model reads an opt-out the rules did not (reply ${reply.id.slice(0, 8)})`,
        body: `The rules read reply ${reply.id} as ${reply.class}; ${model} reads it as a request to be removed. The rules' reading stands and the lead is still contactable: read the reply (/replies/${reply.id}, caio replies show ${reply.id}) and suppress the lead if that is what they meant. Lead: ${deps.leadUrl(lead.id)}`,
        metadata: { replyId: reply.id, kind: 'llm_opt_out', rulesClass: reply.class, modelClass: 'unsubscribe' },
      });
      return;
    }
    if (action.kind === 'slack_hot_lead') {
      if (!p.hotLead) throw new Skip('Slack is not configured (SLACK_WEBHOOK_URL)');
      await p.hotLead({ leadName: name(lead), company: lead.company, class: reply.class, channel: reply.channel, excerpt: reply.excerpt, leadUrl: deps.leadUrl(lead.id), confidence: reply.confidence });
      return;
    }
    if (!lead.email) throw new Skip('the lead has no e-mail');
    if (action.kind === 'crm_tag') {
      if (!p.crm) throw new Skip('GoHighLevel is not configured');
      const { contactId } = await p.crm.upsertContact({
        email: lead.email,
        ...(lead.firstName ? { firstName: lead.firstName } : {}),
        ...(lead.lastName ? { lastName: lead.lastName } : {}),
        ...(lead.company ? { companyName: lead.company } : {}),
        source: 'caio reply',
      });
      await p.crm.addTags(contactId, (action.payload.tags as string[] | undefined) ?? []);
      return;
    }
    if (!p.interest) throw new Skip('Instantly is not configured');
    const value = action.payload.interestValue;
    await p.interest({ leadEmail: lead.email, interestValue: typeof value === 'number' ? value : null, campaignId: typeof action.payload.campaignId === 'string' ? action.payload.campaignId : null });
  };

  const outcomeOf = (action: ReplyAction, error: unknown): Outcome => {
    if (error instanceof Skip) return { status: 'skipped', error: error.message };
    const message = safeErrorMessage(error);
    if (!isAppError(error)) return { status: 'failed', error: message };
    const code = error.code;
    // Instantly answers 400 "Invalid lead email" for a lead it does not hold: nothing to set there.
    if (action.kind === 'instantly_interest' && code === 'PROVIDER_BAD_REQUEST') return { status: 'skipped', error: 'the lead is not in Instantly' };
    if (code === 'PROVIDER_UNAVAILABLE' && error.details.uncertain === true && !REPEATABLE[action.kind]) return { status: 'uncertain', error: message };
    if (code === 'PROVIDER_UNAVAILABLE' || code === 'PROVIDER_RATE_LIMITED' || code === 'PROVIDER_BAD_RESPONSE' || code === 'STORE_UNAVAILABLE') {
      const retryAfter = Number(error.details.retryAfterSeconds);
      return { status: 'failed', error: message, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryInMs: retryAfter * 1000 } : {}) };
    }
    // Refused for good (credentials, a bad request, a revoked webhook): a person looks.
    return { status: 'needs_person', error: message };
  };

  const runOne = async (action: ReplyAction & { stale: boolean }) => {
    const claimedAt = action.claimedAt!;
    let outcome: Outcome;
    if (action.stale && !REPEATABLE[action.kind]) {
      // Its worker died during the call: the alert may have been posted. Not posted again.
      outcome = { status: 'uncertain', error: 'the worker stopped during the call; it may have reached the provider' };
    } else {
      try {
        await call(action);
        outcome = { status: 'done' };
      } catch (error) {
        outcome = outcomeOf(action, error);
      }
    }
    const now = deps.clock.now();
    if (outcome.status === 'failed' && action.attempts >= MAX_ACTION_ATTEMPTS) outcome = { status: 'needs_person', error: `${outcome.error ?? 'failed'} (after ${action.attempts} attempts)` };
    const retryIn = outcome.retryInMs ?? Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, action.attempts - 1));
    await deps.actions.finish(action.id, claimedAt, { status: outcome.status, error: outcome.error ?? null, at: now, ...(outcome.status === 'failed' ? { notBefore: new Date(now.getTime() + retryIn) } : {}) });
    const line = { actionId: action.id, replyId: action.replyId, kind: action.kind, status: outcome.status, attempts: action.attempts };
    if (outcome.status === 'uncertain' || outcome.status === 'needs_person') {
      deps.log.warn({ ...line, err: outcome.error }, 'a reply follow-through action needs a person');
      await deps.alerts.send({
        severity: 'warning',
        title: `Reply follow-through needs a person (${action.kind})`,
        body: `The ${action.kind} call for reply ${action.replyId} is ${outcome.status}: ${outcome.error ?? ''}`.slice(0, 500),
        metadata: { replyId: action.replyId, actionId: action.id, kind: action.kind, status: outcome.status },
      });
    } else if (outcome.status === 'failed') deps.log.info({ ...line, err: outcome.error }, 'reply follow-through action failed; retried later');
    return outcome.status;
  };

  return {
    /** Run the actions due now (after a delivery's commit, and by the sweep); counts per outcome. */
    runDue: async (limit = 100): Promise<Record<string, number>> => {
      const now = deps.clock.now();
      const claimed = await deps.actions.claimDue(now, limit, new Date(now.getTime() - STALE_ACTION_CLAIM_MS));
      const counts: Record<string, number> = {};
      for (const action of claimed) {
        const status = await runOne(action);
        counts[status] = (counts[status] ?? 0) + 1;
      }
      return counts;
    },
  };
};

export type FollowThroughExecutor = ReturnType<typeof createFollowThroughExecutor>;
