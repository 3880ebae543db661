import type { Command } from 'commander';
import { withCommonOptions, type CommonOptions } from '../options.js';
import { runPipelineCommand } from './pipeline-run.js';

/** `npm start`: one sandbox run on the embedded default, then where to look next. */
export const registerStartCommand = (program: Command): void => {
  withCommonOptions(program.command('start').description('run the pipeline once and show where to look next')).action(async (options: CommonOptions) => {
    const report = await runPipelineCommand({ ...options, source: 'apollo' });
    const example = report.drafts[0]?.email;
    process.stdout.write(
      [
        '',
        'Next:',
        '  npx caio leads list                 every lead with its score, tier and status',
        '  npx caio leads list --status pending_review',
        `  npx caio leads show ${example ?? '<email>'}   why it scored as it did, and its draft`,
        `  npx caio runs show ${report.runId}`,
        '',
      ].join('\n'),
    );
    if (report.status !== 'passed') process.exitCode = 1;
  });
};
