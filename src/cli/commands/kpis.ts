import { readModelsFor } from '../../compose/read-models.js';
import { repliesOf } from '../../domain/kpis/kpi-events.js';
import { rateWithCounts } from '../../domain/labels.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

/** `caio kpis`: the KPI page's figures. */
export const kpisShowCommand = async (options: CommonOptions & { days: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const now = app.clock.now();
    const k = await readModelsFor(app).dashboard.kpis(new Date(now.getTime() - (options.days - 1) * 86_400_000), now, app.config.kpis.trailingDays);
    const targets = app.config.kpis.targets;
    if (options.json) return printJson({ ...k, targets });
    // Every rate with its counts ("2 of 3 (66.7 %)"), as the KPI page shows them (issue 21 item 7),
    // and the reply-to-meeting rate (issue 17 item 4): meetings booked of the leads who replied.
    const rows = (name: string, c: typeof k.counts) => [
      name,
      String(c.emailSent),
      rateWithCounts(c.emailOpened, c.emailSent),
      rateWithCounts(c.emailReplied, c.emailSent),
      rateWithCounts(c.emailBounced, c.emailSent),
      String(c.linkedinSent),
      rateWithCounts(c.linkedinAccepted, c.linkedinSent),
      String(c.meetingsBooked),
      rateWithCounts(c.meetingsBooked, repliesOf(c)),
    ];
    const head = ['', 'e-mailed', 'open', 'reply', 'bounce', 'LinkedIn invited', 'accept', 'meetings', 'reply to meeting'];
    cliOut(`KPIs since ${k.since} (targets: open ${pct(targets.open)}, reply ${pct(targets.reply)}, bounce at most ${pct(targets.bounce)}, accept ${pct(targets.linkedinAccept)})\n`);
    cliOut(`${renderTable(head, [rows('all', k.counts), ...k.perCampaign.map((c) => rows(`campaign ${c.campaign}`, c.counts)), ...k.perAngle.map((a) => rows(`angle ${a.angle}`, a.counts))])}\n`);
  });
};

/** `caio kpis rebuild`: recomputes the rollup from the timeline. */
export const kpisRebuildCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const result = await readModelsFor(app).kpis.rebuild();
    if (options.json) return printJson(result);
    cliOut(`KPI rollup rebuilt: ${result.milestones} lead milestones\n`);
  });
};
