import type { AppDeps, DispatchSet } from '../../deps.js';
import { operatorStatus, operatorStatusSettings } from '../../dispatch/operator-status-settings.js';
import { createReviewService } from '../../pipeline/review-draft.js';
import { createReviewStore } from '../../store/review-repo.js';
import { createTimelineQuery } from '../../store/timeline-repo.js';
import { sql } from 'drizzle-orm';
import type { ApiDeps } from './routes.js';

/** The API's use cases for one app: the same services the CLI builds. Null without the operator. */
export const apiDepsFor = (app: AppDeps, dispatch: DispatchSet | null): ApiDeps | null => {
  if (!dispatch) return null;
  const db = app.database.db;
  return {
    review: createReviewService({ review: createReviewStore(db), audit: app.stores.audit, clock: app.clock, sender: app.config.sender, quality: { ...app.config.quality, maxRejections: app.config.review.maxRejections } }),
    runs: app.stores.runs,
    leadDetail: app.stores.leadDetail,
    timeline: (leadId, limit) => createTimelineQuery(db).forLead(leadId, limit),
    statusCounts: async () =>
      Object.fromEntries(((await db.execute(sql`select status, count(*)::int as n from leads where duplicate_of is null group by status`)) as unknown as { rows: { status: string; n: number }[] }).rows.map((r) => [r.status, Number(r.n)])),
    operatorStatus: () => operatorStatus(db, operatorStatusSettings(app.config), app.clock.now()),
    operator: dispatch.operator,
  };
};
