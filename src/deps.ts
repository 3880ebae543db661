/**
 * The composition root: the ONE place that wires config, store, providers, clock and logger.
 * Commands ask for what they need; everything opened here is closed by `close()`.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './config/load.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import path from 'node:path';
import { createLogAlerts } from './providers/log-alerts.js';
import { openDatabase, createStores } from './store/index.js';
import { storeLocationOf, type Database, type StoreLocation } from './store/database.js';

export { storeLocationOf };
import type { EmbeddedRole } from './store/embedded-postgres.js';
import type { AlertPort, LeadEnricher, LeadSource, SendChannel } from './pipeline/ports.js';
import type { OutboundChannel } from './dispatch/ports.js';
import type { GatewaySettings } from './dispatch/send-gateway.js';
import type { OperatorDeps, OperatorSettings } from './dispatch/operator.js';
import type { PipelineDeps } from './pipeline/context.js';
import { AppError } from './lib/app-error.js';
import { createMetrics } from './observability/metrics.js';
import { escalatorFor } from './compose/escalation.js';
import type { AppDeps, DispatchSet } from './compose/app-deps.js';
import type { Redis } from 'ioredis';
import { sharedLimiterFactory } from './providers/http/shared-limits.js';

// The opened app's type lives in compose/app-deps.ts (types only), so that the wiring in compose/
// can name it without importing this module (which imports that wiring).
export type { AppDeps, DispatchSet } from './compose/app-deps.js';

/** What a caller may put in place of the configured parts (tests: a fixed clock, their own schema). */
export type AppOverrides = {
  log?: Logger;
  clock?: Clock;
  role?: EmbeddedRole;
  /** Instead of the configured store (tests: their own schema). */
  store?: StoreLocation;
  /** A database already open (a test file's schema): used as is, and left open by `close()`. */
  database?: Database;
  /** Where alerts go instead of Slack or the log (tests: a list they read). */
  alerts?: AlertPort;
  /** Where sandboxes keep their state; null for memory only. @defaultValue `<dataDir>/sandbox`, or null with `database` */
  sandboxStateDir?: string | null;
};

export const openApp = async (config: Config, overrides: AppOverrides = {}): Promise<AppDeps> => {
  const log = overrides.log ?? createLogger(config.logLevel);
  const database = overrides.database ?? (await openDatabase(overrides.store ?? storeLocationOf(config, overrides.role)));
  // Slack when a webhook is configured, else the log; both carry run ids and codes, never secrets.
  const alerts = overrides.alerts ?? (config.env.SLACK_WEBHOOK_URL ? (await import('./providers/slack/slack-alerts.js')).createSlackAlerts({ webhookUrl: config.env.SLACK_WEBHOOK_URL, log }) : createLogAlerts(log));
  const clock = overrides.clock ?? systemClock;
  // Loaded only when configured; connected only when first used.
  const redisUrl = config.jobsBackend.kind === 'bullmq' ? config.jobsBackend.redisUrl : null;
  const ioredis = redisUrl ? await import('ioredis') : null;
  let redis: Redis | null = null;
  const rateLimitRedis = () => {
    if (!ioredis || !redisUrl) return null;
    if (!redis) {
      // A rate-limit check must not wait out a Redis outage: one try, then the in-process fallback.
      redis = new ioredis.Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'caio-rate-limits' });
      redis.on('error', (error: Error) => log.debug({ err: error.message }, 'redis (rate limits) connection error'));
    }
    return redis;
  };
  return {
    config,
    log,
    clock,
    database,
    stores: createStores(database.db),
    alerts,
    metrics: createMetrics(),
    escalation: await escalatorFor({ config, db: database.db, alerts, clock, log }),
    rateLimitRedis,
    // A database passed in is a test's shared schema: a state file beside it would outlive the test.
    sandboxStateDir: overrides.sandboxStateDir !== undefined ? overrides.sandboxStateDir : overrides.database ? null : path.join(config.dataDir, 'sandbox'),
    close: async () => {
      redis?.disconnect();
      if (!overrides.database) await database.close();
    },
  };
};

