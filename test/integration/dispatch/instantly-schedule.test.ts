import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * The business hours reach Instantly's campaign schedule in Instantly's own terms, through the
 * production wiring: an end hour of 24 (allowed by our config) was sent as "24:00", which Instantly's
 * schema refuses, so every Instantly send failed; ISO weekdays become Instantly's 0 = Sunday keys.
 */
describe('the Instantly campaign schedule from the business hours', () => {
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

  const sendOne = async (businessHours: Record<string, unknown>) => {
    h = await dispatchHarness(database, { config: { dispatch: { ...dispatchDefaults, businessHours } } });
    const lead = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    return { outcomes: run.drain.items.filter((i) => i.leadId === lead.leadId).map((i) => `${i.outcome}:${i.reason ?? ''}`), campaigns: h.sandboxes.instantly.campaigns() };
  };

  it('an end hour of 24 sends, with a schedule ending at 23:59, every day of the week', async () => {
    const { outcomes, campaigns } = await sendOne({ startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] });
    expect(outcomes).toEqual(['sent:']);
    expect(campaigns).toHaveLength(1);
    const schedule = (campaigns[0] as unknown as { campaign_schedule: { schedules: { timing: unknown; days: unknown }[] } }).campaign_schedule.schedules[0];
    expect(schedule?.timing).toEqual({ from: '00:00', to: '23:59' });
    expect(schedule?.days).toEqual({ '0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true });
  });

  it('Monday to Friday 8-18 stays 08:00-18:00 on keys 1 to 5', async () => {
    const { outcomes, campaigns } = await sendOne({ startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] });
    expect(outcomes).toEqual(['sent:']);
    const schedule = (campaigns[0] as unknown as { campaign_schedule: { schedules: { timing: unknown; days: unknown }[] } }).campaign_schedule.schedules[0];
    expect(schedule?.timing).toEqual({ from: '08:00', to: '18:00' });
    expect(schedule?.days).toEqual({ '1': true, '2': true, '3': true, '4': true, '5': true });
  });
});

const dispatchDefaults = {
  gatekeeperRequired: true,
  leaseSeconds: 60,
  drainLimit: 500,
  claimLeaseSeconds: 60,
  timeZone: 'UTC',
  jitterSeconds: 0,
  autoPause: { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 },
  instantlyTimeZone: 'America/Detroit',
  instantlyCampaignDailyLimit: 50,
  instantlyEmailGapMinutes: 10,
};
