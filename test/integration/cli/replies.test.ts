import { afterAll, describe, expect, it } from 'vitest';
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
