import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { createGroupCommitInbox, type InboxInsert, type Queryable } from '../../../src/store/inbox-group-commit.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { isAppError } from '../../../src/lib/app-error.js';
import { openTestDatabase } from '../../support/store.js';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import { signBody } from '../../../src/webhooks/verify.js';

const SECRET = 'inst-secret-0123456789';

const delivery = (n: number, over: Partial<InboxInsert> = {}): InboxInsert => ({
  provider: 'instantly',
  eventType: 'email_opened',
  idempotencyKey: `key-${n}`,
  payload: { n },
  receivedAt: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, n)),
  signal: { email: `lead${n}@example.com`, linkedinUrl: null, type: 'email_opened', channel: 'email', at: '2026-12-06T10:00:00.000Z', details: {}, flags: [] },
  ...over,
});

describe('the inbox group commit: many deliveries, one statement, each answered after its row commits', () => {
  let database: Database;
  let statements = 0;
  const counting = (): Queryable => ({
    query: (config) => {
      statements += 1;
      return database.pool.query(config);
    },
  });
  const count = async () => Number(((await database.db.execute(sql`select count(*)::int as n from webhook_inbox`)) as { rows: { n: number }[] }).rows[0]!.n);

  beforeEach(async () => {
    database = await openTestDatabase();
    statements = 0;
  });
  afterEach(async () => {
    await database.close();
  });

  it('stores a burst in one statement; every id is the stored row, and the row reads back as the one-row insert writes it', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 20, maxRows: 100 });
    const ids = await Promise.all(Array.from({ length: 60 }, (_, n) => inbox.insert(delivery(n))));
    expect(statements).toBe(1);
    expect(new Set(ids).size).toBe(60);
    expect(await count()).toBe(60);
    const store = createInboxStore(database.db);
    const stored = await store.get(ids[7]!);
    expect(stored).toMatchObject({ id: ids[7], provider: 'instantly', eventType: 'email_opened', idempotencyKey: 'key-7', payload: { n: 7 }, status: 'pending', receivedAt: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, 7)) });
    expect(stored?.signal).toMatchObject({ email: 'lead7@example.com', type: 'email_opened' });
    await inbox.close();
  });

  it('writes a group as soon as it holds maxRows deliveries', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 1000, maxRows: 10 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, n) => inbox.insert(delivery(n))));
    expect(statements).toBe(3);
    // Full groups do not wait for the window.
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('answers null for a delivery seen before and for a repeat in the same group; the first of a group gets the id', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 20, maxRows: 100 });
    const first = await inbox.insert(delivery(1));
    expect(first).toEqual(expect.any(String));
    const [again, fresh, repeat] = await Promise.all([inbox.insert(delivery(1)), inbox.insert(delivery(2)), inbox.insert(delivery(2, { payload: { other: true } }))]);
    expect(again).toBeNull();
    expect(fresh).toEqual(expect.any(String));
    expect(repeat).toBeNull();
    expect(await count()).toBe(2);
    expect((await createInboxStore(database.db).get(fresh!))?.payload).toEqual({ n: 2 });
  });

  it('keeps an ignored delivery with its reason, raw body and processed time, and a body that was not JSON as JSON null', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 5, maxRows: 100 });
    const id = await inbox.insert(delivery(3, { status: 'ignored', reason: 'unknown event', payload: undefined, signal: null, raw: { text: 'not json', base64: null } }));
    const row = ((await database.db.execute(sql`select status, error, raw_body, payload, processed_at, signal from webhook_inbox where id = ${id}`)) as { rows: Record<string, unknown>[] }).rows[0]!;
    expect(row).toMatchObject({ status: 'ignored', error: 'unknown event', raw_body: 'not json', payload: null, signal: null });
    expect(new Date(String(row.processed_at))).toEqual(new Date(Date.UTC(2026, 11, 6, 10, 0, 0, 3)));
  });

  it('when one row of a group is refused, the others are stored and only that delivery fails', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 20, maxRows: 100 });
    // jsonb refuses the \u0000 escape: this one row makes the group's statement fail.
    const results = await Promise.allSettled([inbox.insert(delivery(1)), inbox.insert(delivery(2, { signal: { bad: '\u0000' } })), inbox.insert(delivery(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await count()).toBe(2);
  });

  it('when the database is away, every delivery of the group is refused as STORE_UNAVAILABLE and none is reported stored', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const away: Queryable = {
      query: () => {
        statements += 1;
        return Promise.reject(refused);
      },
    };
    const inbox = createGroupCommitInbox(away, { windowMs: 10, maxRows: 100 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, n) => inbox.insert(delivery(n))));
    expect(results.every((r) => r.status === 'rejected' && isAppError(r.reason) && r.reason.code === 'STORE_UNAVAILABLE')).toBe(true);
    // No retry of each row alone against a database that is not there.
    expect(statements).toBe(1);
    expect(await count()).toBe(0);
  });

  it('through the door: a burst of signed deliveries is all 202 and all stored; with the database away every one is 503 and none is 2xx', async () => {
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET } });
    const serve = async (pool: Queryable) => {
      const app = buildApp({ routes: webhookRoutes({ config, inbox: createGroupCommitInbox(pool, config.server.webhookGroupCommit), clay: createClayStore(database.db), onStored: () => undefined }), maxBodyBytes: 64 * 1024 });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const post = (n: number) => {
        const body = JSON.stringify({ event_type: 'email_opened', timestamp: '2026-12-06T10:00:00.000Z', lead_email: `lead${n}@example.com`, email_id: `e-${n}`, campaign_id: 'c1' });
        return fetch(`${url}/webhooks/instantly/open`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-instantly-signature': signBody(SECRET, body) }, body }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { code?: string },
        }));
      };
      const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => post(n)));
      await app.close();
      return answers;
    };
    const stored = await serve(counting());
    expect(stored.map((a) => a.status)).toEqual(Array(40).fill(202));
    expect(await count()).toBe(40);
    expect(statements).toBeLessThan(40);

    await database.db.execute(sql`truncate webhook_inbox cascade`);
    const refused = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const away = await serve({ query: () => Promise.reject(refused) });
    expect(away.every((a) => a.status === 503 && a.body.code === 'STORE_UNAVAILABLE')).toBe(true);
    expect(await count()).toBe(0);
  });

  it('an idle inbox writes at the next turn without waiting for the window; while a group is being written the next one collects for the window', async () => {
    // A pool whose statements finish when the test says: the first group stays in flight meanwhile.
    const groups: { size: number; finish: () => void }[] = [];
    const held: Queryable = {
      query: (config) =>
        new Promise((resolve, reject) => {
          groups.push({ size: (JSON.parse(config.values[0] as string) as unknown[]).length, finish: () => void database.pool.query(config).then(resolve, reject) });
        }),
    };
    const inbox = createGroupCommitInbox(held, { windowMs: 50, maxRows: 100 });
    const first = inbox.insert(delivery(1));
    await new Promise((resolve) => setImmediate(resolve));
    // The old fixed window (50 ms here) would still hold it: idle, it is already written.
    expect(groups.map((g) => g.size)).toEqual([1]);
    const next = [inbox.insert(delivery(2)), inbox.insert(delivery(3))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups.map((g) => g.size)).toEqual([1]);
    await vi.waitFor(() => expect(groups.map((g) => g.size)).toEqual([1, 2]));
    for (const g of groups) g.finish();
    expect(await Promise.all([first, ...next])).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    await inbox.close();
  });

  it('close writes what is waiting before it returns', async () => {
    const inbox = createGroupCommitInbox(counting(), { windowMs: 10_000, maxRows: 100 });
    const pending = inbox.insert(delivery(9));
    await inbox.close();
    expect(await pending).toEqual(expect.any(String));
    expect(await count()).toBe(1);
  });
});