export type ProviderSet = { source: LeadSource; enricher: LeadEnricher; close: () => Promise<void>; description: string };

/**
 * `providers: sandbox` starts the loopback Apollo sandbox in this process and points the REAL
 * client at it with a throwaway key; `live` points the same client at the real API.
 */
export type ProviderOptions = { source: string; seed: number | null; inputFile?: string | undefined; onInputProgress?: (rows: number) => void };

/**
 * `providers: sandbox` starts the loopback Apollo sandbox in this process and points the REAL
 * client at it with a throwaway key; `live` points the same client at the real API. `--input FILE`
 * replaces Apollo discovery with the file; enrichment still goes through Apollo People Match.
 */
export const openProviders = async (app: AppDeps, options: ProviderOptions): Promise<ProviderSet> => {
  const { config } = app;
  const { discoveryFor } = await import('./providers/apollo/profiles.js');
  // Website visitors (`--source rb2b`) come from the store; enrichment is Apollo's as for any lead.
  const visitors = !options.inputFile && options.source === 'rb2b';
  // A targeting profile (discovery.profiles) is an Apollo source too; an unknown name is refused before anything opens.
  const discovery = options.inputFile || visitors ? null : discoveryFor(config.discovery, options.source);
  const { createApolloClient } = await import('./providers/apollo/client.js');
  const { createApolloLeadSource } = await import('./providers/apollo/lead-source.js');
  const { createApolloEnricher } = await import('./providers/apollo/enricher.js');
  const { createHttpPolicy } = await import('./providers/http/policy.js');
  const policyFor = (apiKey: string, rateLimitPerMinute: number | undefined) =>
    createHttpPolicy({
      provider: 'apollo',
      timeoutMs: config.apollo.timeoutMs,
      retries: config.apollo.retries,
      ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
      secrets: [apiKey],
      ...policyHooks(app, 'apollo'),
    });
  let client;
  let close = async () => {};
  let description: string;
  if (!config.usesSandboxes) {
    const apiKey = config.env.APOLLO_API_KEY!;
    client = createApolloClient({ baseUrl: config.apollo.baseUrl, apiKey, policy: policyFor(apiKey, config.apollo.rateLimitPerMinute) });
    description = `Apollo (live, ${config.apollo.baseUrl})`;
  } else {
    const { startApolloSandbox } = await import('./providers/sandbox/apollo/index.js');
    const apiKey = `sandbox-${randomBytes(8).toString('hex')}`;
    const seed = options.seed ?? config.sandbox.seed;
    const sandbox = await startApolloSandbox({ seed, count: config.sandbox.peopleCount, apiKey, credits: Number.POSITIVE_INFINITY, rateLimitPerMinute: 100_000 });
    // The sandbox answers at once; its own limit is lifted, so no client-side rate limit is needed.
    client = createApolloClient({ baseUrl: sandbox.url, apiKey, policy: policyFor(apiKey, undefined) });
    close = () => sandbox.close();
    description = `Apollo sandbox on ${sandbox.url} (seed ${seed})`;
  }
  const enricher = await buildWaterfall(app, createApolloEnricher({ client }), (c) => {
    const previous = close;
    close = async () => {
      await c();
      await previous();
    };
  });
  if (options.inputFile) {
    const { createFileLeadSource } = await import('./providers/files/file-lead-source.js');
    const source = createFileLeadSource({ file: options.inputFile, isSuppressed: () => app.stores.suppressions.matcher(), ...(options.onInputProgress ? { onProgress: options.onInputProgress } : {}) });
    return { source, enricher, close: () => close(), description: `${options.inputFile} for discovery, ${description} for enrichment` };
  }
  if (visitors) {
    const { visitorSourceFor } = await import('./compose/visitors.js');
    return { source: visitorSourceFor(app), enricher, close: () => close(), description: `website visitors (RB2B) for discovery, ${description} for enrichment` };
  }
  return { source: createApolloLeadSource({ client, discovery: discovery!, name: options.source }), enricher, close: () => close(), description };
};

