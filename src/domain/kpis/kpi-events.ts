import type { SignalType } from '../signals/lead-status.js';

/**
 * The timeline event types the KPIs count (a subset of the signal loop's types, checked by the compiler). A lead counts once per type: the first time it reached
 * it (a second open is engagement, not a new opened lead), dated that day, under the campaign and
 * angle it was reached with.
 */
export const KPI_EVENT_TYPES = [
  'email_sent',
  'email_opened',
  'email_clicked',
  'email_replied',
  'email_bounced',
  'unsubscribed',
  'linkedin_connection_sent',
  'linkedin_connection_accepted',
  'linkedin_replied',
  // Issue 17 item 4: the SCHEDULER's bookings are a milestone (lead_milestones, kpi_daily per campaign and angle),
  // counted as meetingsBooked and divided by the replies in the reply-to-meeting rate.
  'meeting_booked',
] as const satisfies readonly SignalType[];

export type KpiEventType = (typeof KPI_EVENT_TYPES)[number];

export const isKpiEvent = (type: string): type is KpiEventType => (KPI_EVENT_TYPES as readonly string[]).includes(type);

export type KpiCounts = {
  emailSent: number;
  emailOpened: number;
  emailClicked: number;
  emailReplied: number;
  emailBounced: number;
  unsubscribed: number;
  linkedinSent: number;
  linkedinAccepted: number;
  linkedinReplied: number;
  meetingsBooked: number;
};

const KEY: Partial<Record<KpiEventType, keyof KpiCounts>> = {
  email_sent: 'emailSent',
  email_opened: 'emailOpened',
  email_clicked: 'emailClicked',
  email_replied: 'emailReplied',
  email_bounced: 'emailBounced',
  unsubscribed: 'unsubscribed',
  linkedin_connection_sent: 'linkedinSent',
  linkedin_connection_accepted: 'linkedinAccepted',
  linkedin_replied: 'linkedinReplied',
  meeting_booked: 'meetingsBooked',
};

export const emptyCounts = (): KpiCounts => ({ emailSent: 0, emailOpened: 0, emailClicked: 0, emailReplied: 0, emailBounced: 0, unsubscribed: 0, linkedinSent: 0, linkedinAccepted: 0, linkedinReplied: 0, meetingsBooked: 0 });

/** Rows of (type, leads) summed into counts; unknown types are ignored. */
export const countsOf = (rows: readonly { type: string; leads: number }[]): KpiCounts =>
  rows.reduce((c, r) => {
    const key = isKpiEvent(r.type) ? KEY[r.type] : undefined;
    if (key) c[key] += r.leads;
    return c;
  }, emptyCounts());

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** The replies a reply-to-meeting rate divides by: leads who replied, per channel (a lead who replied on both counts twice). */
export const repliesOf = (c: KpiCounts) => c.emailReplied + c.linkedinReplied;

/**
 * The four rates the dashboard compares with its targets (null when nothing was sent), and the
 * reply-to-meeting rate (issue 17: meetings booked over replies; null when nobody replied), which has no target.
 */
export const ratesOf = (c: KpiCounts) => ({
  open: rate(c.emailOpened, c.emailSent),
  reply: rate(c.emailReplied, c.emailSent),
  bounce: rate(c.emailBounced, c.emailSent),
  linkedinAccept: rate(c.linkedinAccepted, c.linkedinSent),
  replyToMeeting: rate(c.meetingsBooked, repliesOf(c)),
});

export type KpiRates = ReturnType<typeof ratesOf>;

/** One series point per group (day, campaign or angle), in the order the groups first appear. */
export const groupKpis = <K extends string>(rows: readonly ({ type: string; leads: number } & Record<K, string>)[], key: K) => {
  const groups = new Map<string, { type: string; leads: number }[]>();
  for (const r of rows) {
    const g = groups.get(r[key]) ?? [];
    g.push(r);
    groups.set(r[key], g);
  }
  return [...groups].map(([name, rs]) => {
    const counts = countsOf(rs);
    return { [key]: name, counts, rates: ratesOf(counts) } as { counts: KpiCounts; rates: KpiRates } & Record<K, string>;
  });
};

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Rates over time: for each UTC day from `fromDay` to `toDay`, the rates over the trailing
 * `trailingDays` days ending that day (a single day's rates swing with a handful of sends; a week
 * shows the trend). Days with no row count as zero. `rows` must reach back trailingDays - 1 days
 * before `fromDay` for the first points to be whole.
 */
export const trailingRates = (rows: readonly { day: string; type: string; leads: number }[], fromDay: string, toDay: string, trailingDays: number) => {
  const byDay = new Map<string, KpiCounts>();
  for (const r of rows) {
    const c = byDay.get(r.day) ?? emptyCounts();
    const one = countsOf([r]);
    for (const k of Object.keys(c) as (keyof KpiCounts)[]) c[k] += one[k];
    byDay.set(r.day, c);
  }
  const points: { day: string; counts: KpiCounts; rates: KpiRates }[] = [];
  for (let t = Date.parse(`${fromDay}T00:00:00Z`), end = Date.parse(`${toDay}T00:00:00Z`); t <= end; t += DAY_MS) {
    const window = emptyCounts();
    for (let back = 0; back < trailingDays; back++) {
      const c = byDay.get(dayOf(t - back * DAY_MS));
      if (c) for (const k of Object.keys(window) as (keyof KpiCounts)[]) window[k] += c[k];
    }
    points.push({ day: dayOf(t), counts: byDay.get(dayOf(t)) ?? emptyCounts(), rates: ratesOf(window) });
  }
  return points;
};

export type KpiTargets = { open: number; reply: number; bounce: number; linkedinAccept: number };
