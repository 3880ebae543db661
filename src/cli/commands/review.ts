import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import type { Tier } from '../../domain/tier.js';
import type { ReviewDraft } from '../../pipeline/review-ports.js';
import { reviewServiceFor } from '../../compose/review.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

const renderDecision = (d: ReviewDraft) => `draft ${d.id} is ${d.status}${d.decidedBy ? ` (by ${d.decidedBy})` : ''}${d.status === 'approved' ? ': eligible for dispatch in an approved batch; nothing was sent' : ''}\n`;

/** `caio review tags`: the rejection tags. */
export const reviewTagsCommand = (options: CommonOptions & { json?: boolean }): void => {
  if (options.json) return printJson(REJECTION_TAGS);
  cliOut(
    `${renderTable(
      ['tag', 'meaning'],
      REJECTION_TAGS.map((t) => [t.id, t.label]),
    )}\n`,
  );
};

export const reviewListCommand = async (options: CommonOptions & { tier?: Tier; angle?: string; verdict?: 'passed' | 'failed'; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const queue = await reviewServiceFor(app).list({ ...(options.tier ? { tier: options.tier } : {}), ...(options.angle ? { angleId: options.angle } : {}), ...(options.verdict ? { verdict: options.verdict } : {}), limit: options.limit });
    if (options.json) return printJson(queue);
    if (queue.length === 0) return void cliOut('the review queue is empty\n');
    cliOut(
      `${renderTable(
        ['draft', 'lead', 'tier', 'points', 'angle', 'subject A'],
        queue.map((d) => [d.id, d.lead.email ?? '', d.lead.tier ?? '', d.lead.points ?? '', d.angleId, d.subjectA]),
      )}\n${queue.length} drafts waiting\n`,
    );
  });
};

export const reviewShowCommand = async (draftId: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const { draft, rejections } = await reviewServiceFor(app).show(draftId);
    if (options.json) return printJson({ draft, rejections });
    const lines = [
      `draft ${draft.id} v${draft.version} [${draft.status}] for ${draft.lead.name ?? ''} <${draft.lead.email ?? ''}>, ${draft.lead.title ?? ''} at ${draft.lead.company ?? ''} (${draft.lead.tier ?? ''}, ${draft.lead.points ?? ''} points)`,
      `angle ${draft.angleId}: ${draft.angleReason}`,
      `Subject A: ${draft.editedSubject ?? draft.subjectA}`,
      `Subject B: ${draft.subjectB}`,
      '',
      draft.editedBody ?? draft.body,
      '',
      'Grounding:',
      ...draft.grounding.map((g) => `  ${g.claim}: ${g.value} (${g.field}, ${g.provider})`),
      ...(rejections.length ? ['', 'Earlier rejections of this lead:', ...rejections.map((r) => `  ${r.rejectedAt.toISOString()} ${r.tag} by ${r.rejectedBy} (${r.angleId}): ${r.reason}`)] : []),
      '',
      draft.quality
        ? `Quality guard (${draft.quality.mode}): ${draft.quality.ruleFailures.length === 0 ? 'passed' : draft.quality.ruleFailures.map((f) => `${f.ruleId} ${f.message}`).join('; ')}; evidence: ${draft.quality.evidence.map((e) => `${e.type} "${e.value}"`).join(', ') || 'none'}`
        : 'Quality guard: no verdict recorded',
    ];
    cliOut(`${lines.join('\n')}\n`);
  });
};

export const reviewApproveCommand = async (draftId: string, options: CommonOptions & { by: string; subject?: string; body?: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const decided = await reviewServiceFor(app).approve({ draftId, by: options.by, edit: { subject: options.subject, body: options.body } });
    if (options.json) printJson(decided);
    else cliOut(renderDecision(decided));
  });
};

export const reviewRejectCommand = async (draftId: string, options: CommonOptions & { by: string; reason: string; tag: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const decided = await reviewServiceFor(app).reject({ draftId, by: options.by, reason: options.reason, tag: options.tag });
    if (options.json) printJson(decided);
    else cliOut(renderDecision(decided));
  });
};
