import { agentActivity, type AgentActivityReport } from '../domain/agents/activity.js';
import type { AgentsStatusDeps } from './ports.js';

/** More of QUEEN's asks than this in the window are not read; the report says it is truncated. */
export const AGENTS_STATUS_AUDIT_LIMIT = 100_000;

/**
 * What each of the 12 roles did in the last `windowHours` (24 by default) and its health, from the
 * audit log, QUEEN's traces in it and the pipeline runs (domain/agents/activity.ts says who did what).
 */
export const agentsStatus = async (deps: AgentsStatusDeps, options: { windowHours?: number } = {}): Promise<AgentActivityReport> => {
  const windowHours = options.windowHours ?? 24;
  const now = deps.clock.now();
  const since = new Date(now.getTime() - windowHours * 3_600_000);
  const [entries, runs] = await Promise.all([deps.activity(since, now, AGENTS_STATUS_AUDIT_LIMIT + 1), deps.runs(since)]);
  const asks = entries.filter((e) => e.count === undefined);
  const truncated = asks.length > AGENTS_STATUS_AUDIT_LIMIT;
  const kept = truncated ? entries.filter((e) => e !== asks[asks.length - 1]) : entries;
  return agentActivity({ entries: kept, runs, now, windowHours, truncated });
};
