/**
 * The engagement of the simulation, delivered as the providers would: each send's planned events
 * (engagement-model.ts) wait in time order; when due, the sandbox that holds the send emits the
 * provider's real webhook (Instantly's flat payload with our token header, HeyReach's event with the
 * secret in the URL) to our webhook routes, served here on a loopback port with the production
 * handlers; the stored deliveries are then processed as the production queue runs their jobs.
 */
import { sql } from 'drizzle-orm';
import type { AppDeps, DispatchSet } from '../deps.js';
import { fingerprint } from '../domain/stable-hash.js';
import { buildApp } from '../server/app.js';
import { webhookRoutes } from '../server/webhook-routes.js';
import type { InboxProcessor } from '../signals/process-inbox.js';
import { createClayStore } from '../store/clay-repo.js';
import { createInboxStore } from '../store/inbox-repo.js';
import { ANSWER_STEP, planEngagement, type PlannedEvent, type SimSend } from './engagement-model.js';
import type { EngagementSettings } from './settings.js';
import { rowsOf } from './rows.js';

type SendRow = {
  id: string;
  channel: string;
  step: string;
  recipient: string;
  provider_ref: string | null;
  subject: string | null;
  sent_at: Date;
  tier: string | null;
  angle_id: string | null;
  subject_a: string | null;
  subject_b: string | null;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  /** Our answer in a thread: the free slots it offered (its draft's grounding), else 0. */
  offered_slots: number;
  /**
   * Where the prospect's engagement with this send is emitted: the send's own campaign ref, or for
   * our answer in a thread (`instantly:email:…`, `heyreach:conversation:…`) the campaign that
   * reached the person on that channel before.
   */
  event_ref: string | null;
};

type Pending = PlannedEvent & { send: SendRow };

const INSTANTLY_KIND: Partial<Record<PlannedEvent['kind'], 'opened' | 'clicked' | 'replied' | 'bounced' | 'unsubscribed'>> = { opened: 'opened', clicked: 'clicked', replied: 'replied', bounced: 'bounced', unsubscribed: 'unsubscribed' };

const variantOf = (r: SendRow): 'A' | 'B' | null => (r.subject && r.subject === r.subject_b && r.subject !== r.subject_a ? 'B' : r.subject && r.subject === r.subject_a ? 'A' : null);

