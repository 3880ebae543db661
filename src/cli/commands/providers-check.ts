import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { configFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from './with-app.js';
import type { Config } from '../../config/load.js';
import { openDatabase } from '../../store/database.js';

type Check = { name: string; enabled: boolean; configured: boolean; reachable: boolean | null; detail: string };

const describe = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return `${e.code ?? 'ERROR'}: ${e.message ?? String(error)}`;
};

/** One harmless authenticated call per provider (free endpoints only); sandbox mode checks the loopback fakes. */
const checkProviders = async (config: Config): Promise<Check[]> => {
  const checks: Check[] = [];
  const sandbox = config.providers === 'sandbox';
  const { createApolloClient } = await import('../../providers/apollo/client.js');
  {
    const key = sandbox ? `sandbox-${randomBytes(6).toString('hex')}` : config.env.APOLLO_API_KEY;
    const fake = sandbox ? await (await import('../../providers/sandbox/apollo/index.js')).startApolloSandbox({ apiKey: key!, count: 5 }) : null;
    try {
      if (!key) checks.push({ name: 'apollo', enabled: true, configured: false, reachable: null, detail: 'APOLLO_API_KEY is not set' });
      else {
        const client = createApolloClient({ baseUrl: fake?.url ?? config.apollo.baseUrl, apiKey: key, timeoutMs: config.apollo.timeoutMs });
        await client.searchPeople({ per_page: 1 });
        checks.push({ name: 'apollo', enabled: true, configured: true, reachable: true, detail: sandbox ? 'sandbox: People Search answered' : 'People Search answered (free call)' });
      }
    } catch (error) {
      checks.push({ name: 'apollo', enabled: true, configured: true, reachable: false, detail: describe(error) });
    } finally {
      await fake?.close();
    }
  }
  {
    const bc = config.betterContact;
    const key = sandbox ? 'sandbox-check-key' : config.env.BETTERCONTACT_API_KEY;
    if (!bc.enabled) checks.push({ name: 'bettercontact', enabled: false, configured: Boolean(key), reachable: null, detail: 'disabled in config' });
    else if (!key) checks.push({ name: 'bettercontact', enabled: true, configured: false, reachable: null, detail: 'BETTERCONTACT_API_KEY is not set: the waterfall skips it' });
    else {
      const fake = sandbox ? await (await import('../../providers/sandbox/bettercontact/server.js')).startBetterContactSandbox({ apiKey: key }) : null;
      try {
        const { createBetterContactClient } = await import('../../providers/bettercontact/client.js');
        // Polling an unknown id is free: 406 proves the key works.
        await createBetterContactClient({ baseUrl: fake?.url ?? bc.baseUrl, apiKey: key }).poll('caio-connectivity-check');
        checks.push({ name: 'bettercontact', enabled: true, configured: true, reachable: true, detail: sandbox ? 'sandbox: answered' : 'answered (free call)' });
      } catch (error) {
        checks.push({ name: 'bettercontact', enabled: true, configured: true, reachable: false, detail: describe(error) });
      } finally {
        await fake?.close();
      }
    }
  }
  checks.push(
    config.env.SLACK_WEBHOOK_URL
      ? { name: 'slack', enabled: true, configured: true, reachable: null, detail: 'webhook set; not contacted (a check would post a message)' }
      : { name: 'slack', enabled: false, configured: false, reachable: null, detail: 'SLACK_WEBHOOK_URL not set: alerts go to the log' },
  );
  return checks;
};

const checkStore = async (config: Config): Promise<Check> => {
  try {
    const db = await openDatabase(config.store.kind === 'postgres' ? { kind: 'postgres', url: config.store.url } : { kind: 'embedded', dir: config.store.dir });
    await db.close();
    return { name: 'store', enabled: true, configured: true, reachable: true, detail: config.store.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL) migrated' : `embedded PGlite in ${config.store.dir}` };
  } catch (error) {
    return { name: 'store', enabled: true, configured: true, reachable: false, detail: describe(error) };
  }
};

export const registerProvidersCheckCommand = (program: Command): void => {
  const action = async (options: CommonOptions & { json?: boolean }) => {
    const config = configFrom(options);
    const checks = [await checkStore(config), ...(await checkProviders(config))];
    const unusable = checks.filter((c) => c.enabled && c.reachable === false);
    if (options.json) printJson({ providers: config.providers, ok: unusable.length === 0, checks });
    else process.stdout.write(`${renderTable(['check', 'enabled', 'configured', 'reachable', 'detail'], checks.map((c) => [c.name, c.enabled ? 'yes' : 'no', c.configured ? 'yes' : 'no', c.reachable === null ? '-' : c.reachable ? 'yes' : 'NO', c.detail]))}\n`);
    if (unusable.length) process.exitCode = 7;
  };
  withCommonOptions(program.command('providers').description('providers').command('check').description('is each provider configured and reachable, and the store usable').option('--json', 'print JSON')).action(action);
  withCommonOptions(program.command('doctor').description('same as caio providers check').option('--json', 'print JSON')).action(action);
};
