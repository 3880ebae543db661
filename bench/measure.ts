/** Run `fn` until at least `minMs` have passed (after a warm-up); return operations per second. */
export const opsPerSecond = (fn: () => number, minMs = 1500): { opsPerSecond: number; ops: number; ms: number } => {
  fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    ops += fn();
    elapsed = performance.now() - start;
  }
  return { opsPerSecond: (ops / elapsed) * 1000, ops, ms: elapsed };
};

export const ratio = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}x`;