/** A breaker transition is alerted and recorded for `caio doctor`; neither may break the call that caused it. */
/**
 * What every provider's HTTP policy reports to and shares: breaker transitions (alerts, escalation,
 * metrics), each attempt (metrics) and, with REDIS_URL, a rate limit held in Redis so that the
 * documented limit holds in total however many workers call the provider.
 */
export const policyHooks = (app: AppDeps, provider: string) => ({
  onBreakerTransition: breakerAlerts(app),
  onCall: (e: { provider: string; outcome: string; durationMs: number }) => app.metrics.providerCall(e.provider, e.outcome, e.durationMs),
  ...(app.rateLimitRedis()
    ? {
        limiterFactory: sharedLimiterFactory(app.rateLimitRedis()!, provider, `${app.config.jobs.queuePrefix}:rate`, {
          onFallback: ({ reason }) => app.log.warn({ provider, reason }, 'Redis unavailable: this process holds the rate limit on its own meanwhile'),
        }),
      }
    : {}),
});

const SENDING_PROVIDERS = new Set(['instantly', 'heyreach', 'ghl']);

export const breakerAlerts =
  (app: AppDeps) =>
  ({ provider, from, to }: { provider: string; from: string; to: string }) => {
    app.metrics.breaker(provider, to);
    // An open breaker is an incident (escalated by how long it stays open); closing it resolves it.
    const key = `provider:${provider}:unavailable`;
    const escalate =
      to === 'open'
        ? app.escalation.report({
            key,
            kind: 'breaker_open',
            title: `${provider} is failing: its circuit breaker opened`,
            detail: `Calls to ${provider} are refused until it answers again (${from} -> ${to}).`,
            since: app.clock.now(),
            leadsAffected: 0,
            sendingAffected: SENDING_PROVIDERS.has(provider),
          })
        : to === 'closed'
          ? app.escalation.resolve(key)
          : Promise.resolve();
    void escalate.catch((error: unknown) => app.log.warn({ provider, err: error instanceof Error ? error.message : String(error) }, 'could not escalate a breaker transition'));
    void app.alerts.send({ severity: to === 'open' ? 'critical' : 'info', title: `${provider} circuit ${to}`, body: `The ${provider} circuit breaker went from ${from} to ${to}.`, metadata: { provider, from, to } });
    void app.stores.providerHealth
      .recordBreaker(provider, from, to, app.clock.now())
      .catch((error: unknown) => app.log.warn({ provider, err: error instanceof Error ? error.message : String(error) }, 'could not record a breaker transition'));
  };

/**
 * Apollo, then BetterContact, then Clay, for leads still without an email; each step only when
 * enabled and (live) configured. Sandbox mode starts each provider's loopback server.
 */
const buildWaterfall = async (app: AppDeps, apollo: LeadEnricher, onClose: (close: () => Promise<void>) => void): Promise<LeadEnricher> => {
  const steps: LeadEnricher[] = [apollo];
  const betterContact = await buildBetterContactStep(app, onClose);
  if (betterContact) steps.push(betterContact);
  const clay = await buildClayStep(app, onClose);
  if (clay) steps.push(clay);
  if (steps.length === 1) return apollo;
  const { createEnrichmentWaterfall } = await import('./pipeline/enrichment-waterfall.js');
  return createEnrichmentWaterfall(steps);
};

