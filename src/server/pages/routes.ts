import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../lib/hash.js';
import { repliesOf, type KpiCounts, type KpiRates, type KpiTargets } from '../../domain/kpis/kpi-events.js';
import type { ApiDeps } from '../api/routes.js';
import { APP_CSS, APP_JS } from './assets.js';
import { registerQueenPages } from './queen-pages.js';
import { leadPage } from './lead-page.js';
import { LEADS_JS, leadsListPage, leadsSearchPost } from './leads-list-page.js';
import { angleLabel, humanize, judgeable, MIN_RATE_SAMPLE, rateWithCounts } from '../../domain/labels.js';
import { decidedTodayPage, reviewPage } from './review-page.js';
import { REPLIES_CSS, REPLIES_JS, repliesListPage, replyPage } from './replies-page.js';
import { OPERATOR_JS, operatorSendingSections } from './operator-sending.js';
import { pagedText, stopHistorySection, stopReasonForm } from './stop-section.js';
import { barChart, emptyState, esc, layout, lineChart } from './render.js';
import { learningSections } from './kpi-learning.js';
import { SESSION_COOKIE, type Session, type Sessions } from './sessions.js';
import type { SessionUser, Users } from '../../lib/session.js';

const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/**
 * The login: a person's name and password (when people are set up: `caio users add`), or the
 * dashboard token (the first start, and machines' owners). Wrong name and wrong password read alike.
 */
const loginPage = (message: string | null, byName: boolean) => {
  const tokenForm = `<form method="post" action="/login" class="card">
<label for="token">Dashboard token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required${byName ? '' : ' autofocus'}>
<p class="meta">The token is in DASHBOARD_AUTH_TOKEN, or in the file <code>caio serve</code> names when it starts.</p>
<button type="submit">Log in</button>
</form>`;
  const nameForm = `<form method="post" action="/login" class="card" aria-labelledby="login-person">
<h2 id="login-person">Log in with your name</h2>
<label for="login-name">Name</label>
<input id="login-name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="login-password">Password</label>
<input id="login-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
<details class="card"><summary>Log in with the dashboard token instead</summary>${tokenForm}</details>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in - CAIO Alpha Swarm</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><a class="skip-link" href="#main">Skip to content</a><main id="main" tabindex="-1"><h1>CAIO Alpha Swarm</h1>
${message ? `<p role="alert">${esc(message)}</p>` : ''}
${byName ? nameForm : tokenForm}</main></body></html>`;
};

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

const RATE_NAMES = [
  ['open', 'Open rate'],
  ['reply', 'Reply rate'],
  ['bounce', 'Bounce rate'],
  ['linkedinAccept', 'LinkedIn accept rate'],
] as const satisfies readonly (readonly [keyof KpiTargets, string])[];

/** The counts a rate is made of (part of whole), as ratesOf in domain/kpis divides them. */
const RATE_PARTS: Record<keyof KpiTargets, (c: KpiCounts) => [number, number]> = {
  open: (c) => [c.emailOpened, c.emailSent],
  reply: (c) => [c.emailReplied, c.emailSent],
  bounce: (c) => [c.emailBounced, c.emailSent],
  linkedinAccept: (c) => [c.linkedinAccepted, c.linkedinSent],
};

/**
 * A rate cell, always with its counts ("2 of 3 (66.7 %)"); below MIN_RATE_SAMPLE leads no verdict
 * ("too few to judge"), otherwise marked (in words too, not only colour) when it misses its target;
 * bounce misses above it.
 */
const rateCell = (key: keyof KpiTargets, counts: KpiCounts, value: number | null, targets: KpiTargets) => {
  const [part, whole] = RATE_PARTS[key](counts);
  if (whole > 0 && !judgeable(whole)) return `<td>${esc(rateWithCounts(part, whole))} <span class="meta">(too few to judge)</span></td>`;
  const miss = value !== null && (key === 'bounce' ? value > targets[key] : value < targets[key]);
  return `<td${miss ? ' class="miss"' : ''}>${esc(rateWithCounts(part, whole))}${miss ? ' (misses target)' : ''}</td>`;
};

/** The reply-to-meeting rate with its counts ("1 of 4 (25.0 %)"); it has no target, so no verdict. */
const meetingRate = (c: KpiCounts) => rateWithCounts(c.meetingsBooked, repliesOf(c));

