import { describe, expect, it } from 'vitest';
import { storeUnavailableOf } from '../../../src/store/connection-errors.js';

describe('a lost database connection is named, not dumped as a stack', () => {
  it('finds the driver code in the cause chain (drizzle wraps it) and ignores query errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Failed query: select 1', { cause: refused });
    expect(storeUnavailableOf(wrapped)).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
    expect(storeUnavailableOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(storeUnavailableOf(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(storeUnavailableOf(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(storeUnavailableOf('text')).toBeNull();
  });
});
