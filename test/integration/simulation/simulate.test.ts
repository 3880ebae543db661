import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { runCliInProcess, tempWorkdir } from '../../support/cli.js';

type Report = {
  days: number;
  leads: number;
  sent: number;
  replies: number;
  meetings: number;
  slotPicks: { offered: number; picked: number; booked: number };
  bounces: number;
  unsubscribes: number;
  violations: { day: number; rule: string; lead: string | null; detail: string }[];
  daily: { day: number; sent: number; emails: number; linkedin: number; meetings: number; slotPickMeetings: number; refusals: Record<string, number> }[];
  autoPaused: string[];
  emergencyStopAt: string | null;
  notes: string[];
};

/**
 * Issue 20 item 3: `caio simulate` through the production CLI, each run on a simulation schema of
 * its own (the test's schema + `_simulation`, wiped first). The clock override only fixes when the
 * simulated days start (they end on 2026-11-30); inside, the simulation keeps its own fake clock.
 */
describe('caio simulate', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());
  const clock = fixedClock('2026-11-30T12:00:00Z');
  /** A folder with this config file, then `caio simulate ARGS` in it. */
  const simulate = async (name: string, config: Record<string, unknown>, args: string[]) => {
    const dir = path.join(work.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'caio.config.json'), JSON.stringify(config));
    return runCliInProcess(['simulate', ...args], { cwd: dir, clock });
  };
  const json = (stdout: string) => JSON.parse(stdout) as Report;
  // Sending not held back by the first days' ramp, so a few days show the whole loop.
  const open = { ramp: { enabled: false } };

  it('runs the loop end to end: sends, webhooks that move leads, replies and booked meetings, no violation', async () => {
    const result = await simulate('basic', { ...open, simulation: { engagement: { reply: 0.35, replyClasses: { meeting_request: 3, interested: 1, objection: 1 }, meetingPick: 1 } } }, ['--days', '4', '--leads', '40', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    expect(report.violations).toEqual([]);
    expect(report.days).toBe(4);
    expect(report.sent).toBeGreaterThan(0);
    expect(report.daily.reduce((n, d) => n + d.emails, 0)).toBeGreaterThan(0);
    expect(report.replies).toBeGreaterThan(0);
    expect(report.meetings).toBeGreaterThan(0);
  }, 300_000);

  it('prospects who asked for times pick one of the slots our approved answer offered ("the second option works"), and the SCHEDULER books it', async () => {
    // Every reply a meeting request that names no time, so every booking comes from a pick of offered slots.
    const engagement = { reply: 0.5, replyClasses: { meeting_request: 1 }, meetingPick: 0, slotPick: 1, delays: { reply: [0.5, 6] } };
    const result = await simulate('slot-picks', { ...open, simulation: { engagement } }, ['--days', '4', '--leads', '40', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    // Our answers go out without a batch, on the approval of the answer: no violation for that either.
    expect(report.violations).toEqual([]);
    expect(report.slotPicks.offered).toBeGreaterThan(0);
    expect(report.slotPicks.picked).toBeGreaterThan(0);
    expect(report.slotPicks.booked).toBeGreaterThan(0);
    expect(report.daily.reduce((n, d) => n + d.slotPickMeetings, 0)).toBe(report.slotPicks.booked);
    expect(report.meetings).toBeGreaterThanOrEqual(report.slotPicks.booked);
    expect(report.notes.join('\n')).toMatch(/of our answers offered free slots; \d+ prospect\(s\) picked one/);
  }, 300_000);

  it('a 10 % bounce rate triggers the auto-pause of the campaign, with no violation', async () => {
    const config = {
      ramp: { enabled: false },
      limits: { emailDailyLimit: 200, emailHourlyLimit: 100, perDomainHourlyLimit: 50 },
      dispatch: { autoPause: { minSample: 10 } },
      simulation: { engagement: { bounce: 0.1, delays: { bounce: [0.05, 0.5] } } },
    };
    const result = await simulate('bounces', config, ['--days', '4', '--leads', '120', '--seed', '3', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    expect(report.violations).toEqual([]);
    expect(report.bounces).toBeGreaterThan(0);
    expect(report.autoPaused.length).toBeGreaterThan(0);
    expect(report.notes.join('\n')).toMatch(/auto-paused/);
  }, 300_000);

  it('the emergency stop on day 3 stops every send from then on; an unsubscribe storm sends nothing more to those people', async () => {
    const result = await simulate('stop', { ...open, simulation: { emergencyStopOnDay: 3, engagement: { unsubscribe: 0.7, reply: 0.02, delays: { unsubscribe: [0.1, 2] } } } }, ['--days', '4', '--leads', '40', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    expect(report.violations).toEqual([]);
    expect(report.emergencyStopAt).toMatch(/T00:00:00/);
    expect(report.daily.slice(0, 2).reduce((n, d) => n + d.sent, 0)).toBeGreaterThan(0);
    expect(report.daily.slice(2).map((d) => d.sent)).toEqual([0, 0]);
    expect(report.unsubscribes).toBeGreaterThan(0);
  }, 300_000);

  it('a config that refuses every send: the simulation completes and says why', async () => {
    const config = { ...open, limits: { emailDailyLimit: 0, linkedinFullDailyLimit: 0, linkedinWarmupDailyLimit: 0 } };
    // Three days ending on Sunday: the reviewer works on the Friday.
    const result = await simulate('refused', config, ['--days', '3', '--leads', '20']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/note: nothing was sent: every send was refused \(by guard: quota_/);
    expect(result.stdout).toMatch(/violations: 0/);
  }, 300_000);

  it('bad input is refused before anything runs, naming the option or the key', async () => {
    const days = await simulate('bad', {}, ['--days', '0', '--leads', '10']);
    expect(days.code).not.toBe(0);
    expect(days.stderr).toMatch(/--days must be a whole number from 1 to 365/);
    const leads = await simulate('bad', {}, ['--days', '3', '--leads', '20000']);
    expect(leads.code).not.toBe(0);
    expect(leads.stderr).toMatch(/--leads must be a whole number from 1 to 10000/);
    const rate = await simulate('bad', { simulation: { engagement: { bounce: 1.2 } } }, ['--days', '3', '--leads', '10']);
    expect(rate.code).not.toBe(0);
    expect(rate.stderr).toMatch(/simulation\.engagement\.bounce/);
  });
});
