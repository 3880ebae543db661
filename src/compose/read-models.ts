import { createAuditStore } from '../store/audit-repo.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createExportQuery } from '../store/export-repo.js';
import { createInboxStore } from '../store/inbox-repo.js';
import { createKpiStore } from '../store/kpi-repo.js';
import { createPrivacyStore } from '../store/privacy-repo.js';
import { createTimelineQuery } from '../store/timeline-repo.js';
import type { AppDeps } from './app-deps.js';

/**
 * The store's read models (and the privacy export and erasure) for one app, as the CLI shows them:
 * built here, in the root, so a command only parses its flags, calls one of these and renders.
 */
export const readModelsFor = (app: Pick<AppDeps, 'database'>) => {
  const db = app.database.db;
  return {
    audit: createAuditStore(db),
    cadence: createCadenceStore(db),
    dashboard: createDashboardQueries(db),
    exports: createExportQuery(db),
    inbox: createInboxStore(db),
    kpis: createKpiStore(db),
    privacy: createPrivacyStore(db),
    timeline: createTimelineQuery(db),
  };
};
