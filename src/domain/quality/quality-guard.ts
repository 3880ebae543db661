import type { LeadProfile } from '../lead.js';
import { checkCopy, type CopyCheckSettings, type CopyRuleId } from './copy-checks.js';
import { extractAllSignals } from './sub-agents.js';

export type QualitySettings = {
  enabled: boolean;
  /** soft: record failures but let the draft through; hard: a failure keeps it out of the queue. */
  mode: 'soft' | 'hard';
  maxRejections: number;
  /** Distinct generic phrases per sentence above which GUARD-005 fails. @defaultValue 0.4 */
  genericPhraseDensity: number;
  /** The pre-send copy checks (copy-checks.ts); the config always supplies them, absent they do not run. */
  checks?: CopyCheckSettings | undefined;
};

/**
 * A rule the draft broke. `flag` (copy checks set to flag) never blocks: the reviewer sees it with
 * the draft. Anything else is a failure that blocks in hard mode.
 */
export type RuleFailure = { ruleId: 'GUARD-001' | 'GUARD-002' | 'GUARD-003' | 'GUARD-004' | 'GUARD-005' | CopyRuleId; message: string; severity?: 'block' | 'flag' };
export type Evidence = { type: 'company_specific' | 'role_impact'; value: string; source: string };

export type QualityVerdict = {
  passed: boolean;
  mode: 'soft' | 'hard' | 'off';
  blockedReason: string | null;
  ruleFailures: RuleFailure[];
  evidence: Evidence[];
  rejectionMemoryHit: boolean;
  subAgentTrace: string;
};

export type GuardInput = {
  lead: LeadProfile;
  subject: string;
  body: string;
  fingerprint: string;
  memory: { count: number; fingerprints: readonly string[]; tags: readonly string[] } | undefined;
  /** The B subject, checked by the copy checks like the A subject. */
  subjectB?: string | undefined;
  /** A LinkedIn connection note, when the draft carries one. */
  linkedinNote?: string | null | undefined;
};

