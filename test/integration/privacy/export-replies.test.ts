import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { readModelsFor } from '../../../src/compose/read-models.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';

/**
 * `caio privacy export` (readModelsFor(app).privacy.exportPerson) lists a person's replies as read
 * (class, evidence, proposed times, excerpt) and their follow-through actions: theirs by lead, and
 * a reply from an address we hold no lead for by its delivery; nobody else's.
 */
describe('privacy export: the replies and their follow-through', () => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const recorded = { count: 0 };
    processor = withFollowThroughActions(processorFor(h.app, recorded), followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch)), silentLog, recorded);
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const door = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await door.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => door.close();
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await h.close();
    await database.close();
  });

  const sentLead = async () => {
    const lead = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    return lead;
  };
  const postReply = async (email: string, text: string) => {
    const payload = { timestamp: h.clock.now().toISOString(), event_type: 'reply_received', lead_email: email, email_id: `reply-${++n}`, step: 1, reply_subject: 'Re: our note', reply_text: text };
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(payload) });
    await Promise.all(processing);
    expect(res.status).toBe(202);
  };

  it("lists the person's replies and their actions, and no one else's", async () => {
    const maya = await sentLead();
    const theo = await sentLead();
    await postReply(maya.email, 'Tuesday at 2pm works, send an invite.');
    await postReply(theo.email, 'We have no budget for this until next year.');
    const document = await readModelsFor(h.app).privacy.exportPerson(maya.email, h.clock.now());
    expect(document.replies).toHaveLength(1);
    expect(document.replies[0]).toMatchObject({
      leadId: maya.leadId,
      class: 'meeting_request',
      channel: 'email',
      excerpt: expect.stringContaining('Tuesday at 2pm works'),
      proposedTimes: [expect.objectContaining({ text: 'Tuesday at 2pm' })],
    });
    expect(document.replyActions.length).toBeGreaterThan(0);
    expect(document.replyActions.every((a) => a.replyId === document.replies[0]!.id)).toBe(true);
    expect(document.replyActions.map((a) => a.kind)).toContain('book_meeting');
    expect(JSON.stringify(document)).not.toContain('no budget');
    expect(JSON.stringify(document)).not.toContain(theo.leadId);
  });

  it('lists a reply from an address we hold no lead for, found by its delivery', async () => {
    await postReply('stranger@elsewhere.example.com', 'Who is this? Please explain.');
    const document = await readModelsFor(h.app).privacy.exportPerson('Stranger@Elsewhere.example.com', h.clock.now());
    expect(document.leads).toEqual([]);
    expect(document.replies).toHaveLength(1);
    expect(document.replies[0]).toMatchObject({ leadId: null, class: 'question' });
    expect(document.replyActions).toEqual([]);
    const nobody = await readModelsFor(h.app).privacy.exportPerson('nobody@elsewhere.example.com', h.clock.now());
    expect([nobody.replies, nobody.replyActions]).toEqual([[], []]);
  });
});
