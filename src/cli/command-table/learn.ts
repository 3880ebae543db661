import type { Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const learnCommands = () => import('../commands/learn.js');
type LearnCommands = Awaited<ReturnType<typeof learnCommands>>;

/** `caio learn report`: which subject variant and angle win, with their uncertainty, and how well the score predicted outcomes (docs/learning.md). */
export const registerLearnCommands = (program: Command): void => {
  const learn = program.command('learn').description('what the outcomes say: subject variants, angles and scoring calibration, with their uncertainty');
  withCommonOptions(
    learn
      .command('report', { isDefault: true })
      .description('open, reply and meeting rates per subject variant and angle with intervals, winners only when the test says so, and suggested score weights (never applied)')
      .option('--days <n>', 'leads first e-mailed in the last N UTC days, today included', parsePositiveInt('days', 3650), 90)
      .option('--json', 'print JSON (shape in docs/learning.md)'),
  ).action(async (options: Parameters<LearnCommands['learnReportCommand']>[0]) => (await learnCommands()).learnReportCommand(options));
};
