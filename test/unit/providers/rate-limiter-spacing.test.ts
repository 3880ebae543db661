import { describe, expect, it } from 'vitest';
import { createRateLimiter, spacingOf, SPACING_MARGIN, type RateWindow } from '../../../src/providers/http/rate-limiter.js';

/**
 * A limiter on a fake clock whose sleeps just move time (on the next turn of the event loop, so
 * that what a grant sets off runs before time moves on).
 */
const onFakeClock = (windows: RateWindow[], marginMs?: number) => {
  let t = 0;
  const sleep = (ms: number) => new Promise<void>((resolve) => setImmediate(() => ((t += ms), resolve())));
  const limiter = createRateLimiter({ windows, now: () => t, sleep, ...(marginMs === undefined ? {} : { marginMs }) });
  return { limiter, now: () => t, advance: (ms: number) => (t += ms) };
};

const maxIn = (starts: readonly number[], ms: number) => Math.max(...starts.map((s) => starts.filter((x) => x >= s && x < s + ms).length));

describe('spacingOf', () => {
  it('is W/N of the shortest window (its smallest limit) plus the margin, 0 without windows', () => {
    expect(SPACING_MARGIN).toBe(0.05);
    expect(spacingOf([{ limit: 10, intervalMs: 1_000 }])).toBeCloseTo(105);
    // Instantly: 100/s and 6,000/min.
    expect(
      spacingOf([
        { limit: 100, intervalMs: 1_000 },
        { limit: 6_000, intervalMs: 60_000 },
      ]),
    ).toBeCloseTo(10.5);
    // A per-minute limit with a per-second burst limit: the burst limit spaces, the count holds the minute.
    expect(
      spacingOf([
        { limit: 60, intervalMs: 60_000 },
        { limit: 3, intervalMs: 1_000 },
      ]),
    ).toBeCloseTo(350);
    expect(
      spacingOf([
        { limit: 20, intervalMs: 1_000 },
        { limit: 10, intervalMs: 1_000 },
      ]),
    ).toBeCloseTo(105);
    expect(spacingOf([])).toBe(0);
    expect(spacingOf([{ limit: 0, intervalMs: 1_000 }])).toBe(0);
  });
});

describe('the in-process limiter spaces starts', () => {
  it('10 per second: successive starts at least 105 ms apart, never more than 10 in any second, in order', async () => {
    const { limiter, now } = onFakeClock([{ limit: 10, intervalMs: 1_000 }]);
    const starts: number[] = [];
    const order: number[] = [];
    await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.acquire().then(() => (starts.push(now()), order.push(i)))));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(105);
    expect(maxIn(starts, 1_000)).toBeLessThanOrEqual(10);
    // Not slower than the spacing needs: 40 starts in 39 intervals of 105 ms (rounded up to whole ms).
    expect(starts[39]).toBeLessThanOrEqual(39 * 106);
  });

  it('keeps the count and its margin: with a short window the margin, not the spacing, holds the N-th next start', async () => {
    const { limiter, now } = onFakeClock([{ limit: 4, intervalMs: 200 }]);
    const starts: number[] = [];
    for (let k = 0; k < 9; k++) await limiter.acquire().then(() => starts.push(now()));
    // Spacing 52.5 ms, but the fifth start waits for the first + 200 ms + the 50 ms margin.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(52);
    expect(starts[1]! - starts[0]!).toBeLessThanOrEqual(53);
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(250);
    expect(starts[8]! - starts[4]!).toBeGreaterThanOrEqual(250);
  });

  it('counts a start from when its request left (ticket.sent), for the spacing and for the count', async () => {
    const { limiter, now, advance } = onFakeClock([{ limit: 2, intervalMs: 1_000 }]);
    const first = await limiter.acquireTicket();
    expect(now()).toBe(0);
    // Held on our side for 400 ms after its grant (a stall, a new connection), then sent.
    advance(400);
    first.sent();
    await limiter.acquire();
    // Spacing (525 ms) from when it left, not from the grant.
    expect(now()).toBeGreaterThanOrEqual(925);
    const second = now();
    await limiter.acquire();
    // The third start: 1,000 ms + the 50 ms margin after the first *left*.
    expect(now()).toBeGreaterThanOrEqual(Math.max(400 + 1_050, second + 525));
  });

  it('a ticket sent on time changes nothing, and a start already out of every window is left alone', async () => {
    const { limiter, now, advance } = onFakeClock([{ limit: 1, intervalMs: 100 }]);
    const a = await limiter.acquireTicket();
    a.sent();
    await limiter.acquire();
    expect(now()).toBe(150);
    advance(1_000);
    a.sent();
    await limiter.acquire();
    expect(now()).toBe(1_150);
  });
});
