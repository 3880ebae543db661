/**
 * One working session of the simulated person, through the same use cases as the dashboard and
 * the CLI: every draft in the review queue approved, edited or rejected with a tag; the campaigns
 * the OPERATOR created as drafts activated (never one paused for its health); each pending batch
 * approved and executed (`caio dispatch --batch`), or rejected.
 */
import type { AppDeps, DispatchSet } from '../deps.js';
import type { CampaignControls } from '../dispatch/ports.js';
import { reviewServiceFor } from '../compose/review.js';
import { decideBatch, decideDraft } from './simulated-reviewer.js';
import type { SimulationSettings } from './settings.js';

export const REVIEWER = 'Simulated reviewer';

export type SessionCounts = { approved: number; edited: number; rejected: number; batchesApproved: number; batchesRejected: number };

export const runReviewerSession = async (app: AppDeps, dispatch: DispatchSet, campaigns: CampaignControls, settings: SimulationSettings, seed: number): Promise<SessionCounts> => {
  const counts: SessionCounts = { approved: 0, edited: 0, rejected: 0, batchesApproved: 0, batchesRejected: 0 };
  const review = reviewServiceFor(app);
  const skip = (error: unknown) => app.log.debug({ err: error instanceof Error ? error.message : String(error) }, 'a simulated decision was refused');
  for (const draft of await review.list({ limit: 500 })) {
    // Keyed by the person and the draft's version (draft ids are random): the same seed gives the same decisions.
    const decision = decideDraft({ id: `${draft.lead.email ?? draft.lead.name ?? draft.lead.id}:${draft.angleId}:${draft.version}`, subjectA: draft.subjectA }, settings.reviewer, seed);
    try {
      if (decision.kind === 'reject') {
        await review.reject({ draftId: draft.id, by: REVIEWER, tag: decision.tag, reason: decision.reason });
        counts.rejected++;
      } else if (decision.kind === 'edit') {
        try {
          await review.approve({ draftId: draft.id, by: REVIEWER, edit: { subject: decision.subject } });
          counts.edited++;
        } catch {
          // An edit the quality guard refuses: the person approves the draft as it is.
          await review.approve({ draftId: draft.id, by: REVIEWER });
          counts.approved++;
        }
      } else {
        await review.approve({ draftId: draft.id, by: REVIEWER });
        counts.approved++;
      }
    } catch (error) {
      skip(error);
    }
  }
  if (settings.activateCampaigns) {
    for (const c of await campaigns.list()) {
      if (c.provider === 'instantly' && c.status === 'draft') await campaigns.activate(c.externalId, REVIEWER).catch(skip);
    }
  }
  const now = app.clock.now();
  for (const batch of await dispatch.parts.gatekeeper.list(100)) {
    if (batch.status !== 'pending_approval' || batch.expiresAt <= now) continue;
    try {
      if (!decideBatch(`${batch.motion}:${batch.createdAt.toISOString()}`, settings.reviewer, seed)) {
        await dispatch.parts.gatekeeper.reject(batch.id, REVIEWER, 'simulated reviewer: not this batch');
        counts.batchesRejected++;
        continue;
      }
      await dispatch.parts.gatekeeper.approve(batch.id, REVIEWER);
      counts.batchesApproved++;
      await dispatch.operator.dispatch({ motion: batch.motion, live: true, batchId: batch.id, by: REVIEWER });
    } catch (error) {
      skip(error);
    }
  }
  return counts;
};
