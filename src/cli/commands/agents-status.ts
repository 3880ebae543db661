import { agentsStatusDepsFor } from '../../compose/queen.js';
import type { AgentActivityReport } from '../../domain/agents/activity.js';
import { agentsStatus } from '../../queen/agents-status.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import { withApp } from './with-app.js';

const renderStatus = (r: AgentActivityReport): string =>
  [
    `the last ${r.windowHours} hours (${r.since} to ${r.until}), from the audit log, QUEEN's traces and the pipeline runs`,
    renderTable(
      ['role', 'health', 'actions', 'refusals', 'failures', 'last run'],
      r.agents.map((a) => [a.role, a.health, a.actions, a.refusals, a.failures, a.lastRun ?? '-']),
    ),
    '',
    ...r.agents.map((a) => `${a.role}: ${a.summary}`),
    ...(r.unattributed.count
      ? [
          `not attributed to a role: ${r.unattributed.count} (${Object.entries(r.unattributed.byAction)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`,
        ]
      : []),
    ...(r.truncated ? ['the audit log held more entries than were read: the figures are a lower bound'] : []),
  ].join('\n');

/** `caio agents status`: what each of the 12 roles did in the last 24 hours, and its health. */
export const agentsStatusCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const report = await agentsStatus(agentsStatusDepsFor(app));
    if (options.json) return printJson(report);
    cliOut(`${renderStatus(report)}\n`);
  });
};
