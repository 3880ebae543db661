import { storeUnavailableOf } from './connection-errors.js';

/** What one webhook delivery stores: the same fields as the inbox store's one-row `insert`. */
export type InboxInsert = {
  provider: string;
  eventType: string;
  idempotencyKey: string;
  payload: unknown;
  receivedAt: Date;
  status?: 'pending' | 'ignored';
  reason?: string | null;
  raw?: { text: string; base64: string | null } | null;
  signal?: unknown;
};

/** The driver's pool (node-postgres): a named query is prepared once per connection. */
export type Queryable = { query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: { id: string; provider: string; idempotency_key: string }[] }> };

export type GroupCommitSettings = {
  /** How long the first delivery of a group waits for others (ms). */
  windowMs: number;
  /** A group is written as soon as it holds this many deliveries (1: every delivery alone). */
  maxRows: number;
};

/**
 * One statement, whatever the group's size (so it is prepared once per connection): the group as
 * one JSON array of rows (one parameter, serialised by JSON.stringify: a text array of JSON would
 * be escaped element by element by the driver), read back into typed columns; a delivery seen
 * before (or twice in the group) is skipped by the unique (provider, idempotency_key) and returns
 * no row. A payload that was not JSON is the JSON null, which the record reads as SQL NULL.
 */
const INSERT_GROUP = `INSERT INTO webhook_inbox (provider, event_type, idempotency_key, payload, received_at, status, error, raw_body, raw_base64, processed_at, signal)
SELECT provider, event_type, idempotency_key, coalesce(payload, 'null'::jsonb), received_at, status, error, raw_body, raw_base64, processed_at, signal
FROM jsonb_to_recordset($1::jsonb) AS r(provider text, event_type text, idempotency_key text, payload jsonb, received_at timestamptz, status text, error text, raw_body text, raw_base64 text, processed_at timestamptz, signal jsonb)
ON CONFLICT (provider, idempotency_key) DO NOTHING
RETURNING id, provider, idempotency_key`;

type Waiting = { input: InboxInsert; resolve: (id: string | null) => void; reject: (error: unknown) => void };

const keyOf = (input: Pick<InboxInsert, 'provider' | 'idempotencyKey'>): string => `${input.provider}\u0000${input.idempotencyKey}`;

/** The group's rows as the statement's one parameter. */
const rowsOf = (inputs: readonly InboxInsert[]): string =>
  JSON.stringify(
    inputs.map((input) => ({
      provider: input.provider,
      event_type: input.eventType,
      idempotency_key: input.idempotencyKey,
      payload: input.payload ?? null,
      received_at: input.receivedAt,
      status: input.status ?? 'pending',
      error: input.reason ?? null,
      raw_body: input.raw?.text ?? null,
      raw_base64: input.raw?.base64 ?? null,
      processed_at: input.status === 'ignored' ? input.receivedAt : null,
      signal: input.signal ?? null,
    })),
  );

/**
 * Webhook deliveries written to the inbox in groups (group commit): when no group is being written
 * the waiting deliveries go at the next turn of the event loop (with every other delivery read in
 * the same turn), so a quiet inbox adds no wait; while a group is being written the next one
 * collects for at most `windowMs` (or until `maxRows` are waiting). Each group is one multi-row
 * INSERT, committed as one. Each caller's promise settles only after the statement holding its row has committed, so a
 * delivery is never acknowledged before it is stored: the id, or null for a duplicate (seen before,
 * or earlier in the same group). When the database is away every delivery of the group is refused
 * with STORE_UNAVAILABLE (the door answers 503; the provider retries); when the statement fails
 * for another reason, each delivery of the group is written alone, so one bad row fails alone.
 */
export const createGroupCommitInbox = (pool: Queryable, settings: GroupCommitSettings) => {
  let waiting: Waiting[] = [];
  let timer: { cancel: () => void } | undefined;
  const inFlight = new Set<Promise<void>>();

  const insertRows = async (inputs: readonly InboxInsert[]): Promise<Map<string, string>> => {
    const { rows } = await pool.query({ name: 'caio_inbox_insert_group', text: INSERT_GROUP, values: [rowsOf(inputs)] });
    return new Map(rows.map((r) => [keyOf({ provider: r.provider, idempotencyKey: r.idempotency_key }), r.id]));
  };

  const unavailable = (error: unknown): unknown => storeUnavailableOf(error) ?? error;

  const write = async (group: Waiting[]): Promise<void> => {
    // The first of each key is written; a repeat in the same group is a duplicate, like a retry.
    const firsts = new Map<string, Waiting>();
    for (const w of group) if (!firsts.has(keyOf(w.input))) firsts.set(keyOf(w.input), w);
    const settle = (ids: Map<string, string>) => {
      for (const w of group) {
        const key = keyOf(w.input);
        w.resolve(firsts.get(key) === w ? (ids.get(key) ?? null) : null);
      }
    };
    try {
      settle(await insertRows([...firsts.values()].map((w) => w.input)));
    } catch (error) {
      if (storeUnavailableOf(error) || firsts.size === 1) {
        for (const w of group) w.reject(unavailable(error));
        return;
      }
      // Not the connection: one of the rows. Each alone, so the others are stored.
      for (const [key, first] of firsts) {
        const repeats = group.filter((w) => w !== first && keyOf(w.input) === key);
        try {
          const id = (await insertRows([first.input])).get(key) ?? null;
          first.resolve(id);
          for (const r of repeats) r.resolve(null);
        } catch (alone) {
          for (const w of [first, ...repeats]) w.reject(unavailable(alone));
        }
      }
    }
  };

  const flush = (): void => {
    timer?.cancel();
    timer = undefined;
    if (waiting.length === 0) return;
    const group = waiting;
    waiting = [];
    const done = write(group).finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  /**
   * Idle: at the next turn of the event loop (a fixed window would only add latency). Busy: after
   * the window, so the deliveries arriving meanwhile share one statement and one commit.
   */
  const schedule = (): { cancel: () => void } => {
    if (inFlight.size === 0) {
      const immediate = setImmediate(flush);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(flush, settings.windowMs);
    return { cancel: () => clearTimeout(timeout) };
  };

  return {
    insert: (input: InboxInsert): Promise<string | null> =>
      new Promise<string | null>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (waiting.length >= settings.maxRows) flush();
        else timer ??= schedule();
      }),
    /** Writes what is waiting and waits for every group in flight (the server calls it on close). */
    close: async (): Promise<void> => {
      flush();
      await Promise.allSettled([...inFlight]);
    },
  };
};

export type GroupCommitInbox = ReturnType<typeof createGroupCommitInbox>;
