import { loadConfig, type Config } from '../config/load.js';
import { cliIo } from './io.js';
import { configSourcesOf, type CommonOptions } from './options.js';

/** The validated configuration a command runs with (a ConfigError lists every problem). */
export const configFrom = (options: CommonOptions): Config => loadConfig(configSourcesOf(options, cliIo()));