export const openEngagementDelivery = async (app: AppDeps, dispatch: DispatchSet, options: { settings: EngagementSettings; seed: number; processor: Pick<InboxProcessor, 'processWithWaiting'> }) => {
  const db = app.database.db;
  const { config } = app;
  const stored: string[] = [];
  const failures = { undeliverable: 0, refused: 0 };
  const routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => stored.push(id), now: () => app.clock.now(), onError: () => void failures.refused++ });
  const receiver = buildApp({ routes, maxBodyBytes: config.server.maxBodyBytes });
  const url = await receiver.listen({ host: '127.0.0.1', port: 0 });
  const { instantly, heyreach } = dispatch.sandboxes;
  // Registered as a person would at each provider: Instantly sends our token in a header, HeyReach has it in the URL.
  if (instantly) {
    const res = await fetch(`${instantly.url}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${instantly.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target_hook_url: `${url}/webhooks/instantly`, event_type: 'all_events', name: 'caio simulate', headers: { 'x-caio-webhook-token': config.env.INSTANTLY_WEBHOOK_SECRET ?? '' } }),
    });
    if (!res.ok) throw new Error(`could not register the Instantly sandbox webhook (${res.status})`);
  }
  if (heyreach) {
    for (const eventType of ['CONNECTION_REQUEST_ACCEPTED', 'MESSAGE_REPLY_RECEIVED']) {
      const res = await fetch(`${heyreach.url}/webhooks/CreateWebhook`, {
        method: 'POST',
        headers: { 'x-api-key': heyreach.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ webhookName: `caio simulate ${eventType}`, webhookUrl: `${url}/webhooks/heyreach?secret=${encodeURIComponent(config.env.HEYREACH_WEBHOOK_SECRET ?? '')}`, eventType }),
      });
      if (!res.ok) throw new Error(`could not register the HeyReach sandbox webhook (${res.status})`);
    }
  }

  let queue: Pending[] = [];
  /** Our answers sent that offered free slots, and the prospects' picks of one of them delivered. */
  const slotPicks = { offered: 0, picked: 0 };
  let collectedUntil = app.clock.now();

  const emit = async (e: Pending): Promise<void> => {
    const at = e.at.toISOString();
    const s = e.send;
    const [, kind, id] = (s.event_ref ?? '').split(':');
    if (s.channel === 'instantly' && instantly && kind === 'campaign' && id) {
      const what = INSTANTLY_KIND[e.kind];
      if (!what) return;
      // A pick answers one particular answer of ours (a lead may get a second one): its e-mail id names that send.
      const emailId = s.step === ANSWER_STEP ? `sim-${e.sendId}-${e.kind}-${s.id}` : `sim-${e.sendId}-${e.kind}`;
      const extra = e.kind === 'replied' ? { timestamp: at, reply_text: e.text ?? '', reply_subject: `Re: ${s.subject ?? ''}`, email_id: emailId } : { timestamp: at, email_id: emailId };
      await instantly.recordEvent(id, s.recipient, what, extra);
      return;
    }
    if (s.channel === 'heyreach' && heyreach && id) {
      const lead = { profileUrl: s.recipient, firstName: s.first_name ?? '', lastName: s.last_name ?? '', companyName: s.company_name ?? null };
      if (e.kind === 'linkedin_accepted') await heyreach.deliverEvent({ eventType: 'CONNECTION_REQUEST_ACCEPTED', campaignId: Number(id) || 0, lead, timestamp: at });
      if (e.kind === 'linkedin_replied') await heyreach.deliverEvent({ eventType: 'MESSAGE_REPLY_RECEIVED', campaignId: Number(id) || 0, lead, messageText: e.text ?? '', timestamp: at });
    }
  };

  /**
   * Process what our routes stored, in order, as the queue runs each delivery's `webhook-inbox` job
   * (`processWithWaiting`, with its follow-through): a job takes its delivery with the others waiting
   * (a burst, set-based); a job whose delivery an earlier one took reads its status and returns.
   */
  const processStored = async () => {
    while (stored.length) {
      const id = stored.shift()!;
      await options.processor.processWithWaiting(id);
    }
  };

  return {
    url,
    failures,
    slotPicks,
    /** Planned events not yet delivered. */
    waiting: () => queue.length,
    /** The sends of the step: Instantly records each (its analytics count it; it fires email_sent), and the model plans what follows. */
    collectSends: async (now: Date) => {
      const rows = rowsOf<SendRow>(
        await db.execute(sql`
        select o.id, o.channel, o.step, o.recipient, o.provider_ref, o.subject, o.sent_at, coalesce(l.tier, o.tier) as tier, d.angle_id, d.subject_a, d.subject_b,
          l.first_name, l.last_name, l.company_name,
          case when o.step = ${ANSWER_STEP} and jsonb_typeof(d.grounding) = 'array'
            then (select count(*) from jsonb_array_elements(d.grounding) g where g->>'claim' = 'free slot') else 0 end::int as offered_slots,
          case when o.step = ${ANSWER_STEP}
            then (select p.provider_ref from outbox p where p.lead_id = o.lead_id and p.channel = o.channel and p.status = 'sent' and p.provider_ref like '%:campaign:%' order by p.sent_at desc limit 1)
            else o.provider_ref end as event_ref
        from outbox o left join drafts d on d.id = o.draft_id left join leads l on l.id = o.lead_id
        where o.status = 'sent' and o.sent_at > ${collectedUntil.toISOString()}::timestamptz and o.sent_at <= ${now.toISOString()}::timestamptz
        order by o.sent_at, o.id`),
      );
      collectedUntil = now;
      for (const r of rows) {
        const sentAt = new Date(r.sent_at);
        const [, kind, id] = (r.provider_ref ?? '').split(':');
        // Our answer in a thread is no campaign step: the campaign's counters do not move for it.
        if (r.channel === 'instantly' && instantly && kind === 'campaign' && id) {
          try {
            await instantly.recordEvent(id, r.recipient, 'sent', { timestamp: sentAt.toISOString(), email_id: `sim-${r.id}-sent` });
          } catch {
            failures.undeliverable++;
          }
        }
        // The draw's key is the person, channel and step (the outbox id is random): the same seed gives the same month.
        const send: SimSend = {
          id: fingerprint(`${r.recipient.toLowerCase()}|${r.channel}|${r.step}`),
          channel: r.channel as SimSend['channel'],
          step: r.step,
          tier: r.tier,
          angleId: r.angle_id,
          variant: r.channel === 'instantly' ? variantOf(r) : null,
          sentAt,
          offeredSlots: r.offered_slots,
        };
        if (r.step === ANSWER_STEP && r.offered_slots > 0) slotPicks.offered++;
        for (const e of planEngagement(send, options.settings, options.seed)) queue.push({ ...e, send: r });
      }
      if (rows.length) queue.sort((a, b) => a.at.getTime() - b.at.getTime());
      await processStored();
      return rows.length;
    },
    /** Emit every planned event due by `now`, in time order, and process the deliveries. */
    deliverDue: async (now: Date) => {
      const due = queue.filter((e) => e.at.getTime() <= now.getTime());
      if (due.length === 0) return 0;
      queue = queue.filter((e) => e.at.getTime() > now.getTime());
      // Every event of the step reaches our routes first (all are due at this instant, as a burst would
      // arrive), then the deliveries' jobs run, in the order received.
      for (const e of due) {
        try {
          await emit(e);
          if (e.pickedSlot !== undefined) slotPicks.picked++;
        } catch {
          failures.undeliverable++;
        }
      }
      await processStored();
      return due.length;
    },
    close: async () => {
      await processStored().catch(() => undefined);
      await receiver.close();
    },
  };
};
