import { CommanderError, type Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { EXIT_CODE, isAppError } from '../lib/app-error.js';
import { storeUnavailableOf } from '../store/connection-errors.js';
import { buildProgram } from './program.js';
import { cliErr, processIo, withCliIo, type CliIo } from './io.js';

/** Usage errors exit 2, like invalid config; everything the user must fix says what and where. */
const USAGE_EXIT = 2;

/** Commander's own output (help, version, usage errors) on the context's streams, for every command. */
const routeOutput = (command: Command, io: CliIo): void => {
  command.configureOutput({
    writeOut: (text) => void io.stdout.write(text),
    writeErr: (text) => void io.stderr.write(text),
    // Other streams than the process's own (a test's) get plain help: no colours, commander's default width.
    ...(io.stdout === process.stdout ? {} : { getOutHelpWidth: () => undefined as unknown as number, getOutHasColors: () => false }),
    ...(io.stderr === process.stderr ? {} : { getErrHelpWidth: () => undefined as unknown as number, getErrHasColors: () => false }),
  });
  for (const sub of command.commands) routeOutput(sub, io);
};

const exitCodeOf = (error: unknown): number => {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT;
  if (error instanceof ConfigError) {
    cliErr(`error: invalid configuration${error.problems.length > 1 ? ` (${error.problems.length} problems)` : ''}:\n${error.problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}\n`);
    return EXIT_CODE.CONFIG_INVALID;
  }
  const known = isAppError(error) ? error : storeUnavailableOf(error);
  if (known) {
    cliErr(`error: ${known.message}\n`);
    return EXIT_CODE[known.code];
  }
  cliErr(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
};

/**
 * The CLI: parse `argv` (as process.argv: node, script, then the arguments), run the command and
 * return its exit code, with every line written to the context's streams. `caio` (main.ts) runs it
 * on the real process; tests run it in-process with their own streams, environment, folder and
 * overrides (io.ts).
 */
export const runCli = async (argv: string[], io: Partial<CliIo> = {}): Promise<number> => {
  const context: CliIo = { ...processIo(), ...io };
  return withCliIo(context, async () => {
    try {
      const program = buildProgram();
      routeOutput(program, context);
      await program.parseAsync(argv);
      return context.exitCode ?? 0;
    } catch (error) {
      return exitCodeOf(error);
    }
  });
};