const buildBetterContactStep = async (app: AppDeps, onClose: (close: () => Promise<void>) => void): Promise<LeadEnricher | null> => {
  const { config } = app;
  const bc = config.betterContact;
  if (!bc.enabled || (!config.usesSandboxes && !config.env.BETTERCONTACT_API_KEY)) return null;
  const { createBetterContactClient } = await import('./providers/bettercontact/client.js');
  const { createBetterContactEnricher } = await import('./providers/bettercontact/enricher.js');
  const { createHttpPolicy } = await import('./providers/http/policy.js');
  let baseUrl = bc.baseUrl;
  let apiKey = config.env.BETTERCONTACT_API_KEY ?? '';
  let pollIntervalMs = bc.pollIntervalMs;
  if (config.usesSandboxes) {
    const { startBetterContactSandbox } = await import('./providers/sandbox/bettercontact/server.js');
    const sandbox = await startBetterContactSandbox({ apiKey: `sandbox-${randomBytes(8).toString('hex')}` });
    onClose(sandbox.close);
    baseUrl = sandbox.url;
    apiKey = sandbox.apiKey;
    pollIntervalMs = Math.min(pollIntervalMs, 20);
  }
  const policy = createHttpPolicy({
    provider: 'bettercontact',
    secrets: [apiKey],
    ...(!config.usesSandboxes ? { rateLimitPerMinute: bc.rateLimitPerMinute } : {}),
    ...policyHooks(app, 'bettercontact'),
  });
  const client = createBetterContactClient({ baseUrl, apiKey, policy });
  return createBetterContactEnricher({ client, pollIntervalMs, maxPolls: bc.maxPolls });
};

/**
 * Clay needs our callback route served for the length of the run: the HTTP API column posts the
 * enriched row there, and the route stores it for the waiting enricher (and later runs). It is the
 * server's own app (buildApp, the same handler as `caio serve`'s Clay route) with only that route.
 */
const buildClayStep = async (app: AppDeps, onClose: (close: () => Promise<void>) => void): Promise<LeadEnricher | null> => {
  const { config } = app;
  const clay = config.clay;
  if (!clay.enabled) return null;
  const { createClayClient } = await import('./providers/clay/client.js');
  const { createClayEnricher } = await import('./providers/clay/enricher.js');
  const { webhookRef } = await import('./providers/clay/correlation.js');
  const { createInboxStore } = await import('./store/inbox-repo.js');
  const { buildApp, serverLogging } = await import('./server/app.js');
  const { clayCallbackRoutes } = await import('./server/webhook-routes.js');
  const { createHttpPolicy } = await import('./providers/http/policy.js');
  const sandboxMode = config.usesSandboxes;
  const callbackToken = sandboxMode ? `sandbox-${randomBytes(12).toString('hex')}` : config.env.CLAY_CALLBACK_TOKEN!;
  const routes = clayCallbackRoutes({ token: callbackToken, store: app.stores.clay, inbox: createInboxStore(app.database.db), paths: [clay.callbackPath] });
  const receiver = buildApp({ routes, maxBodyBytes: config.server.maxBodyBytes, onError: serverLogging(app.log).onError });
  const receiverUrl = await receiver.listen({ host: clay.callbackHost, port: clay.callbackPort });
  onClose(() => receiver.close());
  let webhookUrl = config.env.CLAY_WEBHOOK_URL ?? '';
  let authToken = config.env.CLAY_API_KEY ?? null;
  let waitMs = clay.waitMs;
  let pollIntervalMs = clay.pollIntervalMs;
  if (sandboxMode) {
    const { startClaySandbox } = await import('./providers/sandbox/clay/server.js');
    authToken = `sandbox-${randomBytes(8).toString('hex')}`;
    const sandbox = await startClaySandbox({ callbackUrl: `${receiverUrl}${clay.callbackPath}`, callbackToken, webhookAuthToken: authToken, callbackDelayMs: 30 });
    onClose(sandbox.close);
    webhookUrl = sandbox.webhookUrl;
    // The sandbox answers in milliseconds; a row it never answers should not hold a run for minutes.
    waitMs = Math.min(waitMs, 1_500);
    pollIntervalMs = Math.min(pollIntervalMs, 20);
  }
  const secrets = [webhookUrl, callbackToken, ...(authToken ? [authToken] : [])];
  const policy = createHttpPolicy({ provider: 'clay', secrets, ...(sandboxMode ? {} : { rateLimitPerMinute: clay.rateLimitPerMinute }), ...policyHooks(app, 'clay') });
  return createClayEnricher({
    client: createClayClient({ webhookUrl, authToken, policy }),
    store: app.stores.clay,
    webhookRef: webhookRef(webhookUrl),
    submissionCap: clay.submissionCap,
    waitMs,
    pollIntervalMs,
    creditsPerRow: clay.creditsPerRow,
    reuseWithinMs: clay.reuseWithinHours * 3_600_000,
    alerts: app.alerts,
  });
};

