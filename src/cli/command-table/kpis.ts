import type { Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const kpiCommands = () => import('../commands/kpis.js');
type KpiCommands = Awaited<ReturnType<typeof kpiCommands>>;

/** `caio kpis`: the KPI page's figures; `caio kpis rebuild` recomputes the rollup from the timeline. */
export const registerKpiCommands = (program: Command): void => {
  const kpis = program.command('kpis').description('engagement rates against targets, per campaign and angle (the /kpis page)');
  withCommonOptions(kpis.command('show', { isDefault: true }).description('rates over the last N UTC days').option('--days <n>', 'window in days, today included', parsePositiveInt('days', 365), 30).option('--json', 'print JSON')).action(
    async (options: Parameters<KpiCommands['kpisShowCommand']>[0]) => (await kpiCommands()).kpisShowCommand(options),
  );
  withCommonOptions(kpis.command('rebuild').description("recompute the KPI rollup from every lead's timeline (after a bulk load that bypassed it)").option('--json', 'print JSON')).action(
    async (options: Parameters<KpiCommands['kpisRebuildCommand']>[0]) => (await kpiCommands()).kpisRebuildCommand(options),
  );
};
