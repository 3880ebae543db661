/**
 * Auto-pause of a sending account or campaign when its bounce or complaint rate over the configured
 * window passes the threshold (issue 5: 2% bounces, 0.1% complaints). The caller alerts and keeps it
 * paused until an explicit resume.
 */

export type SendHealth = { sent: number; bounces: number; complaints: number };

export type HealthThresholds = {
  /** Pause when bounces / sent is above this (0.02 = 2%). */
  maxBounceRate: number;
  /** Pause when complaints / sent is above this (0.001 = 0.1%). */
  maxComplaintRate: number;
  /** Below this many sends a rate is noise and does not pause on its own. */
  minSample: number;
};

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 };

export type PauseReason = 'complaint_rate' | 'bounce_rate' | 'healthy' | 'insufficient_sample';

export type PauseDecision = { pause: boolean; reason: PauseReason; detail: string };

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

/**
 * Whether to pause. Complaints are checked first (they hurt sender reputation most). Below
 * `minSample` sends the rate is not trusted, with one exception: when the count is already above
 * what the threshold allows at `minSample` sends, the rate is certain to be over the threshold when
 * the sample is complete, so waiting for more sends would only add damage.
 */
export const shouldAutoPause = (health: SendHealth, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): PauseDecision => {
  const sent = Math.max(0, health.sent);
  const sample = Math.max(sent, thresholds.minSample);
  const checks = [
    { reason: 'complaint_rate' as const, count: Math.max(0, health.complaints), max: thresholds.maxComplaintRate, label: 'complaint' },
    { reason: 'bounce_rate' as const, count: Math.max(0, health.bounces), max: thresholds.maxBounceRate, label: 'bounce' },
  ];
  for (const check of checks) {
    if (check.count === 0) continue;
    // Division, not multiplication: an exact tie (3 of 150 at 2%) then compares equal, not above.
    const overAtFullSample = sample === 0 || check.count / sample > check.max;
    if (overAtFullSample) {
      const rate = sent > 0 ? check.count / sent : 1;
      return { pause: true, reason: check.reason, detail: `${check.label} rate ${percent(rate)} (${check.count} of ${sent}) is above ${percent(check.max)}` };
    }
  }
  if (sent < thresholds.minSample) return { pause: false, reason: 'insufficient_sample', detail: `${sent} sends, fewer than the ${thresholds.minSample} needed to judge` };
  return { pause: false, reason: 'healthy', detail: `bounces ${health.bounces} and complaints ${health.complaints} over ${sent} sends are within limits` };
};
