// The arithmetic of weighted sampling that choice and multinomial share in both APIs:
// NumPy's kahan_sum (the check that the probabilities sum to 1), choice's checks of `p`,
// the normalised cumulative distribution, and the search that maps a uniform draw to its
// category.

import { ValueError } from "../errors.js";
import { ndarray } from "../ndarray.js";
import { hostParam } from "./legacy_params.js";

/** NumPy's kahan_sum over d[off .. off + n). */
export function kahanSum(d: Float64Array, off = 0, n = d.length - off): number {
  if (n <= 0) return 0;
  let sum = d[off]!,
    c = 0;
  for (let i = 1; i < n; i++) {
    const y = d[off + i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}

/** cdf = cumsum(p) / cdf[-1], as choice builds it. */
export function normalizedCdf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = acc += p[i]!;
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** searchsorted(cdf, x, side='right'). */
export function searchRight(cdf: Float64Array, x: number): number {
  let lo = 0,
    hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < cdf[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** choice's messages about `p`: RandomState's (mtrand.pyx) and the Generator's (_generator.pyx). */
const P_MESSAGES = {
  legacy: [
    "'p' must be 1-dimensional",
    "'a' and 'p' must have same size",
    "probabilities contain NaN",
    "probabilities are not non-negative",
    "probabilities do not sum to 1",
  ],
  generator: [
    "p must be 1-dimensional",
    "a and p must have same size",
    "Probabilities contain NaN",
    "Probabilities are not non-negative",
    "Probabilities do not sum to 1. See Notes section of docstring for more information.",
  ],
} as const;

/** choice's `p`: 1-d, one per member of the population, non-negative, summing to 1 within sqrt(eps) of its float dtype. */
export function choiceProbabilities(pArg: unknown, pop: number, api: keyof typeof P_MESSAGES): Float64Array {
  const [notOneD, sizes, nan, negative, sum] = P_MESSAGES[api];
  let atol = Math.sqrt(2.220446049250313e-16);
  if (pArg instanceof ndarray && pArg.dtype.name === "float32") atol = Math.max(atol, Math.sqrt(1.1920928955078125e-7));
  if (pArg instanceof ndarray && pArg.dtype.name === "float16") atol = Math.max(atol, Math.sqrt(0.0009765625));
  const hp = hostParam(pArg);
  if (hp.shape.length !== 1) throw new ValueError(notOneD);
  if (hp.data.length !== pop) throw new ValueError(sizes);
  const p = hp.data;
  const pSum = kahanSum(p);
  if (Number.isNaN(pSum)) throw new ValueError(nan);
  if (p.some((x) => x < 0)) throw new ValueError(negative);
  if (Math.abs(pSum - 1) > atol) throw new ValueError(sum);
  return p;
}
