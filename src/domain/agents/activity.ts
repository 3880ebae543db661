import { AGENTS, isAgentRole, type AgentRole } from './registry.js';

/**
 * What each of the 12 roles did in a window, read from what the system records: the audit log
 * (QUEEN's traces are audit entries too) and the pipeline runs' stages. Pure: the entries, the
 * runs and `now` are handed in.
 *
 * Who did it: an entry whose actor is a role is that role's. Entries written for a person (a
 * reviewer's decision, a batch approval, a campaign paused from the dashboard) carry the person as
 * actor, so the action names the role whose work it is (GATEKEEPER approves, OPERATOR dispatches).
 * A run's stages are the pipeline roles' work: discover HUNTER, enrich ENRICHER, score SEGMENTOR,
 * craft CRAFTER, queue GATEKEEPER, send (shadow) OPERATOR. What no rule attributes (a privacy
 * erasure, an exclusions import) is counted as unattributed rather than guessed onto a role.
 * A merged role does its work under the role it is merged into, so it never has data of its own.
 */

/** One audit entry, or `count` entries of the same actor and action read as one (`at` the newest). */
export type ActivityEntry = { at: Date; actor: string; action: string; details: Record<string, unknown>; count?: number };
export type ActivityRun = { runId: string; startedAt: Date; status: string; stages: { name: string; status: string; outputCount: number; errors: number }[] };

export type AgentHealth = 'ok' | 'degraded' | 'failing' | 'idle' | 'merged';

export type AgentActivity = {
  role: AgentRole;
  enabled: boolean;
  mergedInto: string | null;
  actions: number;
  refusals: number;
  failures: number;
  /** The newest thing the role did in the window (ISO), null when it did nothing. */
  lastRun: string | null;
  /** Actions by name, for the reader who wants to know what. */
  byAction: Record<string, number>;
  health: AgentHealth;
  /** One plain sentence: what the figures mean, or that there is no data. */
  summary: string;
};

export type AgentActivityReport = {
  windowHours: number;
  since: string;
  until: string;
  agents: AgentActivity[];
  unattributed: { count: number; byAction: Record<string, number> };
  /** The audit log held more entries in the window than were read: the figures are a lower bound. */
  truncated: boolean;
};

/** Actions whose work belongs to a role whoever the actor is (a person acting through the role's use case). */
const ROLE_OF_ACTION: readonly [RegExp, AgentRole][] = [
  [/^queen\./, 'UNIFIED_QUEEN'],
  // QUEEN's acts on request: the Slack alert is hers; the enrichment is ENRICHER's waterfall.
  [/^slack\.alert_(posted|refused)$/, 'UNIFIED_QUEEN'],
  [/^lead\.enriched_on_request$/, 'ENRICHER'],
  [/^review\./, 'GATEKEEPER'],
  [/^batch\.(approved|rejected|approve_refused|reject_refused)$/, 'GATEKEEPER'],
  [/^draft\.queued_for_review$/, 'GATEKEEPER'],
  [/^draft\./, 'CRAFTER'],
  [/^lead\.disqualified$/, 'SEGMENTOR'],
  // A batch is created and executed (dispatched) by OPERATOR; only its approval is GATEKEEPER's.
  [/^(batch\.(created|executed|execute_refused)$|dispatch\.|outbox\.|campaign\.|emergency_stop\.|revival\.|send\.)/, 'OPERATOR'],
];

const STAGE_ROLE: Record<string, AgentRole> = { discover: 'HUNTER', enrich: 'ENRICHER', score: 'SEGMENTOR', craft: 'CRAFTER', queue: 'GATEKEEPER', send: 'OPERATOR' };

const isRefusal = (e: ActivityEntry) => /_refused$/.test(e.action) || e.action === 'dispatch.refused' || e.action === 'outbox.rejected' || (e.action === 'queen.ask' && e.details.refused === true);

/** A failure the entry records: a send that failed or is uncertain, a run that failed, a QUEEN tool call that failed. */
const failuresIn = (e: ActivityEntry): number => {
  if (e.action === 'outbox.failed' || e.action === 'outbox.uncertain' || e.action === 'outbox.needs_review') return 1;
  if (e.action === 'queen.ask' && Array.isArray(e.details.calls)) return (e.details.calls as { status?: unknown }[]).filter((c) => c.status === 'failed').length;
  return 0;
};