const rateTable = (what: string, rows: { name: string; counts: KpiCounts; rates: KpiRates }[], targets: KpiTargets) =>
  `<table><thead><tr><th>${esc(what)}</th><th>E-mailed</th><th>Open</th><th>Reply</th><th>Bounce</th><th>LinkedIn invited</th><th>Accept</th><th>Reply to meeting</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr><td>${esc(r.name === 'none' ? '(none)' : r.name)}</td><td>${esc(r.counts.emailSent)}</td>${rateCell('open', r.counts, r.rates.open, targets)}${rateCell('reply', r.counts, r.rates.reply, targets)}${rateCell('bounce', r.counts, r.rates.bounce, targets)}<td>${esc(r.counts.linkedinSent)}</td>${rateCell('linkedinAccept', r.counts, r.rates.linkedinAccept, targets)}<td>${esc(meetingRate(r.counts))}</td></tr>`,
    )
    .join('')}</tbody></table>`;

/**
 * The pages of the dashboard, server-rendered from the same use cases as the API. Each needs a
 * session (the login form checks the dashboard token, rate limited); actions post to the API with the
 * session's CSRF token.
 */
export const registerPages = (app: FastifyInstance, deps: { api: ApiDeps; token: string; sessions: Sessions; secureCookies: boolean; users?: Pick<Users, 'login'> }) => {
  const byName = Boolean(deps.users);
  const { api, sessions } = deps;
  // Secure when the dashboard is served over https: server.publicUrl says so, or the trusted proxy
  // in front says the request came over https (X-Forwarded-Proto; read only with server.trustProxy).
  const cookieOptions = (req: FastifyRequest) => ({ httpOnly: true, sameSite: 'strict' as const, path: '/', secure: deps.secureCookies || req.protocol === 'https' });
  app.get('/assets/app.css', async (_req, reply) => reply.header('content-type', 'text/css; charset=utf-8').send(APP_CSS));
  app.get('/assets/operator.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(OPERATOR_JS));
  app.get('/assets/leads.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(LEADS_JS));
  app.get('/assets/app.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(APP_JS));
  app.get('/assets/replies.js', async (_req, reply) => reply.header('content-type', 'text/javascript; charset=utf-8').send(REPLIES_JS));
  app.get('/assets/replies.css', async (_req, reply) => reply.header('content-type', 'text/css; charset=utf-8').send(REPLIES_CSS));
  app.get('/login', async (req, reply) => ((await sessions.get(req.cookies[SESSION_COOKIE])) ? reply.redirect('/sales') : html(reply, loginPage(null, byName))));
  app.post('/login', async (req, reply) => {
    // The client's address: the socket's, or with server.trustProxy the one the trusted proxy forwarded.
    const address = req.ip;
    if (await sessions.limited(address)) return html(reply, loginPage('Too many failed logins from this address: wait five minutes.', byName), 429);
    const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    const given = form.get('token');
    let user: SessionUser | null = null;
    if (given !== null || !deps.users) {
      if (!given || !safeEqual(given, deps.token)) {
        await sessions.failed(address);
        return html(reply, loginPage('That token is not right.', byName), 401);
      }
    } else {
      // One message whichever was wrong, the name or the password (users-repo.ts also takes the same time).
      user = await deps.users.login(form.get('name') ?? '', form.get('password') ?? '');
      if (!user) {
        await sessions.failed(address);
        return html(reply, loginPage('That name and password do not match.', byName), 401);
      }
    }
    const session = await sessions.create(user);
    return reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(req)).redirect('/sales', 303);
  });
  app.post('/logout', async (req, reply) => {
    const session = await sessions.get(req.cookies[SESSION_COOKIE]);
    const csrf = new URLSearchParams(typeof req.body === 'string' ? req.body : '').get('csrf') ?? '';
    if (session && safeEqual(csrf, session.csrf)) await sessions.end(session.id);
    return reply.setCookie(SESSION_COOKIE, '', { ...cookieOptions(req), maxAge: 0 }).redirect('/login', 303);
  });

  const page = (path: string, title: string, render: (session: Session, req: FastifyRequest) => Promise<string>) =>
    app.get(path, async (req, reply) => {
      const session = await sessions.get(req.cookies[SESSION_COOKIE]);
      if (!session) return reply.redirect('/login');
      const [body, stop] = await Promise.all([render(session, req), api.stopView.current()]);
      return html(reply, layout(title, path, session.csrf, body, stop));
    });

  app.get('/', async (_req, reply) => reply.redirect('/sales'));

  page('/sales', 'Review queue', async () => reviewPage(api));
  page('/sales/decided', 'Decided today', async () => decidedTodayPage(api));

  page('/leads', 'Leads', async (_session, req) => leadsListPage(api, req.query as Record<string, unknown>));
  // The search form posts, so an e-mail address searched for never reaches a URL (leads-list-page.ts).
  app.post('/leads', async (req, reply) => {
    const session = await sessions.get(req.cookies[SESSION_COOKIE]);
    if (!session) return reply.redirect('/login');
    const answer = await leadsSearchPost(api, new URLSearchParams(typeof req.body === 'string' ? req.body : ''));
    if ('redirect' in answer) return reply.redirect(answer.redirect, 303);
    const [body, stop] = await Promise.all([leadsListPage(api, answer.query, answer.notice), api.stopView.current()]);
    return html(reply, layout('Leads', '/leads', session.csrf, body, stop));
  });
  app.get('/leads/:id', async (req, reply) => {
    const session = await sessions.get(req.cookies[SESSION_COOKIE]);
    if (!session) return reply.redirect('/login');
    const [result, stop] = await Promise.all([leadPage(api, (req.params as { id: string }).id), api.stopView.current()]);
    return html(reply, layout(result.title, '/leads', session.csrf, result.body, stop), result.status);
  });

  // Prospects' replies (issue 17 item 6): the list, and one conversation by the reply's uuid.
  page('/replies', 'Replies', async (_session, req) => repliesListPage(api, req.query as Record<string, unknown>));
  app.get('/replies/:id', async (req, reply) => {
    const session = await sessions.get(req.cookies[SESSION_COOKIE]);
    if (!session) return reply.redirect('/login');
    const [result, stop] = await Promise.all([replyPage(api, (req.params as { id: string }).id), api.stopView.current()]);
    return html(reply, layout(result.title, '/replies', session.csrf, result.body, stop), result.status);
  });

  page('/operator', 'Operator', async (session) => {
    const canOperate = session.user?.role !== 'reviewer';
    const status = (await api.operatorStatus()) as {
      sendMode?: string;
      emergencyStop?: { active: boolean };
      usage?: Record<string, { used: number; limit: number; remaining: number }>;
      linkedinWarmup?: { week: number; limit: number; inWarmup: boolean };
      ramp?: { active: boolean; day: number; cleanDays: number; required: number };
    };
    const stopped = Boolean(status.emergencyStop?.active);
    const incidents = (await api.incidents()) as { key: string; level: number; notifiedLevel: number; openedAt: Date; details: { title?: string } }[];
    const stopNow = await api.stopView.current();
    return `<section class="card" id="stop"><h2>Today</h2>
