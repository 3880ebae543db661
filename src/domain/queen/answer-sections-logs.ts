import type { AuditSummary, RedactResult, ToolOutcome } from './results.js';
import { resultOf } from './section-reads.js';

/**
 * The sections of an answer asking for error logs: the logs as QUEEN can show them (the audit log,
 * scanned for personal data and secrets), an error timeline of the failures and blocks in the
 * window with each entry's correlation id, and where the logs these tools do not hold are. Pure.
 */

/** Audit actions that record something failing or being stopped (not a person's ordinary decision). */
const FAILURE = /(?:rejected|refused|failed|failure|stopped|uncertain|needs_review|denied|error)/;

/** The id that ties an entry to the others of the same work: its run id, else the entity it concerns. */
const correlationOf = (e: AuditSummary['entries'][number]) => e.runId ?? `${e.entityType}:${e.entityId ?? 'no id'}`;

export const errorLogSections = (outcomes: readonly ToolOutcome[]): string[] => {
  const audit = resultOf<AuditSummary>(outcomes, 'audit.search');
  const scan = resultOf<RedactResult>(outcomes, 'privacy.redact')?.logs;
  const lines: string[] = [];
  lines.push(
    scan
      ? `Redacted logs: the audit entries are shown masked (${scan.found.length ? scan.found.join(', ') : 'no personal data or secret found in them'}); API keys, tokens and auth headers are never shown.`
      : 'Redacted logs: the audit entries are shown masked; API keys, tokens and auth headers are never shown.',
  );
  if (!audit) lines.push('Error timeline: not read (the audit log could not be read for this ask).');
  else {
    const failures = [...audit.entries].filter((e) => FAILURE.test(e.action)).sort((a, b) => a.at.localeCompare(b.at));
    lines.push(
      failures.length
        ? `Error timeline (oldest first; correlation id = the run id, else the entity): ${failures.map((e) => `${e.at} ${e.action} by ${e.actor}, correlation id ${correlationOf(e)}${e.reason ? `, reason ${e.reason}` : ''}`).join('; ')}.`
        : `Error timeline: no failure or block among the audit entries read since ${audit.since} (correlation ids would be the run id, else the entity).`,
    );
  }
  lines.push("Not held by these tools: the server's and the dashboard's own process logs (pino output, HTTP errors); they stay in the server's log, read there with its own redaction.");
  return lines;
};
