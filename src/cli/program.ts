import { Command } from 'commander';
import { registerAuditCommand } from './command-table/audit.js';
import { registerBatchCommands } from './command-table/batch.js';
import { registerConfigCommands } from './command-table/config-check.js';
import { registerAgentsCommand } from './command-table/agents.js';
import { registerDispatchCommands } from './command-table/dispatch.js';
import { registerServeCommands } from './command-table/serve.js';
import { registerReviewCommands } from './command-table/review.js';
import { registerLeadCommands } from './command-table/leads.js';
import { registerPipelineCommands } from './command-table/pipeline-run.js';
import { registerPrivacyCommands } from './command-table/privacy.js';
import { registerExclusionCommands } from './command-table/exclusions.js';
import { registerProvidersCheckCommand } from './command-table/providers-check.js';
import { registerRunCommands } from './command-table/runs.js';
import { registerStartCommand } from './command-table/start.js';
import { registerKpiCommands } from './command-table/kpis.js';
import { registerJobCommands } from './command-table/jobs.js';
import { registerDbCommands } from './command-table/db.js';
import { registerAskCommands } from './command-table/ask.js';
import { registerRepliesCommands } from './command-table/replies.js';
import { registerSimulateCommand } from './command-table/simulate.js';
import { registerUserCommands } from './command-table/users.js';
import { registerLearnCommands } from './command-table/learn.js';

/**
 * The command table; each command calls a pipeline use case or a store query. Every command and
 * option is declared here up front (help, usage errors), but a command's implementation in
 * ./commands/ is imported only when that command runs, so `caio --help` loads commander and this
 * table, not the store, the server or the providers (test/unit/cli/lazy-imports.test.ts).
 */
export const buildProgram = (): Command => {
  const program = new Command('caio').description('CAIO Alpha Swarm: discover, enrich, score and draft outreach; nothing leaves without approval').version('0.1.0').showHelpAfterError('(add --help for usage)').exitOverride();
  registerStartCommand(program);
  registerPipelineCommands(program);
  registerLeadCommands(program);
  registerRunCommands(program);
  registerReviewCommands(program);
  registerRepliesCommands(program);
  registerBatchCommands(program);
  registerAuditCommand(program);
  registerPrivacyCommands(program);
  registerExclusionCommands(program);
  registerUserCommands(program);
  registerProvidersCheckCommand(program);
  registerConfigCommands(program);
  registerAgentsCommand(program);
  registerDispatchCommands(program);
  registerServeCommands(program);
  registerKpiCommands(program);
  registerLearnCommands(program);
  registerJobCommands(program);
  registerDbCommands(program);
  registerAskCommands(program);
  registerSimulateCommand(program);
  return program;
};
