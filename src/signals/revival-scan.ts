import { normalizeEmail } from '../domain/lead.js';
import { pipelineStageOf, revivalVerdict, type RevivalReason, type RevivalSettings } from '../domain/revival/index.js';
import type { CrmContact, LeadEvent, RevivalCrm, SignalLeadStore } from './ports.js';

export type RevivalCandidate = {
  email: string;
  contactId: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  tags: string[];
  /** The CRM stage (a stage field, else a stage-like tag such as cold, lost, nurture). */
  pipelineStage: string | null;
  leadId: string | null;
  status: string | null;
  lastActivity: string | null;
  daysInactive: number;
  score: number;
  reason: RevivalReason;
  /** What the crafter needs to write a revival e-mail: the history in one line per fact. */
  context: string[];
};

/** The newest `limit` events of each lead (newest first, as `LeadEventStore.timeline`), in one read. */
export type TimelinesOf = (leadIds: readonly string[], limit: number) => Promise<Map<string, LeadEvent[]>>;

const DAY_MS = 86_400_000;
/** How much of a lead's timeline the verdict reads (its opens, replies, connection, visits). */
const TIMELINE_LIMIT = 500;
const PAGE = 100;
const MAX_PAGES = 50;

const lastActivityOf = (c: CrmContact): Date | null => {
  for (const value of [c.dateLastActivity, c.lastActivity, c.dateUpdated]) {
    const d = value ? new Date(value) : null;
    if (d && !Number.isNaN(d.getTime())) return d;
  }
  return null;
};

/**
 * Stale CRM contacts worth reviving (read-only): GHL contacts whose last activity is 30-120 days
 * old, joined with what our timeline knows of them, judged and scored by the pure rules, best first.
 * Set-based: per page of contacts, their leads in one read and those leads' timelines in one more.
 */
export const scanRevival = async (
  deps: { ghl: RevivalCrm; leads: Pick<SignalLeadStore, 'byEmails'>; timelines: TimelinesOf; settings: RevivalSettings },
  now: Date,
  limit: number,
  /** Collects the contacts left out and why (`no_email`, `excluded_tag`, ...), by CRM id: never their address. */
  skipped?: { contactId: string; why: string }[],
): Promise<RevivalCandidate[]> => {
  const gte = new Date(now.getTime() - deps.settings.maxInactiveDays * DAY_MS).toISOString();
  const lte = new Date(now.getTime() - deps.settings.minInactiveDays * DAY_MS).toISOString();
  const candidates: RevivalCandidate[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await deps.ghl.searchContacts({ page, pageLimit: PAGE, filters: [{ field: 'lastActivity', operator: 'range', value: { gte, lte } }] });
    // Keyed by the normalised address (e-mail is unique among leads), as byEmail finds one.
    const leads = await deps.leads.byEmails(answer.contacts.flatMap((c) => (c.email ? [c.email] : [])));
    const leadOf = (email: string | undefined | null) => (email ? (leads.get(normalizeEmail(email) ?? '') ?? null) : null);
    const timelines = await deps.timelines([...new Set(answer.contacts.flatMap((c) => leadOf(c.email)?.id ?? []))], TIMELINE_LIMIT);
    for (const contact of answer.contacts) {
      const lead = leadOf(contact.email);
      const events = lead ? (timelines.get(lead.id) ?? []) : [];
      const types = events.map((e) => e.type);
      const visits = events.filter((e) => e.type === 'website_visit').map((e) => e.at.getTime());
      const pipelineStage = pipelineStageOf(contact.pipelineStage, contact.tags);
      const verdict = revivalVerdict(
        {
          pipelineStage,
          email: contact.email ?? null,
          tags: contact.tags,
          lastActivity: lastActivityOf(contact),
          status: lead?.status ?? null,
          opens: types.filter((t) => t === 'email_opened').length,
          replies: types.filter((t) => t === 'email_replied' || t === 'linkedin_replied').length,
          tier: lead?.tier ?? null,
          linkedinConnected: types.includes('linkedin_connection_accepted'),
          lastWebsiteVisitAt: visits.length ? new Date(Math.max(...visits)) : null,
        },
        deps.settings,
        now,
      );
      if (!verdict.eligible) {
        skipped?.push({ contactId: contact.id, why: verdict.why });
        continue;
      }
      candidates.push({
        email: contact.email!.toLowerCase(),
        contactId: contact.id,
        firstName: contact.firstName ?? null,
        lastName: contact.lastName ?? null,
        company: contact.companyName ?? null,
        tags: contact.tags,
        pipelineStage,
        leadId: lead?.id ?? null,
        status: lead?.status ?? null,
        lastActivity: lastActivityOf(contact)?.toISOString() ?? null,
        daysInactive: verdict.daysInactive,
        score: verdict.score,
        reason: verdict.reason,
        context: [
          `${verdict.daysInactive} days since the last CRM activity`,
          ...(lead ? [`our status: ${lead.status}`, ...events.slice(0, 5).map((e) => `${e.at.toISOString().slice(0, 10)} ${e.channel} ${e.type}`)] : ['no outreach from us on record']),
          ...(contact.tags.length ? [`CRM tags: ${contact.tags.join(', ')}`] : []),
        ],
      });
    }
    if (answer.contacts.length < PAGE) break;
  }
  return candidates.sort((a, b) => b.score - a.score || a.email.localeCompare(b.email)).slice(0, limit);
};
