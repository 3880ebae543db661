/** Leads that reached each step, ever (a lead counts once per step): the /kpis funnel. */
export type FunnelCounts = { discovered: number; scored: number; drafted: number; approved: number; contacted: number; replied: number; meeting: number };

/** The funnel's steps in order, with the words the page uses. */
export const FUNNEL_STEPS: readonly (readonly [keyof FunnelCounts, string])[] = [
  ['discovered', 'Discovered'],
  ['scored', 'Scored'],
  ['drafted', 'Drafted'],
  ['approved', 'Approved'],
  ['contacted', 'Contacted'],
  ['replied', 'Replied'],
  ['meeting', 'Meeting booked'],
];
