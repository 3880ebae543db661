import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(root, 'dist', 'src', 'main.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/** Run the compiled CLI (npm test compiles first) in `cwd` with a clean environment. */
export const runCli = (args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    if (!existsSync(CLI)) reject(new Error(`${CLI} is missing: run npm run build`));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...options.env };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

export const tempWorkdir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-cli-'));
  // The embedded PostgreSQL in <dir>/.caio/pg runs as the user postgres when the tests run as root.
  chmodSync(dir, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};
