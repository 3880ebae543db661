import { pino } from 'pino';
import { FileConfigSchema } from '../src/config/schema.js';
import { emptyLead } from '../src/domain/lead.js';
import { systemClock } from '../src/lib/clock.js';
import { sha256Hex } from '../src/lib/hash.js';
import { parseInstantlyWebhook } from '../src/providers/instantly/webhook.js';
import { inboxProcessorOn } from '../src/signals/compose.js';
import { createInboxStore } from '../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../src/store/signals-repo.js';
import { openBenchDatabase } from './bench-store.js';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 4000);
const LEADS = 500;
const PROCESSORS = 4;

/** An Instantly event as the webhook receives it: mostly opens, some clicks and replies, one lead each. */
const payloadOf = (n: number) => {
  const kind = n % 10 === 9 ? 'reply_received' : n % 10 >= 7 ? 'email_link_clicked' : 'email_opened';
  return {
    timestamp: new Date(1_790_000_000_000 + n * 1000).toISOString(),
    event_type: kind,
    workspace: 'w1',
    campaign_id: 'c1',
    campaign_name: 'bench',
    lead_email: `lead${n % LEADS}@bench${n % LEADS}.example.com`,
    email_id: `e-${n}`,
    step: 1,
    ...(kind === 'reply_received' ? { reply_text: 'Thanks, can you send more details next week?', reply_subject: 'Re: hello' } : {}),
  };
};

/**
 * Webhook delivery processing with the unit of work (each delivery in one transaction: take,
 * find the lead, status move, timeline event, effects, cadence, finish), `PROCESSORS` at once in one
 * process, through the production factory (`inboxProcessorOn`). Baseline in the same run: the same
 * deliveries' bare inserts into the inbox, one at a time (what the webhook route does per request).
 */
export const benchDeliveryProcessing = async (deliveries = DELIVERIES) => {
  const database = await openBenchDatabase();
  try {
    const db = database.db;
    const leads = createSignalLeadStore(db);
    for (let i = 0; i < LEADS; i++) {
      const profile = emptyLead({ email: `lead${i}@bench${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee' });
      await leads.fromDiscovered({ source: 'bench', sourceId: `bench-${i}`, profile }, 'bench-run');
    }
    const inbox = createInboxStore(db);
    const ids: string[] = [];
    const insertStarted = performance.now();
    for (let n = 0; n < deliveries; n++) {
      const payload = payloadOf(n);
      // As the door stores it: the payload and, beside it, the provider's normalised signal.
      const receivedAt = new Date();
      const read = parseInstantlyWebhook(payload, { receivedAt });
      const id = await inbox.insert({ provider: 'instantly', eventType: read.eventType, idempotencyKey: sha256Hex(`bench|${n}`), payload, receivedAt, signal: read.ok ? read.signal : null });
      ids.push(id!);
    }
    const insertMs = performance.now() - insertStarted;

    const processor = inboxProcessorOn(db, { clock: systemClock, log: pino({ level: 'silent' }), cadence: FileConfigSchema.parse({}).cadence });
    const outcomes: Record<string, number> = {};
    let next = 0;
    const processStarted = performance.now();
    await Promise.all(
      Array.from({ length: PROCESSORS }, async () => {
        while (next < ids.length) {
          const outcome = await processor.process(ids[next++]!);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }),
    );
    const processMs = performance.now() - processStarted;
    const perSecond = Math.round((deliveries / processMs) * 1000);
    return {
      name: `webhook delivery processing, ${deliveries} Instantly deliveries over ${LEADS} leads, ${PROCESSORS} processors in one process (${database.label})`,
      deliveriesPerSecond: perSecond,
      bareInsertsPerSecond: Math.round((deliveries / insertMs) * 1000),
      processingVsBareInserts: `${(insertMs / processMs).toFixed(2)}x`,
      outcomes,
      atLeast1000PerSecond: perSecond >= 1000,
    };
  } finally {
    await database.close();
  }
};

if (process.argv[1]?.endsWith('delivery-processing.js')) process.stdout.write(`${JSON.stringify(await benchDeliveryProcessing(), null, 2)}\n`);
