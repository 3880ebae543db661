import { briefWindow, buildMeetingBrief, type MeetingBrief, type MeetingBriefInput } from '../domain/replies/meeting-brief.js';
import { AppError, isAppError } from '../lib/app-error.js';
import { safeErrorMessage } from '../lib/redact.js';
import type { AlertPort } from '../pipeline/ports.js';

/** A meeting the SCHEDULER booked, as the calendar of the system knows it (the lead's live appointment). */
export type BookedMeeting = { replyId: string; leadId: string; appointmentId: string; slot: string };

/** Where a brief goes; each is null when not configured. A failure throws (an AppError with `details.uncertain` when it may have arrived). */
export type BriefChannels = {
  /** Slack (SLACK_WEBHOOK_URL): the owner's channel. */
  slack: ((brief: MeetingBrief) => Promise<void>) | null;
  /** E-mail to the owner (SMTP and `escalation.emailTo`). */
  email: ((brief: MeetingBrief) => Promise<void>) | null;
  /** The appointment's notes at GoHighLevel (its description): repeatable, it sets a value. */
  notes: ((appointmentId: string, brief: MeetingBrief) => Promise<void>) | null;
};

export type MeetingBriefDeps = {
  /** The facts of the brief for a reply's lead (null: no such reply, or the reply has no lead). */
  gather(replyId: string): Promise<{ input: MeetingBriefInput; leadId: string } | null>;
  /** The live meetings (booked or moved, not cancelled) whose start lies in [from, to). */
  meetingsBetween(from: Date, to: Date): Promise<BookedMeeting[]>;
  /** The record that a meeting's brief went out (reply_actions): claimed once per key, so it is never sent twice. */
  deliveries: {
    claim(key: string, row: { replyId: string; leadId: string; at: Date; by: string; appointmentId: string; slot: string }): Promise<boolean>;
    finish(key: string, outcome: { status: 'done' | 'uncertain'; error: string | null; at: Date; channels: string[] }): Promise<void>;
    /** Surely not delivered anywhere: the claim is dropped so the next run tries again. */
    release(key: string): Promise<void>;
  };
  channels: BriefChannels;
  alerts: AlertPort;
  settings: { ownerTimeZone: string; morningHour: number };
};

export type BriefDelivery = { replyId: string; appointmentId: string; slot: string; status: 'delivered' | 'already_delivered' | 'not_delivered' | 'uncertain'; channels: string[]; errors: string[] };

/** A meeting's brief is delivered once per appointment and start (a moved meeting gets a new one). */
export const briefKey = (m: { appointmentId: string; slot: string }) => `brief:${m.appointmentId}:${new Date(m.slot).toISOString()}`;

/**
 * The meeting brief (issue 17 item 5): built on demand (`caio replies brief`, `GET
 * /api/replies/{id}/brief`) and delivered by Slack and/or e-mail, and attached to the
 * appointment's notes at GoHighLevel, on demand (`--send`) or the morning of the meeting (the
 * `meeting-briefs` job, for every live meeting of the owner's day). Each delivery is claimed first
 * (a unique key per appointment and start), so the job never sends a brief twice, whatever the
 * number of workers or ticks; a person's `--send` delivers again on purpose.
 */
export const createMeetingBriefs = (deps: MeetingBriefDeps) => {
  const build = async (replyId: string) => {
    const facts = await deps.gather(replyId);
    if (!facts) throw new AppError('NOT_FOUND', `no reply with id ${replyId} (or it is from an address we hold no lead for)`);
    return { ...facts, brief: buildMeetingBrief(facts.input) };
  };

  const deliver = async (replyId: string, o: { now: Date; by: string; again: boolean }): Promise<BriefDelivery> => {
    const { input, leadId, brief } = await build(replyId);
    const meeting = input.meeting;
    if (!meeting) throw new AppError('CONFLICT', 'no meeting is booked for this lead: nothing to brief (see caio replies book)');
    const base = { replyId, appointmentId: meeting.appointmentId, slot: meeting.slot };
    const key = briefKey(meeting);
    const claimed = await deps.deliveries.claim(key, { ...base, leadId, at: o.now, by: o.by });
    if (!claimed && !o.again) return { ...base, status: 'already_delivered', channels: [], errors: [] };
    const targets: [string, (() => Promise<void>) | null][] = [
      ['slack', deps.channels.slack ? () => deps.channels.slack!(brief) : null],
      ['email', deps.channels.email ? () => deps.channels.email!(brief) : null],
      ['notes', deps.channels.notes ? () => deps.channels.notes!(meeting.appointmentId, brief) : null],
    ];
    const delivered: string[] = [];
    const errors: string[] = [];
    let uncertain = false;
    for (const [name, send] of targets) {
      if (!send) continue;
      try {
        await send();
        delivered.push(name);
      } catch (error) {
        if (isAppError(error) && error.details.uncertain === true) uncertain = true;
        errors.push(`${name}: ${safeErrorMessage(error)}`.slice(0, 300));
      }
    }
    if (delivered.length === 0 && !uncertain) {
      // Surely nowhere: the claim goes, so the next tick (or a person) tries again.
      if (claimed) await deps.deliveries.release(key);
      if (errors.length)
        await deps.alerts.send({
          severity: 'warning',
          title: 'Meeting brief not delivered',
          body: `The brief for reply ${replyId} (appointment ${meeting.appointmentId}) was not delivered: ${errors.join('; ')}`.slice(0, 500),
          metadata: { replyId, appointmentId: meeting.appointmentId },
        });
      return { ...base, status: 'not_delivered', channels: [], errors: errors.length ? errors : ['no channel is configured (SLACK_WEBHOOK_URL, SMTP with escalation.emailTo, GoHighLevel)'] };
    }
    await deps.deliveries.finish(key, { status: delivered.length ? 'done' : 'uncertain', error: errors.length ? errors.join('; ').slice(0, 500) : null, at: o.now, channels: delivered });
    return { ...base, status: delivered.length ? 'delivered' : 'uncertain', channels: delivered, errors };
  };

  return {
    /** The brief for a reply's lead (with its meeting when one is booked). */
    brief: async (replyId: string) => {
      const { brief, input } = await build(replyId);
      return { ...brief, meeting: input.meeting, prospectTimeZone: input.prospectTimeZone, ownerTimeZone: input.ownerTimeZone };
    },
    /** A person's delivery (`--send`): delivered even if the morning job already did; recorded so the job does not repeat it. */
    send: (replyId: string, o: { now: Date; by: string }) => deliver(replyId, { ...o, again: true }),
    /**
     * The morning run: once the owner's local morning has come, every live meeting from now to the
     * end of the owner's day gets its brief, once.
     */
    morning: async (now: Date): Promise<{ skipped: string } | { meetings: number; delivered: number; already: number; failed: number }> => {
      const window = briefWindow(now, deps.settings.ownerTimeZone, deps.settings.morningHour);
      if (!window) return { skipped: `before ${deps.settings.morningHour}:00 in ${deps.settings.ownerTimeZone}` };
      const meetings = await deps.meetingsBetween(window.from, window.to);
      const counts = { meetings: meetings.length, delivered: 0, already: 0, failed: 0 };
      for (const m of meetings) {
        try {
          const outcome = await deliver(m.replyId, { now, by: 'meeting-briefs job', again: false });
          if (outcome.status === 'already_delivered') counts.already++;
          else if (outcome.status === 'not_delivered') counts.failed++;
          else counts.delivered++;
        } catch {
          counts.failed++;
        }
      }
      return counts;
    },
  };
};

export type MeetingBriefs = ReturnType<typeof createMeetingBriefs>;
