/** Time is passed in, so every rule that depends on it can be tested with a fixed clock. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (iso: string): Clock & { advance: (ms: number) => void } => {
  let current = new Date(iso).getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
  };
};
