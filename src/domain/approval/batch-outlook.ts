/**
 * A pending batch item by item, as a person sees it before approving (issue 21 item 3): the message
 * each item carries and its predicted outcome under today's guards (src/dispatch/batch-outlook.ts
 * builds it from the OPERATOR's dry run). Types only.
 */
export type OutlookOutcome = 'would_send' | 'deferred' | 'refused' | 'stopped' | 'left_out' | 'queues_revival';

export type BatchOutlookItem = {
  /** The item's position in the frozen scope (what leaving it out names). */
  index: number;
  leadId: string;
  draftId: string;
  channel: string;
  kind: 'first_touch' | 'cadence_step' | 'revival' | 'revival_email' | 'unknown';
  /** The touch: `send_email`, `linkedin_connect`, or a cadence step's action. */
  touch: string | null;
  step: number | null;
  subject: string | null;
  body: string | null;
  outcome: OutlookOutcome;
  /** For a deferred item: when it would go (ISO). */
  until: string | null;
  /** The guard's code (refused, deferred, stopped) or the draft's status (left out). */
  reason: string | null;
};
