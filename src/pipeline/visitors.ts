import { emailDomain, isDomainListed, leadIdentities, type LeadProfile } from '../domain/lead.js';
import { summariseVisits, withVisitIntent } from '../domain/visitors/visit-summary.js';
import type { Clock } from '../lib/clock.js';
import type { AuditStore, DiscoveredLead, LeadSource, SuppressionStore, VisitorStore } from './ports.js';

/** The lead source name (`caio pipeline run --source rb2b`) and the source the webhook records visitors under. */
export const VISITOR_SOURCE = 'rb2b';

/** Own and customer domains and addresses: the config's and those `caio exclusions import` added. */
export type VisitorExclusions = { excludedDomains: readonly string[]; excludedEmails: readonly string[] };

export type VisitorSourceDeps = {
  visitors: VisitorStore;
  /** Read once per run: the imported list changes between runs. */
  exclusions: () => Promise<VisitorExclusions>;
  /** The suppression list, read once per run (people who unsubscribed, bounced or asked to be forgotten). */
  suppressions: Pick<SuppressionStore, 'matcher'>;
  audit: AuditStore;
  clock: Clock;
};

const SUPPRESSED = 'suppressed: this person is on the suppression list (unsubscribed, bounced or asked to be forgotten)';

const exclusionOf = (profile: LeadProfile, ex: VisitorExclusions): string | null => {
  const email = profile.email?.toLowerCase() ?? null;
  for (const domain of [email ? emailDomain(email) : null, profile.company.domain].filter((d): d is string => Boolean(d))) {
    if (isDomainListed(domain, [...ex.excludedDomains])) return `excluded domain: ${domain} is an own or customer domain`;
  }
  if (email && ex.excludedEmails.some((e) => e.toLowerCase() === email)) return 'excluded email: this address is on the exclusion list';
  return null;
};

/**
 * Website visitors as a pipeline source: the RB2B leads the webhook recorded and no run has taken
 * yet, each with what all their sightings add up to (page views, pricing views, return visits and
 * the pages' topic) as intent. Every stage after discovery is the pipeline's own, so a visitor is
 * enriched (Apollo People Match by LinkedIn URL, then the waterfall), scored, drafted, quality-guarded
 * and queued for review like any lead, and every guard applies: suppressed people are dropped at
 * discovery and enrichment, excluded companies are disqualified at scoring. A suppressed visitor,
 * or one at an excluded company or address (the config's or the imported list), is disqualified
 * here already, with the reason, so no enrichment credit is spent on them.
 */
export const createVisitorLeadSource = (deps: VisitorSourceDeps): LeadSource => ({
  name: VISITOR_SOURCE,
  discover: async ({ limit }) => {
    const pending = await deps.visitors.pending(limit);
    const exclusions = await deps.exclusions();
    const isSuppressed = await deps.suppressions.matcher();
    const at = deps.clock.now();
    const excluded: { leadId: string; reason: string }[] = [];
    const leads: DiscoveredLead[] = [];
    let repeatVisitors = 0;
    for (const visitor of pending) {
      // Left `discovered`, a suppressed visitor would come back at the head of every run and, oldest
      // first, could crowd out the new ones: they are closed here with the reason instead.
      const reason = leadIdentities(visitor.profile).some(isSuppressed) ? SUPPRESSED : exclusionOf(visitor.profile, exclusions);
      if (reason) {
        excluded.push({ leadId: visitor.leadId, reason });
        continue;
      }
      const summary = summariseVisits(visitor.sightings.length > 0 ? visitor.sightings : [{ at, page: null }]);
      if (summary.sessions > 1) repeatVisitors++;
      const profile = withVisitIntent(visitor.profile, summary, VISITOR_SOURCE);
      leads.push({ source: visitor.source, sourceId: visitor.sourceId, profile, raw: { visits: { pageViews: summary.pageViews, sessions: summary.sessions, pricingPageViews: summary.pricingPageViews, pages: summary.pages.length } } });
    }
    if (excluded.length > 0) {
      await deps.visitors.disqualify(excluded, at);
      await deps.audit.append(
        excluded.map((e) => ({
          at,
          actor: 'SEGMENTOR',
          action: 'lead.disqualified',
          entityType: 'lead',
          entityId: e.leadId,
          runId: null,
          details: { code: e.reason === SUPPRESSED ? 'suppressed' : 'excluded', reason: e.reason, source: VISITOR_SOURCE },
        })),
      );
    }
    return {
      leads,
      errors: [],
      metrics: { visitors: pending.length, excluded: excluded.filter((e) => e.reason !== SUPPRESSED).length, suppressed: excluded.filter((e) => e.reason === SUPPRESSED).length, repeatVisitors },
      considered: pending.length,
      emptyIsNormal: true,
    };
  },
});
