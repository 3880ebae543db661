import { describe, expect, it } from 'vitest';
import { decideBatch, decideDraft } from '../../../src/simulation/simulated-reviewer.js';
import { parseSimulationSettings } from '../../../src/simulation/settings.js';

const reviewer = parseSimulationSettings(undefined).reviewer;
const drafts = Array.from({ length: 3000 }, (_, i) => ({ id: `lead-${i}:roi:1`, subjectA: 'Quick idea for your outbound team' }));

describe('the simulated reviewer', () => {
  it('approves, edits and rejects at the configured rates, the same way for the same seed', () => {
    const settings = { ...reviewer, approve: 0.6, edit: 0.2, reject: 0.2 };
    const decisions = drafts.map((d) => decideDraft(d, settings, 5));
    expect(drafts.map((d) => decideDraft(d, settings, 5))).toEqual(decisions);
    const share = (kind: string) => decisions.filter((d) => d.kind === kind).length / decisions.length;
    expect(share('approve')).toBeGreaterThan(0.55);
    expect(share('approve')).toBeLessThan(0.65);
    expect(share('edit')).toBeGreaterThan(0.16);
    expect(share('reject')).toBeGreaterThan(0.16);
  });

  it('a rejection carries one of the configured tags and a reason; an edit changes the subject', () => {
    const settings = { ...reviewer, approve: 0, edit: 0.5, reject: 0.5, tags: ['weak_subject', 'icp_mismatch'] };
    for (const d of drafts.slice(0, 200).map((x) => decideDraft(x, settings, 1))) {
      if (d.kind === 'reject') {
        expect(['weak_subject', 'icp_mismatch']).toContain(d.tag);
        expect(d.reason.length).toBeGreaterThan(0);
      } else if (d.kind === 'edit') expect(d.subject).not.toBe('Quick idea for your outbound team');
      else throw new Error('approve has rate 0');
    }
  });

  it('approves every batch at rate 1 and none at rate 0', () => {
    expect(Array.from({ length: 50 }, (_, i) => decideBatch(`b${i}`, { ...reviewer, batchApprove: 1 }, 1)).every(Boolean)).toBe(true);
    expect(Array.from({ length: 50 }, (_, i) => decideBatch(`b${i}`, { ...reviewer, batchApprove: 0 }, 1)).some(Boolean)).toBe(false);
  });
});
