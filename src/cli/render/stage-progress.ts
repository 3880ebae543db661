import { LISTR_LOGGER_STDERR_LEVELS, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { CliStream } from '../io.js';
import type { PipelineEvents } from '../../pipeline/context.js';
import { STAGE_NAMES, type StageName, type StageResult } from '../../pipeline/ports.js';

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };
const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

/**
 * The pipeline reports stage events; listr2 draws them: a live task list on a terminal, one plain
 * line per stage otherwise (CI logs, pipes), on the given streams (the CLI's I/O context; default
 * the process's).
 */
export const createStageProgress = (options: { tty: boolean; stdout?: CliStream; stderr?: CliStream }) => {
  const started = new Map(STAGE_NAMES.map((n) => [n, deferred<number>()]));
  const ended = new Map(STAGE_NAMES.map((n) => [n, deferred<StageResult>()]));
  const progress = new Map<StageName, (done: number, total: number) => void>();

  const events: PipelineEvents = {
    onStageStart: (name, input) => started.get(name)!.resolve(input),
    onStageProgress: (name, done, total) => progress.get(name)?.(done, total),
    onStageEnd: (result) => ended.get(result.name)!.resolve(result),
  };

  // The renderers' own loggers, as listr2 builds them, but writing to these streams.
  const processOutput = options.stdout || options.stderr ? new ProcessOutput(options.stdout as NodeJS.WriteStream | undefined, options.stderr as NodeJS.WriteStream | undefined) : null;
  const logger = processOutput ? new ListrLogger({ useIcons: true, toStderr: options.tty ? [] : LISTR_LOGGER_STDERR_LEVELS, processOutput }) : null;

  const list = new Listr(
    STAGE_NAMES.map((name, i) => ({
      title: `${i + 1}/6 ${name}`,
      task: async (_ctx: unknown, task: { title: string; output: string; skip: (m: string) => void }) => {
        await started.get(name)!.promise;
        // Live counts only on a terminal; in a log they would be one line per lead.
        if (options.tty) {
          progress.set(name, (done, total) => {
            task.output = `${done}/${total}`;
          });
        }
        const result = await ended.get(name)!.promise;
        const counts = `in ${result.inputCount}, out ${result.outputCount}, ${Math.round(result.durationMs)} ms${result.errors.length ? `, ${result.errors.length} errors` : ''}`;
        task.title = `${i + 1}/6 ${name}: ${result.status} (${counts})`;
        if (result.status === 'skip') task.skip(`${i + 1}/6 ${name}: skipped (${String(result.metrics.reason ?? 'nothing to do')})`);
        if (result.status === 'fail') throw new Error(task.title);
      },
    })),
    { concurrent: false, exitOnError: false, renderer: options.tty ? 'default' : 'simple', rendererOptions: { collapseErrors: false, ...(logger ? { logger } : {}) } },
  );

  return {
    events,
    /** Draw while `work` runs; the drawing never decides the outcome. */
    run: async <T>(work: () => Promise<T>): Promise<T> => {
      const drawing = list.run().catch(() => undefined);
      try {
        return await work();
      } finally {
        // If the run threw before some stages started, let the drawing finish.
        for (const name of STAGE_NAMES) {
          started.get(name)!.resolve(0);
          ended.get(name)!.resolve({ name, status: 'skip', inputCount: 0, outputCount: 0, durationMs: 0, errors: [], metrics: { reason: 'not run' } });
        }
        await drawing;
      }
    },
  };
};
