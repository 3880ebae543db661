import { effectiveEmailDailyLimit, linkedinDailyLimit, quotaUsage, rampStatus, type LinkedinWarmup, type RampSettings } from '../domain/sending/index.js';
import { monthSendHistory } from './month-history.js';
import type { OperatorStatusStores } from './ports.js';

export type OperatorStatusSettings = {
  send: 'shadow' | 'live';
  envEmergencyStop: boolean;
  limits: { emailDailyLimit: number; emailHourlyLimit: number; emailMonthlyLimit: number };
  linkedinWarmup: LinkedinWarmup;
  ramp: RampSettings;
};

/** What `caio operator status` and `GET /api/operator/status` show: read-only, no provider is started. */
export const operatorStatus = async (stores: OperatorStatusStores, settings: OperatorStatusSettings, now: Date) => {
  const { outbox } = stores;
  const stop = await stores.control.emergencyStop();
  const history = await monthSendHistory(outbox, now);
  const warmup = linkedinDailyLimit(settings.linkedinWarmup, now);
  const since = new Date(now.getTime() - (settings.ramp.cleanDaysLookbackDays + 1) * 86_400_000).toISOString().slice(0, 10);
  const ramp = rampStatus(
    settings.ramp,
    (await outbox.dailyTotals(since)).map((d) => ({ date: d.date, live: true, sent: d.sent, bounces: d.bounces, complaints: 0, errors: d.errors })),
    now,
  );
  const usage = quotaUsage(
    { emailDailyLimit: effectiveEmailDailyLimit(settings.limits.emailDailyLimit, ramp), emailHourlyLimit: settings.limits.emailHourlyLimit, emailMonthlyLimit: settings.limits.emailMonthlyLimit, linkedinDailyLimit: warmup.limit },
    history,
    now,
  );
  const batches = (await stores.batches.open(now)).filter((b) => b.expiresAt > now).map((b) => ({ id: b.id, motion: b.motion, status: b.status, items: b.scope.length, expiresAt: b.expiresAt.toISOString() }));
  return {
    sendMode: settings.send,
    emergencyStop: { active: Boolean(stop?.active) || settings.envEmergencyStop, database: stop, environment: settings.envEmergencyStop },
    usage,
    linkedinWarmup: warmup,
    ramp,
    batches,
    outbox: await outbox.statusCounts(),
    campaigns: (await stores.campaigns.list()).slice(0, 20),
  };
};

export type OperatorStatus = Awaited<ReturnType<typeof operatorStatus>>;
