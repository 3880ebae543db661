import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';

/** A documented limit: at most `limit` calls starting within any `intervalMs` (e.g. 300 per 60,000 ms). */
export type RateWindow = { limit: number; intervalMs: number };

/**
 * A granted start. `sent()` says its request has just left (its headers were written to the
 * socket): the limiter then counts the start from now instead of from the grant.
 */
export type RateTicket = { sent(): void };

/** What every limiter hands the HTTP policy. */
export type RateLimiter = {
  /** Wait until a call may start. */
  acquire(): Promise<void>;
  /** The same, with a ticket the HTTP policy passes to {@link sendTracked}; used when present. */
  acquireTicket?(): Promise<RateTicket>;
};

/** How much longer than W/N the spacing between two starts is (see {@link spacingOf}). */
export const SPACING_MARGIN = 0.05;

/**
 * The least time between two starts for these windows: W/N of the shortest window (with its
 * smallest limit when two have that length), stretched by {@link SPACING_MARGIN}; 0 when there is
 * no window. E.g. 10 per 1,000 ms → 105 ms; Instantly's 100/s and 6,000/min → 10.5 ms.
 *
 * Why the shortest window: it is the provider's burst limit. Spacing at its rate is enough to keep
 * starts from leaving in a bunch, which a busy machine turns into a bunch of arrivals (see
 * createRateLimiter), and it leaves the longer windows their bursts within it (3/s inside 60/min);
 * the count holds every window's total.
 */
export const spacingOf = (windows: readonly RateWindow[]): number => {
  const valid = windows.filter((w) => w.limit >= 1 && w.intervalMs > 0);
  if (valid.length === 0) return 0;
  const shortest = Math.min(...valid.map((w) => w.intervalMs));
  const limit = Math.min(...valid.filter((w) => w.intervalMs === shortest).map((w) => Math.floor(w.limit)));
  // Rounded to a microsecond so that 100 × 1.05 is 105, not 105.00000000000001 (a whole ms more once rounded up).
  return Math.round((shortest / limit) * (1 + SPACING_MARGIN) * 1_000) / 1_000;
};

// ---- when a request really leaves -------------------------------------------------------------
// Node's fetch (undici) publishes on diagnostics channels when it creates a request and when it
// writes the request's headers to the socket. A request created inside sendTracked() is tied to
// its ticket (the async context follows fetch's own awaits), and the ticket hears when it is sent:
// after connecting (and a TLS handshake), after whatever held this process since the grant.

const sending = new AsyncLocalStorage<RateTicket>();
const ticketOf = new WeakMap<object, RateTicket>();
let listening = false;

const requestOf = (message: unknown): object | undefined => {
  const request = (message as { request?: unknown } | null)?.request;
  return request && typeof request === 'object' ? request : undefined;
};

const listen = () => {
  if (listening) return;
  listening = true;
  diagnostics.subscribe('undici:request:create', (message) => {
    const ticket = sending.getStore();
    const request = requestOf(message);
    if (ticket && request) ticketOf.set(request, ticket);
  });
  diagnostics.subscribe('undici:client:sendHeaders', (message) => {
    const request = requestOf(message);
    const ticket = request && ticketOf.get(request);
    if (!request || !ticket) return;
    ticketOf.delete(request);
    try {
      ticket.sent();
    } catch {
      // A limiter's bookkeeping must never break the request.
    }
  });
};

/**
 * Runs `send` (one fetch) so that `ticket.sent()` is called when its request's headers are written
 * (each time, if it is redirected). With another fetch than Node's, nothing is heard and the start
 * stays counted from the grant.
 */
export const sendTracked = <T>(ticket: RateTicket | void | undefined, send: () => Promise<T>): Promise<T> => {
  if (!ticket) return send();
  listen();
  return sending.run(ticket, send);
};

