import { learningReportFor } from '../../compose/learning.js';
import type { ArmStats, LearningReport, MetricComparison } from '../../domain/learning/index.js';
import { angleLabel } from '../../domain/labels.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const interval = (a: ArmStats) => (a.n === 0 ? '-' : `[${(a.interval.low * 100).toFixed(1)}, ${(a.interval.high * 100).toFixed(1)}]`);

/** One table per comparison: each arm's sends, then count, rate and interval for opens, replies and meetings. */
const comparisonTable = (label: string, c: Record<'open' | 'reply' | 'meeting', MetricComparison>, name: (n: string) => string) => {
  const head = [label, 'sent', 'opened', 'open rate', 'interval', 'replied', 'reply rate', 'interval', 'meetings', 'meeting rate', 'interval'];
  const rows = c.open.arms.map((a, i) => {
    const r = c.reply.arms[i]!;
    const m = c.meeting.arms[i]!;
    return [name(a.name), a.n, a.successes, pct(a.rate), interval(a), r.successes, pct(r.rate), interval(r), m.successes, pct(m.rate), interval(m)];
  });
  return `${renderTable(head, rows)}\n${[c.open, c.reply, c.meeting].map((x) => `  ${x.text}`).join('\n')}\n`;
};

export const renderLearningReport = (r: LearningReport): string => {
  const s = r.settings;
  const lines: string[] = [];
  lines.push(`Learning report: leads first e-mailed ${r.since} to ${r.until} (${r.sent}). Intervals: Wilson ${((1 - s.alpha) * 100).toFixed(0)} %; a winner needs p < ${s.alpha} and at least ${s.minPerArm} sends per arm.\n`);
  lines.push(`\nSubject variants (${r.variants.edited} sent with a reviewer's edited subject and ${r.variants.unknown} with no known variant are left out)\n`);
  lines.push(comparisonTable('variant', r.variants.comparison, (n) => n));
  lines.push(`\nAngles\n`);
  lines.push(r.angles.comparison.open.arms.length ? comparisonTable('angle', r.angles.comparison, (n) => (n === 'none' ? 'none' : angleLabel(n))) : '  no angle sent yet\n');
  lines.push(
    `\nTraffic: ${r.traffic.applied ? `learning.autoShift is on: subject A gets ${pct(r.traffic.shareA)} of first e-mails${r.traffic.winner ? ` (${r.traffic.winner} wins replies)` : ' (no winner: 50/50)'}` : `learning.autoShift is off: 50/50${r.traffic.winner ? ` (with it on, ${r.traffic.winner} would get up to ${pct(0.5 + s.maxShift)})` : ''}`}\n`,
  );
  lines.push(`\nScoring calibration (${r.calibration.scored} scored leads)\n`);
  lines.push(
    `${renderTable(
      ['component', 'outcome', 'high: n', 'rate', 'interval', 'low: n', 'rate', 'interval', 'lift', 'p'],
      r.calibration.lifts.map((l) => [
        l.component,
        l.outcome,
        l.high.n,
        pct(l.high.rate),
        interval(l.high),
        l.low.n,
        pct(l.low.rate),
        interval(l.low),
        l.lift === null ? 'n/a' : `${l.lift.toFixed(2)}x`,
        l.high.n === 0 || l.low.n === 0 ? '-' : l.p < 0.001 ? '< 0.001' : l.p.toFixed(3),
      ]),
    )}\n`,
  );
  for (const fit of r.calibration.fits) {
    if (fit.kind === 'not_enough_data') lines.push(`  logistic fit for ${fit.outcome}: not enough data: ${fit.positives} with and ${fit.negatives} without, ${fit.needed} of each needed\n`);
    else lines.push(`  logistic fit for ${fit.outcome} (${fit.n} leads, ${fit.positives} with): ${fit.components.map((c) => `${c.component} ${c.coefficient.toFixed(2)} ± ${c.standardError.toFixed(2)}`).join(', ')}\n`);
  }
  lines.push(`\nSuggestions (a person decides; nothing is applied)\n`);
  lines.push(r.calibration.suggestions.length ? r.calibration.suggestions.map((x) => `  - ${x.text}`).join('\n') + '\n' : '  none: no component predicts replies or meetings significantly yet\n');
  return lines.join('');
};

/** `caio learn report [--days N] [--json]`. */
export const learnReportCommand = async (options: CommonOptions & { days: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const report = await learningReportFor(app.database.db, app.config.learning)(app.clock.now(), options.days);
    if (options.json) return printJson(report);
    cliOut(renderLearningReport(report));
  });
};
