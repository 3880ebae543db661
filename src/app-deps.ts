/**
 * The shape of the opened app (src/deps.ts opens it): what every command, the server and the jobs
 * are handed. Types only, so that the use cases' wiring (signals/compose.ts, jobs/*) can name it
 * without importing the composition root.
 */
import type { Redis } from 'ioredis';
import type { Config } from './config/load.js';
import type { Operator } from './dispatch/operator.js';
import type { OutboundChannel } from './dispatch/ports.js';
import type { Escalator } from './escalation/escalator.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { AlertPort, PipelineStores, SendChannel } from './pipeline/ports.js';
import type { Revival } from './signals/revival.js';
import type { Database } from './store/index.js';

export type AppDeps = {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  stores: PipelineStores;
  alerts: AlertPort;
  metrics: Metrics;
  /** Incidents paged by level (Slack, then SMS, then e-mail), once per level across processes. */
  escalation: Escalator;
  /**
   * With REDIS_URL: the connection the shared provider rate limits use (the job queue has its own),
   * opened by the first provider policy that needs it, so commands that call no provider open none.
   */
  rateLimitRedis: () => Redis | null;
  close: () => Promise<void>;
};

/** The OPERATOR, the revival motion and the outbound channels `openDispatch` (src/deps.ts) opened. */
export type DispatchSet = { revival?: Revival | undefined; operator: Operator; channels: Partial<Record<SendChannel, OutboundChannel>>; description: string; close: () => Promise<void> };
