/**
 * Minimum-norm least squares by the SVD (the results of LAPACK's gelsd): x = V·S⁺·Uᴴ·b where
 * singular values ≤ rcond·s[0] count as zero.
 */
import { svd } from "./svd.js";

/**
 * Solves min ‖a·x − b‖ for the m×n interleaved `a` (destroyed) and `b` (ldb = max(m,n) rows,
 * nrhs columns; x into its first n rows). `eps` is the unit roundoff used when rcond is
 * outside (0, 1), as LAPACK's dlalsd does.
 */
export function lstsq(
  m: number,
  n: number,
  nrhs: number,
  a: Float64Array,
  b: Float64Array,
  rcond: number,
  eps: number,
): { info: number; rank: number; s: Float64Array } {
  const ldb = Math.max(m, n);
  const k = Math.min(m, n);
  if (k === 0) {
    for (let c = 0; c < nrhs; c++) b.fill(0, 2 * c * ldb, 2 * (c * ldb + n));
    return { info: 0, rank: 0, s: new Float64Array(0) };
  }
  // a as given, for the residual (the SVD destroys it).
  const a0 = m > n ? a.slice(0, 2 * m * n) : null;
  const r = svd("S", m, n, a);
  if (r.info !== 0) return { info: r.info, rank: 0, s: r.s };
  const s = r.s;
  const u = r.u as Float64Array;
  const vt = r.vt as Float64Array;
  const rcnd = rcond <= 0 || rcond >= 1 ? eps : rcond;
  // A single singular value is kept unless exactly zero, as dlalsd's n = 1 case does.
  const tol = k === 1 ? 0 : rcnd * s[0];
  let rank = 0;
  while (rank < k && s[rank] > tol) rank++;
  const tmp = new Float64Array(2 * rank);
  for (let c = 0; c < nrhs; c++) {
    const bc = 2 * c * ldb;
    const b0 = b.slice(bc, bc + 2 * m);
    // tmp = S⁻¹·Uᴴ·b over the kept values.
    for (let i = 0; i < rank; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < m; j++) {
        const ur = u[2 * (j + i * m)];
        const ui = u[2 * (j + i * m) + 1];
        const xr = b[bc + 2 * j];
        const xi = b[bc + 2 * j + 1];
        sr += ur * xr + ui * xi;
        si += ur * xi - ui * xr;
      }
      tmp[2 * i] = sr / s[i];
      tmp[2 * i + 1] = si / s[i];
    }
    // x = V·tmp, V = vtᴴ.
    for (let j = 0; j < n; j++) {
      let xr = 0;
      let xi = 0;
      for (let i = 0; i < rank; i++) {
        const vr = vt[2 * (i + j * k)];
        const vi = -vt[2 * (i + j * k) + 1];
        xr += vr * tmp[2 * i] - vi * tmp[2 * i + 1];
        xi += vr * tmp[2 * i + 1] + vi * tmp[2 * i];
      }
      b[bc + 2 * j] = xr;
      b[bc + 2 * j + 1] = xi;
    }
    // Rows n..m-1: gelsd leaves there components of the residual whose squares sum to
    // ‖a·x − b‖² (when the rank is full); one entry carrying that norm does the same.
    if (a0) {
      let rr = 0;
      for (let i = 0; i < m; i++) {
        let re = b0[2 * i],
          im = b0[2 * i + 1];
        for (let j = 0; j < n; j++) {
          const ar = a0[2 * (i + j * m)],
            ai = a0[2 * (i + j * m) + 1];
          const xr = b[bc + 2 * j],
            xi = b[bc + 2 * j + 1];
          re -= ar * xr - ai * xi;
          im -= ar * xi + ai * xr;
        }
        rr += re * re + im * im;
      }
      b.fill(0, bc + 2 * n, bc + 2 * m);
      b[bc + 2 * n] = Math.sqrt(rr);
    }
  }
  return { info: 0, rank, s };
}
