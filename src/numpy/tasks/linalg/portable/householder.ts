/**
 * Householder reflectors H = I − τ·v·vᴴ (v[0] = 1) as LAPACK's zlarfg / zlarf define them,
 * on interleaved complex float64 storage. Real data gives dlarfg's reflectors exactly.
 */
import { hypot, nrm2 } from "./complex.js";

/**
 * zlarfg: for the n-vector (α, x) stored at element `off` (α) and then every `inc` elements,
 * finds τ and v with Hᴴ·(α, x) = (β, 0), β real = −sign(Re α)·‖(α, x)‖. Overwrites α by β and
 * x by v's tail; writes τ into `tau` [re, im]. τ = 0 (H = I) when x = 0 and α is real, so
 * for real data a 1-vector gives τ = 0 as dlarfg does; a complex 1-vector gets its α made real.
 */
export function larfg(n: number, a: Float64Array, off: number, inc: number, tau: Float64Array): void {
  tau[0] = 0;
  tau[1] = 0;
  if (n <= 0) return;
  let ar = a[2 * off];
  let ai = a[2 * off + 1];
  let xnorm = n > 1 ? nrm2(a, off + inc, n - 1, inc) : 0;
  if (xnorm === 0 && ai === 0) return;
  let beta = -Math.sign(ar || 1) * hypot(hypot(ar, ai), xnorm);
  // A tiny β loses accuracy: scale the vector up first, as zlarfg does, and β back at the end.
  const safmin = 2 ** -969;
  let knt = 0;
  if (Math.abs(beta) < safmin) {
    do {
      knt++;
      for (let i = 1, p = 2 * (off + inc); i < n; i++, p += 2 * inc) {
        a[p] /= safmin;
        a[p + 1] /= safmin;
      }
      beta /= safmin;
      ar /= safmin;
      ai /= safmin;
    } while (Math.abs(beta) < safmin && knt < 20);
    xnorm = n > 1 ? nrm2(a, off + inc, n - 1, inc) : 0;
    beta = -Math.sign(ar || 1) * hypot(hypot(ar, ai), xnorm);
  }
  tau[0] = (beta - ar) / beta;
  tau[1] = -ai / beta;
  // x ← x / (α − β), by the reciprocal as zladiv(1, α − β) then zscal do.
  const dr = ar - beta;
  const di = ai;
  const [rr, ri] = recip(dr, di);
  for (let i = 1, p = 2 * (off + inc); i < n; i++, p += 2 * inc) {
    const xr = a[p];
    const xi = a[p + 1];
    a[p] = xr * rr - xi * ri;
    a[p + 1] = xr * ri + xi * rr;
  }
  for (let j = 0; j < knt; j++) beta *= safmin;
  a[2 * off] = beta;
  a[2 * off + 1] = 0;
}

/** 1 / (re + i·im), scaled (Smith's method) so that neither part overflows needlessly. */
export function recip(re: number, im: number): [number, number] {
  if (im === 0) return [1 / re, 0];
  if (Math.abs(re) >= Math.abs(im)) {
    const r = im / re;
    const d = re + im * r;
    return [1 / d, -r / d];
  }
  const r = re / im;
  const d = re * r + im;
  return [r / d, -1 / d];
}

/**
 * Copies the reflector vector (1, x) of length `len` from `a` (x at element `off`, stride `inc`)
 * into the contiguous `v`, so that v[0] = 1 need not be written into the matrix.
 */
export function gatherV(a: Float64Array, off: number, inc: number, len: number, v: Float64Array): void {
  v[0] = 1;
  v[1] = 0;
  for (let i = 1, p = 2 * off; i < len; i++, p += 2 * inc) {
    v[2 * i] = a[p];
    v[2 * i + 1] = a[p + 1];
  }
}

/**
 * C ← (I − τ·v·vᴴ)·C for the block rows r0 … r0+len−1, columns c0 … c1−1 of the column-major
 * `c` with leading dimension `ld` (zlarf "Left"); v contiguous, length len.
 */
export function larfLeft(
  v: Float64Array,
  len: number,
  tr: number,
  ti: number,
  c: Float64Array,
  ld: number,
  r0: number,
  c0: number,
  c1: number,
): void {
  if (tr === 0 && ti === 0) return;
  for (let j = c0; j < c1; j++) {
    const base = 2 * (r0 + j * ld);
    // s = vᴴ·C[:, j]
    let sr = 0;
    let si = 0;
    for (let i = 0; i < len; i++) {
      const vr = v[2 * i];
      const vi = v[2 * i + 1];
      const xr = c[base + 2 * i];
      const xi = c[base + 2 * i + 1];
      sr += vr * xr + vi * xi;
      si += vr * xi - vi * xr;
    }
    // C[:, j] −= (τ·s)·v
    const fr = tr * sr - ti * si;
    const fi = tr * si + ti * sr;
    if (fr === 0 && fi === 0) continue;
    for (let i = 0; i < len; i++) {
      const vr = v[2 * i];
      const vi = v[2 * i + 1];
      c[base + 2 * i] -= fr * vr - fi * vi;
      c[base + 2 * i + 1] -= fr * vi + fi * vr;
    }
  }
}

/**
 * C ← C·(I − τ·v·vᴴ) for rows r0 … r1−1, columns c0 … c0+len−1 of the column-major `c`
 * (zlarf "Right"); `w` is workspace of at least 2·(r1 − r0) lanes.
 */
export function larfRight(
  v: Float64Array,
  len: number,
  tr: number,
  ti: number,
  c: Float64Array,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  w: Float64Array,
): void {
  if (tr === 0 && ti === 0) return;
  const rows = r1 - r0;
  w.fill(0, 0, 2 * rows);
  // w = C·v
  for (let j = 0; j < len; j++) {
    const vr = v[2 * j];
    const vi = v[2 * j + 1];
    if (vr === 0 && vi === 0) continue;
    const base = 2 * (r0 + (c0 + j) * ld);
    for (let i = 0; i < rows; i++) {
      const xr = c[base + 2 * i];
      const xi = c[base + 2 * i + 1];
      w[2 * i] += xr * vr - xi * vi;
      w[2 * i + 1] += xr * vi + xi * vr;
    }
  }
  // C[:, j] −= w·(τ·conj(v_j))
  for (let j = 0; j < len; j++) {
    const vr = v[2 * j];
    const vi = -v[2 * j + 1];
    const fr = tr * vr - ti * vi;
    const fi = tr * vi + ti * vr;
    if (fr === 0 && fi === 0) continue;
    const base = 2 * (r0 + (c0 + j) * ld);
    for (let i = 0; i < rows; i++) {
      const xr = w[2 * i];
      const xi = w[2 * i + 1];
      c[base + 2 * i] -= xr * fr - xi * fi;
      c[base + 2 * i + 1] -= xr * fi + xi * fr;
    }
  }
}
