/** When a job runs: daily at a UTC time, or every N minutes. Pure: the runner asks it for the next instant. */
export type Schedule = { kind: 'daily'; atUtc: string } | { kind: 'every'; minutes: number };

/** The first run at or after `after` (strictly after when `after` is exactly on a run and `exclusive`). */
export const nextRunAt = (schedule: Schedule, after: Date): Date => {
  if (schedule.kind === 'every') {
    const step = schedule.minutes * 60_000;
    return new Date(Math.floor(after.getTime() / step) * step + step);
  }
  const [h, m] = schedule.atUtc.split(':').map(Number) as [number, number];
  const today = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), h, m);
  return new Date(today > after.getTime() ? today : today + 86_400_000);
};

export const describeSchedule = (s: Schedule): string => (s.kind === 'daily' ? `daily at ${s.atUtc} UTC` : `every ${s.minutes} min`);
