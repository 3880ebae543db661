import { sendStateOf } from '../../domain/sending/send-state.js';
import type { OutboxBoardRow } from '../../store/index.js';

/** The outbox rows as the API answers and /operator shows them: each with its state in words. */
export const outboxView = (rows: OutboxBoardRow[], now: Date) =>
  rows.map((r) => {
    const state = sendStateOf({ status: r.status, reason: r.reason, notBefore: r.notBefore, channel: r.channel, campaignStatus: r.campaignStatus }, now);
    return {
      id: r.id,
      batchId: r.batchId,
      channel: r.channel,
      step: r.step,
      status: r.status,
      state: state.kind,
      label: state.label,
      reason: r.reason,
      until: state.until?.toISOString() ?? null,
      sentAt: r.sentAt?.toISOString() ?? null,
      lead: r.leadName,
      company: r.company,
      campaign: r.campaignExternalId ? { name: r.campaignName ?? r.campaignExternalId, externalId: r.campaignExternalId, status: r.campaignStatus ?? 'unknown' } : null,
    };
  });
