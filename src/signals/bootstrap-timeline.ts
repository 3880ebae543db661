import type { SendChannel } from '../pipeline/context.js';
import type { BootstrapReport } from './ports.js';

export type { BootstrapReport } from './ports.js';

export type SentWithoutTouch = { id: string; leadId: string; channel: string; step: string; providerRef: string; sentAt: Date };
type RecordTouch = (item: { id: string; leadId: string; channel: SendChannel; step: string; providerRef: string }, at: Date) => Promise<void>;

const isSendChannel = (c: string): c is SendChannel => c === 'instantly' || c === 'heyreach' || c === 'ghl';

/**
 * Bring lead statuses and timelines up to date with what was sent (the original's "Bootstrap
 * Leads"): every send the provider accepted whose touch is missing from the lead's timeline is
 * recorded now, dated when it was sent, through the same recorder the gateway uses (status,
 * timeline, cadence, KPIs). Running it twice records nothing the second time. A dry run lists only.
 */
export const bootstrapTimeline = async (deps: { missing: (limit: number) => Promise<SentWithoutTouch[]>; record: RecordTouch }, options: { dryRun: boolean; limit: number }): Promise<BootstrapReport> => {
  const gaps = await deps.missing(options.limit);
  let recorded = 0;
  if (!options.dryRun) {
    for (const gap of gaps) {
      if (!isSendChannel(gap.channel)) continue;
      await deps.record({ id: gap.id, leadId: gap.leadId, channel: gap.channel, step: gap.step, providerRef: gap.providerRef }, gap.sentAt);
      recorded++;
    }
  }
  return { dryRun: options.dryRun, missing: gaps.length, recorded, items: gaps.map((g) => ({ outboxId: g.id, leadId: g.leadId, channel: g.channel, step: g.step, sentAt: g.sentAt.toISOString() })) };
};
