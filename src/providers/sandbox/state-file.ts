import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * Where a loopback sandbox keeps what it holds between processes (docs/sandboxes.md): one JSON file
 * per provider under `<dataDir>/sandbox/`. Without a path a sandbox lives in memory only (tests).
 *
 * The file holds provider data only: no API key (keys are generated per process and the state does
 * not depend on them), no webhook (their headers and URLs may carry our tokens).
 */
export type SandboxStateFile = {
  readonly path: string;
  /** The saved state, or null when there is no file yet. A file that cannot be read or parsed is an error naming it. */
  load: () => unknown;
  /** Write the state atomically (temp file + rename); a failure is reported to `onError`, never thrown. */
  save: (state: unknown) => void;
};

const FORMAT = 1;

export const sandboxStateFile = (file: string, onError: (message: string) => void = () => undefined): SandboxStateFile => ({
  path: file,
  load: () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`sandbox state file ${file} cannot be read (${(error as Error).message})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Starting empty would leave our database naming campaigns and lists the sandbox no longer has.
      throw new Error(`sandbox state file ${file} is not valid JSON: delete it to start that sandbox empty`);
    }
    const envelope = parsed as { format?: unknown; state?: unknown } | null;
    if (!envelope || typeof envelope !== 'object' || envelope.format !== FORMAT || !envelope.state || typeof envelope.state !== 'object')
      throw new Error(`sandbox state file ${file} is not a sandbox state (format ${FORMAT}): delete it to start that sandbox empty`);
    return envelope.state;
  },
  save: (state) => {
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temp, JSON.stringify({ format: FORMAT, savedAt: new Date().toISOString(), state }));
      renameSync(temp, file);
    } catch (error) {
      onError(`could not save sandbox state to ${file}: ${(error as Error).message}`);
    }
  },
});

/**
 * Call `persist` as a successful answer to a request that may change something is written, so the
 * state is on disk before the caller (whose process may end at once) reads the answer.
 */
export const saveBeforeAnswer = (req: IncomingMessage, res: ServerResponse, persist: () => void) => {
  if (req.method === 'GET') return;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    if (Number(args[0]) < 400) persist();
    return writeHead(...args);
  };
};
