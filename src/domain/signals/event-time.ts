const DAY_MS = 24 * 3600_000;
const EARLIEST = Date.UTC(2000, 0, 1);

/**
 * When the event happened: the provider's time, unless it is unreadable, more than a day after we
 * received it, or before 2000 (a clock or a parser gone wrong). Then the receive time, with a flag
 * saying so: a time in 2099 would otherwise make every later event look late and never move the
 * lead again. No time given at all is the receive time, unflagged.
 */
export const eventTime = (given: string | Date | null | undefined, receivedAt: Date): { at: Date; flag: string | null } => {
  if (given === null || given === undefined || given === '') return { at: receivedAt, flag: null };
  const at = given instanceof Date ? given : new Date(given);
  const shown = (typeof given === 'string' ? given : given.toISOString()).slice(0, 40);
  if (Number.isNaN(at.getTime())) return { at: receivedAt, flag: `event time "${shown}" is unreadable: the receive time is used` };
  if (at.getTime() > receivedAt.getTime() + DAY_MS) return { at: receivedAt, flag: `event time ${shown} is more than a day ahead of its receipt: the receive time is used` };
  if (at.getTime() < EARLIEST) return { at: receivedAt, flag: `event time ${shown} is before 2000: the receive time is used` };
  return { at, flag: null };
};
