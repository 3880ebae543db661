import type { AnswerShape } from './answer-shapes.js';
import type { Understanding } from './grammar.js';
import { blockSections, diagnosticSections, opsReportSections, volumePlanSections } from './answer-sections-ops.js';
import { learningSummarySections } from './answer-sections-learning.js';
import { meetingPrepSections } from './answer-sections-prep.js';
import { errorLogSections } from './answer-sections-logs.js';
import type { MeetingsFound, ToolOutcome } from './results.js';
import { counted, countsList, pick, resultOf } from './section-reads.js';
import { LEAD_STATUS_GROUPS } from '../signals/index.js';

/**
 * The sections of a shaped answer (answer-shapes.ts), after the tools' own lines: each section
 * named for what the person asked (stale leads, ghost candidates, next actions...) and written only
 * from the tools' results. A section whose data no tool holds says so and names where it is, rather
 * than filling it in; every figure is a value a tool returned. Pure.
 */

const { pipeline: PIPELINE, decay: DECAY } = LEAD_STATUS_GROUPS;

const pipelineReview = (outcomes: readonly ToolOutcome[]): string[] => {
  const statuses = resultOf<Record<string, number>>(outcomes, 'leads.status');
  const cadence = resultOf<Record<string, number>>(outcomes, 'cadence.counts');
  const meetings = resultOf<MeetingsFound>(outcomes, 'meeting.brief');
  const completed = cadence?.completed ?? 0;
  const decayNote = 'the daily decay run sets that status; caio decay run --dry-run shows its findings';
  const lines = ['Pipeline scan, by category:'];
  if (!statuses) lines.push('- Stale leads: not read (the lead statuses could not be read for this ask).');
  else {
    const waiting = pick(statuses, PIPELINE);
    lines.push(`- Stale leads: ${statuses.stalled ? `${statuses.stalled} at status stalled` : 'none at status stalled'} (${decayNote}).${Object.keys(waiting).length ? ` Leads not contacted yet, by status: ${countsList(waiting)}.` : ''}`);
  }
  lines.push(
    meetings
      ? meetings.count
        ? `- Upcoming meetings: ${counted(meetings.count, 'meeting', 'meetings')} booked from ${meetings.from} to ${meetings.to}: ${meetings.meetings.map((m) => `${m.slot} UTC (reply ${m.replyId}${m.brief ? '' : ', no brief'})`).join('; ')}.`
        : `- Upcoming meetings: none booked from ${meetings.from} to ${meetings.to}.`
      : '- Upcoming meetings: not read (the meetings could not be read for this ask).',
  );
  const ghosts = statuses
    ? pick(
        statuses,
        DECAY.filter((s) => s !== 'stalled'),
      )
    : {};
  const ghostParts = [
    ...(statuses ? [Object.keys(ghosts).length ? `by status, ${countsList(ghosts)}` : 'no lead at status ghosted or engaged_not_replied'] : []),
    ...(cadence ? [completed ? `${counted(completed, 'cadence enrolment')} completed every step with no exit (a reply, bounce, unsubscribe or meeting ends a cadence early)` : 'no cadence enrolment completed without an exit'] : []),
  ];
  lines.push(ghostParts.length ? `- Ghost candidates: ${ghostParts.join('; ')}.` : '- Ghost candidates: not read (neither the statuses nor the cadence could be read for this ask).');
  const actions: string[] = [];
  if (meetings?.count) actions.push(`prepare for ${counted(meetings.count, 'booked meeting')} (each has a brief: ask for meeting prep)`);
  if (statuses?.pending_review) actions.push(`review the drafts of ${counted(statuses.pending_review, 'lead')} at pending_review (caio review list)`);
  if (statuses?.stalled) actions.push(`look at ${counted(statuses.stalled, 'stalled lead')} (caio leads list)`);
  for (const [status, n] of Object.entries(ghosts)) actions.push(`${counted(n, 'lead')} at ${status}: revival candidates (caio revival scan)`);
  if (completed) actions.push(`decide on ${counted(completed, 'quiet cadence enrolment')}: leave them to the decay run and the revival motion, or close them`);
  lines.push(actions.length ? `- Next actions: ${actions.join('; ')}.` : '- Next actions: none found in the data read.');
  return lines;
};

/** The booking could not be made for want of input: what to clarify, and the workflow it goes through. */
const bookingClarification = (outcomes: readonly ToolOutcome[]): string[] => {
  const book = outcomes.find((o) => o.tool === 'calendar.book' && o.status === 'missing_input');
  if (!book) return [];
  const slotsRead = outcomes.some((o) => o.tool === 'calendar.slots' && o.status === 'ok');
  return [
    "Before booking, request clarification of: which prospect (the reply the meeting answers, by its id), which slot, and the prospect's time zone (not assumed from ours).",
    `Proposed availability workflow: ${slotsRead ? 'take the free slots above' : 'check the free slots (calendar.slots)'}, offer them in the prospect's time zone, and book the one they accept, with confirmation (caio replies book, or this ask again with the reply id, the slot and --yes); the booking queues a confirmation draft for a person's review.`,
  ];
};

/** An unknown tool named in the request, and the past rates given instead of a forecast. */
const unknownToolSections = (u: Understanding, outcomes: readonly ToolOutcome[], known: readonly string[]): string[] => {
  const lines = u.entities.namedTools.filter((t) => !known.includes(t)).map((t) => `Unknown tool ${t}: it is not one of QUEEN's tools, so nothing ran for it.`);
  if (u.unsupported.some((x) => x.capability === 'forecasting'))
    lines.push(
      `Fallback recommendation: no forecast or exact future rate is given; ${resultOf(outcomes, 'kpis.rates') ? 'the engagement rates so far (above) are measured, not predicted' : 'the engagement rates so far are in caio kpis'}, and a close rate is not held by these tools.`,
    );
  return lines;
};

const SECTIONS: Record<AnswerShape, (u: Understanding, outcomes: readonly ToolOutcome[]) => string[]> = {
  pipeline_review: (_u, o) => pipelineReview(o),
  meeting_prep: meetingPrepSections,
  block_explanation: (_u, o) => blockSections(o),
  diagnostic: diagnosticSections,
  ops_report: (_u, o) => opsReportSections(o),
  volume_plan: (_u, o) => volumePlanSections(o),
  learning_summary: (_u, o) => learningSummarySections(o),
  error_logs: (_u, o) => errorLogSections(o),
};

/** The shaped sections of one ask's answer: each shape asked for, then the booking and unknown-tool notes. */
export const shapedSections = (u: Understanding, outcomes: readonly ToolOutcome[], knownTools: readonly string[]): string[] => [
  ...u.shapes.flatMap((s) => SECTIONS[s](u, outcomes)),
  ...bookingClarification(outcomes),
  ...unknownToolSections(u, outcomes, knownTools),
];
