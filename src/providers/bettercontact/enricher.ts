import { emptyLead, mergeProfiles, normalizeDomain, normalizeEmail, splitFullName } from '../../domain/lead.js';
import type { EnrichmentResult, LeadEnricher } from '../../pipeline/ports.js';
import type { BetterContactClient } from './client.js';

/** Only these verdicts give an address we may use (contracts/bettercontact.md). */
const USABLE = new Set(['deliverable', 'valid', 'catch_all_safe']);

/**
 * BetterContact as an enricher: submit one contact, poll at `pollIntervalMs` at most `maxPolls`
 * times. Finished only at `terminated`; running out of polls is a miss for this run.
 */
export const createBetterContactEnricher = (deps: { client: BetterContactClient; pollIntervalMs: number; maxPolls: number; sleep?: (ms: number) => Promise<void> }): LeadEnricher => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    provider: 'bettercontact',
    enrich: async ({ sourceId, profile }): Promise<EnrichmentResult> => {
      const names = profile.firstName ? { firstName: profile.firstName, lastName: profile.lastName } : splitFullName(profile.fullName);
      if (!names.firstName || !names.lastName || (!profile.company.name && !profile.company.domain && !profile.linkedinUrl)) return { outcome: 'miss' };
      const requestId = await deps.client.submit([
        {
          first_name: names.firstName,
          last_name: names.lastName,
          ...(profile.company.domain ? { company_domain: profile.company.domain } : profile.company.name ? { company: profile.company.name } : {}),
          ...(profile.linkedinUrl ? { linkedin_url: profile.linkedinUrl } : {}),
          custom_fields: { lead_id: sourceId },
        },
      ]);
      if (!requestId) return { outcome: 'miss' };
      for (let i = 0; i < deps.maxPolls; i++) {
        await sleep(deps.pollIntervalMs);
        const result = await deps.client.poll(requestId);
        if (!result) return { outcome: 'miss' };
        if (result.status !== 'terminated') continue;
        const contact = result.data?.find((d) => d.custom_fields?.lead_id === sourceId) ?? result.data?.[0];
        const raw = contact?.contact_email_address ?? null;
        const credits = { bettercontact: result.credits_consumed ?? 0 };
        const email = contact?.enriched && raw && !raw.includes('*') && USABLE.has(contact.contact_email_address_status ?? '') ? normalizeEmail(raw) : null;
        if (!email) return { outcome: 'miss', credits, reason: 'bettercontact_no_match' };
        const found = emptyLead({ email, title: contact!.contact_job_title ?? null, provenance: { email: 'bettercontact' } });
        found.company.domain = normalizeDomain(contact!.company_domain);
        if (found.title) found.provenance.title = 'bettercontact';
        if (found.company.domain) found.provenance['company.domain'] = 'bettercontact';
        return {
          outcome: 'matched',
          profile: mergeProfiles(profile, found),
          raw: { requestId, contact, credits: result.credits_consumed ?? null, emailStatus: contact!.contact_email_address_status },
          fields: Object.keys(found.provenance),
          credits,
        };
      }
      return { outcome: 'miss', reason: 'bettercontact_timeout' };
    },
  };
};
