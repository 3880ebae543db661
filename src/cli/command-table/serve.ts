import type { Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const serveCommands = () => import('../commands/serve.js');
type ServeCommands = Awaited<ReturnType<typeof serveCommands>>;

export const registerServeCommands = (program: Command): void => {
  withCommonOptions(
    program
      .command('serve')
      .description('the HTTP server: provider webhooks (verified, stored, then processed) and health routes')
      .option('--port <n>', 'port (default: server.port, 8080)', (v) => Number.parseInt(v, 10))
      .option('--host <host>', 'address to listen on (default: server.host)'),
  ).action(async (options: Parameters<ServeCommands['serveCommand']>[0]) => (await serveCommands()).serveCommand(options));

  const webhooks = program.command('webhooks').description('stored webhook deliveries');
  withCommonOptions(
    webhooks
      .command('list')
      .description('newest first')
      .option('--status <s>', 'pending, processed, unknown_lead, ignored (kept, not acted on; --json shows the reason as error) or failed')
      .option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<ServeCommands['webhooksListCommand']>[0]) => (await serveCommands()).webhooksListCommand(options));
  withCommonOptions(webhooks.command('replay <inboxId>').description('process a stored delivery again (e.g. an unknown_lead one after the lead was imported)').option('--json', 'print JSON')).action(
    async (id: string, options: Parameters<ServeCommands['webhooksReplayCommand']>[1]) => (await serveCommands()).webhooksReplayCommand(id, options),
  );

  const decay = program.command('decay').description('decay detection: ghosted, stalled, engaged-not-replied');
  withCommonOptions(
    decay
      .command('run')
      .description('judge every eligible lead now (the scheduler runs this daily at 10:00 UTC)')
      .option('--dry-run', 'report the findings, change nothing')
      .option('--at <iso>', 'judge as of this instant instead of now')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<ServeCommands['decayRunCommand']>[0]) => (await serveCommands()).decayRunCommand(options));

  const cadence = program.command('cadence').description('the 21-day e-mail + LinkedIn cadence');
  withCommonOptions(cadence.command('status').description("enrolments by status, or one lead's place in the cadence").option('--lead <email>', 'one lead').option('--json', 'print JSON')).action(
    async (options: Parameters<ServeCommands['cadenceStatusCommand']>[0]) => (await serveCommands()).cadenceStatusCommand(options),
  );
  withCommonOptions(cadence.command('sync').description('apply exits the live hooks missed (a reply, bounce, unsubscribe, meeting or rejection on record) to open enrolments').option('--json', 'print JSON')).action(
    async (options: Parameters<ServeCommands['cadenceSyncCommand']>[0]) => (await serveCommands()).cadenceSyncCommand(options),
  );
  withCommonOptions(cadence.command('due').description('steps due now (or at --at), with the ones a condition skips and why; changes nothing').option('--at <iso>', 'as of this instant').option('--json', 'print JSON')).action(
    async (options: Parameters<ServeCommands['cadenceDueCommand']>[0]) => (await serveCommands()).cadenceDueCommand(options),
  );
};
