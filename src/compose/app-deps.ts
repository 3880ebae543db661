/**
 * The shape of the opened app (src/deps.ts opens it): what every command, the server and the jobs'
 * wiring are handed. Types only, and part of the composition root: the use cases below it take
 * their ports, never the app, so the wiring in compose/ can name it without a cycle through deps.ts.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import type { Operator, OperatorSettings } from '../dispatch/operator.js';
import type { CampaignStore, ControlStore, OutboundChannel, OutboxStore } from '../dispatch/ports.js';
import type { SendGateway } from '../dispatch/send-gateway.js';
import type { Gatekeeper } from '../pipeline/gatekeeper.js';
import type { CadenceSync } from '../signals/cadence-sync.js';
import type { InstantlySandbox } from '../providers/sandbox/instantly/server.js';
import type { HeyReachSandbox } from '../providers/sandbox/heyreach/server.js';
import type { GhlSandbox } from '../providers/sandbox/ghl/server.js';
import type { Escalator } from '../escalation/escalator.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { AlertPort, PipelineStores, SendChannel } from '../pipeline/ports.js';
import type { Revival } from '../signals/revival.js';
import type { Database } from '../store/index.js';

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
  /**
   * The folder the sandboxes started in sandbox mode keep their state in (docs/sandboxes.md):
   * `<dataDir>/sandbox`; null (memory only) when the app runs on a database a test passed in.
   */
  sandboxStateDir?: string | null;
  close: () => Promise<void>;
};

/**
 * The OPERATOR, the revival motion and the outbound channels `openDispatch` (src/deps.ts) opened,
 * with the parts it built them from (tests reach the same parts the CLI and server use).
 */
export type DispatchSet = {
  revival?: Revival | undefined;
  operator: Operator;
  channels: Partial<Record<SendChannel, OutboundChannel>>;
  description: string;
  parts: {
    gateway: SendGateway;
    gatekeeper: Gatekeeper;
    outbox: OutboxStore;
    control: ControlStore;
    campaigns: CampaignStore;
    cadence: CadenceSync;
    /** Another OPERATOR over the same parts (two dispatchers at once, a shadow one), as the CLI builds it. */
    operatorFor: (holder: string, settings?: Partial<OperatorSettings>) => { gateway: SendGateway; operator: Operator };
  };
  /** In sandbox mode: the loopback sandboxes the channels talk to (they count every call). */
  sandboxes: { instantly?: InstantlySandbox; heyreach?: HeyReachSandbox; ghl?: GhlSandbox };
  close: () => Promise<void>;
};
