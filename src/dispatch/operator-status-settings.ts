import type { Config } from '../config/load.js';
import { operatorStatus, type OperatorStatusSettings } from './operator-status.js';

export { operatorStatus };

/** The status settings from the config (one place, for the CLI and the API). */
export const operatorStatusSettings = (config: Config): OperatorStatusSettings => ({
  send: config.send,
  envEmergencyStop: config.env.EMERGENCY_STOP === true,
  limits: config.limits,
  linkedinWarmup: { warmupStart: config.limits.linkedinWarmupStart, warmupWeeks: config.limits.linkedinWarmupWeeks, warmupDailyLimit: config.limits.linkedinWarmupDailyLimit, fullDailyLimit: config.limits.linkedinFullDailyLimit },
  ramp: config.ramp,
});
