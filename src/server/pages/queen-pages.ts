import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/routes.js';
import { ASK_JS } from './ask-assets.js';
import { emptyState, esc } from './render.js';
import type { Session } from './sessions.js';

type Page = (path: string, title: string, render: (session: Session, req: FastifyRequest) => Promise<string>) => unknown;

const HEALTH_WORDS: Record<string, string> = { ok: 'ok', degraded: 'degraded (some failures)', failing: 'failing', idle: 'no data', merged: 'merged' };

/**
 * QUEEN on the dashboard: the ask box (/ask; its script posts to /api/ask, the same use case as
 * `caio ask`) and what each agent role did in the last 24 hours (/agents, as `caio agents status`).
 */
export const registerQueenPages = (app: FastifyInstance, page: Page, api: ApiDeps): void => {
  app.get('/assets/ask.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(ASK_JS));

  page(
    '/ask',
    'Ask QUEEN',
    async () => `<section class="card" aria-labelledby="ask-heading"><h2 id="ask-heading">Ask in plain words</h2>
<form id="ask-form">
<label for="ask-request">Your request</label>
<textarea id="ask-request" name="request" rows="3" cols="80" maxlength="4000" placeholder="How full is the review queue?"></textarea>
<p class="meta">QUEEN reads our own data (leads, scores, drafts, runs, KPIs, cadence, incidents, provider health, audit) and answers from it. It never sends, approves, lifts the emergency stop or exports personal data: such asks are refused with the rule that refuses them. A plan that writes (run the pipeline, create a batch, pause a campaign, set the emergency stop) is shown first and runs only when you confirm it.</p>
<button type="submit">Ask</button>
</form></section>
<section id="ask-result" class="card" aria-live="polite"></section>
<script src="/assets/ask.js"></script>`,
  );

  page('/agents', 'Agents (last 24 hours)', async () => {
    const r = await api.agentsStatus();
    const rows = r.agents
      .map(
        (a) =>
          `<tr data-role="${esc(a.role)}"><th scope="row">${esc(a.role)}</th><td>${esc(HEALTH_WORDS[a.health] ?? a.health)}</td><td>${esc(a.actions)}</td><td>${esc(a.refusals)}</td><td>${esc(a.failures)}</td><td>${esc(a.lastRun ?? '-')}</td><td>${esc(a.summary)}</td></tr>`,
      )
      .join('');
    const quiet = r.agents.every((a) => a.health === 'idle' || a.health === 'merged');
    return `<p class="meta">From ${esc(r.since)} to ${esc(r.until)}, read from the audit log, QUEEN's traces and the pipeline runs. A merged role works under the role named, so it has no data of its own.</p>
${quiet ? emptyState('No role recorded anything in the last 24 hours.', 'Run the pipeline, review drafts or ask QUEEN, and their work shows here.') : ''}
<table><thead><tr><th scope="col">Role</th><th scope="col">Health</th><th scope="col">Actions</th><th scope="col">Refusals</th><th scope="col">Failures</th><th scope="col">Last run</th><th scope="col">In words</th></tr></thead><tbody>${rows}</tbody></table>
${
  r.unattributed.count
    ? `<p class="meta">Not attributed to a role: ${esc(r.unattributed.count)} (${esc(
        Object.entries(r.unattributed.byAction)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
      )}).</p>`
    : ''
}
${r.truncated ? '<p class="meta">The audit log held more entries than were read: these figures are a lower bound.</p>' : ''}`;
  });
};
