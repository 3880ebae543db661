import type { Cluster, Redis } from 'ioredis';
import type { RateWindow } from './rate-limiter.js';
import { createRedisRateLimiter, type RateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.js';

/**
 * A `limiterFactory` for one provider's HTTP policy whose limit is shared, through Redis, by every
 * process using the same key (`${prefix}:${provider}`). The composition root passes one per
 * provider client when REDIS_URL is set; several policies for one provider in one process share
 * the limit too. `options` reaches createRedisRateLimiter (onFallback, marginMs, ...).
 */
export const sharedLimiterFactory =
  (redis: Redis | Cluster, provider: string, prefix = 'caio:rate', options: Omit<RedisRateLimiterOptions, 'redis' | 'key' | 'windows'> = {}) =>
  (windows: readonly RateWindow[]): RateLimiter =>
    createRedisRateLimiter({ ...options, redis, key: `${prefix}:${provider}`, windows });
