import type { LearningRow, ToolOutcome } from './results.js';
import { resultOf } from './section-reads.js';

/**
 * What the learning report says won and lost, in sections: the winning traits with their verdicts,
 * how confident those are, the ICP weight changes suggested (never applied from here) and the
 * changes a person can make next. Only verdicts the report gave are cited. Pure.
 */

type Verdicts = LearningRow['variants'];

const verdictsOf = (kind: string, v: Verdicts) => Object.entries(v).map(([metric, x]) => ({ what: `${kind} ${metric}`, verdict: x.verdict }));

export const learningSummarySections = (outcomes: readonly ToolOutcome[]): string[] => {
  const l = resultOf<LearningRow>(outcomes, 'learning.report');
  if (!l) return ['Winning traits: the learning report could not be read for this ask, so nothing is said about what won.'];
  if (l.sent === 0) return [`Winning traits: none; no lead was first e-mailed from ${l.since} to ${l.until}, so nothing won or lost yet.`];
  const all = [...verdictsOf('subject', l.variants), ...verdictsOf('angle', l.angles)];
  const winners = all.filter((x) => /^\S+ wins\b/.test(x.verdict));
  const leading = all.filter((x) => /^no winner yet\b/.test(x.verdict));
  const thin = all.filter((x) => /^not enough data\b/.test(x.verdict));
  const actions = [
    ...winners.map((x) => `keep what wins on ${x.what} (${x.verdict.split(' (')[0]}) in the copy a person edits`),
    ...(leading.length ? [`keep the test running where one side only leads (${leading.map((x) => x.what).join(', ')})`] : []),
    ...(thin.length ? [`collect at least ${l.minSample} sends per arm before judging ${thin.map((x) => x.what).join(', ')}`] : []),
    ...(l.suggestions.length ? ['a person decides on the weight suggestions above and edits the ICP config'] : []),
  ];
  return [
    `Winning traits (won vs lost from ${l.since} to ${l.until}): ${winners.length ? winners.map((x) => `${x.what}: ${x.verdict}`).join('; ') : `nothing wins yet at alpha ${l.alpha}`}.`,
    `Confidence: each rate above has its interval; a trait counts as winning only below alpha ${l.alpha} with at least ${l.minSample} sends per arm${leading.length || thin.length ? `, so ${[...leading, ...thin].map((x) => x.what).join(', ')} are not settled` : ''}.`,
    `Weight changes: ${l.suggestions.length ? l.suggestions.join(' ') : 'none suggested by the outcomes'}; suggestions only: the ICP weights change when a person edits the config, nothing is deployed from here.`,
    `Actionable changes for next week: ${actions.length ? actions.join('; ') : 'none the report supports yet'}.`,
  ];
};
