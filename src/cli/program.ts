import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.js';
import { registerBatchCommands } from './commands/batch.js';
import { registerConfigCommands } from './commands/config-check.js';
import { registerAgentsCommand } from './commands/agents.js';
import { registerDispatchCommands } from './commands/dispatch.js';
import { registerServeCommands } from './commands/serve.js';
import { registerReviewCommands } from './commands/review.js';
import { registerLeadCommands } from './commands/leads.js';
import { registerPipelineCommands } from './commands/pipeline-run.js';
import { registerPrivacyCommands } from './commands/privacy.js';
import { registerProvidersCheckCommand } from './commands/providers-check.js';
import { registerRunCommands } from './commands/runs.js';
import { registerStartCommand } from './commands/start.js';
import { registerKpiCommands } from './commands/kpis.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerDbCommands } from './commands/db.js';

/** The command table; each command calls a pipeline use case or a store query. */
export const buildProgram = (): Command => {
  const program = new Command('caio')
    .description('CAIO Alpha Swarm: discover, enrich, score and draft outreach; nothing leaves without approval')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerStartCommand(program);
  registerPipelineCommands(program);
  registerLeadCommands(program);
  registerRunCommands(program);
  registerReviewCommands(program);
  registerBatchCommands(program);
  registerAuditCommand(program);
  registerPrivacyCommands(program);
  registerProvidersCheckCommand(program);
  registerConfigCommands(program);
  registerAgentsCommand(program);
  registerDispatchCommands(program);
  registerServeCommands(program);
  registerKpiCommands(program);
  registerJobCommands(program);
  registerDbCommands(program);
  return program;
};
