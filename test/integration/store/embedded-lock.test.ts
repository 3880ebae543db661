import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireEmbeddedLock } from '../../../src/store/embedded-lock.js';
import { AppError } from '../../../src/lib/app-error.js';

describe('embedded database lock', () => {
  const dirs: string[] = [];
  const tempData = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-lock-'));
    dirs.push(dir);
    return path.join(dir, 'data');
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses a second owner while the first process lives, naming its PID', async () => {
    const data = tempData();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${data}.lock`, String(other.pid));
      let caught: unknown;
      try {
        acquireEmbeddedLock(data);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('STORE_LOCKED');
      expect((caught as AppError).message).toContain(`in use by PID ${other.pid}`);
      expect((caught as AppError).message).toContain('DATABASE_URL');
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that no longer exists, and releases it', async () => {
    const data = tempData();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${data}.lock`, String(gone.pid));
    const lock = acquireEmbeddedLock(data);
    expect(readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses to open the same folder twice in one process', () => {
    const data = tempData();
    const lock = acquireEmbeddedLock(data);
    expect(() => acquireEmbeddedLock(data)).toThrow(/already open in this process/);
    lock.release();
  });
});
