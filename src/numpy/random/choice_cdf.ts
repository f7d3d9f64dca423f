// The arithmetic of weighted sampling that choice and multinomial share in both APIs:
// NumPy's kahan_sum (the check that the probabilities sum to 1), the normalised cumulative
// distribution, and the search that maps a uniform draw to its category.

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
