import { randomBytes } from 'node:crypto';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import type { Config } from '../../config/load.js';
import { openDatabase } from '../../store/database.js';
import { storeLocationOf } from '../../deps.js';
import { AppError } from '../../lib/app-error.js';
import { createProviderHealthStore } from '../../store/provider-health-repo.js';
import { JOB_QUEUES } from '../../jobs/catalogue.js';
import { cliOut, setExitCode, storeOverride } from '../io.js';

type Check = { name: string; enabled: boolean; configured: boolean; reachable: boolean | null; detail: string };

const describe = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return `${e.code ?? 'ERROR'}: ${e.message ?? String(error)}`;
};

type Probe = {
  name: string;
  enabled: boolean;
  /** Why it cannot be checked, when a credential is missing. */
  missing: string | null;
  /** Live: one harmless authenticated call; sandbox: the same call against the loopback fake. */
  call: (sandbox: boolean) => Promise<string>;
  /** Providers with no harmless call (it would send a message or add a row) are only reported as configured. */
  notContacted?: string;
};

const withSandbox = async <S extends { close: () => Promise<void> }>(start: () => Promise<S>, use: (sandbox: S) => Promise<void>) => {
  const sandbox = await start();
  try {
    await use(sandbox);
  } finally {
    await sandbox.close();
  }
};

