/**
 * Reduction to upper Hessenberg form by Householder similarity (LAPACK's gehd2 + unghr), on
 * interleaved complex float64 storage; real input stays real.
 */
import { identity } from "./complex.js";
import { gatherV, larfg, larfLeft, larfRight } from "./householder.js";

/**
 * Overwrites the n×n `a` by H = Qᴴ·A·Q (zeros below the subdiagonal), reducing only rows and
 * columns ilo … ihi (gebal leaves the rest triangular); returns Q when `wantQ`.
 */
export function hessenberg(n: number, a: Float64Array, wantQ: boolean, ilo = 0, ihi = n - 1): Float64Array | null {
  const tau = new Float64Array(2 * n);
  const v = new Float64Array(2 * n);
  const w = new Float64Array(2 * n);
  const t = new Float64Array(2);
  // Reflector k has length ihi − k; the last one (length 1) makes a complex subdiagonal entry real.
  for (let k = ilo; k < ihi; k++) {
    const len = ihi - k;
    larfg(len, a, k + 1 + k * n, 1, t);
    tau[2 * k] = t[0];
    tau[2 * k + 1] = t[1];
    gatherV(a, k + 2 + k * n, 1, len, v);
    larfRight(v, len, t[0], t[1], a, n, 0, ihi + 1, k + 1, w);
    larfLeft(v, len, t[0], -t[1], a, n, k + 1, k + 1, n);
  }
  let q: Float64Array | null = null;
  if (wantQ) {
    q = identity(n);
    for (let k = ihi - 1; k >= ilo; k--) {
      gatherV(a, k + 2 + k * n, 1, ihi - k, v);
      larfLeft(v, ihi - k, tau[2 * k], tau[2 * k + 1], q, n, k + 1, k + 1, ihi + 1);
    }
  }
  for (let j = 0; j < n; j++) a.fill(0, 2 * (j + 2 + j * n), 2 * (j + 1) * n);
  return q;
}
