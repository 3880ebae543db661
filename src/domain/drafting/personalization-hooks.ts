import type { LeadProfile } from '../lead.js';

/** A fact about the lead usable in copy, with the field and provider it came from. */
export type Hook = { text: string; field: string; provider: string };

const IGNORED_TECH = new Set(['ai', 'other', 'unknown', 'n/a', 'na', 'none', '']);
const MAX_HOOKS = 6;

const firstWords = (text: string, n: number) => text.trim().split(/\s+/).slice(0, n).join(' ');
const hasWord = (text: string, word: string) => new RegExp(`(?<![a-z])${word}(?![a-z])`, 'i').test(text);

/** spec/scoring.md "Personalization hooks": at most 6, de-duplicated case-insensitively. */
export const personalizationHooks = (lead: LeadProfile): Hook[] => {
  const from = (field: string) => lead.provenance[field] ?? 'unknown';
  const hooks: Hook[] = [];
  const add = (text: string, field: string) => hooks.push({ text, field, provider: from(field) });
  const name = lead.sourceName;

  switch (lead.sourceType) {
    case 'post_commenter':
      if (lead.engagementContent) add(`Recent comment topic: ${firstWords(lead.engagementContent, 8)}`, 'engagementContent');
      break;
    case 'event_attendee':
      if (name) add(`Attended ${name}`, 'sourceName');
      break;
    case 'competitor_follower':
      if (name) add(`Tracks competitor ecosystem: ${name}`, 'sourceName');
      break;
    case 'group_member':
      if (name) add(`Member of ${name}`, 'sourceName');
      break;
    // A website visit gives no hook: a hook can end up in the opening ("one thing that stood out"),
    // and a draft never says what we saw someone look at (rb2b.mentionVisit; visit-mention.ts).
    case 'content_downloader':
      if (name) add(`Downloaded or engaged with ${name}`, 'sourceName');
      break;
  }
  const techs = lead.company.technologies
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => !IGNORED_TECH.has(t.toLowerCase()));
  if (techs.length) add(`Tech stack signal: ${techs.slice(0, 2).join(', ')}`, 'company.technologies');
  if ((lead.company.annualRevenue ?? 0) > 10_000_000) add('Growth-stage org with scale pressure', 'company.annualRevenue');
  if ((lead.company.employeeCount ?? 0) >= 150) add(`Team scale signal: ${lead.company.employeeCount} employees`, 'company.employeeCount');
  const title = lead.title ?? '';
  if (hasWord(title, 'cro') || hasWord(title, 'chief')) add(`Executive buyer role: ${title}`, 'title');
  else if (hasWord(title, 'director')) add(`Operational decision-maker role: ${title}`, 'title');
  else if (hasWord(title, 'vp') || /vice\s+president/i.test(title)) add(`VP-level strategic role: ${title}`, 'title');

  const seen = new Set<string>();
  return hooks
    .filter((h) => {
      const key = h.text.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_HOOKS);
};

export const isRoleHook = (hook: Hook) => /^(Executive buyer role|Operational decision-maker role|VP-level strategic role):/.test(hook.text);
