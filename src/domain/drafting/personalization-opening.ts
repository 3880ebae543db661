import type { LeadProfile } from '../lead.js';
import type { Grounding } from './grounding.js';
import { isRoleHook, type Hook } from './personalization-hooks.js';
import { extractAllSignals } from '../quality/sub-agents.js';
import { DEFAULT_VISIT_MENTION, visitOpening, type VisitMention } from './visit-mention.js';

export type Opening = { sentence: string; grounding: Grounding[] };

const words = (text: string, n: number) => text.trim().split(/\s+/).slice(0, n).join(' ');

/**
 * spec/crafting.md `personalization_opening`: the first rule that applies gives one sentence that
 * names the company. Each fact used is grounded. ("Attended X" maps here; the original's never did.)
 */
export const personalizationOpening = (lead: LeadProfile, company: string, hooks: Hook[], visitMention: VisitMention = DEFAULT_VISIT_MENTION): Opening => {
  const src = (field: string) => lead.provenance[field] ?? 'unknown';
  const companyFact: Grounding = { claim: 'company name', field: 'company.name', value: company, provider: src('company.name') };
  const sourceFact = (claim: string): Grounding => ({ claim, field: 'sourceName', value: lead.sourceName ?? '', provider: src('sourceName') });
  const said = (sentence: string, ...facts: Grounding[]): Opening => ({ sentence, grounding: [companyFact, ...facts] });
  const name = lead.sourceName;

  switch (lead.sourceType) {
    case 'demo_requester':
      return said(`Thanks for raising your hand about AI at ${company}; I wanted to follow up personally.`, { claim: 'requested a demo', field: 'sourceType', value: lead.sourceType, provider: src('sourceType') });
    case 'website_visitor': {
      // Never the page or the tracking itself (rb2b.mentionVisit): at most the topic, else the other facts.
      const visit = visitOpening(lead, company, visitMention);
      if (visit) return said(visit.sentence, visit.fact);
      break;
    }
    case 'event_attendee':
      if (name) return said(`I saw you were at ${name}, and it made me think of ${company}.`, sourceFact('attended event'));
      break;
    case 'competitor_follower':
      if (name) return said(`Your team at ${company} keeps an eye on ${name}, so the operations side of AI is probably on your radar.`, sourceFact('follows competitor'));
      break;
    case 'post_commenter':
      return lead.engagementContent
        ? said(`Your recent comment about ${words(lead.engagementContent, 8)} stuck with me, and it fits what ${company} is working on.`, {
            claim: 'comment topic',
            field: 'engagementContent',
            value: words(lead.engagementContent, 8),
            provider: src('engagementContent'),
          })
        : said(`Your recent LinkedIn activity made me think of ${company}.`, { claim: 'LinkedIn engagement', field: 'sourceType', value: lead.sourceType, provider: src('sourceType') });
    case 'group_member':
    case 'webinar_registrant':
    case 'content_downloader':
      if (name) return said(`I noticed ${company}'s recent activity around ${name}.`, sourceFact('recent activity'));
      break;
  }

  for (const hook of hooks) {
    const fact: Grounding = { claim: hook.text.split(':')[0]!.toLowerCase(), field: hook.field, value: hook.text.slice(hook.text.indexOf(':') + 1).trim(), provider: hook.provider };
    const value = fact.value;
    if (hook.text.startsWith('Tech stack signal:')) return said(`${company} already runs ${value}, which usually makes the first automations quicker to ship.`, fact);
    if (hook.text.startsWith('Recent comment topic:')) return said(`Your recent comment about ${value} stuck with me.`, fact);
    if (hook.text.startsWith('Visited ')) return said(`I noticed the ${company} team visited ${hook.text.slice(8)}.`, { ...fact, value: hook.text.slice(8) });
    if (hook.text.startsWith('Downloaded or engaged with ')) return said(`I saw ${company} engaged with ${hook.text.slice(27)}.`, { ...fact, value: hook.text.slice(27) });
    if (hook.text.startsWith('Attended ')) return said(`Seeing ${company} at ${hook.text.slice(9)} made me want to reach out.`, { ...fact, value: hook.text.slice(9) });
    if (hook.text.startsWith('Team scale signal:')) return said(`With ${value} at ${company}, the hard part of AI is usually the operating cadence, not the tools.`, fact);
  }
  // The enrichment sub-agents' best opener signal that the hooks did not already cover.
  const signal = extractAllSignals(lead)
    .signals.filter((x) => x.usableInOpener && x.type !== 'company_intel')
    .sort((a, b) => b.confidence - a.confidence)[0];
  if (signal?.type === 'hiring') return said(`I saw ${company} is hiring, which usually means the way work gets done is about to change.`, { claim: 'hiring', field: signal.source, value: signal.value, provider: src(signal.source) });
  const firstFact = hooks.find((h) => !isRoleHook(h));
  if (firstFact) {
    return said(`One thing that stood out about ${company}: ${words(firstFact.text, 12).toLowerCase()}.`, { claim: 'signal', field: firstFact.field, value: firstFact.text, provider: firstFact.provider });
  }
  if (lead.company.industry) {
    return said(`I work with a number of ${lead.company.industry} teams, and ${company} looked like a good fit.`, { claim: 'industry', field: 'company.industry', value: lead.company.industry, provider: src('company.industry') });
  }
  return said(`I had a practical AI execution idea for ${company} and wanted to share it.`);
};