/**
 * A sliding-window limiter over one or more windows (Instantly documents 100/s and 6,000/min;
 * GoHighLevel 100 per 10 s) that also spaces starts evenly: a call starts only when, in every
 * window, fewer than `limit` calls started in the last `intervalMs` (+ a margin), and at least
 * {@link spacingOf} the windows after the previous start. Callers are served in order.
 * In-process; with REDIS_URL the same rule is held in Redis for every process
 * (redis-rate-limiter.ts), with this as fallback.
 *
 * Why spacing as well as the count. The count alone never exceeds a limit *as we time starts*, but
 * the provider counts *arrivals*, and on a busy machine the two differ: when the window frees, the
 * count lets N calls start in the same millisecond, they leave one after another (an event loop
 * shared with other work, new connections, a CPU taken by other processes), the last ones late,
 * while the next window's burst leaves on time; the provider sees the late tail of one burst and
 * the head of the next within one of its windows. With every core busy, a 10-per-second server
 * counting arrivals saw 11 to 20 in one second behind the count alone with its 50 ms margin
 * (test/integration/providers/rate-limit-busy.test.ts).
 *
 * Why spacing survives a busy machine: a request delayed on our side after it was granted arrives
 * later, never earlier, and a delay that hits every request alike (a slow machine) only shifts the
 * arrivals. With starts at least W/N × 1.05 apart, N + 1 arrivals fit in one window only if the
 * first of them was held on our side longer than the one granted N starts after it, by more than
 * the margins: only when delayed requests are released together with later ones. Three things
 * guard that case:
 * - a start is counted from when its request actually left ({@link RateTicket.sent}), so a request
 *   held by a stall of this process, a new connection or a TLS handshake pushes the next starts
 *   back instead of bunching with them (this is what the measurement above needed: the first
 *   request of a busy process left 100-600 ms after its grant, the next ones within a few ms);
 * - the spacing margin (5 %: 50 ms in a second);
 * - the count's own margin (50 ms or 1 % of the window), which holds the N-th next start at least
 *   W + margin after each start whatever the spacing.
 * The remaining jitter is the network's and the provider's, which the margins are for.
 */
export const createRateLimiter = (options: { windows: readonly RateWindow[]; now: () => number; sleep: (ms: number) => Promise<void>; marginMs?: number }): Required<RateLimiter> => {
  const windows = options.windows.filter((w) => w.limit >= 1 && w.intervalMs > 0);
  // Starts are timed on our side but the provider counts arrivals, which jitter (a new connection,
  // a busy event loop): each window keeps a margin of 50 ms or 1 % of its length, whichever is more.
  // Measured: with 5 ms, a 10-per-second sandbox saw 17 arrivals in one second; with 50 ms, 10.
  const marginOf = (w: RateWindow) => options.marginMs ?? Math.max(50, w.intervalMs / 100);
  const spacing = spacingOf(windows);
  /** Start times of the most recent calls, ascending; as many as the largest limit. */
  const starts: number[] = [];
  const keep = Math.max(1, ...windows.map((w) => w.limit));
  let queue: Promise<unknown> = Promise.resolve();

  const insert = (at: number) => {
    let i = starts.length;
    while (i > 0 && starts[i - 1]! > at) i--;
    starts.splice(i, 0, at);
    if (starts.length > keep) starts.splice(0, starts.length - keep);
  };

  /** A start counted at `from` really happened at `to` (later): count it from then. */
  const moveLater = (from: number, to: number) => {
    if (to <= from) return;
    const i = starts.lastIndexOf(from);
    if (i < 0) return; // Already out of every window.
    starts.splice(i, 1);
    insert(to);
  };

  /** How long until a call may start, 0 when it may start now. */
  const waitFor = (now: number): number => {
    let wait = starts.length > 0 ? starts[starts.length - 1]! + spacing - now : 0;
    for (const w of windows) {
      if (starts.length < w.limit) continue;
      const oldestInWindow = starts[starts.length - w.limit]!;
      wait = Math.max(wait, oldestInWindow + w.intervalMs + marginOf(w) - now);
    }
    return Math.max(0, Math.ceil(wait));
  };

  const take = async (): Promise<RateTicket> => {
    for (let wait = waitFor(options.now()); wait > 0; wait = waitFor(options.now())) await options.sleep(wait);
    let at = options.now();
    insert(at);
    return {
      sent: () => {
        const now = options.now();
        moveLater(at, now);
        at = Math.max(at, now);
      },
    };
  };

  /** Callers are served in order. */
  const acquireTicket = (): Promise<RateTicket> => {
    const next = queue.then(take);
    queue = next.catch(() => undefined);
    return next;
  };
  return { acquireTicket, acquire: () => acquireTicket().then(() => undefined) };
};
