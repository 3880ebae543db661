import { randomBytes } from 'node:crypto';

const pad = (n: number) => String(n).padStart(2, '0');

/** Run ids are `run_YYYYMMDD_HHMMSS_<6 hex>` in UTC, so they sort by start time on any machine. */
export const newRunId = (at: Date, random: () => string = () => randomBytes(3).toString('hex')): string => {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `run_${date}_${time}_${random()}`;
};

export const RUN_ID_PATTERN = /^run_\d{8}_\d{6}_[0-9a-f]{6}$/;
