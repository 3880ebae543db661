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

/** How long a counted funnel is shown again for the same window (see funnelFor). */
export const FUNNEL_FRESH_MS = 60_000;

/**
 * The /kpis funnel: the leads discovered in the window, and how many of them reached each step.
 * Counting it joins the window's leads with four tables: about 210 ms at 100,000 leads on a calm
 * machine (docs/benchmarks.md), on every load of a page people reload. So a count is reused for
 * the same window start (to the minute) for FUNNEL_FRESH_MS of the app's clock, like the KPI
 * rollup it sits beside; loads at the same time share one count, and a failed count is not kept.
 */
export const funnelFor = (db: Db, clock: { now(): Date }) => {
  let last: { minute: number; at: number; counts: Promise<FunnelCounts> } | null = null;
  return (since: Date): Promise<FunnelCounts> => {
    const minute = Math.floor(since.getTime() / 60_000);
    const now = clock.now().getTime();
    if (last && last.minute === minute && now - last.at >= 0 && now - last.at < FUNNEL_FRESH_MS) return last.counts;
    const counts = createLearningQuery(db).funnel(since);
    const entry = { minute, at: now, counts };
    last = entry;
    counts.catch(() => {
      if (last === entry) last = null;
    });
    return counts;
  };
};
