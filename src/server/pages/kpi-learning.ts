import type { ApiDeps } from '../api/routes.js';
import { angleLabel } from '../../domain/labels.js';
import { funnelChart, intervalChart } from './charts.js';
import { esc } from './render.js';

/**
 * The /kpis sections issue 20 adds: the funnel of the last 30 days' leads, and the subject
 * variants and angles compared with their intervals (the learning report of `caio learn report`,
 * docs/learning.md). Empty when the app has no learning read model.
 */
export const learningSections = async (api: ApiDeps, now: Date): Promise<{ funnel: string; learning: string }> => {
  if (!api.learning) return { funnel: '', learning: '' };
  const [counts, report] = await Promise.all([api.learning.funnel(new Date(now.getTime() - 29 * 86_400_000)), api.learning.report(now, 30)]);
  const funnel = `<section aria-labelledby="k-funnel"><h2 id="k-funnel">Funnel</h2>${funnelChart('chart-funnel', 'Leads discovered in the last 30 days: how many reached each step', counts)}</section>`;
  const v = report.variants.comparison;
  const a = report.angles.comparison;
  const angle = (n: string) => (n === 'none' ? 'none' : angleLabel(n));
  const learning = `<section aria-labelledby="k-learn"><h2 id="k-learn">Subject variants and angles</h2>
<p class="meta">Leads first e-mailed since ${esc(report.since)}: ${esc(report.sent)}. Dots are rates, whiskers their ${esc(Math.round((1 - report.settings.alpha) * 100))} % Wilson intervals; a winner is named only when the two-proportion test gives p &lt; ${esc(report.settings.alpha)} with at least ${esc(report.settings.minPerArm)} sends per arm. <code>caio learn report</code> has the full report and the scoring calibration.</p>
${intervalChart('chart-variant-reply', 'Reply rate per subject variant', v.reply)}
${intervalChart('chart-variant-open', 'Open rate per subject variant', v.open)}
${a.reply.arms.length ? intervalChart('chart-angle-reply', 'Reply rate per angle', a.reply, angle) : '<p class="empty">No angle was e-mailed in the last 30 days.</p>'}
</section>`;
  return { funnel, learning };
};
