import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { DEFAULT_COPY_CHECKS } from '../../../src/domain/quality/copy-checks.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const load = (quality: unknown) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-quality-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'caio.config.json'), JSON.stringify({ quality }));
  return loadConfig({ env: {}, cwd: dir });
};
const problemsOf = (quality: unknown) => {
  try {
    load(quality);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('quality.checks in the config', () => {
  it('defaults to the domain defaults and keeps what is set, check by check', () => {
    expect(load({}).quality.checks).toEqual(DEFAULT_COPY_CHECKS);
    const checks = load({ checks: { spamWords: { action: 'block' }, linkedinNote: { maxChars: 280 } } }).quality.checks;
    expect(checks.spamWords).toEqual({ action: 'block', words: DEFAULT_COPY_CHECKS.spamWords.words });
    expect(checks.linkedinNote).toEqual({ action: 'block', maxChars: 280 });
    expect(checks.bodyLength).toEqual(DEFAULT_COPY_CHECKS.bodyLength);
  });

  it.each([
    [{ checks: { spamWords: { action: 'warn' } } }, 'quality.checks.spamWords.action'],
    [{ checks: { bodyLength: { minWords: 400 } } }, 'quality.checks.bodyLength'],
    [{ checks: { linkedinNote: { maxChars: 301 } } }, 'quality.checks.linkedinNote.maxChars'],
    [{ checks: { links: { max: -1 } } }, 'quality.checks.links.max'],
    [{ checks: { spamWords: { words: [''] } } }, 'quality.checks.spamWords.words.0'],
    [{ checks: { emojis: { action: 'flag' } } }, 'quality.checks.emojis'],
  ])('refuses %j, naming %s', (quality, key) => {
    expect(problemsOf(quality).map((p) => p.key)).toEqual([key]);
  });
});
