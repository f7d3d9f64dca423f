/**
 * Working storage of the portable LAPACK: every matrix is computed on as an interleaved
 * complex float64 array (re, im lanes, column-major), whatever the caller's precision. Real
 * input gets zero imaginary lanes, and the algorithms keep them exactly zero (real data only
 * ever meets real rotations and real reflector scalars), so one code path serves s, d, c and z.
 */
import type { Lanes, Prec } from "../lapack_api.js";

/** Whether `prec` names a complex element type. */
export function isComplex(prec: Prec): boolean {
  return prec === "c" || prec === "z";
}

/** The caller's `count` elements as interleaved complex float64 (a copy). */
export function load(prec: Prec, src: Lanes, count: number): Float64Array {
  const out = new Float64Array(2 * count);
  if (isComplex(prec)) for (let i = 0; i < 2 * count; i++) out[i] = src[i];
  else for (let i = 0; i < count; i++) out[2 * i] = src[i];
  return out;
}

/** Writes `count` interleaved complex elements back in the caller's layout (real part only for s, d). */
export function store(prec: Prec, src: Float64Array, dst: Lanes, count: number): void {
  if (isComplex(prec)) for (let i = 0; i < 2 * count; i++) dst[i] = src[i];
  else for (let i = 0; i < count; i++) dst[i] = src[2 * i];
}

/** The unit roundoff LAPACK's ?lamch("E") reports for the caller's precision. */
export function epsFor(prec: Prec): number {
  return prec === "s" || prec === "c" ? 2 ** -24 : 2 ** -53;
}

/** sqrt(a² + b²) without overflow or underflow in between. */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const w = x > y ? x : y;
  const z = x > y ? y : x;
  if (z === 0 || w === Infinity) return w;
  const r = z / w;
  return w * Math.sqrt(1 + r * r);
}

/** Euclidean norm of `n` complex elements of `a` starting at element `off` with element stride `inc`. */
export function nrm2(a: Float64Array, off: number, n: number, inc = 1): number {
  // Scaled sum of squares (as dnrm2) so that huge or tiny entries neither overflow nor vanish.
  let scale = 0;
  let ssq = 1;
  for (let i = 0, p = 2 * off; i < n; i++, p += 2 * inc) {
    for (let t = 0; t < 2; t++) {
      const v = a[p + t];
      if (v !== 0) {
        const av = Math.abs(v);
        if (scale < av) {
          const r = scale / av;
          ssq = 1 + ssq * r * r;
          scale = av;
        } else {
          const r = av / scale;
          ssq += r * r;
        }
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** The complex identity matrix of order n (interleaved). */
export function identity(n: number): Float64Array {
  const z = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) z[2 * (i + i * n)] = 1;
  return z;
}

/** (xr + i·xi) / (yr + i·yi) by Smith's scaling. */
export function cdiv(xr: number, xi: number, yr: number, yi: number): [number, number] {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr;
    const d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  }
  const r = yr / yi;
  const d = yi + r * yr;
  return [(r * xr + xi) / d, (r * xi - xr) / d];
}
