import type { Grounding } from './grounding.js';
import { isReplyAngle, REPLY_GROUNDING_CLAIM } from './reply-draft.js';

/**
 * Which checks a reviewer's edit must pass: the ones the draft's own kind passed when CRAFTER wrote
 * it (issue 17 item 3). A first-touch or revival e-mail went through the quality guard and carries
 * the compliant footer. A suggested answer (`reply:<class>`) is written in the prospect's thread and
 * never went through the guard (its rules are for cold first touches: personalisation evidence,
 * openers); an e-mail answer carries the footer, a LinkedIn answer only the sender's name. A reviewer
 * placeholder (`[Reviewer: …]`) left in an edited answer is refused at once rather than approved and
 * then refused by the reply sender.
 */
export type EditRules = {
  kind: 'first_touch' | 'reply';
  channel: 'email' | 'linkedin';
  footer: boolean;
  qualityGuard: boolean;
  reviewerPlaceholder: boolean;
};

/**
 * The channel of a suggested answer, from the grounding `craftReplyDraft` writes ("their reply",
 * provider `heyreach` for LinkedIn, `instantly` for e-mail). Only LinkedIn drops the footer: an answer
 * to a GoHighLevel nurture reply is an e-mail in its GoHighLevel thread, whatever provider its
 * grounding names (`instantly`, or `ghl`), and unknown reads as e-mail too, whose rules are the
 * stricter ones (the footer): a wrong guess refuses an edit, it never lets one through.
 */
export const replyDraftChannel = (grounding: readonly Grounding[]): 'email' | 'linkedin' => (grounding.find((g) => g.claim === REPLY_GROUNDING_CLAIM)?.provider === 'heyreach' ? 'linkedin' : 'email');

export const editRulesFor = (draft: { angleId: string; grounding: readonly Grounding[] }): EditRules => {
  if (!isReplyAngle(draft.angleId)) return { kind: 'first_touch', channel: 'email', footer: true, qualityGuard: true, reviewerPlaceholder: false };
  const channel = replyDraftChannel(draft.grounding);
  return { kind: 'reply', channel, footer: channel === 'email', qualityGuard: false, reviewerPlaceholder: true };
};
