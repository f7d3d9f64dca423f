/**
 * Eigenvectors of a real matrix from its real Schur form A = Z·T·Zᵀ: back substitution on the
 * quasi-triangular T as EISPACK's hqr2 does it (after JAMA's transcription; LAPACK's dtrevc
 * solves the same systems), then multiplication by Z.
 */
import { cdiv } from "./complex.js";

/**
 * For the n×n quasi-triangular `h` (destroyed) with eigenvalues `wr` + i·`wi` (pairs adjacent,
 * positive imaginary part first), overwrites `v` (holding Z) by the eigenvectors: column j for
 * a real eigenvalue, columns j, j+1 as the real and imaginary parts of the pair's first vector.
 */
export function schurVectors(nn: number, h: Float64Array, v: Float64Array, wr: Float64Array, wi: Float64Array): void {
  const H = (i: number, j: number): number => i + j * nn;
  const eps = 2 ** -52;
  let p: number;
  let q: number;
  let r = 0;
  let s = 0;
  let z = 0;
  let t: number;
  let w: number;
  let x: number;
  let y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(h[H(i, j)]);
  if (norm === 0) return;
  let n: number;
  // Back substitution: eigenvectors of the quasi-triangular form, stored over h's columns.
  for (n = nn - 1; n >= 0; n--) {
    p = wr[n];
    q = wi[n];
    if (q === 0) {
      let l = n;
      h[H(n, n)] = 1;
      for (let i = n - 1; i >= 0; i--) {
        w = h[H(i, i)] - p;
        r = 0;
        for (let j = l; j <= n; j++) r += h[H(i, j)] * h[H(j, n)];
        if (wi[i] < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (wi[i] === 0) {
            h[H(i, n)] = w !== 0 ? -r / w : -r / (eps * norm);
          } else {
            x = h[H(i, i + 1)];
            y = h[H(i + 1, i)];
            q = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i];
            t = (x * s - z * r) / q;
            h[H(i, n)] = t;
            h[H(i + 1, n)] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          // Overflow control.
          t = Math.abs(h[H(i, n)]);
          if (eps * t * t > 1) for (let j = i; j <= n; j++) h[H(j, n)] /= t;
        }
      }
    } else if (q < 0) {
      let l = n - 1;
      // The last component imaginary, so that the 2×2 block's equations are triangular.
      if (Math.abs(h[H(n, n - 1)]) > Math.abs(h[H(n - 1, n)])) {
        h[H(n - 1, n - 1)] = q / h[H(n, n - 1)];
        h[H(n - 1, n)] = -(h[H(n, n)] - p) / h[H(n, n - 1)];
      } else {
        const [cr, ci] = cdiv(0, -h[H(n - 1, n)], h[H(n - 1, n - 1)] - p, q);
        h[H(n - 1, n - 1)] = cr;
        h[H(n - 1, n)] = ci;
      }
      h[H(n, n - 1)] = 0;
      h[H(n, n)] = 1;
      for (let i = n - 2; i >= 0; i--) {
        let ra = 0;
        let sa = 0;
        for (let j = l; j <= n; j++) {
          ra += h[H(i, j)] * h[H(j, n - 1)];
          sa += h[H(i, j)] * h[H(j, n)];
        }
        w = h[H(i, i)] - p;
        if (wi[i] < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (wi[i] === 0) {
            const [cr, ci] = cdiv(-ra, -sa, w, q);
            h[H(i, n - 1)] = cr;
            h[H(i, n)] = ci;
          } else {
            x = h[H(i, i + 1)];
            y = h[H(i + 1, i)];
            let vr = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i] - q * q;
            const vi = (wr[i] - p) * 2 * q;
            if (vr === 0 && vi === 0) vr = eps * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            const [cr, ci] = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            h[H(i, n - 1)] = cr;
            h[H(i, n)] = ci;
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              h[H(i + 1, n - 1)] = (-ra - w * h[H(i, n - 1)] + q * h[H(i, n)]) / x;
              h[H(i + 1, n)] = (-sa - w * h[H(i, n)] - q * h[H(i, n - 1)]) / x;
            } else {
              const [dr, di] = cdiv(-r - y * h[H(i, n - 1)], -s - y * h[H(i, n)], z, q);
              h[H(i + 1, n - 1)] = dr;
              h[H(i + 1, n)] = di;
            }
          }
          t = Math.max(Math.abs(h[H(i, n - 1)]), Math.abs(h[H(i, n)]));
          if (eps * t * t > 1) {
            for (let j = i; j <= n; j++) {
              h[H(j, n - 1)] /= t;
              h[H(j, n)] /= t;
            }
          }
        }
      }
    }
  }
  // Back transformation: eigenvectors of A = V·(vectors of the Schur form).
  const col = new Float64Array(nn);
  for (let i = 0; i < nn; i++) {
    for (let j = 0; j < nn; j++) col[j] = v[H(i, j)];
    for (let j = nn - 1; j >= 0; j--) {
      let acc = 0;
      for (let k = 0; k <= j; k++) acc += col[k] * h[H(k, j)];
      v[H(i, j)] = acc;
    }
  }
}
