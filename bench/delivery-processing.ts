import { emptyLead } from '../src/domain/lead.js';
import { sha256Hex } from '../src/lib/hash.js';
import { parseInstantlyWebhook } from '../src/providers/instantly/webhook.js';
import { processorFor } from '../src/compose/signals.js';
import { createInboxStore } from '../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../src/store/signals-repo.js';
import { openBenchApp } from './bench-store.js';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 4000);
const LEADS = 500;
const PROCESSORS = 4;
const BATCH = Number(process.env.BENCH_DELIVERY_BATCH ?? 25);

/** An Instantly event as the webhook receives it: mostly opens, some clicks and replies, one lead each. */
const payloadOf = (n: number, firstLead = 0) => {
  const kind = n % 10 === 9 ? 'reply_received' : n % 10 >= 7 ? 'email_link_clicked' : 'email_opened';
  return {
    timestamp: new Date(1_790_000_000_000 + n * 1000).toISOString(),
    event_type: kind,
    workspace: 'w1',
    campaign_id: 'c1',
    campaign_name: 'bench',
    lead_email: `lead${firstLead + (n % LEADS)}@bench${firstLead + (n % LEADS)}.example.com`,
    email_id: `e-${n}`,
    step: 1,
    ...(kind === 'reply_received' ? { reply_text: 'Thanks, can you send more details next week?', reply_subject: 'Re: hello' } : {}),
  };
};

/**
 * Webhook delivery processing with the unit of work, `PROCESSORS` at once in one process, through
 * the processor the server and the workers build (`processorFor` over the app `openApp` opened: its
 * clock, log and configured cadence): one delivery per transaction (take, find the lead,
 * status move, timeline event, effects, cadence, finish: what a webhook's own job does) and
 * set-based (`processMany`, `BATCH` deliveries per transaction: what the sweep does with a backlog),
 * and a burst through the deliveries' own jobs (`processWithWaiting`, what `caio serve` runs).
 * Baseline in the same run: the same deliveries' bare inserts into the inbox, one at a time (what
 * the webhook route does per request), through the inbox store built by hand because it is the
 * baseline. The leads are set up with the signal-side lead store, as a delivery finds them. Each
 * mode has its own leads, so neither inherits the other's history.
 */
export const benchDeliveryProcessing = async (deliveries = DELIVERIES) => {
  const bench = await openBenchApp();
  try {
    const db = bench.app.database.db;
    const leads = createSignalLeadStore(db);
    for (let i = 0; i < 3 * LEADS; i++) {
      const profile = emptyLead({ email: `lead${i}@bench${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee' });
      await leads.fromDiscovered({ source: 'bench', sourceId: `bench-${i}`, profile }, 'bench-run');
    }
    const inbox = createInboxStore(db);
    /** N deliveries as the door stores them: the payload and, beside it, the provider's normalised signal. */
    const store = async (set: number) => {
      const ids: string[] = [];
      const started = performance.now();
      for (let n = 0; n < deliveries; n++) {
        const payload = payloadOf(n, set * LEADS);
        const receivedAt = new Date();
        const read = parseInstantlyWebhook(payload, { receivedAt });
        const id = await inbox.insert({ provider: 'instantly', eventType: read.eventType, idempotencyKey: sha256Hex(`bench|${set}|${n}`), payload, receivedAt, signal: read.ok ? read.signal : null });
        ids.push(id!);
      }
      return { ids, ms: performance.now() - started };
    };
    const processor = processorFor(bench.app);
    /** `PROCESSORS` workers taking `size` deliveries at a time until none is left. */
    const drain = async (ids: string[], size: number, job = false) => {
      const outcomes: Record<string, number> = {};
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: PROCESSORS }, async () => {
          while (next < ids.length) {
            const batch = ids.slice(next, (next += size));
            const results = job ? [await processor.processWithWaiting(batch[0]!)] : size === 1 ? [await processor.process(batch[0]!)] : [...(await processor.processMany(batch)).values()];
            for (const outcome of results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          }
        }),
      );
      return { perSecond: Math.round((ids.length / (performance.now() - started)) * 1000), outcomes };
    };
    const first = await store(0);
    const one = await drain(first.ids, 1);
    const second = await store(1);
    const set = await drain(second.ids, BATCH);
    const third = await store(2);
    const jobs = await drain(third.ids, 1, true);
    const bare = Math.round((deliveries / first.ms) * 1000);
    return {
      name: `webhook delivery processing, ${deliveries} Instantly deliveries over ${LEADS} leads per mode, ${PROCESSORS} processors in one process (${bench.label})`,
      bareInsertsPerSecond: bare,
      oneAtATime: { deliveriesPerSecond: one.perSecond, vsBareInserts: `${(one.perSecond / bare).toFixed(2)}x`, outcomes: one.outcomes },
      setBased: { batch: BATCH, deliveriesPerSecond: set.perSecond, vsBareInserts: `${(set.perSecond / bare).toFixed(2)}x`, outcomes: set.outcomes },
      // A burst through the deliveries' own jobs (processWithWaiting: each job takes the waiting ones with it).
      burstThroughJobs: { deliveriesPerSecond: jobs.perSecond, vsBareInserts: `${(jobs.perSecond / bare).toFixed(2)}x`, outcomes: jobs.outcomes },
      setBasedAtLeast1000PerSecond: set.perSecond >= 1000,
    };
  } finally {
    await bench.close();
  }
};

if (process.argv[1]?.endsWith('delivery-processing.js')) process.stdout.write(`${JSON.stringify(await benchDeliveryProcessing(), null, 2)}\n`);
