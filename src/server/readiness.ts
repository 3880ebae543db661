import { connect } from 'node:net';

/** `variable`: for a secret's check, the environment variable to set (the README's name for it). */
export type ReadyCheck = { name: string; ok: boolean; required: boolean; detail: string; variable?: string };

/**
 * The variable behind each webhook secret, as the README's environment table names it, and what is
 * off without it. Clay's callback routes exist only with CLAY_CALLBACK_TOKEN (the token Clay's HTTP
 * API column sends); CLAY_WEBHOOK_SECRET is an optional second way in (the X-Clay-Signature HMAC key)
 * and does not turn them on, so /ready checks the token. RB2B's route exists only with its secret.
 */
const WEBHOOK_SECRETS: Record<string, { variable: string; routeOff?: string }> = {
  instantly: { variable: 'INSTANTLY_WEBHOOK_SECRET' },
  heyreach: { variable: 'HEYREACH_WEBHOOK_SECRET' },
  rb2b: { variable: 'RB2B_WEBHOOK_SECRET', routeOff: 'the RB2B routes are off (404)' },
  clay: { variable: 'CLAY_CALLBACK_TOKEN', routeOff: "Clay's callback routes are off (404); CLAY_WEBHOOK_SECRET alone, the optional X-Clay-Signature key, does not turn them on" },
};

const secretCheck = (name: string, present: boolean, strict: boolean): ReadyCheck => {
  const known = WEBHOOK_SECRETS[name];
  const what = known?.variable ?? 'its secret';
  const detail = present ? `${what} is set` : `missing ${what}: ${known?.routeOff ?? (strict ? 'its webhooks answer 503' : 'sandbox mode accepts its webhooks unverified')}`;
  return { name: `webhook secret ${name}`, ok: present || !strict, required: strict, detail, ...(known ? { variable: known.variable } : {}) };
};

/** Redis answers PING with +PONG (a raw RESP exchange: no client library needed to probe it). */
export const pingRedis = (url: string, timeoutMs = 2000): Promise<boolean> =>
  new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(u.password ? `AUTH ${decodeURIComponent(u.password)}\r\nPING\r\n` : 'PING\r\n'));
    socket.on('data', (d) => {
      if (d.toString().includes('+PONG')) done(true);
      else if (d.toString().startsWith('-')) done(false);
    });
  });

/**
 * Readiness: the database answers; Redis answers when REDIS_URL is set; in strict webhook mode each
 * provider webhook has its secret. Names what failed and the variable to set, never a secret or a
 * URL with credentials.
 */
export const readiness = async (deps: { pingDatabase: () => Promise<void>; redisUrl: string | undefined; strictWebhooks: boolean; secrets: Record<string, boolean> }): Promise<{ status: 'ready' | 'not_ready'; checks: ReadyCheck[] }> => {
  const checks: ReadyCheck[] = [];
  try {
    await deps.pingDatabase();
    checks.push({ name: 'database', ok: true, required: true, detail: 'answered' });
  } catch {
    checks.push({ name: 'database', ok: false, required: true, detail: 'did not answer' });
  }
  if (deps.redisUrl) {
    const ok = await pingRedis(deps.redisUrl);
    checks.push({ name: 'redis', ok, required: true, detail: ok ? 'answered PING' : 'did not answer PING' });
  } else checks.push({ name: 'redis', ok: true, required: false, detail: 'not configured (inline jobs)' });
  for (const [name, present] of Object.entries(deps.secrets)) checks.push(secretCheck(name, present, deps.strictWebhooks));
  return { status: checks.every((c) => c.ok || !c.required) ? 'ready' : 'not_ready', checks };
};
