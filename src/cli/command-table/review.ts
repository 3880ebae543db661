import { InvalidArgumentError, type Command } from 'commander';
import { isRejectionTag, REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { parsePositiveInt, parseTier, withCommonOptions } from '../options.js';

const parseTag = (value: string): string => {
  if (!isRejectionTag(value)) throw new InvalidArgumentError(`unknown tag; use one of: ${REJECTION_TAGS.map((t) => t.id).join(', ')}`);
  return value;
};

const reviewCommands = () => import('../commands/review.js');
type ReviewCommands = Awaited<ReturnType<typeof reviewCommands>>;
const reviewQueueCommands = () => import('../commands/review-queue.js');
type ReviewQueueCommands = Awaited<ReturnType<typeof reviewQueueCommands>>;

export const registerReviewCommands = (program: Command): void => {
  const review = program.command('review').description('the human review of drafts: nothing leaves without approval');

  withCommonOptions(review.command('tags').description('the rejection tags').option('--json', 'print JSON')).action(async (options: Parameters<ReviewCommands['reviewTagsCommand']>[0]) => (await reviewCommands()).reviewTagsCommand(options));

  withCommonOptions(
    review
      .command('list')
      .description('drafts waiting for review, best leads first')
      .option('--tier <tier>', 'only this tier', parseTier)
      .option('--angle <angle>', 'only this angle (campaign)')
      .option('--verdict <verdict>', 'passed or failed (failed: the quality guard recorded rule failures in soft mode)', (v: string) => {
        if (v !== 'passed' && v !== 'failed') throw new InvalidArgumentError('verdict must be passed or failed.');
        return v;
      })
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 100_000), 100)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<ReviewCommands['reviewListCommand']>[0]) => (await reviewCommands()).reviewListCommand(options));

  withCommonOptions(review.command('show <draftId>').description("one draft with its lead, grounding and the lead's rejections").option('--json', 'print JSON')).action(
    async (draftId: string, options: Parameters<ReviewCommands['reviewShowCommand']>[1]) => (await reviewCommands()).reviewShowCommand(draftId, options),
  );

  withCommonOptions(
    review
      .command('approve <draftId>')
      .description('approve a draft (optionally edited); it becomes eligible for dispatch, nothing is sent')
      .requiredOption('--by <name>', 'who approves')
      .option('--subject <text>', 'an edited subject')
      .option('--body <text>', 'an edited body (an e-mail must keep the compliant footer; a LinkedIn answer needs none)')
      .option('--json', 'print JSON'),
  ).action(async (draftId: string, options: Parameters<ReviewCommands['reviewApproveCommand']>[1]) => (await reviewCommands()).reviewApproveCommand(draftId, options));

  withCommonOptions(
    review
      .command('reject <draftId>')
      .description('reject a draft with a reason and a tag; the next draft for this lead rotates away from its angle')
      .requiredOption('--reason <text>', 'why, in words the writer can act on')
      .requiredOption('--tag <tag>', `one of: ${REJECTION_TAGS.map((t) => t.id).join(', ')}`, parseTag)
      .requiredOption('--by <name>', 'who rejects')
      .option('--json', 'print JSON'),
  ).action(async (draftId: string, options: Parameters<ReviewCommands['reviewRejectCommand']>[1]) => (await reviewCommands()).reviewRejectCommand(draftId, options));

  withCommonOptions(review.command('queue').description("how many drafts wait for review, against the queue watcher's low-water mark and target").option('--json', 'print JSON')).action(
    async (options: Parameters<ReviewQueueCommands['reviewQueueCommand']>[0]) => (await reviewQueueCommands()).reviewQueueCommand(options),
  );
  withCommonOptions(
    review
      .command('top-up')
      .description('run the queue watcher now: below the low-water mark (or with --force), a pipeline run crafts drafts up to the target')
      .option('--force', 'top up to the target whatever the count (at least one lead)')
      .requiredOption('--by <name>', 'who asks')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<ReviewQueueCommands['reviewTopUpCommand']>[0]) => (await reviewQueueCommands()).reviewTopUpCommand(options));
};
