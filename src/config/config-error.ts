import { AppError } from '../lib/app-error.js';

/** Apart from load.ts (and zod) so the CLI's error handler can know it without loading either. */
export type ConfigProblem = { key: string; message: string };

export class ConfigError extends AppError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], source: string) {
    super('CONFIG_INVALID', `invalid configuration (${source}):\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}
