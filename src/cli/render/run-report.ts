import { averageQuality } from '../../pipeline/enrich-leads.js';
import type { RunReport } from '../../pipeline/run-pipeline.js';
import type { RunRecord } from '../../pipeline/ports.js';
import { renderTable } from './table.js';

const STATUS_LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export const renderStageTable = (stages: RunRecord['stages']): string =>
  renderTable(
    ['stage', 'status', 'in', 'out', 'ms', 'errors'],
    stages.map((s) => [s.name, STATUS_LABEL[s.status], s.inputCount, s.outputCount, Math.round(s.durationMs), s.errors.length]),
  );

export const renderStageErrors = (stages: RunRecord['stages'], perStage = 3): string[] =>
  stages.flatMap((s) =>
    s.errors
      .slice(0, perStage)
      .map((e) => `  ${s.name}: ${e.code ? `[${e.code}] ` : ''}${e.message}${e.leadRef ? ` (lead ${e.leadRef})` : ''}`)
      .concat(s.errors.length > perStage ? [`  ${s.name}: … ${s.errors.length - perStage} more (caio runs show --json)`] : []),
  );

export const renderRunReport = (report: RunReport): string => {
  const totalMs = new Date(report.completedAt).getTime() - new Date(report.startedAt).getTime();
  const lines = [
    '',
    renderStageTable(report.stages),
    '',
    `${report.passed}/${report.total} stages passed in ${(totalMs / 1000).toFixed(1)} s: ${report.status === 'passed' ? 'SUCCESS' : 'FAILED'}`,
    `run ${report.runId} (${report.mode} providers, shadow send: nothing was sent)`,
    `${report.leads.length} leads, ${report.drafts.length} drafts waiting for review`,
  ];
  const enrich = report.stages.find((s) => s.name === 'enrich');
  const credits = Object.entries((enrich?.metrics.credits as Record<string, number> | undefined) ?? {});
  const quality = enrich ? averageQuality(enrich.metrics) : null;
  if (credits.length || quality !== null) {
    lines.push(`enrichment: ${credits.length ? `credits ${credits.map(([p, n]) => `${p} ${n}`).join(', ')}` : 'no credits spent'}${quality !== null ? `; mean quality ${quality}/100` : ''}`);
  }
  const errors = renderStageErrors(report.stages);
  if (errors.length) lines.push('', 'errors:', ...errors);
  return lines.join('\n');
};
