/**
 * What people drive of the signal loop (the CLI, the dashboard's API): the timeline bootstrap's
 * report (signals/bootstrap-timeline.ts makes it). Types only.
 */
export type BootstrapReport = {
  dryRun: boolean;
  /** Sends the provider accepted whose touch is missing from the lead's timeline. */
  missing: number;
  recorded: number;
  items: { outboxId: string; leadId: string; channel: string; step: string; sentAt: string }[];
};
