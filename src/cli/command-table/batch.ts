import { InvalidArgumentError, type Command } from 'commander';
import type { BatchMotion } from '../../domain/approval/batch.js';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const parseMotion = (value: string): BatchMotion => {
  if (!['outbound', 'revival', 'cadence', 'all'].includes(value)) throw new InvalidArgumentError('motion must be outbound, revival, cadence or all.');
  return value as BatchMotion;
};

const batchCommands = () => import('../commands/batch.js');
type BatchCommands = Awaited<ReturnType<typeof batchCommands>>;

export const registerBatchCommands = (program: Command): void => {
  const batch = program.command('batch').description('Gatekeeper batches: the frozen scope a person approves before anything is dispatched');

  withCommonOptions(
    batch
      .command('create')
      .description('freeze the approved drafts (outbound) or approved revival e-mails (revival) into a batch waiting for approval')
      .requiredOption('--motion <motion>', 'outbound, revival (approved revival e-mails, sent on GoHighLevel) or all', parseMotion)
      .requiredOption('--by <name>', 'who creates it')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<BatchCommands['batchCreateCommand']>[0]) => (await batchCommands()).batchCreateCommand(options));

  withCommonOptions(batch.command('list').description('batches, newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50).option('--json', 'print JSON')).action(
    async (options: Parameters<BatchCommands['batchListCommand']>[0]) => (await batchCommands()).batchListCommand(options),
  );

  withCommonOptions(batch.command('show <batchId>').description('one batch and its exact scope').option('--json', 'print JSON')).action(async (id: string, options: Parameters<BatchCommands['batchShowCommand']>[1]) =>
    (await batchCommands()).batchShowCommand(id, options),
  );

  withCommonOptions(batch.command('approve <batchId>').description('approve the frozen scope (dispatch comes with the send gateway)').requiredOption('--by <name>', 'who approves').option('--json', 'print JSON')).action(
    async (id: string, options: Parameters<BatchCommands['batchApproveCommand']>[1]) => (await batchCommands()).batchApproveCommand(id, options),
  );

  withCommonOptions(batch.command('reject <batchId>').description('reject a batch with a reason').requiredOption('--by <name>', 'who rejects').requiredOption('--reason <text>', 'why').option('--json', 'print JSON')).action(
    async (id: string, options: Parameters<BatchCommands['batchRejectCommand']>[1]) => (await batchCommands()).batchRejectCommand(id, options),
  );
};
