import { describeConfig } from '../../config/load.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { cliOut } from '../io.js';

/** `caio config check`: a ConfigError (every problem, exit 2) is printed by the CLI's error handler. */
export const configCheckCommand = (options: CommonOptions & { json?: boolean }): void => {
  const summary = describeConfig(configFrom(options));
  if (options.json) return printJson({ ok: true, config: summary });
  cliOut(`config OK\n${JSON.stringify(summary, null, 2)}\n`);
};
