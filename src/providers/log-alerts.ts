import type { Logger } from '../lib/logger.js';
import type { Alert, AlertPort } from '../pipeline/ports.js';

/** Alerts written to the log; the Slack channel replaces this port when it is configured. */
export const createLogAlerts = (log: Logger): AlertPort & { sent: Alert[] } => {
  const sent: Alert[] = [];
  return {
    sent,
    send: async (alert) => {
      sent.push(alert);
      const line = { alert: alert.title, severity: alert.severity, ...alert.metadata };
      if (alert.severity === 'critical') log.error(line, alert.body);
      else if (alert.severity === 'warning') log.warn(line, alert.body);
      else log.info(line, alert.body);
    },
  };
};
