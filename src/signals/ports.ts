/**
 * What people drive of the signal loop (the CLI, the dashboard's API): the timeline bootstrap's
 * report (signals/bootstrap-timeline.ts makes it), and the unit of work the inbox processor runs a
 * delivery in. Types only.
 */
export type BootstrapReport = {
  dryRun: boolean;
  /** Sends the provider accepted whose touch is missing from the lead's timeline. */
  missing: number;
  recorded: number;
  items: { outboxId: string; leadId: string; channel: string; step: string; sentAt: string }[];
};

/**
 * Work that commits as one: `work` is handed stores bound to one transaction; what it wrote commits
 * when it returns and none of it when it throws (signals/compose.ts runs it in a database
 * transaction). The inbox processor runs each delivery in one.
 */
export type UnitOfWork<S> = <T>(work: (stores: S) => Promise<T>) => Promise<T>;
