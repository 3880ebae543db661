import { pipelineStageOf, revivalVerdict, type RevivalReason, type RevivalSettings } from '../domain/revival/index.js';
import type { CrmContact, LeadEventStore, RevivalCrm, SignalLeadStore } from './ports.js';

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

const DAY_MS = 86_400_000;
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
 */
export const scanRevival = async (
  deps: { ghl: RevivalCrm; leads: SignalLeadStore; events: LeadEventStore; settings: RevivalSettings },
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
    for (const contact of answer.contacts) {
      const lead = contact.email ? await deps.leads.byEmail(contact.email) : null;
      const events = lead ? await deps.events.timeline(lead.id, 500) : [];
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
