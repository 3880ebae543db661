import { angleLabel, angleLongLabel, humanize, tierLabel } from '../labels.js';
import type { LlmNote } from './llm-reading.js';
import type { ProposedTime } from './proposed-times.js';
import { addDays, instantOfLocal, localDateTimeAt } from './zoned-time.js';

/**
 * The meeting brief (issue 17 item 5): one page for the owner before a booked meeting: who, the
 * company, why the lead scored, the whole conversation across channels in time order, the angle
 * that got the answer, and the meeting's time in the prospect's and the owner's zone. Pure: the
 * caller gathers the facts (signals/meeting-brief.ts) and gives the zones; nothing here reads a clock.
 */

/** One message of the conversation: one we sent (e-mail, LinkedIn) or one the prospect sent. */
export type BriefMessage = {
  /** ISO instant. */
  at: string;
  direction: 'sent' | 'received';
  channel: 'email' | 'linkedin';
  subject: string | null;
  /** The text as sent or (theirs) as cleaned of quotes and signature. */
  text: string;
  /** For ours, the step ("step 1", "our answer to their reply"); for theirs, the class the rules gave it, with its kind ("objection, incumbent"). */
  note: string | null;
};

export type MeetingBriefInput = {
  person: { name: string; title: string | null; location: string | null; linkedinUrl: string | null };
  company: { name: string | null; domain: string | null; industry: string | null; size: string | null };
  score: { points: number | null; tier: string | null; reasons: readonly string[] };
  conversation: readonly BriefMessage[];
  /** The angle of the last first-touch or follow-up draft sent before their first reply; null when none is known. */
  angleId: string | null;
  /** How the reply that booked (or the one asked about) was read. */
  reply: { class: string; kind: string | null; evidence: readonly string[] };
  meeting: { slot: string; appointmentId: string } | null;
  prospectTimeZone: string;
  ownerTimeZone: string;
};

export type MeetingBrief = { title: string; text: string };

/** "Tuesday, November 24, 2026 at 4:00 PM EST": an instant as read in a zone. */
export const timeInZone = (iso: string, timeZone: string): string => {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(at);
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at);
  return `${day} at ${time}`;
};

/** Words a brief quotes are kept to this many characters per message (a page, not an archive). */
export const MAX_MESSAGE_CHARS = 1200;

