import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('architecture', () => {
  it('keeps the domain pure: no node:*, store, providers, config, server or CLI imports', () => {
    for (const file of filesUnder(path.join(src, 'domain'))) {
      for (const spec of importsOf(file)) {
        expect(spec, `${path.relative(src, file)} imports ${spec}`).not.toMatch(/^node:|\/(store|providers|config|server|cli|pipeline)\//);
      }
    }
  });

  it('reads the environment only in src/config and the composition root', () => {
    for (const file of filesUnder(src)) {
      const rel = path.relative(src, file);
      if (rel.startsWith('config/') || rel.startsWith('cli/options.ts')) continue;
      expect(readFileSync(file, 'utf8'), rel).not.toMatch(/process\.env/);
    }
  });

  it('writes no console output from src (logs go through pino, output through stdout writes)', () => {
    for (const file of filesUnder(src)) expect(readFileSync(file, 'utf8'), path.relative(src, file)).not.toMatch(/console\.(log|error|warn|info)/);
  });
});