/** The probes, one per provider; each starts its loopback fake in sandbox mode. */
const probesFor = (config: Config): Probe[] => {
  const env = config.env;
  const live = !config.usesSandboxes;
  const sandboxKey = () => `sandbox-${randomBytes(6).toString('hex')}`;
  return [
    {
      name: 'apollo',
      enabled: true,
      missing: live && !env.APOLLO_API_KEY ? 'APOLLO_API_KEY is not set' : null,
      call: async (sandbox) => {
        const { createApolloClient } = await import('../../providers/apollo/client.js');
        const probe = (baseUrl: string, apiKey: string) => createApolloClient({ baseUrl, apiKey, timeoutMs: config.apollo.timeoutMs }).searchPeople({ per_page: 1 });
        if (!sandbox) return probe(config.apollo.baseUrl, env.APOLLO_API_KEY!).then(() => 'People Search answered (free call)');
        const key = sandboxKey();
        await withSandbox(
          async () => (await import('../../providers/sandbox/apollo/index.js')).startApolloSandbox({ apiKey: key, count: 5 }),
          (fake) => probe(fake.url, key).then(() => undefined),
        );
        return 'sandbox: People Search answered';
      },
    },
    {
      name: 'bettercontact',
      enabled: config.betterContact.enabled,
      missing: live && !env.BETTERCONTACT_API_KEY ? 'BETTERCONTACT_API_KEY is not set: the waterfall skips it' : null,
      call: async (sandbox) => {
        const { createBetterContactClient } = await import('../../providers/bettercontact/client.js');
        // Polling an unknown id is free: 406 proves the key works.
        const probe = (baseUrl: string, apiKey: string) => createBetterContactClient({ baseUrl, apiKey }).poll('caio-connectivity-check');
        if (!sandbox) return probe(config.betterContact.baseUrl, env.BETTERCONTACT_API_KEY!).then(() => 'answered (free call)');
        await withSandbox(
          async () => (await import('../../providers/sandbox/bettercontact/server.js')).startBetterContactSandbox({ apiKey: 'sandbox-check-key' }),
          (fake) => probe(fake.url, 'sandbox-check-key').then(() => undefined),
        );
        return 'sandbox: answered';
      },
    },
    {
      name: 'clay',
      enabled: config.clay.enabled,
      missing: live && (!env.CLAY_WEBHOOK_URL || !env.CLAY_CALLBACK_TOKEN) ? 'CLAY_WEBHOOK_URL and CLAY_CALLBACK_TOKEN are both needed' : null,
      notContacted: 'table webhook set; not contacted (a check would add a row that costs credits)',
      call: async () => 'not contacted',
    },
    {
      name: 'instantly',
      enabled: true,
      missing: live && !env.INSTANTLY_API_KEY ? 'INSTANTLY_API_KEY is not set: email cannot be sent' : null,
      call: async (sandbox) => {
        const { createInstantlyClient } = await import('../../providers/instantly/client.js');
        const probe = (baseUrl: string, apiKey: string) => createInstantlyClient({ baseUrl, apiKey }).listCampaigns({ limit: 1 });
        if (!sandbox) return probe(config.instantly.baseUrl, env.INSTANTLY_API_KEY!).then(() => 'campaigns listed (read-only)');
        const key = sandboxKey();
        await withSandbox(
          async () => (await import('../../providers/sandbox/instantly/server.js')).startInstantlySandbox({ apiKey: key }),
          (fake) => probe(fake.url, key).then(() => undefined),
        );
        return 'sandbox: campaigns listed';
      },
    },
    {
      name: 'heyreach',
      enabled: true,
      missing: live && !env.HEYREACH_API_KEY ? 'HEYREACH_API_KEY is not set: LinkedIn touches cannot be sent' : null,
      call: async (sandbox) => {
        const { createHeyReachClient } = await import('../../providers/heyreach/client.js');
        const probe = async (baseUrl: string, apiKey: string) => {
          if (!(await createHeyReachClient({ baseUrl, apiKey }).checkApiKey())) throw new AppError('PROVIDER_AUTH', 'heyreach: the API key was refused');
        };
        if (!sandbox) return probe(config.heyreach.baseUrl, env.HEYREACH_API_KEY!).then(() => 'API key accepted (CheckApiKey)');
        const key = sandboxKey();
        await withSandbox(
          async () => (await import('../../providers/sandbox/heyreach/server.js')).startHeyReachSandbox({ apiKey: key }),
          (fake) => probe(fake.url, key),
        );
        return 'sandbox: API key accepted';
      },
    },
    {
      name: 'ghl',
      enabled: true,
      missing: live && (!env.GHL_API_KEY || !env.GHL_LOCATION_ID) ? 'GHL_API_KEY and GHL_LOCATION_ID are both needed for the CRM' : null,
      call: async (sandbox) => {
        const { createGhlClient } = await import('../../providers/ghl/client.js');
        // A duplicate lookup of an address that cannot exist: read-only.
        const probe = (baseUrl: string, apiKey: string, locationId: string) => createGhlClient({ baseUrl, apiKey, locationId }).findContactByEmail('connectivity-check@caio.invalid');
        if (!sandbox) return probe(config.ghl.baseUrl, env.GHL_API_KEY!, env.GHL_LOCATION_ID!).then(() => 'contact lookup answered (read-only)');
        await withSandbox(
          async () => (await import('../../providers/sandbox/ghl/server.js')).startGhlSandbox(),
          (fake) => probe(fake.url, fake.apiKey, fake.locationId).then(() => undefined),
        );
        return 'sandbox: contact lookup answered';
      },
    },
    {
      name: 'twilio',
      enabled: Boolean(env.TWILIO_ACCOUNT_SID || env.TWILIO_AUTH_TOKEN || env.TWILIO_FROM),
      missing: !env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN || !env.TWILIO_FROM ? 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are all needed for SMS escalation' : null,
      notContacted: 'credentials set; not contacted (a check would send an SMS)',
      call: async () => 'not contacted',
    },
    {
      name: 'slack',
      enabled: Boolean(env.SLACK_WEBHOOK_URL),
      missing: env.SLACK_WEBHOOK_URL ? null : 'SLACK_WEBHOOK_URL not set: alerts go to the log',
      notContacted: 'webhook set; not contacted (a check would post a message)',
      call: async () => 'not contacted',
    },
  ];
};

const checkProviders = async (config: Config): Promise<Check[]> => {
  const checks: Check[] = [];
  for (const probe of probesFor(config)) {
    if (!probe.enabled) {
      checks.push({ name: probe.name, enabled: false, configured: probe.missing === null, reachable: null, detail: probe.missing ?? 'disabled in config' });
    } else if (probe.missing) {
      checks.push({ name: probe.name, enabled: true, configured: false, reachable: null, detail: probe.missing });
    } else if (probe.notContacted) {
      checks.push({ name: probe.name, enabled: true, configured: true, reachable: null, detail: probe.notContacted });
    } else {
      try {
        checks.push({ name: probe.name, enabled: true, configured: true, reachable: true, detail: await probe.call(config.usesSandboxes) });
      } catch (error) {
        checks.push({ name: probe.name, enabled: true, configured: true, reachable: false, detail: describe(error) });
      }
    }
  }
  return checks;
};

type Breaker = { state: string; changedAt: string };

