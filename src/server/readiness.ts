import { connect } from 'node:net';

export type ReadyCheck = { name: string; ok: boolean; required: boolean; detail: string };

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
 * provider webhook has its secret. Names what failed, never a secret or a URL with credentials.
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
  for (const [name, present] of Object.entries(deps.secrets)) {
    checks.push({ name: `webhook secret ${name}`, ok: present || !deps.strictWebhooks, required: deps.strictWebhooks, detail: present ? 'set' : deps.strictWebhooks ? 'missing: its webhooks answer 503' : 'not set (sandbox mode accepts unverified)' });
  }
  return { status: checks.every((c) => c.ok || !c.required) ? 'ready' : 'not_ready', checks };
};
