import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../src/domain/lead.js';
import type { SignalLead } from '../../../src/signals/ports.js';
import { scanRevival, type TimelinesOf } from '../../../src/signals/revival-scan.js';
import type { Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { timelinesOf } from '../../../src/store/timelines-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import { statementsDuring } from '../../support/statements.js';

/**
 * Issue 20 item 5: the revival scan reads a page of CRM contacts' leads in one statement and their
 * timelines in one more, instead of a `byEmail` and a `timeline` per contact. What it finds is what
 * the per-contact reads found: the same candidates, scores, reasons and context, the same skips.
 */

const SETTINGS = { minInactiveDays: 30, maxInactiveDays: 120, excludeTags: [] };
const DAY_MS = 86_400_000;

describe('the revival scan, set-based (issue 20)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  /** Leads in states the scan judges differently, with timelines, and the CRM contacts naming them (mixed case), one unknown, one without an e-mail. */
  const crmWith = async (leadCount: number) => {
    const now = h.clock.now();
    const events = createLeadEventStore(h.db);
    const statuses = ['ghosted', 'stalled', 'bounced', 'engaged_not_replied', 'linkedin_exhausted'];
    const contacts: { id: string; email?: string; firstName: string; lastName: string; companyName: string; tags: string[]; lastActivity: string }[] = [];
    for (let i = 0; i < leadCount; i++) {
      const lead = await h.approvedLead();
      await h.db.execute(sql`update leads set status = ${statuses[i % statuses.length]} where id = ${lead.leadId}`);
      const at = (days: number) => new Date(now.getTime() - days * DAY_MS);
      // Varied timelines: opens, a reply, a LinkedIn connection, website visits (the newest counts), more than five events.
      const types = [
        ['email_opened', 'email_opened', 'website_visit'],
        ['email_replied'],
        ['linkedin_connection_accepted', 'website_visit', 'website_visit'],
        [],
        ['email_opened', 'email_clicked', 'email_opened', 'website_visit', 'email_opened', 'email_opened'],
      ][i % 5]!;
      for (const [k, type] of types.entries())
        await events.append({
          leadId: lead.leadId,
          at: at(40 + k),
          channel: type.startsWith('linkedin') ? 'linkedin' : type === 'website_visit' ? 'website' : 'email',
          type,
          source: 'test',
          fromStatus: null,
          toStatus: null,
          inboxId: null,
          details: { k },
        });
      contacts.push({ id: `c-${i}`, email: i % 2 ? lead.email.toUpperCase() : lead.email, firstName: `F${i}`, lastName: 'L', companyName: 'Co', tags: [], lastActivity: at(50 + i).toISOString() });
    }
    contacts.push({ id: 'c-unknown', email: 'nobody@elsewhere.example.com', firstName: 'N', lastName: 'B', companyName: 'X', tags: [], lastActivity: new Date(now.getTime() - 60 * DAY_MS).toISOString() });
    contacts.push({ id: 'c-no-email', firstName: 'N', lastName: 'E', companyName: 'Y', tags: [], lastActivity: new Date(now.getTime() - 60 * DAY_MS).toISOString() });
    return { searchContacts: async () => ({ contacts }) };
  };

  /** The reads as they were: a `byEmail` and a `timeline` per contact. */
  const perContact = () => {
    const leads = createSignalLeadStore(h.db);
    const events = createLeadEventStore(h.db);
    return {
      leads: {
        byEmails: async (emails: readonly string[]) => {
          const found = new Map<string, SignalLead>();
          for (const e of emails) {
            const lead = await leads.byEmail(e);
            if (lead) found.set(normalizeEmail(e)!, lead);
          }
          return found;
        },
      },
      timelines: (async (ids, limit) => new Map(await Promise.all(ids.map(async (id) => [id, await events.timeline(id, limit)] as const)))) satisfies TimelinesOf,
    };
  };

  it('finds the same candidates, scores, reasons, context and skips as the per-contact reads', async () => {
    const crm = await crmWith(5);
    const now = h.clock.now();
    const setSkipped: { contactId: string; why: string }[] = [];
    const set = await scanRevival({ ghl: crm, leads: createSignalLeadStore(h.db), timelines: (ids, limit) => timelinesOf(h.db, ids, limit), settings: SETTINGS }, now, 50, setSkipped);
    const oneSkipped: { contactId: string; why: string }[] = [];
    const one = await scanRevival({ ghl: crm, ...perContact(), settings: SETTINGS }, now, 50, oneSkipped);
    expect(set).toEqual(one);
    expect(setSkipped).toEqual(oneSkipped);
    // The page holds what makes the comparison mean something: reasons read from the timelines, and skips.
    expect(set.some((c) => c.reason === 'previously_replied')).toBe(true);
    expect(set.some((c) => c.leadId === null)).toBe(true);
    expect(setSkipped.map((s) => s.why).sort()).toEqual(['no_email', 'not_revivable']);
    expect(set.find((c) => c.context.length > 6)).toBeDefined();
  });

  it('costs two statements a page, however many contacts it holds', async () => {
    const few = await crmWith(2);
    const fewCount = await statementsDuring(() => scanRevival({ ghl: few, leads: createSignalLeadStore(h.db), timelines: (ids, limit) => timelinesOf(h.db, ids, limit), settings: SETTINGS }, h.clock.now(), 50));
    const many = await crmWith(8);
    const manyCount = await statementsDuring(() => scanRevival({ ghl: many, leads: createSignalLeadStore(h.db), timelines: (ids, limit) => timelinesOf(h.db, ids, limit), settings: SETTINGS }, h.clock.now(), 50));
    expect(fewCount.statements).toBe(2);
    expect(manyCount.statements).toBe(2);
    expect(manyCount.value.length).toBeGreaterThan(fewCount.value.length);
  });

  it('keeps the newest events of each lead, newest first, cut at the limit', async () => {
    const lead = await h.approvedLead();
    const other = await h.approvedLead();
    const events = createLeadEventStore(h.db);
    const now = h.clock.now();
    for (let k = 0; k < 7; k++) await events.append({ leadId: lead.leadId, at: new Date(now.getTime() - (k % 3) * DAY_MS), channel: 'email', type: `t${k}`, source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    const read = await timelinesOf(h.db, [lead.leadId, other.leadId], 4);
    expect(read.get(lead.leadId)).toEqual(await events.timeline(lead.leadId, 4));
    expect(read.get(other.leadId) ?? []).toEqual(await events.timeline(other.leadId, 4));
    expect(await timelinesOf(h.db, [], 4)).toEqual(new Map());
  });
});