const BANNED_OPENERS = [
  /^given your role as/i,
  /^as (a |the )?(fellow )?\w+ at/i,
  /^i noticed (that )?you('re| are) (a |the )?\w+ at/i,
  /^(hi|hey|hello)[,!]? (i )?(came across|stumbled upon|noticed)/i,
  /^i hope this (email|message)? ?finds you/i,
  /^i wanted to reach out/i,
  /^i'm reaching out/i,
  /^quick question/i,
  /^i saw (that )?you('re| are)/i,
  /^just wanted to/i,
];

const GENERIC_PHRASES = [
  "in today's fast-paced",
  "in today's rapidly evolving",
  'leverage cutting-edge',
  'revolutionize your',
  'transform your business',
  'take your business to the next level',
  'unlock the power of',
  'harness the potential',
  'game-changing',
  'paradigm shift',
  'synergy',
  'best-in-class solution',
  'thought leader',
  'move the needle',
  'low-hanging fruit',
  'circle back',
  'deep dive into',
  'at the end of the day',
  'streamline your workflow',
];

const COMPANY_TERMS = [
  /\b(hiring|scaling|expanding|growing|launching|migrating)\b/i,
  /\b(tech stack|stack|platform|using|adopted|implemented)\b/i,
  /\b(event|conference|webinar|summit|workshop)\b/i,
  /\b(article|post|comment|podcast|interview)\b/i,
];
const ROLE_TERMS = [/\b(execution|operating cadence|operational|implementation)\b/i, /\b(strategy|strategic|decision|initiative|roadmap)\b/i, /\b(revenue|pipeline|growth|efficiency|productivity)\b/i];

/** The opener: the first non-empty line after a short greeting line. */
export const openerLine = (body: string): string => {
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0] ?? '';
  return /^(hi|hey|hello|dear)\b/i.test(first) && first.length < 40 ? (lines[1] ?? '') : first;
};

const evidenceIn = (lead: LeadProfile, body: string): Evidence[] => {
  const found: Evidence[] = [];
  const company = lead.company.name?.trim() ?? '';
  if (company.length > 2 && !['your company', 'the company'].includes(company.toLowerCase()) && body.includes(company)) found.push({ type: 'company_specific', value: company, source: 'company.name' });
  const term = COMPANY_TERMS.map((re) => re.exec(body)?.[0]).find(Boolean);
  if (term) found.push({ type: 'company_specific', value: term, source: 'body' });
  const titleWord = (lead.title ?? '').split(/[^a-z]+/i).find((w) => w.length >= 3 && new RegExp(`\\b${w}\\b`, 'i').test(body));
  if (titleWord) found.push({ type: 'role_impact', value: titleWord, source: 'title' });
  const role = ROLE_TERMS.map((re) => re.exec(body)?.[0]).find(Boolean);
  if (role) found.push({ type: 'role_impact', value: role, source: 'body' });
  return found;
};

/**
 * The five rules of spec/quality.md, then the copy checks, deterministic and pure. In soft mode
 * every rule still runs and is recorded, but the draft passes; in hard mode the first failure that
 * is not a flag blocks it.
 */
export const checkDraftQuality = (input: GuardInput, settings: QualitySettings): QualityVerdict => {
  if (!settings.enabled) return { passed: true, mode: 'off', blockedReason: null, ruleFailures: [], evidence: [], rejectionMemoryHit: false, subAgentTrace: '' };
  const failures: RuleFailure[] = [];
  let memoryHit = false;
  const memory = input.memory;
  if (memory && memory.count >= settings.maxRejections) {
    memoryHit = true;
    failures.push({ ruleId: 'GUARD-001', message: `rejected ${memory.count} times (max ${settings.maxRejections}); last tags: ${memory.tags.slice(-3).join(', ')}` });
  }
  if (memory?.fingerprints.includes(input.fingerprint)) {
    memoryHit = true;
    failures.push({ ruleId: 'GUARD-002', message: 'this exact draft was rejected before' });
  }
  const evidence = evidenceIn(input.lead, input.body);
  const signals = extractAllSignals(input.lead);
  const companyCount = evidence.filter((e) => e.type === 'company_specific').length;
  const roleCount = evidence.filter((e) => e.type === 'role_impact').length;
  if ((companyCount < 1 || roleCount < 1) && !signals.meetsMinimumEvidence) {
    failures.push({ ruleId: 'GUARD-003', message: `not enough personalization evidence (company-specific ${companyCount}, role-impact ${roleCount})` });
  }
  const opener = openerLine(input.body);
  const banned = BANNED_OPENERS.find((re) => re.test(opener));
  if (banned) failures.push({ ruleId: 'GUARD-004', message: `banned opener: "${opener.slice(0, 60)}"` });
  const lower = input.body.toLowerCase();
  const phrases = GENERIC_PHRASES.filter((p) => lower.includes(p));
  const sentences = Math.max(1, input.body.split(/[.!?]+/).filter((s) => s.trim()).length);
  const density = phrases.length / sentences;
  if (density > settings.genericPhraseDensity) failures.push({ ruleId: 'GUARD-005', message: `generic-phrase density ${density.toFixed(2)} > ${settings.genericPhraseDensity} (${phrases.join(', ')})` });
  if (settings.checks) failures.push(...checkCopy({ subjects: [input.subject, input.subjectB ?? ''], body: input.body, linkedinNote: input.linkedinNote }, settings.checks));

  const blocking = failures.filter((f) => f.severity !== 'flag');
  const passed = settings.mode === 'soft' || blocking.length === 0;
  return { passed, mode: settings.mode, blockedReason: passed ? null : blocking[0]!.message, ruleFailures: failures, evidence, rejectionMemoryHit: memoryHit, subAgentTrace: signals.trace.join('|') };
};
