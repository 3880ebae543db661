import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../../src/store/database.js';

describe('committed migrations', () => {
  it('name no schema, so they apply inside whatever schema search_path selects', () => {
    const folder = migrationsFolder();
    const files = readdirSync(folder).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(path.join(folder, file), 'utf8'), file).not.toMatch(/"public"\./);
  });

  it('use nothing newer than PostgreSQL 15 has (uuidv7 is 18-only)', () => {
    const folder = migrationsFolder();
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.sql'))) {
      expect(readFileSync(path.join(folder, file), 'utf8'), file).not.toMatch(/uuidv7\(/);
    }
  });
});
