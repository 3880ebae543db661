import { importedExclusionPolicy } from '../dispatch/exclusions.js';
import type { LeadSource } from '../pipeline/ports.js';
import { createVisitorLeadSource } from '../pipeline/visitors.js';
import { createExclusionStore } from '../store/exclusions-repo.js';
import { createVisitorStore } from '../store/visitors-repo.js';
import type { AppDeps } from './app-deps.js';

/**
 * The `rb2b` lead source over this app's store: the website visitors the webhook recorded, checked
 * against the configured and the imported exclusions (the same lists the send gateway refuses).
 */
export const visitorSourceFor = (app: AppDeps): LeadSource => {
  const imported = importedExclusionPolicy(createExclusionStore(app.database.db));
  const configured = app.config.exclusions;
  return createVisitorLeadSource({
    visitors: createVisitorStore(app.database.db),
    exclusions: async () => {
      const more = await imported();
      return { excludedDomains: [...configured.excludedDomains, ...more.excludedDomains], excludedEmails: [...configured.excludedEmails, ...more.excludedEmails] };
    },
    suppressions: app.stores.suppressions,
    audit: app.stores.audit,
    clock: app.clock,
  });
};
