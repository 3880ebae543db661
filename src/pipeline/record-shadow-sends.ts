import type { RunContext, SendChannel, StageOutcome, WorkingLead } from './context.js';
import type { ShadowSendEntry, StageError } from './ports.js';

/**
 * Stage 6, shadow only: record what each queued draft would send on approval, per channel of its
 * tier's routing. This stage has no provider port at all, so it cannot send.
 */
export const recordShadowSends = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const output: WorkingLead[] = [];
  const byChannel: Record<string, number> = {};
  const notRoutable: Record<string, number> = {};
  const errors: StageError[] = [];
  const entries: ShadowSendEntry[] = [];
  for (const lead of leads) {
    const tier = lead.score!.tier;
    const channels = settings.tierRouting[tier];
    let planned = 0;
    for (const channel of channels) {
      const plan = planFor(channel, lead);
      if (!plan) {
        notRoutable[channel] = (notRoutable[channel] ?? 0) + 1;
        continue;
      }
      entries.push({ runId: ctx.runId, draftId: lead.draftId!, leadId: lead.id, channel, ...plan });
      byChannel[channel] = (byChannel[channel] ?? 0) + 1;
      planned++;
    }
    if (planned > 0) output.push(lead);
    else if (channels.length > 0) errors.push({ message: `no channel of ${tier} (${channels.join(', ')}) can reach this lead`, leadRef: lead.id });
  }
  // A draft already recorded by an earlier run (unchanged, still pending) is not recorded twice.
  const recorded = await stores.shadowSends.recordMany(entries);
  const alreadyRecorded = entries.length - recorded;
  ctx.events.onStageProgress?.('send', leads.length, leads.length);
  if (output.length > 0) {
    await stores.audit.append({
      at: ctx.deps.clock.now(),
      actor: 'OPERATOR',
      action: 'send.shadow_recorded',
      entityType: 'run',
      entityId: ctx.runId,
      runId: ctx.runId,
      details: { drafts: output.length, byChannel },
    });
  }
  return {
    output,
    passed: output.length > 0 || errors.length === 0,
    errors,
    metrics: { sendMode: 'shadow', sent: 0, byChannel, alreadyRecorded, notRoutable, unrouted: leads.length - output.length },
  };
};

const planFor = (channel: SendChannel, lead: WorkingLead): { recipient: string; subject: string | null; payload: Record<string, unknown> } | null => {
  const draft = lead.draft!;
  switch (channel) {
    case 'instantly':
    case 'ghl':
      if (!lead.profile.email) return null;
      return {
        recipient: lead.profile.email,
        subject: draft.subjectA,
        payload: { kind: 'email', step: 1, subjectA: draft.subjectA, subjectB: draft.subjectB, body: draft.body, followUps: draft.followUps.length },
      };
    case 'heyreach':
      if (!lead.profile.linkedinUrl) return null;
      return { recipient: lead.profile.linkedinUrl, subject: null, payload: { kind: 'linkedin_connect', step: 1, angleId: draft.angleId } };
  }
};
