import { InvalidArgumentError, type Command } from 'commander';
import type { BatchMotion } from '../../domain/approval/batch.js';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const parseMotion = (value: string): BatchMotion => {
  if (!['outbound', 'revival', 'cadence', 'all'].includes(value)) throw new InvalidArgumentError('motion must be outbound, revival, cadence or all.');
  return value as BatchMotion;
};

const dispatchCommands = () => import('../commands/dispatch.js');
type DispatchCommands = Awaited<ReturnType<typeof dispatchCommands>>;

export const registerDispatchCommands = (program: Command): void => {
  withCommonOptions(
    program
      .command('dispatch')
      .description('the OPERATOR: dry run (default) shows exactly what would happen; --live executes an approved batch once and sends what is due through the gateway')
      .requiredOption('--motion <motion>', 'outbound or all (cadence and revival come later)', parseMotion)
      .option('--dry-run', 'show what would happen and write nothing (the default)')
      .option('--live', 'send for real (needs "send": "live" in the config)')
      .option('--batch <id>', 'the approved batch to execute')
      .option('--by <name>', 'who runs it (required with --live)')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<DispatchCommands['dispatchCommand']>[0]) => (await dispatchCommands()).dispatchCommand(options));

  withCommonOptions(
    program
      .command('stop')
      .description('EMERGENCY STOP: nothing is sent by any process until caio resume; live Instantly campaigns are paused')
      .option('--reason <text>', 'why (may be given afterwards: caio stop-reason)')
      .requiredOption('--by <name>', 'who')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<DispatchCommands['stopCommand']>[0]) => (await dispatchCommands()).stopCommand(options));
  // A command of its own, not `stop explain`: the parent's --reason and --by would take the subcommand's.
  withCommonOptions(
    program.command('stop-reason').description('give (or correct) the reason of the emergency stop in force').requiredOption('--reason <text>', 'why').requiredOption('--by <name>', 'who').option('--json', 'print JSON'),
  ).action(async (options: Parameters<DispatchCommands['explainStopCommand']>[0]) => (await dispatchCommands()).explainStopCommand(options));

  withCommonOptions(program.command('resume').description('clear the emergency stop (EMERGENCY_STOP in the environment still blocks)').requiredOption('--by <name>', 'who').option('--json', 'print JSON')).action(
    async (options: Parameters<DispatchCommands['resumeCommand']>[0]) => (await dispatchCommands()).resumeCommand(options),
  );

  const operator = program.command('operator').description('the OPERATOR');
  withCommonOptions(operator.command('status').description('limits used and left today, warm-up week, ramp, emergency stop, pending batches, the outbox').option('--json', 'print JSON')).action(
    async (options: Parameters<DispatchCommands['operatorStatusCommand']>[0]) => (await dispatchCommands()).operatorStatusCommand(options),
  );

  withCommonOptions(operator.command('health').description('check live campaigns: pause any whose bounce or complaint rate passed the threshold (alerted; only a person resumes)').option('--json', 'print JSON')).action(
    async (options: Parameters<DispatchCommands['operatorHealthCommand']>[0]) => (await dispatchCommands()).operatorHealthCommand(options),
  );

  withCommonOptions(operator.command('incidents').description('open incidents: what failed, since when, the level reached and the level people were paged at').option('--json', 'print JSON')).action(
    async (options: Parameters<DispatchCommands['operatorIncidentsCommand']>[0]) => (await dispatchCommands()).operatorIncidentsCommand(options),
  );

  const revival = program.command('revival').description('stale CRM contacts worth reviving');
  withCommonOptions(
    revival
      .command('scan')
      .description('GoHighLevel contacts 30-120 days inactive, not excluded by tag or status, scored best first (read-only)')
      .option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 20)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<DispatchCommands['revivalScanCommand']>[0]) => (await dispatchCommands()).revivalScanCommand(options));

  const campaigns = program.command('campaigns').description('campaigns and lists we created at the providers (always as drafts)');
  withCommonOptions(campaigns.command('list').description('newest first').option('--json', 'print JSON')).action(async (options: Parameters<DispatchCommands['campaignsListCommand']>[0]) =>
    (await dispatchCommands()).campaignsListCommand(options),
  );
  withCommonOptions(campaigns.command('activate <externalId>').description('start sending a draft Instantly campaign: only a person does this').requiredOption('--by <name>', 'who').option('--json', 'print JSON')).action(
    async (externalId: string, options: Parameters<DispatchCommands['campaignsActivateCommand']>[1]) => (await dispatchCommands()).campaignsActivateCommand(externalId, options),
  );
};
