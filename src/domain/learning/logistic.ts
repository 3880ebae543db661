/**
 * A small logistic regression fitted by IRLS (Newton's method) with a weak ridge penalty on the
 * slopes (lambda 1, the intercept unpenalised): deterministic (no random start, fixed iteration
 * cap), and finite even when a feature separates the outcomes perfectly. Standard errors come from
 * the inverse of the penalised Hessian.
 */
export type LogisticFit = { intercept: number; coefficients: number[]; standardErrors: number[]; iterations: number; converged: boolean };

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite here). */
const solve = (a: number[][], b: number[]): number[] => {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const d = m[col]![col]!;
    if (Math.abs(d) < 1e-12) throw new Error('singular system');
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / d;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
};

const invert = (a: number[][]): number[][] => {
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) =>
    solve(
      a,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => columns[j]![i]!));
};

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

export const fitLogistic = (rows: readonly { x: readonly number[]; y: 0 | 1 }[], options: { lambda?: number; maxIterations?: number } = {}): LogisticFit => {
  const lambda = options.lambda ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const k = (rows[0]?.x.length ?? 0) + 1;
  const design = rows.map((r) => [1, ...r.x]);
  let beta = Array.from({ length: k }, () => 0);
  let hessian: number[][] = [];
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations++) {
    const gradient = Array.from({ length: k }, () => 0);
    hessian = Array.from({ length: k }, () => Array.from({ length: k }, () => 0));
    design.forEach((x, i) => {
      const p = sigmoid(x.reduce((s, v, j) => s + v * beta[j]!, 0));
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        gradient[a]! += (rows[i]!.y - p) * x[a]!;
        for (let b = 0; b < k; b++) hessian[a]![b]! += w * x[a]! * x[b]!;
      }
    });
    for (let j = 1; j < k; j++) {
      gradient[j]! -= lambda * beta[j]!;
      hessian[j]![j]! += lambda;
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b + step[j]!);
    converged = Math.max(...step.map(Math.abs)) < 1e-8;
  }
  const cov = invert(hessian);
  return { intercept: beta[0]!, coefficients: beta.slice(1), standardErrors: cov.slice(1).map((row, j) => Math.sqrt(Math.max(0, row[j + 1]!))), iterations, converged };
};