<p>Send mode: <strong>${esc(status.sendMode)}</strong>. ${stopped ? '<strong>EMERGENCY STOP ACTIVE</strong>' : 'No emergency stop.'}</p>
<ul>${Object.entries(status.usage ?? {})
      .map(([k, u]) => `<li>${esc(k)}: ${esc(u.used)} of ${esc(u.limit)} (${esc(u.remaining)} left)</li>`)
      .join('')}</ul>
<p>LinkedIn warm-up: week ${esc(status.linkedinWarmup?.week)}, ${esc(status.linkedinWarmup?.limit)} a day. Ramp: ${status.ramp?.active ? `active, day ${esc(status.ramp.day)}, ${esc(status.ramp.cleanDays)}/${esc(status.ramp.required)} clean days` : 'off'}.</p>
${
  !canOperate
    ? '<p class="meta">Only an operator or an admin stops or resumes sending.</p>'
    : stopped
      ? `${stopReasonForm(stopNow?.source === 'database' && !stopNow.reason)}<form data-api="/api/resume" data-done="Resumed."><input type="hidden" name="by" value="dashboard"><button type="submit">Resume sending</button></form>`
      : `<form data-api="/api/emergency-stop" data-confirm="Stop all sending now?" data-done="Emergency stop set."><input type="hidden" name="by" value="dashboard"><label for="stop-reason">Reason (optional: it can be given afterwards)</label><input id="stop-reason" name="reason" size="40"><button type="submit" class="danger">Emergency stop</button></form>`
}
</section>
${incidents.length ? `<section class="card" aria-labelledby="incidents"><h2 id="incidents">Open incidents</h2><ul>${incidents.map((i) => `<li><strong>${esc(i.details.title ?? i.key)}</strong> since ${esc(i.openedAt.toISOString())}: level ${esc(i.level)}${pagedText(i.notifiedLevel, api.stopView.pagers)}</li>`).join('')}</ul></section>` : ''}
${await stopHistorySection(api)}
${await operatorSendingSections(api, { sendMode: status.sendMode, stopped, person: session.user })}`;
  });

  page('/kpis', 'KPIs (last 30 days)', async () => {
    const now = api.now();
    const k = await api.dashboard.kpis(new Date(now.getTime() - 29 * 86_400_000), now, api.kpis.trailingDays);
    const targets = api.kpis.targets;
    const { funnel, learning } = await learningSections(api, now);
    if (k.counts.emailSent + k.counts.linkedinSent === 0) return `${funnel}${emptyState('Nothing was sent in the last 30 days.', 'Rates appear once the OPERATOR has sent and webhooks have come back.')}`;
    const bars = RATE_NAMES.map(([key, name]) => ({ name, value: k.rates[key] ?? 0, target: targets[key] }));
    const trends = RATE_NAMES.map(([key, name]) =>
      lineChart(
        `${name}, trailing ${k.trailingDays} days`,
        k.perDay.map((d) => ({ day: d.day, value: d.rates[key] })),
        targets[key],
        pct,
      ),
    ).join('');
    return `<section aria-labelledby="k-now"><h2 id="k-now">Rates against targets</h2>${barChart('Rates against targets (red line)', bars, (v) => pct(v))}
