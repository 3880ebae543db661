import type { Command } from 'commander';
import { createDashboardQueries } from '../../store/dashboard-repo.js';
import { createKpiStore } from '../../store/kpi-repo.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson, withApp } from './with-app.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

/** `caio kpis`: the KPI page's figures; `caio kpis rebuild` recomputes the rollup from the timeline. */
export const registerKpiCommands = (program: Command): void => {
  const kpis = program.command('kpis').description('engagement rates against targets, per campaign and angle (the /kpis page)');
  withCommonOptions(kpis.command('show', { isDefault: true }).description('rates over the last N UTC days').option('--days <n>', 'window in days, today included', parsePositiveInt('days', 365), 30).option('--json', 'print JSON')).action(
    async (options: CommonOptions & { days: number; json?: boolean }) => {
      await withApp(configFrom(options), async (app) => {
        const now = app.clock.now();
        const k = await createDashboardQueries(app.database.db).kpis(new Date(now.getTime() - (options.days - 1) * 86_400_000), now, app.config.kpis.trailingDays);
        const targets = app.config.kpis.targets;
        if (options.json) return printJson({ ...k, targets });
        const rows = (name: string, r: typeof k.rates, c: typeof k.counts) => [name, String(c.emailSent), pct(r.open), pct(r.reply), pct(r.bounce), String(c.linkedinSent), pct(r.linkedinAccept)];
        const head = ['', 'e-mailed', 'open', 'reply', 'bounce', 'LinkedIn invited', 'accept'];
        process.stdout.write(`KPIs since ${k.since} (targets: open ${pct(targets.open)}, reply ${pct(targets.reply)}, bounce at most ${pct(targets.bounce)}, accept ${pct(targets.linkedinAccept)})\n`);
        process.stdout.write(`${renderTable(head, [rows('all', k.rates, k.counts), ...k.perCampaign.map((c) => rows(`campaign ${c.campaign}`, c.rates, c.counts)), ...k.perAngle.map((a) => rows(`angle ${a.angle}`, a.rates, a.counts))])}\n`);
      });
    },
  );
  withCommonOptions(kpis.command('rebuild').description('recompute the KPI rollup from every lead\'s timeline (after a bulk load that bypassed it)').option('--json', 'print JSON')).action(async (options: CommonOptions & { json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const result = await createKpiStore(app.database.db).rebuild();
      if (options.json) return printJson(result);
      process.stdout.write(`KPI rollup rebuilt: ${result.milestones} lead milestones\n`);
    });
  });
};
