import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';

/** `caio kpis`: every rate with its counts, and meetings with the reply-to-meeting rate (issues 17 and 21). */
describe('caio kpis', () => {
  const work = tempWorkdir();
  const cli = inProcessCli({ cwd: work.dir });
  let database: Database;
  let h: Harness;

  beforeAll(async () => {
    database = await openDatabase(cli.store);
    h = await dispatchHarness(database);
    const events = createLeadEventStore(database.db);
    const event = (leadId: string, type: string) => events.append({ leadId, type, at: h.clock.now(), channel: 'email', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    const [a, b, c] = [await h.approvedLead(), await h.approvedLead(), await h.approvedLead()];
    for (const lead of [a, b, c]) await event(lead.leadId, 'email_sent');
    await event(a.leadId, 'email_opened');
    await event(a.leadId, 'email_replied');
    await event(b.leadId, 'email_replied');
    await event(a.leadId, 'meeting_booked');
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await database.close();
    work.cleanup();
  });

  it('prints each rate with its counts, the meetings and the reply-to-meeting rate', async () => {
    const shown = await cli.run(['kpis', '--days', '30']);
    expect(shown.code).toBe(0);
    const all = shown.stdout.split('\n').find((line) => line.trimStart().startsWith('all'))!;
    expect(shown.stdout).toContain('reply to meeting');
    expect(all).toContain('1 of 3 (33.3 %)'); // opened
    expect(all).toContain('2 of 3 (66.7 %)'); // replied
    expect(all).toContain('1 of 2 (50.0 %)'); // a meeting from two replies
    const json = JSON.parse((await cli.run(['kpis', '--days', '30', '--json'])).stdout) as { counts: { meetingsBooked: number }; rates: { replyToMeeting: number } };
    expect([json.counts.meetingsBooked, json.rates.replyToMeeting]).toEqual([1, 0.5]);
  });
});
