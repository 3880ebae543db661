import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../lib/app-error.js';

export type LockHandle = { path: string; release: () => void };

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it still holds the folder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite has no lock of its own and two writer processes corrupt its folder, so exactly one
 * process may own it. The lock file holds the owner's PID; a lock left by a dead process is taken over.
 */
export const acquireEmbeddedLock = (dataDir: string): LockHandle => {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath, { force: true });
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readLockOwner(lockPath), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new AppError(
          'STORE_LOCKED',
          `the embedded database is in use by PID ${owner}; stop it, or set DATABASE_URL (lock file: ${lockPath})`,
          { details: { pid: owner } },
        );
      }
      if (owner === process.pid) {
        throw new AppError('STORE_LOCKED', `the embedded database is already open in this process (PID ${owner})`, { details: { pid: owner } });
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('STORE_LOCKED', `could not take the embedded database lock ${lockPath}`);
};

const readLockOwner = (lockPath: string): string => {
  try {
    return readFileSync(lockPath, 'utf8').trim();
  } catch {
    return '';
  }
};
