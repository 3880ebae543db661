import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createEnrichmentWaterfall } from '../../../src/pipeline/enrichment-waterfall.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import type { LeadEnricher, PipelineStores } from '../../../src/pipeline/ports.js';
import { createBetterContactClient } from '../../../src/providers/bettercontact/client.js';
import { createBetterContactEnricher } from '../../../src/providers/bettercontact/enricher.js';
import { createClayClient } from '../../../src/providers/clay/client.js';
import { webhookRef } from '../../../src/providers/clay/correlation.js';
import { createClayEnricher } from '../../../src/providers/clay/enricher.js';
import { startBetterContactSandbox } from '../../../src/providers/sandbox/bettercontact/server.js';
import { startClaySandbox } from '../../../src/providers/sandbox/clay/server.js';
import type { Database } from '../../../src/store/database.js';
import { createStores } from '../../../src/store/index.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { clayCallbackRoutes } from '../../../src/server/webhook-routes.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';
import { serveWebhooks } from '../../support/webhook-app.js';

const TOKEN = 'callback-token-for-tests';
const PATH = '/webhooks/clay/callback';

/** People search found, without email; Apollo match misses for all (a fake that always misses). */
const people = ['ada-byron', 'alan-turing', 'grace-hopper', 'edsger-dijkstra', 'barbara-liskov', 'ken-thompson'].map((slug) => {
  const [first, last] = slug.split('-') as [string, string];
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  return aDiscoveredLead({
    sourceId: slug,
    profile: aProfile({ email: null, firstName: cap(first), lastName: cap(last), fullName: `${cap(first)} ${cap(last)}`, linkedinUrl: `https://www.linkedin.com/in/example-${slug}` }),
  });
});

describe.each(STORE_KINDS)('stage 2 waterfall: Apollo, BetterContact, Clay, graceful skip (%s)', (kind) => {
  let database: Database;
  let stores: PipelineStores;
  let closers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
  });
  afterEach(async () => {
    for (const c of closers.reverse()) await c();
    closers = [];
    await database.close();
  });

  it('each lead gets its email from the first provider that has one; credits per provider and quality are recorded; the rest continue unenriched', async () => {
    const bc = await startBetterContactSandbox({ apiKey: 'bc-key-123456' });
    closers.push(bc.close);
    const receiver = await serveWebhooks(clayCallbackRoutes({ token: TOKEN, store: stores.clay, inbox: createInboxStore(database.db), paths: [PATH] }).post);
    closers.push(receiver.close);
    const clay = await startClaySandbox({ callbackUrl: `${receiver.url}${PATH}`, callbackToken: TOKEN, callbackDelayMs: 10 });
    closers.push(clay.close);

    const apollo: LeadEnricher = { ...fakeEnricher({}), provider: 'apollo_match' };
    const waterfall = createEnrichmentWaterfall([
      apollo,
      createBetterContactEnricher({ client: createBetterContactClient({ baseUrl: bc.url, apiKey: 'bc-key-123456' }), pollIntervalMs: 1, maxPolls: 3 }),
      createClayEnricher({
        client: createClayClient({ webhookUrl: clay.webhookUrl }),
        store: stores.clay,
        webhookRef: webhookRef(clay.webhookUrl),
        submissionCap: 100,
        waitMs: 400,
        pollIntervalMs: 10,
        creditsPerRow: 3,
        reuseWithinMs: 3600_000,
      }),
    ]);
    const { deps } = pipelineDeps(stores, { source: fakeSource(people), enricher: waterfall, settings: { enrichConcurrency: 3 } });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });

    const enrich = report.stages.find((s) => s.name === 'enrich')!;
    const bcFound = bc.stats.creditsUsed;
    const clayRows = clay.stats.rows;
    // Clay is asked only about the people BetterContact could not give an email for.
    expect(clayRows).toBe(people.length - bcFound);
    expect(enrich.metrics.credits).toEqual({ ...(bcFound ? { bettercontact: bcFound } : {}), ...(clayRows ? { clay: clayRows * 3 } : {}) });

    const rows = (await database.db.execute(
      sql`select l.source_id, l.email, l.status, e.outcome, e.quality, e.credits, l.profile->'provenance'->>'email' as via from leads l join enrichments e on e.lead_id = l.id order by l.source_id`,
    )) as { rows: { source_id: string; email: string | null; status: string; outcome: string; quality: number | null; credits: Record<string, number>; via: string | null }[] };
    expect(rows.rows).toHaveLength(people.length);
    const byVia = { bettercontact: 0, clay: 0, none: 0 };
    for (const row of rows.rows) {
      if (row.email) {
        expect(['bettercontact', 'clay']).toContain(row.via);
        expect(row.outcome).toBe('matched');
        expect(row.quality).toBeGreaterThan(0);
        byVia[row.via as 'bettercontact' | 'clay']++;
      } else {
        // Graceful skip: no provider had an email; the lead continues, unenriched, with no quality.
        expect(row.outcome).toBe('miss');
        expect(row.quality).toBeNull();
        byVia.none++;
      }
    }
    expect(byVia.bettercontact).toBe(bcFound);
    expect(byVia.clay + byVia.none).toBe(clayRows);
    expect(byVia.clay).toBeGreaterThan(0);
    expect(report.status).toBe('passed');
  });
});
