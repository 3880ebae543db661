import { AppError } from '../../lib/app-error.js';
import type { Tier } from '../../domain/tier.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderLeadDetail } from '../render/lead-detail.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp, withStore } from './with-app.js';
import { readModelsFor } from '../../compose/read-models.js';
import { cadencePreviewFor } from '../../compose/cadence-preview.js';
import { cliOut } from '../io.js';

type ListOptions = CommonOptions & { tier?: Tier; status?: string; limit?: number; json?: boolean };
type ShowOptions = CommonOptions & { json?: boolean };

export const leadsListCommand = async (options: ListOptions): Promise<void> => {
  await withStore(configFrom(options), async (app) => {
    const rows = await app.stores.leads.list({ tier: options.tier, status: options.status, limit: options.limit });
    if (options.json) {
      printJson(
        rows.map((l) => ({
          id: l.id,
          email: l.email,
          name: [l.profile.firstName, l.profile.lastName].filter(Boolean).join(' ') || l.profile.fullName,
          title: l.profile.title,
          company: l.profile.company.name,
          tier: l.tier,
          points: l.points,
          status: l.status,
          disqualificationReason: l.disqualificationReason,
          skipReason: l.skipReason,
          lastRunId: l.lastRunId,
        })),
      );
      return;
    }
    if (rows.length === 0) {
      cliOut('no leads match (run: npx caio pipeline run)\n');
      return;
    }
    cliOut(
      `${renderTable(
        ['email', 'company', 'title', 'tier', 'points', 'status', 'note'],
        rows.map((l) => [l.email ?? '(no email)', l.profile.company.name ?? '', l.profile.title ?? '', l.tier ?? '', l.points ?? '', l.status, l.disqualificationReason ?? l.skipReason ?? '']),
      )}\n${rows.length} leads\n`,
    );
  });
};

export const leadsShowCommand = async (email: string, options: ShowOptions): Promise<void> => {
  const config = configFrom(options);
  await withStore(config, async (app) => {
    const detail = await app.stores.leadDetail.detailByEmail(email);
    if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${email.trim().toLowerCase()}`);
    // The cadence's e-mail steps as they would go out today (the draft's stored follow-ups are not sent).
    const cadence = detail.drafts.length ? cadencePreviewFor(config, detail.lead.profile) : [];
    if (options.json) printJson({ ...detail, cadenceEmailSteps: cadence });
    else cliOut(`${renderLeadDetail(detail, cadence)}\n`);
  });
};

export const leadsTimelineCommand = async (email: string, options: ShowOptions & { limit: number }): Promise<void> => {
  await withStore(configFrom(options), async (app) => {
    const detail = await app.stores.leadDetail.detailByEmail(email);
    if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${email.trim().toLowerCase()}`);
    const entries = await readModelsFor(app).timeline.forLead(detail.lead.id, options.limit);
    if (options.json) return printJson({ leadId: detail.lead.id, status: detail.lead.status, timeline: entries });
    cliOut(
      `${detail.lead.email} [${detail.lead.status}]\n${renderTable(
        ['when', 'channel', 'event', 'detail'],
        entries.map((e) => [e.at.toISOString(), e.channel, e.type, e.detail]),
      )}\n`,
    );
  });
};

export const leadsBootstrapCommand = async (options: CommonOptions & { dryRun?: boolean; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const { bootstrapFor } = await import('../../compose/signals.js');
    const report = await bootstrapFor(app)({ dryRun: options.dryRun === true, limit: options.limit });
    if (options.json) return printJson(report);
    cliOut(`${report.missing} accepted send(s) missing from lead timelines; ${report.dryRun ? 'dry run: nothing recorded' : `${report.recorded} recorded`}.\n`);
    if (report.items.length)
      cliOut(
        `${renderTable(
          ['sent at', 'channel', 'step', 'outbox id'],
          report.items.map((i) => [i.sentAt, i.channel, i.step, i.outboxId]),
        )}\n`,
      );
  });
};
