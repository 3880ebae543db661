import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const problemsOf = (values: Record<string, unknown>) => {
  try {
    loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir', values });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('rb2b config', () => {
  it('a website visit is never mentioned in a draft unless the config says "topic"', () => {
    expect(loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir' }).rb2b.mentionVisit).toBe('never');
    expect(loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir', values: { rb2b: { mentionVisit: 'topic' } } }).rb2b.mentionVisit).toBe('topic');
  });

  it('refuses another value, an unknown key, and a targeting profile named like the visitor source, naming the key', () => {
    expect(problemsOf({ rb2b: { mentionVisit: 'page' } }).map((p) => p.key)).toEqual(['rb2b.mentionVisit']);
    expect(problemsOf({ rb2b: { mentionPages: true } }).map((p) => p.key)).toEqual(['rb2b.mentionPages']);
    expect(problemsOf({ discovery: { profiles: { rb2b: { industries: ['staffing'] } } } })).toEqual([{ key: 'discovery.profiles.rb2b', message: '"rb2b" is the website-visitor source; name the profile otherwise' }]);
  });
});
