import type { ServerResponse } from 'node:http';

/** Failure injection shared by every sandbox: each switch applies to the next `count` requests (of `path`, when given). */
export type FailureInjection = {
  /** Delay every answer by this much (also the requests that fail). */
  latencyMs?: number;
  status429?: { count: number; retryAfterSeconds: number };
  status5xx?: { count: number; status?: number };
  /** Never answer these requests (the client's timeout must fire). */
  timeout?: { count: number };
  /** 200 with a body that is not JSON, JSON of the wrong shape, or nothing at all. */
  malformed?: { count: number; kind?: 'not_json' | 'wrong_shape' | 'empty' };
  /** Limit the switches above to one endpoint path, e.g. `/api/v1/people/match`. */
  path?: string;
};

export type FailureSwitch = {
  set: (failures: FailureInjection) => void;
  /**
   * Apply the latency and, when a failure is due for this path, answer it. Returns true when the
   * request was answered (or deliberately left hanging) and the sandbox must not handle it.
   */
  intercept: (path: string, res: ServerResponse) => Promise<boolean>;
};

export const createFailureSwitch = (initial: FailureInjection = {}): FailureSwitch => {
  let failures: FailureInjection = structuredClone(initial);
  const take = (path: string): 'timeout' | '429' | '5xx' | 'malformed' | null => {
    if (failures.path && failures.path !== path) return null;
    for (const [key, kind] of [
      ['timeout', 'timeout'],
      ['status429', '429'],
      ['status5xx', '5xx'],
      ['malformed', 'malformed'],
    ] as const) {
      const f = failures[key];
      if (f && f.count > 0) {
        f.count--;
        return kind;
      }
    }
    return null;
  };
  return {
    set: (f) => {
      failures = structuredClone(f);
    },
    intercept: async (path, res) => {
      if (failures.latencyMs) await new Promise((r) => setTimeout(r, failures.latencyMs));
      const kind = take(path);
      if (!kind) return false;
      if (kind === 'timeout') return true; // never answered; dropped when the sandbox closes
      if (kind === '429') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failures.status429?.retryAfterSeconds ?? 1) });
        res.end(JSON.stringify({ message: 'rate limit (injected)' }));
        return true;
      }
      if (kind === '5xx') {
        res.writeHead(failures.status5xx?.status ?? 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Service Unavailable (injected)' }));
        return true;
      }
      const malformed = failures.malformed?.kind ?? 'not_json';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(malformed === 'wrong_shape' ? JSON.stringify({ people: 'not-a-list', person: 42, data: 7, items: 'x', contact: 3, id: {} }) : malformed === 'empty' ? '' : '{"truncated": [');
      return true;
    },
  };
};
