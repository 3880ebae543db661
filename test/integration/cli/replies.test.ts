import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAnthropicSandbox } from '../../../src/providers/sandbox/anthropic/server.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** `caio replies classify`: the rules' reading of one text, printed; nothing is stored (it opens no store at all). */
describe('caio replies classify', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('reads a meeting request with its proposed time resolved in the given zone, as JSON', async () => {
    const out = await run(['replies', 'classify', '--text', 'Tuesday at 2pm works, send an invite.', '--sent-at', '2026-12-04T15:00:00Z', '--tz', 'America/New_York', '--json']);
    expect(out.code).toBe(0);
    const reading = JSON.parse(out.stdout) as { class: string; confidence: number; evidence: string[]; proposedTimes: { at: string }[]; returnDate: string | null };
    expect(reading.class).toBe('meeting_request');
    // Tuesday 8 December 2026, 14:00 in New York (EST, UTC-5).
    expect(reading.proposedTimes.map((t) => t.at)).toEqual(['2026-12-08T19:00:00.000Z']);
    expect(reading.evidence.length).toBeGreaterThan(0);
    expect(Object.keys(reading).sort()).toEqual(['class', 'confidence', 'evidence', 'kind', 'proposedTimes', 'returnDate']);
  });

  it('prints an opt-out in words, and refuses a bad instant or zone naming the option', async () => {
    const text = await run(['replies', 'classify', '--text', 'Please remove me from your list.', '--sent-at', '2026-12-04T15:00:00Z']);
    expect([text.code, text.stdout]).toEqual([0, expect.stringContaining('class: unsubscribe')]);
    const badTime = await run(['replies', 'classify', '--text', 'hi', '--sent-at', 'tomorrow']);
    expect([badTime.code, badTime.stderr]).toEqual([2, expect.stringContaining('--sent-at')]);
    const badZone = await run(['replies', 'classify', '--text', 'hi', '--tz', 'Mars/Olympus']);
    expect([badZone.code, badZone.stderr]).toEqual([2, expect.stringContaining('IANA time zone')]);
  });
});

/** With ANTHROPIC_API_KEY and queen.llm.model, the LLM classifier's note is printed beside the rules' reading (here against the loopback sandbox). */
describe('caio replies classify with the LLM classifier', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  const KEY = 'sk-ant-api03-cli-0123456789';
  let sandbox: Awaited<ReturnType<typeof startAnthropicSandbox>> | null = null;
  afterAll(async () => {
    await sandbox?.close();
    work.cleanup();
  });

  it("prints what the model added (another language) and its note; --rules-only and a failing model leave the rules' reading", async () => {
    sandbox = await startAnthropicSandbox({ apiKey: KEY });
    const config = path.join(work.dir, 'llm.config.json');
    writeFileSync(config, JSON.stringify({ queen: { llm: { classifyReplies: true, model: 'claude-test', baseUrl: sandbox.baseUrl, timeoutMs: 500 } } }));
    const args = ['replies', 'classify', '--config', config, '--text', 'Gracias, pero ahora no tenemos presupuesto para esto.', '--sent-at', '2026-12-04T15:00:00Z'];
    const env = { ANTHROPIC_API_KEY: KEY };

    const json = await run([...args, '--json'], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ class: 'objection', kind: 'budget', confidence: 0.7, llm: { verdict: 'answered', model: 'claude-test', added: ['class', 'kind'] } });
    const words = await run(args, { env });
    expect(words.stdout).toContain('class: objection (budget)');
    expect(words.stdout).toContain('llm (claude-test): answered what the rules left open');
    expect(words.stdout).not.toContain(KEY);

    const rulesOnly = await run([...args, '--rules-only', '--json'], { env });
    expect(JSON.parse(rulesOnly.stdout)).toEqual(expect.objectContaining({ class: 'question', confidence: 0.2 }));
    expect(JSON.parse(rulesOnly.stdout)).not.toHaveProperty('llm');
    const before = sandbox.requests.length;

    sandbox.setFailures({ status5xx: { count: 1, status: 500 } });
    const failing = await run([...args, '--json'], { env });
    expect(failing.code).toBe(0);
    expect(JSON.parse(failing.stdout)).toMatchObject({ class: 'question', confidence: 0.2, llm: { verdict: 'unavailable', reason: 'http_500' } });
    expect(sandbox.requests.length).toBe(before + 1);

    const off = await run(args.filter((a) => a !== '--json'));
    expect(off.stdout).toContain('llm: off (needs ANTHROPIC_API_KEY and queen.llm.model)');
  });
});
