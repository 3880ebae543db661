import { ACTIONS, AGENTS, allowedActionsOf, effectiveActionsOf, RISK_POLICIES, SEND_CAPABLE_ROLES, type AgentDefinition } from '../../domain/agents/index.js';
import { renderTable } from './table.js';

const statusOf = (agent: AgentDefinition) => (agent.enabled ? 'enabled' : `merged into ${agent.mergedInto ?? '-'}`);
const limitsOf = (agent: AgentDefinition) => `${agent.limits.perMinute}/${agent.limits.perHour}/${agent.limits.perDay}`;
const withRisk = (actions: readonly (keyof typeof ACTIONS)[]) => actions.map((a) => `${a} (${ACTIONS[a].risk})`).join(', ');

/** The JSON form of `caio agents --json`: each role with what it declares and what it may actually do. */
export const agentsReport = () => ({
  sendCapableRoles: SEND_CAPABLE_ROLES,
  riskLevels: RISK_POLICIES,
  agents: AGENTS.map((agent) => ({
    ...agent,
    allowed: allowedActionsOf(agent),
    allowedDeclared: agent.allowed,
    effective: effectiveActionsOf(agent).map((action) => ({ action, risk: ACTIONS[action].risk, sends: ACTIONS[action].sends })),
  })),
});

/** A summary table, then one block per role listing the actions it may perform and those it is denied. */
export const renderAgents = (): string => {
  const table = renderTable(
    ['role', 'category', 'status', 'limits min/h/day', 'may do', 'owns'],
    AGENTS.map((a) => [a.role, a.category, statusOf(a), limitsOf(a), effectiveActionsOf(a).length, a.owns.join('; ')]),
  );
  const blocks = AGENTS.map((a) =>
    [
      `${a.role} (${statusOf(a)})`,
      `  allowed: ${a.allowed === '*' ? '* (every action)' : a.allowed.join(', ')}`,
      `  denied:  ${a.denied.length ? a.denied.join(', ') : 'none'}`,
      `  may do:  ${a.enabled ? withRisk(effectiveActionsOf(a)) || 'nothing' : `nothing as itself; act as ${a.mergedInto ?? '-'}`}`,
    ].join('\n'),
  );
  return [table, '', `only ${SEND_CAPABLE_ROLES.join(' and ')} may send; a merged role is refused and names the role to act as`, '', ...blocks].join('\n');
};