<ul class="rates">${RATE_NAMES.map(([key, name]) => {
      const [part, whole] = RATE_PARTS[key](k.counts);
      const value = k.rates[key];
      const verdict =
        whole === 0
          ? ''
          : !judgeable(whole)
            ? `, too few to judge (fewer than ${MIN_RATE_SAMPLE})`
            : value !== null && (key === 'bounce' ? value > targets[key] : value < targets[key])
              ? `, misses the target of ${pct(targets[key])}`
              : `, meets the target of ${pct(targets[key])}`;
      return `<li data-rate="${key}">${esc(name)}: ${esc(rateWithCounts(part, whole))}${esc(verdict)}</li>`;
    }).join('')}<li data-rate="replyToMeeting">Reply to meeting: ${esc(meetingRate(k.counts))} (meetings booked over replies, no target)</li></ul>
<p class="meta">${esc(k.counts.emailSent)} leads e-mailed and ${esc(k.counts.linkedinSent)} invited on LinkedIn since ${esc(k.since)}. Each lead counts once per event, on the day it first happened. Bounce target is a ceiling.</p></section>
<section aria-labelledby="k-time"><h2 id="k-time">Over time</h2>${trends}</section>
${funnel}${learning}
<section aria-labelledby="k-campaign"><h2 id="k-campaign">Per campaign</h2>${rateTable(
      'Campaign',
      k.perCampaign.map((c) => ({ name: c.campaign === 'none' ? 'none' : humanize(c.campaign), counts: c.counts, rates: c.rates })),
      targets,
    )}</section>
<section aria-labelledby="k-angle"><h2 id="k-angle">Per angle</h2>${rateTable(
      'Angle',
      k.perAngle.map((a) => ({ name: a.angle === 'none' ? 'none' : angleLabel(a.angle), counts: a.counts, rates: a.rates })),
      targets,
    )}</section>`;
  });

  registerQueenPages(app, page, api);

  page('/runs', 'Pipeline runs', async () => {
    const runs = await api.runs.list(20);
    if (runs.length === 0) return emptyState('No pipeline run yet.', 'Run caio pipeline run or POST /api/runs.');
    return runs
      .map(
        (r) => `<section class="card"><h2>${esc(r.runId)} - ${esc(r.status)}</h2><p class="meta">${esc(r.mode)}, ${esc(r.source)}, started ${esc(r.startedAt.toISOString())}</p>
<table><thead><tr><th>Stage</th><th>Status</th><th>In</th><th>Out</th><th>ms</th><th>Errors</th></tr></thead><tbody>${r.stages.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.status)}</td><td>${esc(s.inputCount)}</td><td>${esc(s.outputCount)}</td><td>${esc(Math.round(s.durationMs))}</td><td>${esc(s.errors.length)}</td></tr>`).join('')}</tbody></table></section>`,
      )
      .join('');
  });
};
