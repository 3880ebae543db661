import type { CadenceSync } from '../signals/cadence-sync.js';
import { runDecay } from '../signals/run-decay.js';
import { createDecayQuery, createLeadEventStore } from '../store/inbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import type { AppDeps } from './app-deps.js';

/**
 * Decay detection over one app's stores, for the daily job, `caio decay run` and the API; the
 * cadence is the one a decayed lead's enrolment leaves (the app's).
 */
export const decayDetectorFor = (app: AppDeps, cadence: CadenceSync) => (now: Date, dryRun: boolean) => {
  const db = app.database.db;
  return runDecay({ query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: app.config.decay, cadence }, now, dryRun);
};
