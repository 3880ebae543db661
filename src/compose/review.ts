import { createReviewService } from '../pipeline/review-draft.js';
import { createReviewStore } from '../store/review-repo.js';
import type { AppDeps } from './app-deps.js';

/** The human review of drafts over one app (`caio review`, the API's review routes). */
export const reviewServiceFor = (app: AppDeps) =>
  createReviewService({ review: createReviewStore(app.database.db), audit: app.stores.audit, clock: app.clock, sender: app.config.sender, quality: { ...app.config.quality, maxRejections: app.config.review.maxRejections } });
