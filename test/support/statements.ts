import pg from 'pg';

/**
 * What this process sends to PostgreSQL while `work` runs, counted at the driver (every pool query,
 * transaction and drizzle statement goes through `pg.Client.prototype.query`): the statements, how
 * many of them open a transaction, and what `work` returned.
 */
export const statementsDuring = async <T>(work: () => Promise<T>): Promise<{ statements: number; transactions: number; value: T }> => {
  const prototype = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = prototype.query;
  let statements = 0;
  let transactions = 0;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && /^\s*begin\b/i.test(text)) transactions += 1;
    return original.apply(this, args);
  };
  try {
    const value = await work();
    return { statements, transactions, value };
  } finally {
    prototype.query = original;
  }
};
