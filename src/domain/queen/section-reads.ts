import type { ToolOutcome } from './results.js';

/** The result of a tool that ran, or undefined when it did not (not planned, refused, failed or held). */
export const resultOf = <T>(outcomes: readonly ToolOutcome[], tool: string): T | undefined => outcomes.find((o) => o.tool === tool && o.status === 'ok')?.result as T | undefined;

export const countsList = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Counts for the keys named, those present and above zero, in the order named. */
export const pick = (counts: Record<string, number>, keys: readonly string[]): Record<string, number> => Object.fromEntries(keys.flatMap((k) => (counts[k] ? [[k, counts[k]] as const] : [])));

/** "1 booked meeting", "3 booked meetings": a count from a result with its noun. */
export const counted = (n: number, noun: string, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;
