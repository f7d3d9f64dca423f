/**
 * LU factorisation with partial pivoting (LAPACK's getrf / getrs / gesv), on interleaved
 * complex float64 storage (complex.ts). The pivot of column j is the first row holding the
 * largest |re| + |im| (i?amax's measure, which is |x| for real data), so pivots and factors
 * are LAPACK's up to rounding.
 */
import { cdiv, hypot } from "./complex.js";
import { recip } from "./householder.js";

/** Factors the m×n `a` in place as P·L·U; 1-based row swaps into `ipiv`. Returns LAPACK's info. */
export function getrf(m: number, n: number, a: Float64Array, ipiv: Int32Array): number {
  let info = 0;
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    const col = 2 * j * m;
    // i?amax: the first entry's magnitude is the initial best, so a NaN there is never displaced.
    let p = j;
    let best = Math.abs(a[col + 2 * j]) + Math.abs(a[col + 2 * j + 1]);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[col + 2 * i]) + Math.abs(a[col + 2 * i + 1]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    ipiv[j] = p + 1;
    const pr = a[col + 2 * p];
    const pi = a[col + 2 * p + 1];
    if (pr !== 0 || pi !== 0) {
      if (p !== j) swapRows(a, m, n, j, p);
      // Multipliers scaled by the pivot's reciprocal, as LAPACK does (rounding like it),
      // or divided by a pivot so small that its reciprocal would overflow.
      if (hypot(pr, pi) >= 2 ** -1022) {
        const [rr, ri] = recip(pr, pi);
        for (let i = j + 1; i < m; i++) {
          const x = a[col + 2 * i];
          const y = a[col + 2 * i + 1];
          a[col + 2 * i] = x * rr - y * ri;
          a[col + 2 * i + 1] = x * ri + y * rr;
        }
      } else {
        for (let i = j + 1; i < m; i++) {
          const [x, y] = cdiv(a[col + 2 * i], a[col + 2 * i + 1], pr, pi);
          a[col + 2 * i] = x;
          a[col + 2 * i + 1] = y;
        }
      }
    } else if (info === 0) {
      // An exactly zero pivot: recorded, and the factorisation goes on (its column is all zero).
      info = j + 1;
    }
    // Rank-1 update of the trailing block, one column at a time (column-major friendly).
    for (let c = j + 1; c < n; c++) {
      const cc = 2 * c * m;
      const ur = a[cc + 2 * j];
      const ui = a[cc + 2 * j + 1];
      if (ur === 0 && ui === 0) continue;
      for (let i = j + 1; i < m; i++) {
        const lr = a[col + 2 * i];
        const li = a[col + 2 * i + 1];
        a[cc + 2 * i] -= lr * ur - li * ui;
        a[cc + 2 * i + 1] -= lr * ui + li * ur;
      }
    }
  }
  return info;
}

/** Swaps rows r and s of the m×n matrix `a`. */
function swapRows(a: Float64Array, m: number, n: number, r: number, s: number): void {
  for (let c = 0; c < n; c++) {
    const x = 2 * (r + c * m);
    const y = 2 * (s + c * m);
    const t0 = a[x];
    const t1 = a[x + 1];
    a[x] = a[y];
    a[x + 1] = a[y + 1];
    a[y] = t0;
    a[y + 1] = t1;
  }
}

/** Solves A·X = B with getrf's factors of the n×n A, for the n×nrhs `b` in place (getrs, "N"). */
export function getrs(n: number, nrhs: number, lu: Float64Array, ipiv: Int32Array, b: Float64Array): void {
  for (let j = 0; j < n; j++) if (ipiv[j] - 1 !== j) swapRows(b, n, nrhs, j, ipiv[j] - 1);
  for (let c = 0; c < nrhs; c++) {
    const bc = 2 * c * n;
    // L·y = P·b (unit lower), column-oriented.
    for (let j = 0; j < n; j++) {
      const yr = b[bc + 2 * j];
      const yi = b[bc + 2 * j + 1];
      if (yr === 0 && yi === 0) continue;
      const col = 2 * j * n;
      for (let i = j + 1; i < n; i++) {
        const lr = lu[col + 2 * i];
        const li = lu[col + 2 * i + 1];
        b[bc + 2 * i] -= lr * yr - li * yi;
        b[bc + 2 * i + 1] -= lr * yi + li * yr;
      }
    }
    // U·x = y.
    for (let j = n - 1; j >= 0; j--) {
      const col = 2 * j * n;
      const ur = lu[col + 2 * j];
      const ui = lu[col + 2 * j + 1];
      const [xr, xi] = cdiv(b[bc + 2 * j], b[bc + 2 * j + 1], ur, ui);
      b[bc + 2 * j] = xr;
      b[bc + 2 * j + 1] = xi;
      if (xr === 0 && xi === 0) continue;
      for (let i = 0; i < j; i++) {
        const vr = lu[col + 2 * i];
        const vi = lu[col + 2 * i + 1];
        b[bc + 2 * i] -= vr * xr - vi * xi;
        b[bc + 2 * i + 1] -= vr * xi + vi * xr;
      }
    }
  }
}

/**
 * Solves Aᵀ·X = B (transpose, not conjugate) with getrf's factors of the n×n A = P·L·U, for
 * the n×nrhs `b` in place (getrs, "T"): Uᵀ·z = b, then Lᵀ·w = z, then x = P·w.
 */
export function getrsT(n: number, nrhs: number, lu: Float64Array, ipiv: Int32Array, b: Float64Array): void {
  for (let c = 0; c < nrhs; c++) {
    const bc = 2 * c * n;
    // Uᵀ·z = b: forward, Uᵀ lower with U's diagonal.
    for (let j = 0; j < n; j++) {
      const col = 2 * j * n;
      let sr = b[bc + 2 * j],
        si = b[bc + 2 * j + 1];
      for (let i = 0; i < j; i++) {
        const ur = lu[col + 2 * i],
          ui = lu[col + 2 * i + 1];
        const zr = b[bc + 2 * i],
          zi = b[bc + 2 * i + 1];
        sr -= ur * zr - ui * zi;
        si -= ur * zi + ui * zr;
      }
      const [xr, xi] = cdiv(sr, si, lu[col + 2 * j], lu[col + 2 * j + 1]);
      b[bc + 2 * j] = xr;
      b[bc + 2 * j + 1] = xi;
    }
    // Lᵀ·w = z: backward, Lᵀ unit upper.
    for (let j = n - 1; j >= 0; j--) {
      const col = 2 * j * n;
      let sr = b[bc + 2 * j],
        si = b[bc + 2 * j + 1];
      for (let i = j + 1; i < n; i++) {
        const lr = lu[col + 2 * i],
          li = lu[col + 2 * i + 1];
        const wr = b[bc + 2 * i],
          wi = b[bc + 2 * i + 1];
        sr -= lr * wr - li * wi;
        si -= lr * wi + li * wr;
      }
      b[bc + 2 * j] = sr;
      b[bc + 2 * j + 1] = si;
    }
  }
  // x = P·w: the row swaps undone in reverse order.
  for (let j = n - 1; j >= 0; j--) if (ipiv[j] - 1 !== j) swapRows(b, n, nrhs, j, ipiv[j] - 1);
}
