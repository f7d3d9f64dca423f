/**
 * The browser demo's inputs and its answers computed in plain JavaScript (float64), shared
 * by the demo (which checks Tessera against them in the page) and by the browser test.
 * Black-Scholes prices as in examples/blackscholes_model.ts.
 */
export interface DemoSizes {
  options: number;
  matrix: number;
}
export const DEFAULT_SIZES: DemoSizes = { options: 1 << 20, matrix: 256 };

/** Option inputs, float32: spot 5–30, strike 1–100, years 0.25–10 (a fixed scramble of i). */
export function optionInputs(n: number): { S: Float32Array; X: Float32Array; T: Float32Array } {
  const S = new Float32Array(n),
    X = new Float32Array(n),
    T = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    S[i] = 5 + 25 * (((i * 7919) % 1000) / 1000);
    X[i] = 1 + 99 * (((i * 104729) % 997) / 997);
    T[i] = 0.25 + 9.75 * (((i * 15485863) % 991) / 991);
  }
  return { S, X, T };
}

/** An m×m float32 matrix of multiples of 1/64 in [0, 1): each entry of a product is exact. */
export function matrix(m: number, salt: number): Float32Array {
  const a = new Float32Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = ((i * 31 + j * 17 + salt) % 64) / 64;
  return a;
}

/** Numbers the demo reports; the same names in Tessera's answers and in `reference`. */
export interface DemoNumbers {
  callSum: number;
  putSum: number;
  /** sum(sqrt(S² + X²) · 0.5 − T): a fused elementwise chain and its reduction. */
  chainSum: number;
  /** C = A @ B: C[0,0] and C[m-1,m-2] (exact in float32), trace(C) and sum(C). */
  c00: number;
  cLast: number;
  trace: number;
  cSum: number;
  /** sum(np.linalg.solve(M, v)) for the small system `linearSystem` (LAPACK, or the portable one in a browser). */
  solveSum: number;
  /** sum(|np.fft.fft(S)|²) / n for S in float64: Σ S² by Parseval (compiled passes, or the JS ones in a browser). */
  fftEnergy: number;
}

/** A small diagonally dominant system M·x = v (float64), row-major. */
export function linearSystem(n = 6): { M: number[]; v: number[] } {
  const M: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M.push(i === j ? 10 + i : 1 / (i + j + 1));
  return { M, v: Array.from({ length: n }, (_, i) => i + 1) };
}

/** Gaussian elimination (no pivoting needed: M is diagonally dominant). */
function solveSmall(M: readonly number[], v: readonly number[]): number[] {
  const n = v.length,
    a = [...M],
    b = [...v];
  for (let k = 0; k < n; k++)
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / a[k * n + k];
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) b[i] -= a[i * n + j] * b[j];
    b[i] /= a[i * n + i];
  }
  return b;
}

const R = 0.02,
  V = 0.3;
function cnd(d: number): number {
  const K = 1 / (1 + 0.2316419 * Math.abs(d));
  const c =
    0.3989422804014327 * Math.exp(-0.5 * d * d) * (K * (0.31938153 + K * (-0.356563782 + K * (1.781477937 + K * (-1.821255978 + K * 1.330274429)))));
  return d > 0 ? 1 - c : c;
}

export function reference(sizes: DemoSizes): DemoNumbers {
  const { S, X, T } = optionInputs(sizes.options);
  let callSum = 0,
    putSum = 0,
    chainSum = 0,
    fftEnergy = 0;
  for (let i = 0; i < sizes.options; i++) {
    const s = S[i],
      x = X[i],
      t = T[i];
    const d1 = (Math.log(s / x) + t * (R + 0.5 * V * V)) / (V * Math.sqrt(t));
    const d2 = d1 - V * Math.sqrt(t);
    const e = Math.exp(-R * t);
    callSum += s * cnd(d1) - x * e * cnd(d2);
    putSum += x * e * (1 - cnd(d2)) - s * (1 - cnd(d1));
    chainSum += Math.sqrt(s * s + x * x) * 0.5 - t;
    fftEnergy += s * s;
  }
  const m = sizes.matrix,
    A = matrix(m, 0),
    B = matrix(m, 5);
  const C = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < m; k++) {
      const a = A[i * m + k];
      for (let j = 0; j < m; j++) C[i * m + j] += a * B[k * m + j];
    }
  let trace = 0,
    cSum = 0;
  for (let i = 0; i < m; i++) trace += C[i * m + i];
  for (let i = 0; i < m * m; i++) cSum += C[i];
  const sys = linearSystem();
  const solveSum = solveSmall(sys.M, sys.v).reduce((x, y) => x + y, 0);
  return { callSum, putSum, chainSum, c00: C[0], cLast: C[(m - 1) * m + m - 2], trace, cSum, solveSum, fftEnergy };
}

/** Allowed relative error per number: float32 sums and WGSL's few-ulp transcendentals. */
export const TOLERANCE: Record<keyof DemoNumbers, number> = {
  callSum: 1e-4,
  putSum: 1e-4,
  chainSum: 1e-4,
  c00: 0,
  cLast: 0,
  trace: 1e-6,
  cSum: 1e-5,
  solveSum: 1e-12,
  fftEnergy: 1e-10,
};

/** Names of the numbers that differ from the reference beyond tolerance (empty: all agree). */
export function mismatches(got: DemoNumbers, want: DemoNumbers): string[] {
  return (Object.keys(TOLERANCE) as (keyof DemoNumbers)[]).filter((k) => {
    const tol = TOLERANCE[k] * Math.max(1, Math.abs(want[k]));
    return !(Math.abs(got[k] - want[k]) <= tol);
  });
}
