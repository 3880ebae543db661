import { craftCadenceFollowup, isCadenceAction, type SenderSettings } from '../domain/drafting/index.js';
import { checkDraftQuality, type QualitySettings } from '../domain/quality/quality-guard.js';
import type { SendChannel } from '../pipeline/context.js';
import type { DispatchDetail } from './ports.js';

/** The copy an outbox item carries, or why the step gets none (and is refused, never sent empty). */
export type StepCopy = { ok: true; subject: string | null; body: string | null } | { ok: false; reason: string };

export type CadenceCopySettings = { sender: SenderSettings; quality: QualitySettings };

/**
 * A cadence step's copy for one lead. The intro is the approved first draft (the reviewer's edit
 * wins); LinkedIn steps carry none (the HeyReach campaign holds the message); every later e-mail
 * step is crafted from its own step template (value, social proof, breakup, close) and the lead's
 * data, then passes the quality guard as a first draft does. The draft's two generic follow-ups
 * are not used: they were written for a three-e-mail sequence, and used in order they sent the
 * "last note" on day 10 and left steps 7 and 8 without copy.
 *
 * Deterministic: the same lead, template and sender always give the same copy, so what the batch
 * preview shows is what the outbox then sends.
 */
export const cadenceStepCopy = (detail: DispatchDetail, action: string, channel: SendChannel, initial: StepCopy, settings: CadenceCopySettings): StepCopy => {
  if (channel === 'heyreach') return { ok: true, subject: null, body: null };
  if (action === 'intro') return initial;
  if (!isCadenceAction(action)) return { ok: false, reason: 'no_step_template' };
  const crafted = craftCadenceFollowup(action, detail.profile, settings.sender);
  if (!crafted) return { ok: false, reason: 'lead_data_missing' };
  const verdict = checkDraftQuality({ lead: detail.profile, subject: crafted.subject, body: crafted.body, fingerprint: crafted.fingerprint, memory: undefined }, settings.quality);
  if (!verdict.passed) return { ok: false, reason: `quality_guard: ${verdict.ruleFailures.map((f) => f.ruleId).join(', ')}` };
  return { ok: true, subject: crafted.subject, body: crafted.body };
};