/** Opens (and migrates) the store, and reads the last breaker transition of each provider from it. */
const checkStore = async (config: Config): Promise<{ check: Check; breakers: Map<string, Breaker> }> => {
  try {
    const db = await openDatabase(storeOverride() ?? storeLocationOf(config));
    try {
      const breakers = new Map((await createProviderHealthStore(db.db).breakers()).map((b) => [b.provider, { state: b.state, changedAt: b.changedAt.toISOString() }]));
      return { check: { name: 'store', enabled: true, configured: true, reachable: true, detail: config.store.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL) migrated' : `embedded PostgreSQL in ${config.store.dir}` }, breakers };
    } finally {
      await db.close();
    }
  } catch (error) {
    return { check: { name: 'store', enabled: true, configured: true, reachable: false, detail: describe(error) }, breakers: new Map() };
  }
};

/**
 * Redis and the job queues, when REDIS_URL is set: a PING with its latency, then per queue the
 * waiting, active and failed jobs and the age of the oldest waiting one (more than 5 minutes old
 * means no worker is taking jobs: reported as a failure).
 */
const checkQueues = async (config: Config): Promise<Check[]> => {
  const backend = config.jobsBackend;
  if (backend.kind !== 'bullmq') return [{ name: 'redis', enabled: false, configured: false, reachable: null, detail: 'REDIS_URL is not set: jobs run inline in caio start / caio serve' }];
  const { Redis } = await import('ioredis');
  const redis = new Redis(backend.redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    const started = performance.now();
    await redis.connect();
    await redis.ping();
    const ping = { name: 'redis', enabled: true, configured: true, reachable: true, detail: `PING answered in ${Math.round(performance.now() - started)} ms` };
    const { Queue } = await import('bullmq');
    const checks: Check[] = [ping];
    for (const name of JOB_QUEUES) {
      const queue = new Queue(name, { connection: redis, prefix: config.jobs.queuePrefix });
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
        const ageSeconds = oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : 0;
        const stuck = ageSeconds > 300;
        checks.push({
          name: `queue ${name}`,
          enabled: true,
          configured: true,
          reachable: !stuck,
          detail: `${counts.waiting ?? 0} waiting (oldest ${ageSeconds} s${stuck ? ': is a caio worker running for this queue?' : ''}), ${counts.active ?? 0} active, ${counts.delayed ?? 0} delayed, ${counts.failed ?? 0} failed${counts.failed ? ' (caio jobs failed)' : ''}`,
        });
      } finally {
        await queue.close();
      }
    }
    return checks;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return [{ name: 'redis', enabled: true, configured: true, reachable: false, detail: `no answer from REDIS_URL (${e.code ?? e.message ?? 'unknown error'}): workers cannot take jobs and the servers cannot enqueue` }];
  } finally {
    redis.disconnect();
  }
};

/** Provider names as breakers record them (`apollo`, `bettercontact`, ...): the same as the checks. */
const breakerOf = (breakers: Map<string, Breaker>, name: string): string => {
  const b = breakers.get(name);
  return b ? `${b.state} since ${b.changedAt}` : name === 'store' || name === 'redis' || name.startsWith('queue ') ? '-' : 'closed';
};

/** `caio providers check` and `caio doctor`: exit 7 when a check an enabled part depends on fails. */
export const providersCheckCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  const config = configFrom(options);
  const store = await checkStore(config);
  const checks = [store.check, ...(await checkQueues(config)), ...(await checkProviders(config))].map((c) => ({ ...c, breaker: breakerOf(store.breakers, c.name) }));
  // Unusable: enabled and failing its check, or Apollo (discovery needs it) without a key.
  const unusable = checks.filter((c) => (c.enabled && c.reachable === false) || (c.name === 'apollo' && !c.configured));
  if (options.json) printJson({ providers: config.providers, ok: unusable.length === 0, checks });
  else {
    const rows = checks.map((c) => [c.name, c.enabled ? 'yes' : 'no', c.configured ? 'yes' : 'no', c.reachable === null ? '-' : c.reachable ? 'yes' : 'NO', c.breaker, c.detail]);
    cliOut(`${renderTable(['check', 'enabled', 'configured', 'reachable', 'breaker (last seen)', 'detail'], rows)}\n`);
  }
  if (unusable.length) setExitCode(7);
};
