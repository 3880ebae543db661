import { operatorStatus, type OperatorStatusSettings } from './operator-status.js';
import type { OperatorStatusConfig } from './ports.js';

export { operatorStatus };

/** The status settings from the config (one place, for the CLI and the API). */
export const operatorStatusSettings = (config: OperatorStatusConfig): OperatorStatusSettings => ({
  send: config.send,
  envEmergencyStop: config.env.EMERGENCY_STOP === true,
  limits: config.limits,
  linkedinWarmup: { warmupStart: config.limits.linkedinWarmupStart, warmupWeeks: config.limits.linkedinWarmupWeeks, warmupDailyLimit: config.limits.linkedinWarmupDailyLimit, fullDailyLimit: config.limits.linkedinFullDailyLimit },
  ramp: config.ramp,
});
