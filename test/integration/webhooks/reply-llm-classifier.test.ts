import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/compose/app-deps.js';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { defaultResponder, REPLY_TOOL, startAnthropicSandbox, type AnthropicSandbox } from '../../../src/providers/sandbox/anthropic/server.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createReplyQueries } from '../../../src/store/replies-repo.js';
import type { Alert } from '../../../src/pipeline/ports.js';
import { repliesListPage, replyPage } from '../../../src/server/pages/replies-page.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';
const KEY = 'sk-ant-api03-reply-integration-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * Issue 17 item 1, the optional LLM classifier, through the production wiring: the webhook door,
 * `processorFor` with ANTHROPIC_API_KEY and `queen.llm.model` set (the model read at the loopback
 * Anthropic sandbox), the follow-through in the delivery's transaction, the actions after commit.
 * The stored reply shows what the model added or confirmed; a failing model leaves the rules'
 * reading stored and nothing lost; no log line carries the reply's text or the address.
 */
describe('the LLM reply classifier in the follow-through', () => {
  let database: Database;
  let h: Harness;
  let anthropic: AnthropicSandbox;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let logs: string[] = [];
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    anthropic = await startAnthropicSandbox({ apiKey: KEY });
    logs = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        logs.push(chunk.toString());
        done();
      },
    });
    // The harness's app with the key in its environment and the model QUEEN's section names, pointed at the sandbox.
    const config = Object.freeze({
      ...h.app.config,
      env: { ...h.app.config.env, ANTHROPIC_API_KEY: KEY },
      queen: { ...h.app.config.queen, llm: { ...h.app.config.queen.llm, classifyReplies: true, model: 'claude-test', baseUrl: anthropic.baseUrl, timeoutMs: 300 } },
    });
    const app: AppDeps = { ...h.app, config, log: createLogger('info', sink) };
    const recorded = { count: 0 };
    const executor = followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch));
    processor = withFollowThroughActions(processorFor(app, recorded), executor, app.log, recorded);
    const doorConfig = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET } });
    const routes = webhookRoutes({ config: doorConfig, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const door = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await door.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => door.close();
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await anthropic.close();
    await h.close();
    await database.close();
  });

  const sentLead = async () => {
    const lead = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const campaign = h.sandboxes.instantly.campaigns().find((c) => h.sandboxes.instantly.leadsOf(c.id).some((l) => l.email === lead.email));
    return { ...lead, campaignId: String(campaign!.id) };
  };
  const postReply = async (email: string, campaignId: string, text: string) => {
    const payload = { timestamp: h.clock.now().toISOString(), event_type: 'reply_received', lead_email: email, email_id: `reply-${++n}`, step: 1, campaign_id: campaignId, reply_subject: 'Re: our note', reply_text: text };
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(payload) });
    await Promise.all(processing);
    expect(res.status).toBe(202);
  };
  const onlyReply = async () => {
    const rows = rowsOf(await database.db.execute(sql`select r.*, i.status as inbox_status from replies r join webhook_inbox i on i.id = r.inbox_id order by r.created_at`));
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const actionKinds = async (replyId: unknown) => rowsOf(await database.db.execute(sql`select kind from reply_actions where reply_id = ${replyId} order by kind`)).map((r) => r.kind);
  const leadStatus = async (id: string) => String(rowsOf(await database.db.execute(sql`select status from leads where id = ${id}::uuid`))[0]!.status);
  /** No log line holds the reply's words or the address. */
  const expectQuietLogs = (email: string, ...words: string[]) => {
    const all = logs.join('');
    expect(all).not.toContain(email);
    for (const w of words) expect(all).not.toContain(w);
  };

  it('answers a reply the rules left open (another language): the objection and its kind stored, a suggested answer follows', async () => {
    const lead = await sentLead();
    await postReply(lead.email, lead.campaignId, 'Gracias, pero ahora no tenemos presupuesto para esto.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'objection', kind: 'budget', confidence: 0.7, evidence: ['no tenemos presupuesto'], needs_response: true, inbox_status: 'processed' });
    expect(reply.llm).toMatchObject({ verdict: 'answered', model: 'claude-test', class: 'objection', kind: 'budget', added: ['class', 'kind'], needsPerson: false });
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await actionKinds(reply.id)).toContain('reply_draft');
    expect(anthropic.requests).toHaveLength(1);
    // What `caio replies show` reads.
    expect((await createReplyQueries(database.db).show(String(reply.id)))?.llm).toMatchObject({ verdict: 'answered', kind: 'budget' });
    expect(logs.join('')).toContain('reply classifier read the reply');
    expectQuietLogs(lead.email, 'presupuesto');
  });

  it('adds the times a reply in another language proposes, which go to the SCHEDULER like the rules’ own', async () => {
    const lead = await sentLead();
    await postReply(lead.email, lead.campaignId, 'El martes 2026-11-24 14:00 me va bien para una llamada.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'meeting_request', time_zone: 'UTC' });
    expect(reply.proposed_times).toEqual([expect.objectContaining({ at: '2026-11-24T14:00:00.000Z', text: '2026-11-24 14:00' })]);
    expect(reply.llm).toMatchObject({ verdict: 'answered', added: ['class', 'proposedTimes'] });
    expect(await actionKinds(reply.id)).toContain('book_meeting');
  });

  it("confirms a rule's answer: the class stands and its confidence is raised", async () => {
    const lead = await sentLead();
    await postReply(lead.email, lead.campaignId, 'Thanks for reaching out, but we are not interested.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'not_interested', evidence: ['not interested'] });
    expect(Number(reply.confidence)).toBeGreaterThan(0.85);
    expect(reply.llm).toMatchObject({ verdict: 'confirmed', added: ['confidence'] });
    expect(await leadStatus(lead.leadId)).toBe('unsubscribed');
  });

  it('never turns an opt-out into anything else: the disagreement is recorded for a person, the lead is suppressed', async () => {
    anthropic.respond((r) => {
      const text = JSON.stringify(r.messages);
      return text.includes('take me off') ? { content: [{ type: 'tool_use', name: REPLY_TOOL, input: { class: 'interested', confidence: 0.99, evidence: ['Interesting'] } }] } : defaultResponder(r);
    });
    const lead = await sentLead();
    await postReply(lead.email, lead.campaignId, 'Interesting, but take me off this list.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'unsubscribe', needs_response: false });
    expect(reply.llm).toMatchObject({ verdict: 'disagrees', class: 'interested', needsPerson: true });
    expect(await leadStatus(lead.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(lead.email)).toBe(true);
    expect(logs.join('')).toContain('disagrees with the rules');
    expectQuietLogs(lead.email, 'take me off', 'Interesting');
    // The lead is already unsubscribed: no opt-out alert on top.
    expect(await actionKinds(reply.id)).not.toContain('llm_opt_out');
  });

  it('a model that reads an opt-out the rules did not: the rules stand, a person is alerted once, and the note shows on /replies, in the API and the list', async () => {
    anthropic.respond((r) => (JSON.stringify(r.messages).includes('tell me more') ? { content: [{ type: 'tool_use', name: REPLY_TOOL, input: { class: 'unsubscribe', confidence: 0.9, evidence: ['tell me more'] } }] } : defaultResponder(r)));
    const lead = await sentLead();
    const quiet = await sentLead();
    await postReply(lead.email, lead.campaignId, 'Sounds good, tell me more.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'interested', needs_response: true });
    expect(reply.llm).toMatchObject({ verdict: 'disagrees', class: 'unsubscribe', reason: 'the rules read interested', needsPerson: true });
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await h.stores.suppressions.isSuppressed(lead.email)).toBe(false);

    // The alert: through the escalation alerts after commit, recorded as a reply action, naming the reply, not the person.
    expect(rowsOf(await database.db.execute(sql`select status from reply_actions where reply_id = ${reply.id} and kind = 'llm_opt_out'`))).toEqual([{ status: 'done' }]);
    const sent = (h.app.alerts as unknown as { sent: Alert[] }).sent.filter((a) => a.metadata.kind === 'llm_opt_out');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ severity: 'warning', metadata: { replyId: reply.id, rulesClass: 'interested', modelClass: 'unsubscribe' } });
    expect(sent[0]!.body).toContain(`/replies/${String(reply.id)}`);
    expect(sent[0]!.body).toContain('claude-test');
    const firstName = String(rowsOf(await database.db.execute(sql`select first_name from leads where id = ${lead.leadId}::uuid`))[0]!.first_name);
    expect(firstName).toMatch(/^Ann\d+$/);
    for (const text of [sent[0]!.title, sent[0]!.body]) {
      expect(text).not.toContain(lead.email);
      expect(text).not.toContain('tell me more');
      expect(text).not.toContain(firstName);
    }
    // A replayed delivery asks nothing and alerts nothing again.
    expect(await processor.replay(String(reply.inbox_id))).toBe('processed');
    await processor.processPending();
    expect((h.app.alerts as unknown as { sent: Alert[] }).sent.filter((a) => a.metadata.kind === 'llm_opt_out')).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);

    // Where a person works: the API's list and conversation, the /replies list's marker, the reply page's words.
    const api = apiDepsOf(h);
    const [listed] = await api.replies.list({ limit: 10 });
    expect(listed).toMatchObject({ id: reply.id, class: 'interested', llm: { verdict: 'disagrees', class: 'unsubscribe', model: 'claude-test' } });
    expect(Object.keys(listed!).at(-1)).toBe('llm');
    expect((await api.replies.show(String(reply.id)))?.llm).toMatchObject({ verdict: 'disagrees', evidence: ['tell me more'] });
    const list = await repliesListPage(api, {});
    expect(list).toContain('data-llm-disputed');
    expect(list).toContain('a model reads it as asked to be removed');
    const page = await replyPage(api, String(reply.id));
    expect(page.body).toContain('data-llm-verdict="disagrees"');
    expect(page.body).toMatch(/A model \(claude-test\) reads this reply differently:<\/strong> <strong data-llm-class>Asked to be removed<\/strong> \(confidence 0\.9\), from the words “tell me more”/);
    expect(page.body).toContain("The rules' reading above stands (the rules read interested)");

    // A reply the model confirms carries no marker.
    await postReply(quiet.email, quiet.campaignId, 'Thanks for reaching out, but we are not interested.');
    const items = await api.replies.list({ limit: 10 });
    // Both were received at the test clock's one instant, so the list's order between them is the ids'.
    expect(items.map((i) => i.llm?.verdict).sort()).toEqual(['confirmed', 'disagrees']);
    expect((await repliesListPage(api, {})).match(/data-llm-disputed/g)).toHaveLength(1);
    const confirmed = items.find((i) => i.llm?.verdict === 'confirmed')!;
    expect((await replyPage(api, confirmed.id)).body).toContain('A model (claude-test) agreed: <strong data-llm-class>Not interested</strong>');
  });

  it.each([
    ['times out', { timeout: { count: 1 } }, 'timeout'],
    ['answers 500', { status5xx: { count: 1, status: 500 } }, 'http_500'],
    ['answers malformed JSON', { malformed: { count: 1, kind: 'not_json' as const } }, 'malformed'],
    ['answers off the tool schema', { offSchema: { count: 1 } }, 'off_schema'],
  ])("when the model %s the rules' reading is stored, the delivery processed, its follow-through recorded: nothing lost", async (_name, failures, reason) => {
    const lead = await sentLead();
    anthropic.setFailures(failures);
    await postReply(lead.email, lead.campaignId, 'Gracias, pero ahora no tenemos presupuesto para esto.');
    const reply = await onlyReply();
    expect(reply).toMatchObject({ class: 'question', kind: null, confidence: 0.2, needs_response: true, inbox_status: 'processed' });
    expect(reply.llm).toMatchObject({ verdict: 'unavailable', reason });
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await actionKinds(reply.id)).toEqual(expect.arrayContaining(['crm_tag', 'reply_draft']));
    // One call, not retried.
    expect(anthropic.requests).toHaveLength(1);
    expect(logs.join('')).toContain('gave no usable answer');
    expectQuietLogs(lead.email, 'presupuesto', KEY);
  });
});
