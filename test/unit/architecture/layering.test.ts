import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const src = path.join(root, 'src');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });

/** One line per violation (a cycle lists its whole loop), so a failure says what to move. */
const describeViolation = (v: IViolation): string => {
  const loop = v.cycle?.length ? `\n      cycle: ${[v.from, ...v.cycle.map((step) => step.name)].join(' -> ')}` : '';
  return `  ${v.rule.name}: ${v.from} -> ${v.to}${loop}`;
};

describe('architecture', () => {
  it('keeps the layering of .dependency-cruiser.cjs: no cycles, a pure domain, nothing importing the composition root, adapters through ports', async () => {
    const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
    const { output } = await cruise(['src'], { ...options, baseDir: root });
    const result = output as ICruiseResult;

    // Every source file was parsed (a missing TypeScript parser would cruise nothing and pass).
    const cruised = result.modules.filter((m) => m.source.startsWith('src/')).map((m) => m.source);
    expect(cruised.sort()).toEqual(
      filesUnder(src)
        .map((f) => path.relative(root, f).split(path.sep).join('/'))
        .sort(),
    );
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(cruised.length);

    const violations = result.summary.violations;
    expect(violations.length, `${violations.length} layering violation(s):\n${violations.map(describeViolation).join('\n')}\n(rules and layers: .dependency-cruiser.cjs)`).toBe(0);
  }, 120_000);

  it('reads the environment only in src/config and the composition root', () => {
    for (const file of filesUnder(src)) {
      const rel = path.relative(src, file);
      if (rel.startsWith('config/') || rel === 'cli/io.ts') continue;
      expect(readFileSync(file, 'utf8'), rel).not.toMatch(/process\.env/);
    }
  });

  it('writes no console output from src (logs go through pino, output through stdout writes)', () => {
    for (const file of filesUnder(src)) expect(readFileSync(file, 'utf8'), path.relative(src, file)).not.toMatch(/console\.(log|error|warn|info)/);
  });
});
