import { InvalidArgumentError, type Command } from 'commander';
import { isRejectionTag, REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import type { Tier } from '../../domain/tier.js';
import { createReviewService } from '../../pipeline/review-draft.js';
import { createReviewStore, type ReviewDraft } from '../../store/review-repo.js';
import type { AppDeps } from '../../deps.js';
import { configFrom, parsePositiveInt, parseTier, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson, withApp } from './with-app.js';

const serviceFor = (app: AppDeps) =>
  createReviewService({ review: createReviewStore(app.database.db), audit: app.stores.audit, clock: app.clock, sender: app.config.sender, quality: { ...app.config.quality, maxRejections: app.config.review.maxRejections } });

const parseTag = (value: string): string => {
  if (!isRejectionTag(value)) throw new InvalidArgumentError(`unknown tag; use one of: ${REJECTION_TAGS.map((t) => t.id).join(', ')}`);
  return value;
};

const renderDecision = (d: ReviewDraft) => `draft ${d.id} is ${d.status}${d.decidedBy ? ` (by ${d.decidedBy})` : ''}${d.status === 'approved' ? ': eligible for dispatch in an approved batch; nothing was sent' : ''}\n`;

export const registerReviewCommands = (program: Command): void => {
  const review = program.command('review').description('the human review of drafts: nothing leaves without approval');

  withCommonOptions(review.command('tags').description('the rejection tags').option('--json', 'print JSON')).action((options: CommonOptions & { json?: boolean }) => {
    if (options.json) return printJson(REJECTION_TAGS);
    process.stdout.write(`${renderTable(['tag', 'meaning'], REJECTION_TAGS.map((t) => [t.id, t.label]))}\n`);
  });

  withCommonOptions(
    review
      .command('list')
      .description('drafts waiting for review, best leads first')
      .option('--tier <tier>', 'only this tier', parseTier)
      .option('--angle <angle>', 'only this angle (campaign)')
      .option('--verdict <verdict>', 'passed or failed (failed: the quality guard recorded rule failures in soft mode)', (v: string) => {
        if (v !== 'passed' && v !== 'failed') throw new InvalidArgumentError('verdict must be passed or failed.');
        return v;
      })
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 100_000), 100)
      .option('--json', 'print JSON'),
  ).action(async (options: CommonOptions & { tier?: Tier; angle?: string; verdict?: 'passed' | 'failed'; limit: number; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const queue = await serviceFor(app).list({ ...(options.tier ? { tier: options.tier } : {}), ...(options.angle ? { angleId: options.angle } : {}), ...(options.verdict ? { verdict: options.verdict } : {}), limit: options.limit });
      if (options.json) return printJson(queue);
      if (queue.length === 0) return void process.stdout.write('the review queue is empty\n');
      process.stdout.write(`${renderTable(['draft', 'lead', 'tier', 'points', 'angle', 'subject A'], queue.map((d) => [d.id, d.lead.email ?? '', d.lead.tier ?? '', d.lead.points ?? '', d.angleId, d.subjectA]))}\n${queue.length} drafts waiting\n`);
    });
  });

  withCommonOptions(review.command('show <draftId>').description('one draft with its lead, grounding and the lead\'s rejections').option('--json', 'print JSON')).action(async (draftId: string, options: CommonOptions & { json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const { draft, rejections } = await serviceFor(app).show(draftId);
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
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  });

  withCommonOptions(
    review
      .command('approve <draftId>')
      .description('approve a draft (optionally edited); it becomes eligible for dispatch, nothing is sent')
      .requiredOption('--by <name>', 'who approves')
      .option('--subject <text>', 'an edited subject')
      .option('--body <text>', 'an edited body (must keep the compliant footer)')
      .option('--json', 'print JSON'),
  ).action(async (draftId: string, options: CommonOptions & { by: string; subject?: string; body?: string; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const decided = await serviceFor(app).approve({ draftId, by: options.by, edit: { subject: options.subject, body: options.body } });
      if (options.json) printJson(decided);
      else process.stdout.write(renderDecision(decided));
    });
  });

  withCommonOptions(
    review
      .command('reject <draftId>')
      .description('reject a draft with a reason and a tag; the next draft for this lead rotates away from its angle')
      .requiredOption('--reason <text>', 'why, in words the writer can act on')
      .requiredOption('--tag <tag>', `one of: ${REJECTION_TAGS.map((t) => t.id).join(', ')}`, parseTag)
      .requiredOption('--by <name>', 'who rejects')
      .option('--json', 'print JSON'),
  ).action(async (draftId: string, options: CommonOptions & { by: string; reason: string; tag: string; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const decided = await serviceFor(app).reject({ draftId, by: options.by, reason: options.reason, tag: options.tag });
      if (options.json) printJson(decided);
      else process.stdout.write(renderDecision(decided));
    });
  });
};
