import type { BatchPreview } from '../../dispatch/operator.js';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/**
 * What each item of a batch will send, copy included (a cadence step's own, crafted for the
 * lead), and what will be refused and why: a person approves the words, not only the list.
 */
export const renderBatchPreview = (p: BatchPreview): string => {
  const lines = ['What each item sends:'];
  for (const i of p.items) {
    lines.push(`  ${i.channel} ${i.step} to ${i.recipient}${i.subject === null && i.body === null ? ' (the provider campaign holds the message)' : ''}`);
    if (i.subject !== null) lines.push(`    Subject: ${i.subject}`);
    if (i.body !== null) lines.push(indent(i.body));
  }
  if (p.items.length === 0) lines.push('  nothing');
  if (p.refused.length) lines.push('Refused when run:', ...p.refused.map((r) => `  ${r.channel} lead ${r.leadId}: ${r.reason}`));
  return lines.join('\n');
};
