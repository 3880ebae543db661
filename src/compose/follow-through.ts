import type { Config } from '../config/load.js';
import { checkRecipient } from '../domain/sending/index.js';
import { createHttpPolicy } from '../providers/http/policy.js';
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
import { createReplyActionStore } from '../store/reply-actions-repo.js';
import { createReplyQueries, createReplyStore } from '../store/replies-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createSuppressionStore } from '../store/suppressions-repo.js';
import type { AppDeps, DispatchSet } from './app-deps.js';
import { createCadenceSync, type CadenceSettings } from '../signals/cadence-sync.js';

/** The config the follow-through reads inside a delivery's transaction. */
export type FollowThroughConfig = Pick<Config, 'dispatch' | 'exclusions'>;

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
    cadence: createCadenceSync({ store: createCadenceStore(tx), events, leads, settings: cadence }),
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
export const followThroughProvidersFor = async (app: AppDeps, dispatch: Pick<DispatchSet, 'sandboxes'>, overrides: { slackWebhookUrl?: string } = {}): Promise<FollowThroughProviders> => {
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
  return {
    hotLead: slackUrl ? createSlackHotLeadPoster({ webhookUrl: slackUrl }) : null,
    crm: ghlClient ? { upsertContact: (input) => ghlClient.upsertContact(input), addTags: (id, tags) => ghlClient.addTags(id, tags) } : null,
    interest: instantlyClient ? (input) => instantlyClient.updateInterestStatus(input) : null,
  };
};

/** The executor of the follow-through's actions for one app (its database, clock, alerts). */
export const followThroughExecutorFor = (app: AppDeps, providers: FollowThroughProviders): FollowThroughExecutor => {
  const db = app.database.db;
  const queries = createReplyQueries(db);
  return createFollowThroughExecutor({
    actions: createReplyActionStore(db),
    read: { reply: queries.reply, lead: queries.lead },
    providers,
    resumeCadence: (leadId, at) =>
      db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        return createCadenceSync({ store: createCadenceStore(t), events: createLeadEventStore(t, { inTransaction: true }), leads: createSignalLeadStore(t), settings: app.config.cadence }).resume(leadId, at);
      }),
    alerts: app.alerts,
    clock: app.clock,
    log: app.log,
    leadUrl: leadPageUrl(app.config),
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
