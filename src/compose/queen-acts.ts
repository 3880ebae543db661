import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { openProviders, policyHooks } from '../deps.js';
import { redactText } from '../domain/queen/index.js';
import { AppError } from '../lib/app-error.js';
import { enrichOneLead } from '../pipeline/enrich-one-lead.js';
import type { StoredLead } from '../pipeline/ports.js';
import { createHttpPolicy } from '../providers/http/policy.js';
import { slackMessage } from '../providers/slack/slack-alerts.js';
import type { QueenActs, QueenReads } from '../queen/ports.js';
import { enrichments, rejections } from '../store/schema.js';
import type { AppDeps } from './app-deps.js';

/**
 * QUEEN's enrichment of one lead, its Slack alert and its tech-stack read, over the opened app.
 * The enrichment is the pipeline's own waterfall (the providers `caio pipeline run` opens, sandbox
 * or live) through `enrichOneLead`; the alert is one post to the team's Slack incoming webhook
 * (`SLACK_WEBHOOK_URL`), which reaches no prospect; the tech stack is what enrichment stored.
 */

/** An alert is a line or two for the team's channel, not a document. */
export const MAX_ALERT_CHARS = 500;

/** `queen_enrich_<yyyymmddhhmmss>_<hex>`: the enrichment row's run id, so its audit entry and the row correlate. */
const enrichRunId = (now: Date) => `queen_enrich_${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;

export const queenEnrichFor =
  (app: AppDeps): QueenActs['enrichLead'] =>
  async (lead, by) => {
    const id = lead.id ?? (lead.email ? ((await app.stores.leadDetail.detailByEmail(lead.email))?.lead.id ?? null) : null);
    if (!id) throw new AppError('NOT_FOUND', 'no stored lead matches: enrichment runs only for a lead we hold (caio leads list)');
    const seed = app.config.usesSandboxes ? app.config.sandbox.seed : null;
    const providers = await openProviders(app, { source: 'apollo', seed });
    try {
      return await enrichOneLead(
        { leads: app.stores.leads, enricher: providers.enricher, suppressions: app.stores.suppressions, audit: app.stores.audit, clock: app.clock, icp: { ...app.config.icp, exclusions: app.config.exclusions } },
        id,
        by,
        enrichRunId(app.clock.now()),
      );
    } finally {
      await providers.close();
    }
  };

export const queenSlackAlertFor =
  (app: AppDeps): QueenActs['postSlackAlert'] =>
  async (raw, by) => {
    // Addresses and secrets in the request are masked before anything leaves: the channel is the team's, not a vault.
    const text = redactText(raw.slice(0, MAX_ALERT_CHARS)).redacted;
    const webhookUrl = app.config.env.SLACK_WEBHOOK_URL;
    if (!webhookUrl) return { posted: false, status: 'not posted: no Slack channel is configured (SLACK_WEBHOOK_URL is not set); nothing was delivered', text, chars: text.length };
    // Not repeated after it may have reached Slack: a doubled alert is noise, and the person can ask again.
    const http = createHttpPolicy({ provider: 'slack', retries: 0, secrets: [webhookUrl], ...policyHooks(app, 'slack') });
    const message = slackMessage({ severity: 'warning', title: `Alert asked of QUEEN by ${by}`.slice(0, 120), body: text, metadata: {} });
    const res = await http.fetch('webhook', webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) }, { idempotent: false });
    const answer = (await res.text()).trim();
    const posted = res.ok && answer === 'ok';
    await app.stores.audit.append({
      at: app.clock.now(),
      actor: by,
      action: posted ? 'slack.alert_posted' : 'slack.alert_refused',
      entityType: 'slack_alert',
      entityId: null,
      runId: null,
      details: { via: 'queen', chars: text.length, status: res.status },
    });
    if (!posted) throw new AppError('PROVIDER_BAD_REQUEST', `Slack refused the alert (${res.status} ${answer.slice(0, 60)}); nothing was delivered`);
    return { posted: true, status: 'posted to the configured Slack channel (Slack answered ok)', text, chars: text.length };
  };

/** Leads read for a tech-stack question without a named lead: the newest this many. */
const STACK_SCAN = 50;

export const queenTechStackFor =
  (app: AppDeps, storedLeads: (q: Parameters<QueenReads['techStack']>[0]) => Promise<StoredLead[]>): QueenReads['techStack'] =>
  async (q) => {
    const rows = await storedLeads({ ...q, limit: q.id || q.email || q.domain ? q.limit : Math.min(q.limit, STACK_SCAN) });
    const ids = rows.map((l) => l.id);
    // The provider that stored the technologies, when the profile does not say (older rows): the matched enrichments.
    const matched = ids.length
      ? await app.database.db
          .select({ leadId: enrichments.leadId, provider: enrichments.provider })
          .from(enrichments)
          .where(and(inArray(enrichments.leadId, ids), eq(enrichments.outcome, 'matched')))
      : [];
    const providerOf = new Map(matched.map((m) => [m.leadId, m.provider]));
    return rows.map((l) => ({
      leadId: l.id,
      company: l.profile.company.name,
      domain: l.profile.company.domain,
      status: l.status,
      technologies: l.profile.company.technologies,
      source: l.profile.provenance['company.technologies'] ?? (l.profile.company.technologies.length ? (providerOf.get(l.id) ?? null) : null),
    }));
  };

/** The rejection memory, newest first: one ordered read (the review store reads it per lead only). */
export const queenRejectionsFor =
  (app: AppDeps): QueenReads['rejections'] =>
  async (limit) =>
    (
      await app.database.db
        .select({ draftId: rejections.draftId, leadId: rejections.leadId, tag: rejections.tag, reason: rejections.reason, angleId: rejections.angleId, subject: rejections.subject, rejectedAt: rejections.rejectedAt })
        .from(rejections)
        .orderBy(desc(rejections.rejectedAt))
        .limit(limit)
    ).map((r) => ({ ...r, rejectedAt: r.rejectedAt.toISOString() }));
