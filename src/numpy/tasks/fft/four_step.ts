import { unitRoot } from "./complex_plan.js";

/**
 * The twiddles of the four-step (Bailey) algorithm, which np.fft uses for one long transform
 * of n = n1·n2 points: n2 transforms of length n1 (the columns of x seen as n1 × n2), each
 * output k of column g multiplied by w^(k·g) with w = exp(∓2πi/n), then n1 transforms of
 * length n2 (the rows), written transposed. Both passes are batches, cut across workers.
 *
 * w^e comes from two tables of exp(2πi·e/n), lo[e mod L] and hi[e div L] (L about √n), as
 * their product; tessera/fft.h's tfft_twiddle computes the same products in the same order.
 */
export interface Twiddles {
  readonly n: number;
  readonly L: number;
  /** lo (L values), then hi (⌈n/L⌉ values), interleaved (re, im). */
  readonly table: Float64Array;
}

const cache = new Map<number, Twiddles>();

/** The tables for n points (cached per thread: a few recent lengths). */
export function twiddles(n: number): Twiddles {
  let t = cache.get(n);
  if (!t) {
    const L = Math.ceil(Math.sqrt(n));
    const H = Math.ceil(n / L);
    const table = new Float64Array(2 * (L + H));
    for (let e = 0; e < L; e++) [table[2 * e], table[2 * e + 1]] = unitRoot(e, n);
    for (let e = 0; e < H; e++) [table[2 * (L + e)], table[2 * (L + e) + 1]] = unitRoot(e * L, n);
    if (cache.size >= 8) cache.clear();
    t = { n, L, table };
    cache.set(n, t);
  }
  return t;
}

/** Multiply line g's m outputs (interleaved in c) by w^(k·g), as tfft_twiddle does. */
export function applyTwiddles(c: Float64Array, m: number, g: number, t: Twiddles, forward: boolean): void {
  const { n, L, table } = t;
  const s = forward ? -1 : 1;
  let e = 0;
  g %= n;
  for (let k = 0; k < m; k++) {
    const lo = 2 * (e % L),
      hi = 2 * (L + Math.floor(e / L));
    const ar = table[hi],
      ai = table[hi + 1],
      br = table[lo],
      bi = table[lo + 1];
    // p = hi·lo, then c·(p_re, s·p_im)
    const pr = ar * br - ai * bi,
      pi = s * (ar * bi + ai * br);
    const xr = c[2 * k],
      xi = c[2 * k + 1];
    c[2 * k] = xr * pr - xi * pi;
    c[2 * k + 1] = xr * pi + xi * pr;
    e += g;
    if (e >= n) e -= n;
  }
}

/** The split n = n1·n2 for the four-step algorithm (n1 ≤ n2, both at least MIN_SIDE), or null. */
export function fourStepSplit(n: number): [number, number] | null {
  for (let n1 = Math.floor(Math.sqrt(n)); n1 >= MIN_SIDE; n1--) if (n % n1 === 0) return [n1, n / n1];
  return null;
}
/** Shortest side: below it the column pass would be mostly twiddles and strides. */
const MIN_SIDE = 64;
