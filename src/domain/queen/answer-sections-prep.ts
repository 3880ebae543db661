import { NEXT_FOR_CLASS } from './answer-signals.js';
import type { Understanding } from './grammar.js';
import { OBJECTION_KINDS } from '../replies/index.js';
import type { LeadsFound, MeetingRow, MeetingsFound, ToolOutcome } from './results.js';
import { resultOf } from './section-reads.js';

/**
 * A call or meeting prep in sections (pain points, objection prep, recommended approach), from the
 * briefs meeting.brief built and the lead the request named. The brief is our own Markdown
 * (domain/replies/meeting-brief.ts); its sections are read by their headings. What a brief does not
 * hold (a pain the prospect stated, objection copy) is said to be missing, never written in. Pure.
 */

const MAX_PREPS = 5;

/** The "- " lines under one "## heading" of a brief. */
const sectionLines = (text: string, heading: string): string[] => {
  const part = text.split(/\n## /).find((p) => p.startsWith(heading));
  return part
    ? part
        .split('\n')
        .slice(1)
        .filter((l) => l.startsWith('- '))
        .map((l) => l.slice(2).trim())
    : [];
};

/** "Their reply read as objection (budget), from the words ..." -> the class and kind. */
const replyRead = (line: string | undefined): { cls: string; kind: string | null; words: string } | null => {
  const m = /^Their reply read as ([a-z ]+?)(?: \(([a-z ]+)\))?(?:,|$)/.exec(line ?? '');
  return m?.[1] ? { cls: m[1].replace(/ /g, '_'), kind: m[2] ?? null, words: m[2] ? `${m[1]} (${m[2]})` : m[1] } : null;
};

const prepOf = (m: MeetingRow): string[] => {
  if (!m.brief) return [`Call prep for the meeting at ${m.slot} UTC (reply ${m.replyId}): no brief could be built, so no pain points, objections or approach are prepared.`];
  const scored = sectionLines(m.brief.text, 'Why they scored');
  const [angle, replyLine] = sectionLines(m.brief.text, 'The angle that worked');
  const reply = replyRead(replyLine);
  const objection =
    reply?.cls === 'objection'
      ? `they raised an objection${reply.kind ? ` (${reply.kind})` : ''} in their reply: prepare the answer to it first`
      : `no objection in their reply${reply ? ` (read as ${reply.words})` : ''}; no objection copy is held for the angles, so prepare for the kinds the reply rules know: ${OBJECTION_KINDS.join(', ')}`;
  const next = reply ? NEXT_FOR_CLASS[reply.cls] : undefined;
  return [
    `Call prep, ${m.brief.title} (reply ${m.replyId}):`,
    `- Pain points: none stated by them on record (the brief holds the conversation and the score, not a stated pain); what the score found: ${scored.length ? scored.join('; ') : 'not scored'}.`,
    `- Objection prep: ${objection}.`,
    `- Recommended approach: ${angle && angle !== 'Not known (no first-touch draft was sent before their reply).' ? `open on the angle that got their answer (${angle})` : 'no angle is known to have worked'}${next ? `; then ${next}` : ''}.`,
  ];
};

/** The lead named by id in the request, as the lead search found it (or did not). */
const namedLead = (u: Understanding, outcomes: readonly ToolOutcome[]): string[] => {
  const id = u.entities.ids.find((i) => i.kind === 'lead' || i.kind === 'contact' || i.kind === 'id');
  const found = resultOf<LeadsFound>(outcomes, 'leads.search');
  if (!id || !found) return [];
  const label = id.kind === 'contact' ? `contact_id ${id.value}` : id.kind === 'lead' ? `lead ${id.value}` : id.value;
  const lead = found.leads[0];
  if (!lead)
    return [
      `Call prep for ${label}: no stored lead has this id, so no pain points, objection prep or recommended approach can be written for it from our data (none is invented). Any meeting prep below is for other leads' booked meetings.`,
    ];
  return [`Call prep for ${label}: ${lead.company ?? 'company unknown'}, ${lead.title ?? 'title unknown'}, ${lead.tier ?? 'no tier'}${lead.points === null ? '' : `, ${lead.points} points`}, ${lead.status}.`];
};

export const meetingPrepSections = (u: Understanding, outcomes: readonly ToolOutcome[]): string[] => {
  const meetings = resultOf<MeetingsFound>(outcomes, 'meeting.brief');
  const lines = namedLead(u, outcomes);
  if (!meetings) return lines.length ? lines : ['Call prep: no booked meeting was read for this ask, so there is no brief to prepare from.'];
  if (meetings.count === 0) return [...lines, `Call prep: no meeting booked from ${meetings.from} to ${meetings.to}, so no brief to prepare from.`];
  return [...lines, ...meetings.meetings.slice(0, MAX_PREPS).flatMap(prepOf)];
};