const clip = (text: string, max = MAX_MESSAGE_CHARS) => {
  const flat = text.replace(/\r\n?/g, '\n').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const quote = (text: string) =>
  clip(text || '(no text)')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
const channelWord = (c: BriefMessage['channel']) => (c === 'linkedin' ? 'LinkedIn' : 'E-mail');
const classWords = (cls: string, kind: string | null) => (kind ? `${humanize(cls).toLowerCase()} (${kind})` : humanize(cls).toLowerCase());

/** The brief as Markdown (Slack and GoHighLevel's notes read it as plain text just as well). */
export const buildMeetingBrief = (input: MeetingBriefInput): MeetingBrief => {
  const who = input.company.name ? `${input.person.name} (${input.company.name})` : input.person.name;
  const title = input.meeting ? `Meeting brief: ${who}, ${timeInZone(input.meeting.slot, input.ownerTimeZone)}` : `Meeting brief: ${who} (no meeting booked yet)`;
  const lines: string[] = [`# ${title}`, ''];

  lines.push('## The meeting');
  if (input.meeting) {
    lines.push(`- Their time: ${timeInZone(input.meeting.slot, input.prospectTimeZone)} (${input.prospectTimeZone})`);
    lines.push(`- Your time: ${timeInZone(input.meeting.slot, input.ownerTimeZone)} (${input.ownerTimeZone})`);
    lines.push(`- Appointment: ${input.meeting.appointmentId}`);
  } else lines.push('- Not booked yet.');
  lines.push('');

  lines.push('## The person');
  lines.push(`- ${input.person.name}${input.person.title ? `, ${input.person.title}` : ''}`);
  if (input.person.location) lines.push(`- Based in ${input.person.location}`);
  if (input.person.linkedinUrl) lines.push(`- LinkedIn: ${input.person.linkedinUrl}`);
  lines.push('');

  lines.push('## The company');
  const facts = [input.company.domain, input.company.industry, input.company.size ? `${input.company.size} employees` : null].filter((f): f is string => Boolean(f));
  lines.push(`- ${input.company.name ?? 'Unknown company'}${facts.length ? `: ${facts.join(', ')}` : ''}`);
  lines.push('');

  lines.push('## Why they scored');
  lines.push(input.score.points === null ? '- Not scored.' : `- ${input.score.points} points, ${tierLabel(input.score.tier)}`);
  for (const reason of input.score.reasons) lines.push(`- ${reason}`);
  lines.push('');

  lines.push('## The angle that worked');
  lines.push(input.angleId ? `- ${angleLabel(input.angleId)}: ${angleLongLabel(input.angleId)}` : '- Not known (no first-touch draft was sent before their reply).');
  lines.push(`- Their reply read as ${classWords(input.reply.class, input.reply.kind)}${input.reply.evidence.length ? `, from the words ${input.reply.evidence.map((e) => `"${clip(e, 120)}"`).join(', ')}` : ''}`);
  lines.push('');

  lines.push(`## The conversation (${input.conversation.length} message${input.conversation.length === 1 ? '' : 's'}, oldest first, your time)`);
  const ordered = [...input.conversation].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (ordered.length === 0) lines.push('- Nothing recorded.');
  for (const m of ordered) {
    const whoSaid = m.direction === 'sent' ? 'We wrote' : `${input.person.name.split(' ')[0] || 'They'} replied`;
    // Theirs carry the class the rules gave them ("objection, incumbent"), put in words.
    const note = m.note && m.direction === 'received' ? classWords(m.note.split(', ')[0]!, m.note.split(', ')[1] ?? null) : m.note;
    lines.push(`**${timeInZone(m.at, input.ownerTimeZone)}, ${channelWord(m.channel)}: ${whoSaid}${note ? ` (${note})` : ''}**${m.subject ? ` - ${clip(m.subject, 200)}` : ''}`);
    lines.push(quote(m.text));
    lines.push('');
  }
  return { title, text: `${lines.join('\n').trimEnd()}\n` };
};

/**
 * The instants between which a meeting is "today" for the owner, once the owner's morning has come
 * (`morningHour`, local): from now to the end of the owner's local day. Null before the morning.
 */
export const briefWindow = (now: Date, ownerTimeZone: string, morningHour: number): { from: Date; to: Date } | null => {
  const local = localDateTimeAt(now.getTime(), ownerTimeZone);
  if (local.hour < morningHour) return null;
  const tomorrow = addDays(local, 1);
  const end = instantOfLocal({ ...tomorrow, hour: 0, minute: 0 }, ownerTimeZone);
  return { from: now, to: new Date(end) };
};

// ---- the /replies desk (API and page), built by compose/replies-view.ts; declared here, as data, so the server reads it without a use case ---------------------------

/** One reply as `caio replies list --json` prints it and `GET /api/replies` answers it. */
export type ReplyListItem = {
  id: string;
  leadEmail: string | null;
  channel: 'email' | 'linkedin';
  receivedAt: string;
  class: string;
  kind: string | null;
  confidence: number;
  evidence: string[];
  proposedTimes: ProposedTime[];
  needsResponse: boolean;
  draftId: string | null;
  appointmentId: string | null;
  /** The LLM classifier's note beside the rules' reading (docs/replies.md); null when no model read the reply. */
  llm: LlmNote | null;
};

/** One conversation: the reply, its lead, every message across channels in time order, the suggested answer and the appointment. */
export type ReplyConversation = ReplyListItem & {
  leadId: string | null;
  leadName: string | null;
  company: string | null;
  title: string | null;
  leadStatus: string | null;
  excerpt: string;
  timeZone: string;
  returnDate: string | null;
  messages: BriefMessage[];
  suggestedAnswer: {
    id: string;
    status: string;
    angleId: string;
    subject: string;
    body: string;
    editedSubject: string | null;
    editedBody: string | null;
    reason: string;
    decidedBy: string | null;
    decidedAt: string | null;
  } | null;
  appointment: { id: string; slot: string; status: 'booked' | 'moved' | 'cancelled' } | null;
};

export type ReplySlots = { replyId: string; timeZone: string; calendar: boolean; bookingUrl: string | null; slots: { at: string; label: string }[] };
export type ReplyBooking = { replyId: string; slot: string; booked: boolean; status: string; error: string | null };
export type ReplyBrief = { title: string; text: string; meeting: { slot: string; appointmentId: string } | null; prospectTimeZone: string; ownerTimeZone: string };

/** What the API and the /replies page drive (the same use cases as `caio replies list|show|book|brief`). */
export type ReplyDesk = {
  list(o: { class?: string | undefined; limit: number }): Promise<ReplyListItem[]>;
  show(id: string): Promise<ReplyConversation | null>;
  slots(id: string): Promise<ReplySlots>;
  book(id: string, o: { slot: Date; by: string }): Promise<ReplyBooking>;
  brief(id: string): Promise<ReplyBrief>;
};
