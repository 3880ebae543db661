import { randomBytes } from 'node:crypto';
import type { LeadProfile } from '../../domain/lead.js';
import { emptyLead, mergeProfiles, normalizeDomain, normalizeEmail, splitFullName } from '../../domain/lead.js';
import { AppError } from '../../lib/app-error.js';
import type { AlertPort, ClayCorrelationStore, ClayResult, EnrichmentResult, LeadEnricher } from '../../pipeline/ports.js';
import type { ClayClient } from './client.js';
import { linkedinHash } from './correlation.js';

export type ClayEnricherDeps = {
  client: ClayClient;
  store: ClayCorrelationStore;
  /** webhookRef() of the configured table webhook, to count submissions against its cap. */
  webhookRef: string;
  /** Clay stops accepting rows on a webhook after about 50,000 submissions. */
  submissionCap: number;
  /** How long one lead waits for its callback before it is a miss for this run. */
  waitMs: number;
  pollIntervalMs: number;
  /** Clay charges per enrichment step even when it finds nothing: an estimate per row sent. */
  creditsPerRow: number;
  /** A callback for the same person within this window is reused instead of paying again. */
  reuseWithinMs: number;
  alerts?: AlertPort;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  newRequestId?: () => string;
};

const toEnrichment = (result: ClayResult, base: LeadProfile, credits: number): EnrichmentResult => {
  const email = normalizeEmail(result.email);
  if (!email) return { outcome: 'miss', credits: credits ? { clay: credits } : {}, reason: 'clay_no_email' };
  const found = emptyLead({ email, title: result.title, provenance: { email: 'clay' } });
  if (result.title) found.provenance.title = 'clay';
  found.company.name = result.companyName;
  found.company.domain = normalizeDomain(result.companyDomain);
  found.company.industry = result.industry;
  found.company.employeeCount = result.employeeCount;
  for (const [field, value] of [
    ['company.name', found.company.name],
    ['company.domain', found.company.domain],
    ['company.industry', found.company.industry],
    ['company.employeeCount', found.company.employeeCount],
  ] as const) {
    if (value !== null) found.provenance[field] = 'clay';
  }
  if (!base.firstName && !base.lastName && (result.firstName || result.lastName)) {
    found.firstName = result.firstName;
    found.lastName = result.lastName;
  }
  return { outcome: 'matched', profile: mergeProfiles(base, found), raw: { clay: result, emailVerified: result.emailVerified }, fields: Object.keys(found.provenance), credits: credits ? { clay: credits } : {} };
};

/**
 * Clay as the waterfall's third step: register the request in the database, send one row to the
 * table webhook, then wait (bounded) for the callback, which the callback route stores. A lead
 * without a LinkedIn URL cannot be correlated and is a miss; a callback that comes after the wait
 * is kept and used by a later run instead of sending (and paying for) the row again.
 */
export const createClayEnricher = (deps: ClayEnricherDeps): LeadEnricher => {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const newRequestId = deps.newRequestId ?? (() => `clay_${randomBytes(8).toString('hex')}`);
  let warnedNearCap = false;

  return {
    provider: 'clay',
    enrich: async ({ profile, leadId, runId }) => {
      const hash = linkedinHash(profile.linkedinUrl);
      if (!hash) return { outcome: 'miss', reason: 'clay_no_linkedin_url' };
      const earlier = await deps.store.latestForLinkedin(hash, new Date(now().getTime() - deps.reuseWithinMs));
      if (earlier) return toEnrichment(earlier, profile, 0);

      const submitted = await deps.store.submissionsTo(deps.webhookRef);
      if (submitted >= deps.submissionCap) {
        // OUT_OF_CREDITS makes the waterfall skip Clay for the rest of the run.
        throw new AppError('OUT_OF_CREDITS', `clay table webhook reached its submission cap (${deps.submissionCap}); create a new webhook in Clay and configure its URL`, { details: { provider: 'clay', reason: 'webhook_cap', submitted } });
      }
      if (!warnedNearCap && submitted + 1 >= deps.submissionCap * 0.9) {
        warnedNearCap = true;
        await deps.alerts?.send({
          severity: 'warning',
          title: 'clay webhook near its submission cap',
          body: `${submitted + 1} of ${deps.submissionCap} rows sent to the configured Clay table webhook; create a new one soon.`,
          metadata: { provider: 'clay', submitted, cap: deps.submissionCap },
        });
      }

      const names = profile.firstName || profile.lastName ? { firstName: profile.firstName, lastName: profile.lastName } : splitFullName(profile.fullName);
      const requestId = newRequestId();
      // Registered before sending: a fast callback must find its request.
      await deps.store.registerRequest({ requestId, leadId: leadId ?? null, linkedinHash: hash, runId: runId ?? null, webhookRef: deps.webhookRef, submittedAt: now() });
      await deps.client.sendRow({
        request_id: requestId,
        lead_id: leadId ?? null,
        linkedin_url: profile.linkedinUrl!,
        first_name: names.firstName,
        last_name: names.lastName,
        full_name: profile.fullName ?? ([names.firstName, names.lastName].filter(Boolean).join(' ') || null),
        company_name: profile.company.name,
        ...(profile.company.domain ? { company_domain: profile.company.domain } : {}),
        source: 'pipeline',
        priority: 'normal',
        timestamp: now().toISOString(),
      });

      const deadline = Date.now() + deps.waitMs;
      while (Date.now() < deadline) {
        await sleep(Math.min(deps.pollIntervalMs, Math.max(1, deadline - Date.now())));
        const result = await deps.store.resultFor(requestId);
        if (result) return toEnrichment(result, profile, deps.creditsPerRow);
      }
      return { outcome: 'miss', credits: { clay: deps.creditsPerRow }, reason: 'clay_timeout' };
    },
  };
};
