import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGhlSandbox } from '../../../src/providers/sandbox/ghl/server.js';
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