export const roleOfEntry = (e: ActivityEntry): AgentRole | null => {
  if (isAgentRole(e.actor)) return e.actor;
  return ROLE_OF_ACTION.find(([pattern]) => pattern.test(e.action))?.[1] ?? null;
};

const healthOf = (a: { enabled: boolean; actions: number; refusals: number; failures: number }): AgentHealth => {
  if (!a.enabled) return 'merged';
  if (a.actions + a.refusals + a.failures === 0) return 'idle';
  if (a.failures > 0 && a.failures >= a.actions) return 'failing';
  return a.failures > 0 ? 'degraded' : 'ok';
};

const summaryOf = (a: Omit<AgentActivity, 'summary'>, windowHours: number): string => {
  if (!a.enabled) return `Merged into ${a.mergedInto ?? '-'}: its work is recorded under ${a.mergedInto ?? '-'}, so it has no data of its own.`;
  if (a.health === 'idle') return `No data: nothing recorded for this role in the last ${windowHours} hours.`;
  return `${a.actions} actions, ${a.refusals} refusals, ${a.failures} failures in the last ${windowHours} hours; last at ${a.lastRun ?? '-'}.`;
};

export const agentActivity = (input: { entries: readonly ActivityEntry[]; runs: readonly ActivityRun[]; now: Date; windowHours: number; truncated?: boolean }): AgentActivityReport => {
  const since = new Date(input.now.getTime() - input.windowHours * 3_600_000);
  const tally = new Map<AgentRole, { actions: number; refusals: number; failures: number; last: number; byAction: Record<string, number> }>();
  for (const a of AGENTS) tally.set(a.role, { actions: 0, refusals: 0, failures: 0, last: 0, byAction: {} });
  const unattributed = { count: 0, byAction: {} as Record<string, number> };
  const count = (role: AgentRole, action: string, at: Date, kind: { refusal: boolean; failures: number; items?: number; entries?: number }) => {
    const t = tally.get(role)!;
    const items = kind.items ?? kind.entries ?? 1;
    if (kind.refusal) t.refusals += kind.entries ?? 1;
    else t.actions += items;
    t.failures += kind.failures;
    t.byAction[action] = (t.byAction[action] ?? 0) + items;
    t.last = Math.max(t.last, at.getTime());
  };
  for (const e of input.entries) {
    if (e.at < since || e.at > input.now) continue;
    const entries = e.count ?? 1;
    const role = roleOfEntry(e);
    if (!role) {
      unattributed.count += entries;
      unattributed.byAction[e.action] = (unattributed.byAction[e.action] ?? 0) + entries;
      continue;
    }
    count(role, e.action, e.at, { refusal: isRefusal(e), failures: failuresIn(e) * entries, entries });
  }
  for (const run of input.runs) {
    if (run.startedAt < since || run.startedAt > input.now) continue;
    for (const stage of run.stages) {
      const role = STAGE_ROLE[stage.name];
      if (!role || stage.status === 'skip') continue;
      // A stage's actions are the items it put out (leads found, enriched, scored; drafts crafted, queued); its failures its errors.
      count(role, `run.${stage.name}`, run.startedAt, { refusal: false, items: stage.outputCount, failures: stage.status === 'fail' ? Math.max(1, stage.errors) : stage.errors });
    }
  }
  const agents = AGENTS.map((agent): AgentActivity => {
    const t = tally.get(agent.role)!;
    const base = {
      role: agent.role,
      enabled: agent.enabled,
      mergedInto: agent.mergedInto,
      actions: t.actions,
      refusals: t.refusals,
      failures: t.failures,
      lastRun: t.last ? new Date(t.last).toISOString() : null,
      byAction: t.byAction,
    };
    const withHealth = { ...base, health: healthOf(base) };
    return { ...withHealth, summary: summaryOf(withHealth, input.windowHours) };
  });
  return { windowHours: input.windowHours, since: since.toISOString(), until: input.now.toISOString(), agents, unattributed, truncated: input.truncated ?? false };
};
