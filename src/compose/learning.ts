import type { Config } from '../config/load.js';
import { buildLearningReport, compareVariants, replyWinnerOf, subjectShareA, variantOfSentSubject, type FunnelCounts, type LearningReport, type LeadOutcome } from '../domain/learning/index.js';
import type { Db } from '../store/database.js';
import { createLearningQuery } from '../store/learning-repo.js';

const DAY_MS = 86_400_000;
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

const outcomesOf = async (db: Db, now: Date, days: number) => {
  const since = new Date(startOfDay(now).getTime() - (days - 1) * DAY_MS);
  const rows = await createLearningQuery(db).outcomes(since, new Date(now.getTime() + 1));
  const outcomes: LeadOutcome[] = rows.map((r) => ({
    leadId: r.leadId,
    angle: r.angle,
    variant: r.subjectA === null || r.subjectB === null ? null : variantOfSentSubject(r.sentSubject, { subjectA: r.subjectA, subjectB: r.subjectB, editedSubject: r.editedSubject }),
    opened: r.opened,
    replied: r.replied,
    meeting: r.meeting,
    components: r.components,
  }));
  return { since, outcomes };
};

/**
 * The learning report (docs/learning.md) over the last `days` UTC days, today included: the leads
 * first e-mailed in the window, each with the subject variant its first e-mail used.
 */
export const learningReportFor =
  (db: Db, settings: Config['learning']) =>
  async (now: Date, days: number): Promise<LearningReport> => {
    const { since, outcomes } = await outcomesOf(db, now, days);
    return buildLearningReport(outcomes, { since: since.toISOString().slice(0, 10), until: now.toISOString().slice(0, 10) }, settings);
  };

/**
 * The share of first e-mails the OPERATOR gives subject A (`learning.autoShift`): read from the
 * reply verdict over `learning.shiftWindowDays` (the variant comparison only, no calibration);
 * 0.5 when the shift is off or nothing wins.
 */
export const subjectShareFor =
  (db: Db, settings: Config['learning']) =>
  async (now: Date): Promise<number> => {
    if (!settings.autoShift) return 0.5;
    const { outcomes } = await outcomesOf(db, now, settings.shiftWindowDays);
    return subjectShareA(replyWinnerOf(compareVariants(outcomes, settings)), settings.maxShift);
  };

/** The /kpis funnel: the leads discovered in the window, and how many of them reached each step. */
export const funnelFor =
  (db: Db) =>
  (since: Date): Promise<FunnelCounts> =>
    createLearningQuery(db).funnel(since);
