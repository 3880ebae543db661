import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * In sandbox mode (a rehearsal, `caio simulate`) the config's own Instantly sending accounts are the
 * sandbox workspace's, through the production wiring: before, the sandbox knew only its two default
 * accounts, so campaigns sent "from" the configured ones and every answer in a thread was refused
 * (`eaccount is not a sending account of this workspace`).
 */
describe('the Instantly sandbox with the configured sending accounts', () => {
  let database: Database;
  let h: Harness | undefined;
  beforeEach(async () => {
    database = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await database.close();
  });

  it('holds them, and answers a reply in its thread from one of them', async () => {
    const OURS = 'dana@outreach.ours.example.com';
    h = await dispatchHarness(database, { config: { sendingAccounts: [{ email: OURS, channel: 'instantly', dailyLimit: 25 }] } });
    const sandbox = h.sandboxes.instantly;
    expect(sandbox.accounts().map((a) => a.email)).toEqual([OURS]);
    const received = sandbox.receiveEmail({ lead: 'pat@prospect.example.com', eaccount: OURS, subject: 'Re: hello', text: 'Tuesday works' });
    const res = await fetch(`${sandbox.url}/emails/reply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eaccount: OURS, reply_to_uuid: received.id, subject: 'Re: hello', body: { text: 'Great' } }),
    });
    expect(res.status).toBe(200);
  });

  it('without any, the sandbox keeps its own two', async () => {
    h = await dispatchHarness(database);
    expect(h.sandboxes.instantly.accounts().map((a) => a.email)).toEqual(['alex@outreach-one.example.com', 'alex@outreach-two.example.com']);
  });
});
