/**
 * Reduction to upper Hessenberg form by Householder similarity (LAPACK's gehd2 + unghr), on
 * interleaved complex float64 storage; real input stays real.
 */
import { identity } from "./complex.js";
import { gatherV, larfg, larfLeft, larfRight } from "./householder.js";

/** Overwrites the n×n `a` by H = Qᴴ·A·Q (zeros below the subdiagonal) and returns Q when `wantQ`. */
export function hessenberg(n: number, a: Float64Array, wantQ: boolean): Float64Array | null {
  const tau = new Float64Array(2 * n);
  const v = new Float64Array(2 * n);
  const w = new Float64Array(2 * n);
  const t = new Float64Array(2);
  for (let k = 0; k < n - 2; k++) {
    larfg(n - k - 1, a, k + 1 + k * n, 1, t);
    tau[2 * k] = t[0];
    tau[2 * k + 1] = t[1];
    gatherV(a, k + 2 + k * n, 1, n - k - 1, v);
    larfLeft(v, n - k - 1, t[0], -t[1], a, n, k + 1, k + 1, n);
    larfRight(v, n - k - 1, t[0], t[1], a, n, 0, n, k + 1, w);
  }
  let q: Float64Array | null = null;
  if (wantQ) {
    q = identity(n);
    for (let k = n - 3; k >= 0; k--) {
      gatherV(a, k + 2 + k * n, 1, n - k - 1, v);
      larfLeft(v, n - k - 1, tau[2 * k], tau[2 * k + 1], q, n, k + 1, k + 1, n);
    }
  }
  for (let j = 0; j < n; j++) a.fill(0, 2 * (j + 2 + j * n), 2 * (j + 1) * n);
  return q;
}
