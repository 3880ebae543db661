import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignControlsFor } from '../../../src/compose/operator.js';
import { campaignPausedIncident } from '../../../src/dispatch/operator.js';
import type { AppError } from '../../../src/lib/app-error.js';
import { createIncidentStore } from '../../../src/store/incident-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

/**
 * `caio campaigns activate` (and the API, through the root): the activation use case over the
 * production wiring (the harness's app and dispatch: the real Instantly client and its sandbox).
 */
describe('activating a campaign we created as a draft', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  /** A live dispatch creates today's Instantly campaign as a draft. */
  const draftCampaign = async () => {
    await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const [campaign] = h.sandboxes.instantly.campaigns();
    expect(campaign?.status).toBe(0);
    return campaign!.id;
  };

  it('activates it at Instantly and in our record, audited with who, and resolves its pause incident', async () => {
    const externalId = await draftCampaign();
    const key = campaignPausedIncident('instantly', externalId);
    await h.app.escalation.report({ key, kind: 'campaign_paused', title: 'paused', detail: 'bounce rate', since: h.clock.now(), leadsAffected: 1, sendingAffected: true });
    expect((await createIncidentStore(h.db).open()).map((i) => i.key)).toContain(key);

    const activated = await campaignControlsFor(h.app, h.dispatch).activate(` ${externalId} `, ' Sam ');

    expect(activated).toMatchObject({ externalId, status: 'active', activatedBy: 'Sam', activatedAt: h.clock.now() });
    expect(h.sandboxes.instantly.campaigns()[0]!.status).toBe(1);
    expect(await h.dispatch.parts.campaigns.byExternalId('instantly', externalId)).toMatchObject({ status: 'active', activatedBy: 'Sam' });
    const audit = ((await h.db.execute(sql`select actor, entity_id from audit_log where action = 'campaign.activated'`)) as { rows: { actor: string; entity_id: string }[] }).rows;
    expect(audit).toEqual([{ actor: 'Sam', entity_id: activated.id }]);
    expect((await createIncidentStore(h.db).open()).map((i) => i.key)).not.toContain(key);
  });

  it('refuses without a name, an unknown or already active campaign, and under the emergency stop, changing nothing', async () => {
    const externalId = await draftCampaign();
    const campaigns = campaignControlsFor(h.app, h.dispatch);
    const requestsBefore = h.sandboxes.instantly.stats.requests;

    expect((await refusal(campaigns.activate(externalId, '  ')))?.code).toBe('INVALID_INPUT');
    expect((await refusal(campaigns.activate('no-such-campaign', 'Sam')))?.code).toBe('NOT_FOUND');
    await h.control.setEmergencyStop({ active: true, reason: 'test', setBy: 'Dani', setAt: h.clock.now() });
    expect((await refusal(campaigns.activate(externalId, 'Sam')))?.code).toBe('EMERGENCY_STOP');
    expect(h.sandboxes.instantly.stats.requests).toBe(requestsBefore);
    expect(await h.dispatch.parts.campaigns.byExternalId('instantly', externalId)).toMatchObject({ status: 'draft', activatedBy: null });

    await h.control.setEmergencyStop({ active: false, reason: null, setBy: 'Dani', setAt: h.clock.now() });
    await campaigns.activate(externalId, 'Sam');
    expect((await refusal(campaigns.activate(externalId, 'Sam')))?.code).toBe('CONFLICT');
  });
});