export const pipelineDepsFor = (app: AppDeps, providers: ProviderSet, options: { enrich: boolean } = { enrich: true }): PipelineDeps => ({
  stores: app.stores,
  source: providers.source,
  enricher: providers.enricher,
  alerts: app.alerts,
  clock: app.clock,
  log: app.log,
  settings: {
    mode: app.config.providers,
    icp: { ...app.config.icp, exclusions: app.config.exclusions },
    sender: app.config.sender,
    tierRouting: app.config.tierRouting,
    stopOnStageFailure: app.config.pipeline.stopOnStageFailure,
    enrichConcurrency: app.config.pipeline.enrichConcurrency,
    enrichTimeoutMs: app.config.pipeline.enrichTimeoutMs,
    enrich: options.enrich,
    review: app.config.review,
    quality: app.config.quality,
    visitMention: app.config.rb2b.mentionVisit,
  },
});

/**
 * The OPERATOR and the send gateway, with one outbound channel per configured provider. In
 * sandbox mode the Instantly, HeyReach and GoHighLevel loopback servers are started here (their
 * state is kept in <dataDir>/sandbox/<provider>.json, docs/sandboxes.md); live, a channel exists only when its keys are set.
 */
/**
 * What a caller may put on top of the production wiring of dispatch (tests: settings from their
 * scenario, a channel that fails a given way, a second holder). Everything else is built as the
 * CLI and the server build it: clients with their HTTP policies, channels, gateway, OPERATOR.
 */
export type DispatchOverrides = {
  gateway?: Partial<GatewaySettings>;
  operator?: Partial<OperatorSettings>;
  /** Wrap or replace the channels once built (a channel that fails a given way). */
  wrapChannels?: (channels: Record<SendChannel, OutboundChannel>) => Partial<Record<SendChannel, OutboundChannel>>;
  holder?: string;
  /** @defaultValue EMERGENCY_STOP from the environment */
  envEmergencyStop?: boolean;
  /** @defaultValue the app's escalation */
  escalation?: OperatorDeps['escalation'];
  /** The gateway's jitter source. @defaultValue Math.random */
  random?: () => number;
};

/** The file a sandbox started here keeps its state in, under the data folder (docs/sandboxes.md); a failed save is logged, never fatal. */
const sandboxStateFor = async (app: AppDeps, provider: string) => {
  if (!app.sandboxStateDir) return undefined;
  const { sandboxStateFile } = await import('./providers/sandbox/state-file.js');
  return sandboxStateFile(path.join(app.sandboxStateDir, `${provider}.json`), (message) => app.log.warn({ provider }, message));
};

