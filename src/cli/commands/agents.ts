import type { CommonOptions } from '../options.js';
import { agentsReport, renderAgents } from '../render/agents.js';
import { printJson } from '../render/json.js';
import { cliOut } from '../io.js';

/** `caio agents`: the role registry is static data, so no store is opened. */
export const agentsCommand = (options: CommonOptions & { json?: boolean }): void => {
  if (options.json) return printJson(agentsReport());
  cliOut(`${renderAgents()}\n`);
};
