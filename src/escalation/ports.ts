/**
 * What escalation needs from the outside: the incidents table (the store implements it) and the
 * SMS and e-mail channels (the providers). Types only.
 */
import type { EscalationLevel, Incident } from '../domain/escalation/rubric.js';

export type IncidentRecord = {
  key: string;
  /** The greatest level seen since the incident (re-)opened. */
  level: number;
  /** The greatest level people were paged at; 0 when nobody was. */
  notifiedLevel: number;
  /** The first sighting (of this occurrence: a recurrence after a resolve starts again). */
  openedAt: Date;
  lastSeenAt: Date;
  lastNotifiedAt: Date | null;
  resolvedAt: Date | null;
  /** The latest report: kind, title, detail, since, leadsAffected, sendingAffected. */
  details: Record<string, unknown>;
};

export interface IncidentStore {
  /** Upsert a sighting; re-opens a resolved incident. Returns the row after the write. */
  observe(incident: Incident, level: EscalationLevel, now: Date): Promise<IncidentRecord>;
  /** True for exactly one caller per level: the one that raised notified_level to `level`. */
  claimNotification(key: string, level: EscalationLevel, now: Date): Promise<boolean>;
  /** Give a claim back (nobody could be reached) unless a higher level was claimed since. */
  releaseNotification(key: string, level: EscalationLevel, previousLevel: number): Promise<void>;
  /** Resolve once: `resolvedNow` only for the call that did it; `record` is then the resolved row. */
  resolve(key: string, now: Date): Promise<{ resolvedNow: boolean; notified: boolean; record: IncidentRecord | null }>;
  open(): Promise<IncidentRecord[]>;
}

export type SmsChannel = { send(to: string, body: string): Promise<unknown> };
export type EmailChannel = { send(message: { to: string[]; subject: string; text: string }): Promise<unknown> };
