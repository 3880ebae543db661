import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGhlSandbox } from '../../../src/providers/sandbox/ghl/server.js';
import { startHeyReachSandbox } from '../../../src/providers/sandbox/heyreach/server.js';
import { startInstantlySandbox } from '../../../src/providers/sandbox/instantly/server.js';
import { sandboxStateFile } from '../../../src/providers/sandbox/state-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sandbox state file', () => {
  it('is null before the first save, and reads back what was saved without leaving a temp file', () => {
    const file = sandboxStateFile(path.join(dir, 'round', 'instantly.json'));
    expect(file.load()).toBeNull();
    file.save({ campaigns: [{ id: 'c1' }] });
    expect(file.load()).toEqual({ campaigns: [{ id: 'c1' }] });
    expect(readdirSync(path.join(dir, 'round'))).toEqual(['instantly.json']);
  });

  it('refuses a corrupted or foreign file with an error naming it (starting empty would orphan our campaigns)', () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"format":1,"state":{"campaigns":[');
    expect(() => sandboxStateFile(broken).load()).toThrow(`sandbox state file ${broken} is not valid JSON: delete it to start that sandbox empty`);
    const foreign = path.join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ campaigns: [] }));
    expect(() => sandboxStateFile(foreign).load()).toThrow(`sandbox state file ${foreign} is not a sandbox state`);
  });

  it('reports a failed save and does not throw', () => {
    const blocked = path.join(dir, 'blocked');
    mkdirSync(path.join(blocked, 'ghl.json'), { recursive: true });
    const errors: string[] = [];
    expect(() => sandboxStateFile(path.join(blocked, 'ghl.json'), (m) => errors.push(m)).save({ contacts: [] })).not.toThrow();
    expect(errors).toEqual([expect.stringContaining(`could not save sandbox state to ${path.join(blocked, 'ghl.json')}`)]);
  });
});

describe('a sandbox restarted on its state file', () => {
  it('Instantly: keeps campaigns and their leads under a new API key, and its ids go on', async () => {
    const state = sandboxStateFile(path.join(dir, 'instantly.json'));
    const call = async (sandbox: { url: string }, key: string, route: string, body?: unknown) => {
      const res = await fetch(`${sandbox.url}${route}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const schedule = { schedules: [{ name: 'week', timing: { from: '09:00', to: '17:00' }, days: { '1': true }, timezone: 'America/Detroit' }] };
    const first = await startInstantlySandbox({ apiKey: 'key-one', state });
    const created = await call(first, 'key-one', '/campaigns', { name: 'one', campaign_schedule: schedule });
    expect((await call(first, 'key-one', '/leads/add', { campaign_id: created.body.id, leads: [{ email: 'pat@example.com' }] })).body.leads_uploaded).toBe(1);
    await first.close();

    const second = await startInstantlySandbox({ apiKey: 'key-two', state });
    expect((await call(second, 'key-two', `/campaigns/${String(created.body.id)}`)).status).toBe(200);
    expect(second.leadsOf(String(created.body.id)).map((l) => l.email)).toEqual(['pat@example.com']);
    const next = await call(second, 'key-two', '/campaigns', { name: 'two', campaign_schedule: schedule });
    expect(next.body.id).not.toBe(created.body.id);
    await second.close();
  });

  it('Instantly: a reply received by one process is answered in its thread by the next (the Unibox e-mails are kept)', async () => {
    const state = sandboxStateFile(path.join(dir, 'instantly-unibox.json'));
    const first = await startInstantlySandbox({ apiKey: 'key-one', state });
    const account = String(first.accounts()[0]!.email);
    const received = first.receiveEmail({ lead: 'pat@example.com', eaccount: account, subject: 'Re: hello', text: 'Tuesday works' });
    await first.close();

    const second = await startInstantlySandbox({ apiKey: 'key-two', state });
    const res = await fetch(`${second.url}/emails/reply`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-two', 'content-type': 'application/json' },
      body: JSON.stringify({ eaccount: account, reply_to_uuid: received.id, subject: 'Re: hello', body: { text: 'Great, see you then' } }),
    });
    expect(res.status).toBe(200);
    expect(second.sentReplies().map((e) => [e.reply_to_uuid, e.thread_id, e.lead])).toEqual([[received.id, received.thread_id, 'pat@example.com']]);
    await second.close();
    // And the answer itself is kept: a third process lists it in the thread.
    const third = await startInstantlySandbox({ apiKey: 'key-three', state });
    expect(third.sentReplies()).toHaveLength(1);
    await third.close();
  });

  it('Instantly: a sending account added to the config since joins the saved ones', async () => {
    const state = sandboxStateFile(path.join(dir, 'instantly-accounts.json'));
    const first = await startInstantlySandbox({ apiKey: 'key-one', state, accounts: [{ email: 'one@ours.example.com' }] });
    first.receiveEmail({ lead: 'pat@example.com', eaccount: 'one@ours.example.com', subject: 'Re: hi' }); // a change, so the state is written
    await first.close();
    const second = await startInstantlySandbox({ apiKey: 'key-two', state, accounts: [{ email: 'one@ours.example.com' }, { email: 'two@ours.example.com' }] });
    expect(second.accounts().map((a) => a.email)).toEqual(['one@ours.example.com', 'two@ours.example.com']);
    await second.close();
  });

  it('HeyReach: a LinkedIn reply received by one process is answered in its conversation by the next', async () => {
    const state = sandboxStateFile(path.join(dir, 'heyreach-inbox.json'));
    const first = await startHeyReachSandbox({ state });
    const conversation = first.receiveMessage({ profileUrl: 'https://www.linkedin.com/in/pat-example', firstName: 'Pat', lastName: 'Example', text: 'Tuesday works', linkedInAccountId: 55101 });
    await first.close();

    const second = await startHeyReachSandbox({ state });
    const post = (route: string, body: unknown) => fetch(`${second.url}${route}`, { method: 'POST', headers: { 'x-api-key': second.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const listed = (await (await post('/inbox/GetConversationsV2', { filters: { leadProfileUrl: 'https://www.linkedin.com/in/pat-example' }, offset: 0, limit: 10 })).json()) as { items: { id: string }[] };
    expect(listed.items.map((c) => c.id)).toEqual([conversation.id]);
    expect((await post('/inbox/SendMessage', { conversationId: conversation.id, linkedInAccountId: 55101, message: 'Great, see you then' })).status).toBe(200);
    expect(second.conversations()[0]!.messages.map((m) => m.sender)).toEqual(['CORRESPONDENT', 'ME']);
    await second.close();
  });

  it('GoHighLevel: seeds its contacts once, not again on each start', async () => {
    const state = sandboxStateFile(path.join(dir, 'ghl.json'));
    const seedContacts = [{ email: 'old@example.com', firstName: 'Old' }];
    const first = await startGhlSandbox({ state, seedContacts });
    // Seeds are written with the first change; a tag is one.
    const id = first.contacts()[0]!.id;
    const tagged = await fetch(`${first.url}/contacts/${id}/tags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.apiKey}`, version: '2021-07-28', 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['revived'] }),
    });
    expect(tagged.status).toBeLessThan(300);
    await first.close();
    const second = await startGhlSandbox({ state, seedContacts });
    expect(second.contacts().map((c) => [c.email, c.tags])).toEqual([['old@example.com', ['revived']]]);
    await second.close();
  });
});