export const openDispatch = async (app: AppDeps, overrides: DispatchOverrides = {}): Promise<DispatchSet> => {
  const { config } = app;
  const sandboxMode = config.usesSandboxes;
  const { createHttpPolicy } = await import('./providers/http/policy.js');
  const { createCampaignStore, createControlStore } = await import('./store/control-repo.js');
  const { createOutboxStore } = await import('./store/outbox-repo.js');
  const { createLeadStateQuery } = await import('./store/dispatch-query-repo.js');
  const { createBatchStore } = await import('./store/batches-repo.js');
  const { createExclusionStore } = await import('./store/exclusions-repo.js');
  const { importedExclusionPolicy } = await import('./dispatch/exclusions.js');
  const { createSendGateway } = await import('./dispatch/send-gateway.js');
  const { createOperator } = await import('./dispatch/operator.js');
  const { toInstantlyTimezone } = await import('./providers/instantly/schemas.js');
  const { cadenceSyncFor, sentWithTouchFor, touchRecorderFor } = await import('./compose/signals.js');
  const { createLeadEventStore } = await import('./store/inbox-repo.js');
  const { createSignalLeadStore } = await import('./store/signals-repo.js');
  const { subjectShareFor } = await import('./compose/learning.js');
  const db = app.database.db;
  const campaigns = createCampaignStore(db);
  const control = createControlStore(db);
  const outbox = createOutboxStore(db);
  const closers: (() => Promise<void>)[] = [];
  const built: DispatchSet['channels'] = {};
  const sandboxes: DispatchSet['sandboxes'] = {};
  const described: string[] = [];
  const policyFor = (provider: string, secret: string, endpoint: { timeoutMs: number; retries: number; rateLimitPerMinute: number }) =>
    createHttpPolicy({ provider, timeoutMs: endpoint.timeoutMs, retries: endpoint.retries, secrets: [secret], ...(sandboxMode ? {} : { rateLimitPerMinute: endpoint.rateLimitPerMinute }), ...policyHooks(app, provider) });

  let instantlyTimeZone;
  try {
    instantlyTimeZone = toInstantlyTimezone(config.dispatch.instantlyTimeZone);
  } catch {
    throw new AppError('CONFIG_INVALID', `dispatch.instantlyTimeZone: "${config.dispatch.instantlyTimeZone}" is not in Instantly's time zone list (America/Detroit is New York's clock)`);
  }
  const senders = config.sendingAccounts.filter((a) => a.channel === 'instantly').map((a) => a.email);

  const instantlyKey = sandboxMode ? `sandbox-${randomBytes(8).toString('hex')}` : config.env.INSTANTLY_API_KEY;
  if (instantlyKey) {
    let baseUrl = config.instantly.baseUrl;
    if (sandboxMode) {
      const { startInstantlySandbox } = await import('./providers/sandbox/instantly/server.js');
      // The configured sending accounts are the sandbox workspace's: its campaigns send from them and answers leave from them.
      const accounts = senders.length ? { accounts: senders.map((email) => ({ email })) } : {};
      const sandbox = await startInstantlySandbox({ apiKey: instantlyKey, state: await sandboxStateFor(app, 'instantly'), ...accounts });
      closers.push(sandbox.close);
      sandboxes.instantly = sandbox;
      baseUrl = sandbox.url;
    }
    const { createInstantlyClient } = await import('./providers/instantly/client.js');
    const { createInstantlyChannel } = await import('./providers/instantly/outbound-channel.js');
    const client = createInstantlyClient({ baseUrl, apiKey: instantlyKey, policy: policyFor('instantly', instantlyKey, config.instantly) });
    built.instantly = createInstantlyChannel({
      client,
      campaigns,
      settings: {
        senders,
        timezone: instantlyTimeZone,
        // Our weekdays are ISO (1 = Monday ... 7 = Sunday); Instantly's keys are 0 = Sunday ... 6.
        days: [...new Set(config.dispatch.businessHours.weekdays.map((d) => d % 7))].sort((a, b) => a - b),
        fromHour: config.dispatch.businessHours.startHour,
        toHour: config.dispatch.businessHours.endHour,
        campaignDailyLimit: config.dispatch.instantlyCampaignDailyLimit,
        emailGapMinutes: config.dispatch.instantlyEmailGapMinutes,
      },
    });
    described.push(sandboxMode ? `Instantly sandbox ${baseUrl}` : 'Instantly');
  }
  const heyreachKey = sandboxMode ? `sandbox-${randomBytes(8).toString('hex')}` : config.env.HEYREACH_API_KEY;
  if (heyreachKey) {
    let baseUrl = config.heyreach.baseUrl;
    if (sandboxMode) {
      const { startHeyReachSandbox } = await import('./providers/sandbox/heyreach/server.js');
      const sandbox = await startHeyReachSandbox({ apiKey: heyreachKey, state: await sandboxStateFor(app, 'heyreach') });
      closers.push(sandbox.close);
      sandboxes.heyreach = sandbox;
      baseUrl = sandbox.url;
    }
    const { createHeyReachClient } = await import('./providers/heyreach/client.js');
    const { createHeyReachChannel } = await import('./providers/heyreach/outbound-channel.js');
    built.heyreach = createHeyReachChannel({
      client: createHeyReachClient({ baseUrl, apiKey: heyreachKey, policy: policyFor('heyreach', heyreachKey, config.heyreach) }),
      campaigns,
      // LinkedIn message steps go into the campaign configured for them (docs/linkedin.md).
      messageCampaigns: config.heyreach.campaigns,
    });
    described.push(sandboxMode ? `HeyReach sandbox ${baseUrl}` : 'HeyReach');
  }
  const ghl = sandboxMode
    ? { key: `pit-sandbox-${randomBytes(8).toString('hex')}`, location: 'sandbox-location' }
    : config.env.GHL_API_KEY && config.env.GHL_LOCATION_ID
      ? { key: config.env.GHL_API_KEY, location: config.env.GHL_LOCATION_ID }
      : null;
  let ghlClient: import('./providers/ghl/client.js').GhlClient | null = null;
  if (ghl) {
    let baseUrl = config.ghl.baseUrl;
    if (sandboxMode) {
      const { startGhlSandbox } = await import('./providers/sandbox/ghl/server.js');
      const { staleCrmContacts } = await import('./providers/sandbox/ghl/stale-contacts.js');
      // A CRM with some stale contacts, so the revival motion has something to show in sandbox mode.
      // The app's clock, not the wall clock: its burst window (100 calls in 10 s) and its timestamps
      // follow the time the app runs in. The same thing for `caio start`; for `caio simulate`, where a
      // month passes in a minute or two, a wall-clock window would refuse calls the hours spread out.
      const sandbox = await startGhlSandbox({
        apiKey: ghl.key,
        locationId: ghl.location,
        seedContacts: staleCrmContacts(app.clock.now(), config.sandbox.seed),
        state: await sandboxStateFor(app, 'ghl'),
        now: () => app.clock.now().getTime(),
      });
      closers.push(sandbox.close);
      sandboxes.ghl = sandbox;
      baseUrl = sandbox.url;
    }
    const { createGhlClient } = await import('./providers/ghl/client.js');
    const { createGhlChannel } = await import('./providers/ghl/outbound-channel.js');
    ghlClient = createGhlClient({ baseUrl, apiKey: ghl.key, locationId: ghl.location, policy: policyFor('ghl', ghl.key, config.ghl) });
    built.ghl = createGhlChannel({ client: ghlClient });
    described.push(sandboxMode ? `GoHighLevel sandbox ${baseUrl}` : 'GoHighLevel');
  }

  const channels: DispatchSet['channels'] = overrides.wrapChannels ? overrides.wrapChannels(built as Record<SendChannel, OutboundChannel>) : built;
  const batches = createBatchStore(db);
  const gatekeeper = (await import('./compose/operator.js')).gatekeeperFor(app, batches);
  const leads = createLeadStateQuery(db);
  const { limits } = config;
  const cadence = cadenceSyncFor(app);
  const newGateway = () =>
    createSendGateway({
      outbox,
      control,
      leads,
      isSuppressed: () => app.stores.suppressions.matcher(),
      channels,
      audit: app.stores.audit,
      alerts: app.alerts,
      clock: app.clock,
      envEmergencyStop: overrides.envEmergencyStop ?? config.env.EMERGENCY_STOP === true,
      importedExclusions: importedExclusionPolicy(createExclusionStore(db)),
      onSent: touchRecorderFor(app),
      // The mark and the touch in one statement; onSent when the lead moved meanwhile.
      sentWithTouch: sentWithTouchFor(app),
      ...(overrides.random ? { random: overrides.random } : {}),
      onItem: (r) => app.metrics.sendItem(r.channel, r.outcome, r.reason),
      settings: {
        limits: { emailDailyLimit: limits.emailDailyLimit, emailHourlyLimit: limits.emailHourlyLimit, emailMonthlyLimit: limits.emailMonthlyLimit, perDomainHourlyLimit: limits.perDomainHourlyLimit, minDelaySeconds: limits.minDelaySeconds },
        linkedinWarmup: { warmupStart: limits.linkedinWarmupStart, warmupWeeks: limits.linkedinWarmupWeeks, warmupDailyLimit: limits.linkedinWarmupDailyLimit, fullDailyLimit: limits.linkedinFullDailyLimit },
        emailDailyLimit: limits.emailDailyLimit,
        senders: config.sendingAccounts.map((a) => ({ email: a.email, dailyLimit: a.dailyLimit })),
        recipients: { excludedDomains: [...config.exclusions.excludedDomains, ...config.exclusions.competitorDomains], excludedEmails: config.exclusions.excludedEmails },
        businessHours: { ...config.dispatch.businessHours, defaultTimeZone: config.dispatch.timeZone },
        jitterSeconds: config.dispatch.jitterSeconds,
        claimLeaseMs: config.dispatch.claimLeaseSeconds * 1000,
        ...overrides.gateway,
      },
    });
  const { createRevival } = await import('./signals/revival.js');
  const { createRevivalDrafter } = await import('./signals/revival-drafts.js');
  const { revivalQueuedSince } = await import('./store/inbox-repo.js');
  const { timelinesOf } = await import('./store/timelines-repo.js');
  const revivalEvents = createLeadEventStore(db);
  // The revival e-mail of a queued lead: crafted from its context, quality-guarded like a first draft, queued for review.
  const revivalDrafter = createRevivalDrafter({
    events: revivalEvents,
    profiles: {
      profileOf: async (email) => {
        const detail = await app.stores.leadDetail.detailByEmail(email);
        return detail ? { leadId: detail.lead.id, profile: detail.lead.profile } : null;
      },
    },
    drafts: app.stores.drafts,
    settings: { sender: config.sender, quality: { ...config.quality, maxRejections: config.review.maxRejections } },
  });
  const revival = ghlClient
    ? createRevival({
        ghl: ghlClient,
        leads: createSignalLeadStore(db),
        events: revivalEvents,
        timelines: (leadIds, limit) => timelinesOf(db, leadIds, limit),
        settings: config.revival,
        dailyLimit: limits.revivalDailyLimit,
        queuedToday: (now) => revivalQueuedSince(db, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))),
        drafter: revivalDrafter,
      })
    : undefined;
  const operatorFor = (holder: string | undefined, settings: Partial<OperatorSettings> = {}) => {
    const gateway = newGateway();
    const operator = createOperator({
      escalation: overrides.escalation ?? app.escalation,
      ...(holder ? { holder } : {}),
      ...(revival ? { revival } : {}),
      // learning.autoShift (docs/learning.md): first e-mails lean toward the subject that wins replies.
      ...(config.learning.autoShift ? { subjectShareA: subjectShareFor(db, config.learning) } : {}),
      cadence,
      gatekeeper,
      batches,
      outbox,
      control,
      campaigns,
      leads,
      gateway,
      channels,
      audit: app.stores.audit,
      alerts: app.alerts,
      clock: app.clock,
      settings: {
        send: config.send,
        gatekeeperRequired: config.dispatch.gatekeeperRequired,
        maxLeadsPerDomainPerBatch: limits.maxLeadsPerDomainPerBatch,
        ramp: config.ramp,
        leaseMs: config.dispatch.leaseSeconds * 1000,
        drainLimit: config.dispatch.drainLimit,
        autoPause: config.dispatch.autoPause,
        cadenceCopy: { sender: config.sender, quality: { ...config.quality, maxRejections: config.review.maxRejections } },
        emailDailyLimit: limits.emailDailyLimit,
        ...overrides.operator,
        ...settings,
      },
    });
    return { gateway, operator };
  };
  const { gateway, operator } = operatorFor(overrides.holder);
  return {
    revival,
    operator,
    channels,
    parts: { gateway, gatekeeper, outbox, control, campaigns, cadence, operatorFor },
    sandboxes,
    description: described.join(', ') || 'no outbound channel configured',
    close: async () => {
      for (const c of closers.reverse()) await c();
    },
  };
};
