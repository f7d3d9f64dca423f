/**
 * QR factorisation by Householder reflectors (LAPACK's geqr2 / ung2r, unblocked), on
 * interleaved complex float64 storage: R and the reflectors come out as LAPACK's do, so Q
 * and R agree with NumPy's qr up to rounding.
 */
import { gatherV, larfg, larfLeft } from "./householder.js";

/** Factors the m×n `a` in place: R on and above the diagonal, reflector tails below, τ into `tau` (min(m,n) complex). */
export function geqrf(m: number, n: number, a: Float64Array, tau: Float64Array): void {
  const k = Math.min(m, n);
  const v = new Float64Array(2 * m);
  const t = new Float64Array(2);
  for (let i = 0; i < k; i++) {
    larfg(m - i, a, i + i * m, 1, t);
    tau[2 * i] = t[0];
    tau[2 * i + 1] = t[1];
    if (i < n - 1) {
      // Hᴴ from the left: τ conjugated.
      gatherV(a, i + 1 + i * m, 1, m - i, v);
      larfLeft(v, m - i, t[0], -t[1], a, m, i, i + 1, n);
    }
  }
}

/** Overwrites the m×n `a` (k reflectors from geqrf in its first k columns) by the first n columns of Q. */
export function orgqr(m: number, n: number, k: number, a: Float64Array, tau: Float64Array): void {
  const v = new Float64Array(2 * m);
  // Columns past the reflectors start as the identity's.
  for (let j = k; j < n; j++) {
    a.fill(0, 2 * j * m, 2 * (j + 1) * m);
    if (j < m) a[2 * (j + j * m)] = 1;
  }
  // Backward accumulation Q = H(0)·…·H(k−1), each step touching only its trailing block.
  for (let i = k - 1; i >= 0; i--) {
    const tr = tau[2 * i];
    const ti = tau[2 * i + 1];
    if (i < n - 1) {
      gatherV(a, i + 1 + i * m, 1, m - i, v);
      larfLeft(v, m - i, tr, ti, a, m, i, i + 1, n);
    }
    for (let r = i + 1; r < m; r++) {
      const p = 2 * (r + i * m);
      const xr = a[p];
      const xi = a[p + 1];
      a[p] = -(tr * xr - ti * xi);
      a[p + 1] = -(tr * xi + ti * xr);
    }
    const d = 2 * (i + i * m);
    a[d] = 1 - tr;
    a[d + 1] = -ti;
    for (let r = 0; r < i; r++) {
      a[2 * (r + i * m)] = 0;
      a[2 * (r + i * m) + 1] = 0;
    }
  }
}
