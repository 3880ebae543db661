import type { Command } from 'commander';
import { AppError } from '../../lib/app-error.js';
import type { Tier } from '../../domain/tier.js';
import { configFrom, parsePositiveInt, parseTier, withCommonOptions, type CommonOptions } from '../options.js';
import { renderLeadDetail } from '../render/lead-detail.js';
import { renderTable } from '../render/table.js';
import { registerLeadExportCommand } from './leads-export.js';
import { printJson, withApp } from './with-app.js';
import { createTimelineQuery } from '../../store/timeline-repo.js';
import { bootstrapFor } from '../../signals/compose.js';

type ListOptions = CommonOptions & { tier?: Tier; status?: string; limit?: number; json?: boolean };
type ShowOptions = CommonOptions & { json?: boolean };

export const registerLeadCommands = (program: Command): void => {
  const leads = program.command('leads').description('leads, their scores and drafts');

  withCommonOptions(
    leads
      .command('list')
      .description('leads with score, tier and status, best first')
      .option('--tier <tier>', 'only this tier (tier_1 … tier_4, or 1-4)', parseTier)
      .option('--status <status>', 'only this status (e.g. pending_review, disqualified, skipped)')
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 100_000), 500)
      .option('--json', 'print JSON'),
  ).action(async (options: ListOptions) => {
    await withApp(configFrom(options), async (app) => {
      const rows = await app.stores.leads.list({ tier: options.tier, status: options.status, limit: options.limit });
      if (options.json) {
        printJson(rows.map((l) => ({ id: l.id, email: l.email, name: [l.profile.firstName, l.profile.lastName].filter(Boolean).join(' ') || l.profile.fullName, title: l.profile.title, company: l.profile.company.name, tier: l.tier, points: l.points, status: l.status, disqualificationReason: l.disqualificationReason, skipReason: l.skipReason, lastRunId: l.lastRunId })));
        return;
      }
      if (rows.length === 0) {
        process.stdout.write('no leads match (run: npx caio pipeline run)\n');
        return;
      }
      process.stdout.write(
        `${renderTable(
          ['email', 'company', 'title', 'tier', 'points', 'status', 'note'],
          rows.map((l) => [l.email ?? '(no email)', l.profile.company.name ?? '', l.profile.title ?? '', l.tier ?? '', l.points ?? '', l.status, l.disqualificationReason ?? l.skipReason ?? '']),
        )}\n${rows.length} leads\n`,
      );
    });
  });

  registerLeadExportCommand(leads);

  withCommonOptions(leads.command('show <email>').description('one lead: score, tier, every reason, drafts and their grounding').option('--json', 'print JSON')).action(
    async (email: string, options: ShowOptions) => {
      await withApp(configFrom(options), async (app) => {
        const detail = await app.stores.leadDetail.detailByEmail(email);
        if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${email.trim().toLowerCase()}`);
        if (options.json) printJson(detail);
        else process.stdout.write(`${renderLeadDetail(detail)}\n`);
      });
    },
  );

  withCommonOptions(leads.command('timeline <email>').description('one lead\'s activity across pipeline, e-mail, LinkedIn and outbound, newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 10_000), 100).option('--json', 'print JSON')).action(
    async (email: string, options: ShowOptions & { limit: number }) => {
      await withApp(configFrom(options), async (app) => {
        const detail = await app.stores.leadDetail.detailByEmail(email);
        if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${email.trim().toLowerCase()}`);
        const entries = await createTimelineQuery(app.database.db).forLead(detail.lead.id, options.limit);
        if (options.json) return printJson({ leadId: detail.lead.id, status: detail.lead.status, timeline: entries });
        process.stdout.write(`${detail.lead.email} [${detail.lead.status}]\n${renderTable(['when', 'channel', 'event', 'detail'], entries.map((e) => [e.at.toISOString(), e.channel, e.type, e.detail]))}\n`);
      });
    },
  );

  withCommonOptions(
    leads
      .command('bootstrap')
      .description('record on each lead\'s timeline every accepted send that is missing from it (status, cadence and KPIs follow); safe to repeat')
      .option('--dry-run', 'list the missing sends, record nothing')
      .option('--limit <n>', 'at most this many sends', parsePositiveInt('limit', 100_000), 10_000)
      .option('--json', 'print JSON'),
  ).action(async (options: CommonOptions & { dryRun?: boolean; limit: number; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const report = await bootstrapFor(app)({ dryRun: options.dryRun === true, limit: options.limit });
      if (options.json) return printJson(report);
      process.stdout.write(`${report.missing} accepted send(s) missing from lead timelines; ${report.dryRun ? 'dry run: nothing recorded' : `${report.recorded} recorded`}.\n`);
      if (report.items.length) process.stdout.write(`${renderTable(['sent at', 'channel', 'step', 'outbox id'], report.items.map((i) => [i.sentAt, i.channel, i.step, i.outboxId]))}\n`);
    });
  });
};
