import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';

describe('the Prometheus metrics', () => {
  it('counts stages, provider calls, breakers, sends, guard refusals, webhooks and jobs, with queue gauges at scrape time', async () => {
    const m = createMetrics();
    m.stage('enrich', 'pass', 1500);
    m.providerCall('apollo', 'ok', 120);
    m.providerCall('apollo', 'rate_limited', 80);
    m.breaker('apollo', 'open');
    m.sendItem('instantly', 'sent', null);
    m.sendItem('instantly', 'rejected', 'suppressed:unsubscribed');
    m.sendItem('ghl', 'deferred', 'outside_business_hours');
    m.webhookStored();
    m.webhookStored();
    m.jobDone({ queue: 'signals', name: 'webhook-inbox', outcome: 'completed', durationMs: 12 });
    const text = await m.text(undefined, { backend: 'bullmq', status: async () => ({ queues: [{ queue: 'signals', waiting: 3, active: 1, delayed: 0, failed: 2, oldestWaitingAgeMs: 4500 }] }) });
    for (const line of [
      'caio_pipeline_stage_seconds_count{stage="enrich",status="pass"} 1',
      'caio_provider_calls_total{provider="apollo",outcome="ok"} 1',
      'caio_provider_calls_total{provider="apollo",outcome="rate_limited"} 1',
      'caio_breaker_state{provider="apollo"} 2',
      'caio_sends_total{channel="instantly",outcome="sent"} 1',
      'caio_guard_rejections_total{reason="suppressed"} 1',
      'caio_guard_rejections_total{reason="outside_business_hours"} 1',
      'caio_webhook_deliveries_ingested_total 2',
      'caio_jobs_total{queue="signals",job="webhook-inbox",outcome="completed"} 1',
      'caio_queue_jobs{queue="signals",state="waiting"} 3',
      'caio_queue_jobs{queue="signals",state="failed"} 2',
      'caio_queue_oldest_waiting_seconds{queue="signals"} 4.5',
    ])
      expect(text).toContain(line);
  });

  it('keeps the inline backend to its two gauges', async () => {
    const text = await createMetrics().text(undefined, { backend: 'inline', status: async () => ({ waiting: 4, failed: 1 }) });
    expect(text).toContain('caio_queue_jobs{state="waiting"} 4');
    expect(text).toContain('caio_queue_jobs{state="failed"} 1');
  });
});
