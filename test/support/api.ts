import type { ApiDeps } from '../../src/server/api/routes.js';
import { apiDepsFor } from '../../src/compose/api-deps.js';
import { queueWatcherFor } from '../../src/compose/jobs.js';
import type { Harness } from './dispatch.js';

/**
 * The API's use cases over a dispatch harness, built by the production factory (`apiDepsFor`, as
 * `caio serve` builds them) on the harness's app: its test database, fake clock and sandboxes. The
 * pipeline run (the API's and the queue watcher's top-up) is a stand-in that reports its limit.
 */
export const apiDepsOf = (h: Harness, overrides: Partial<ApiDeps> = {}): ApiDeps => ({
  ...apiDepsFor(
    h.app,
    h.dispatch,
    async (limit) => ({ limit }),
    queueWatcherFor(h.app, async (limit) => ({ ran: 'pipeline', limit }), 'api-test'),
  ),
  ...overrides,
});
