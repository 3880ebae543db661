import type { AppDeps } from './app-deps.js';
import { createAuditStore } from '../store/audit-repo.js';
import { createControlStore } from '../store/control-repo.js';
import type { StopView } from '../server/api/routes.js';

/**
 * What the dashboard shows about the emergency stop on every page: the stop in force (the control
 * store's flag, or EMERGENCY_STOP in the environment), its history from the audit log, and which
 * pagers are really configured (without them an escalation only reaches the log, so the dashboard
 * must not say "paged").
 */
export const stopViewFor = (app: AppDeps): StopView => {
  const control = createControlStore(app.database.db);
  const env = app.config.env;
  const contacts = app.config.escalation;
  const pagers = [
    ...(env.SLACK_WEBHOOK_URL ? ['Slack'] : []),
    ...(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM && contacts.smsTo.length ? ['SMS'] : []),
    ...(env.SMTP_HOST && env.ALERT_EMAIL_FROM && contacts.emailTo.length ? ['e-mail'] : []),
  ];
  return {
    current: async () => {
      const stop = await control.emergencyStop();
      if (stop?.active) return { source: 'database', reason: stop.reason, setBy: stop.setBy, setAt: stop.setAt };
      if (env.EMERGENCY_STOP === true) return { source: 'environment', reason: 'EMERGENCY_STOP is set in the environment', setBy: 'the environment', setAt: null };
      return null;
    },
    history: async (limit) =>
      (await createAuditStore(app.database.db).forEntities([{ type: 'control', ids: ['emergency_stop'] }]))
        .reverse()
        .slice(0, limit)
        .map((e) => ({ at: e.at, by: e.actor, action: e.action, reason: typeof e.details.reason === 'string' ? e.details.reason : null })),
    pagers,
  };
};
