import { describe, expect, it } from 'vitest';
import { ghlSendWindows } from '../../../src/domain/sending/index.js';

const NOW = new Date('2026-03-04T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('ghlSendWindows', () => {
  it('counts GHL sends in the last minute, hour and day', () => {
    const history = [ago(5_000), ago(59_999), ago(60_001), ago(3_599_999), ago(3_600_001), ago(86_399_999)].map((at) => ({ at, provider: 'ghl' }));
    expect(ghlSendWindows(history, NOW)).toEqual({ lastMinute: 2, lastHour: 4, lastDay: 6 });
  });

  it('is rolling: a send exactly one window ago is out of that window', () => {
    const history = [ago(60_000), ago(3_600_000), ago(86_400_000)].map((at) => ({ at, provider: 'ghl' }));
    expect(ghlSendWindows(history, NOW)).toEqual({ lastMinute: 0, lastHour: 1, lastDay: 2 });
  });

  it('leaves out the other providers (they pace their own sends)', () => {
    const history = [
      { at: ago(1_000), provider: 'instantly' },
      { at: ago(1_000), provider: 'heyreach' },
      { at: ago(1_000), provider: 'ghl' },
    ];
    expect(ghlSendWindows(history, NOW)).toEqual({ lastMinute: 1, lastHour: 1, lastDay: 1 });
    expect(ghlSendWindows([], NOW)).toEqual({ lastMinute: 0, lastHour: 0, lastDay: 0 });
  });
});
