/**
 * Eigenvalues and eigenvectors of a real upper Hessenberg matrix: EISPACK's hqr2 (Francis
 * double-shift QR to real Schur form, then back substitution), following JAMA's
 * transcription. Eigenvalues come in the order of the Schur form's diagonal, complex pairs
 * adjacent with the positive imaginary part first, as LAPACK's dhseqr leaves them (the order
 * itself can differ from LAPACK's, whose shifts and deflation differ).
 */
import { cdiv } from "./complex.js";

/**
 * For the n×n real Hessenberg `h` (destroyed) and the real `v` holding the transformation that
 * produced it (overwritten by the eigenvectors: column j for a real eigenvalue; columns j, j+1
 * as re, im of the vector of the pair's first member), writes the eigenvalues' real parts
 * into `wr` and imaginary parts into `wi`. Returns 0, or j+1 when eigenvalue j did not converge.
 */
export function hqr2(nn: number, h: Float64Array, v: Float64Array | null, wr: Float64Array, wi: Float64Array): number {
  const H = (i: number, j: number): number => i + j * nn;
  const eps = 2 ** -52;
  let n = nn - 1;
  let exshift = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let t: number;
  let w: number;
  let x: number;
  let y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(h[H(i, j)]);
  // Without vectors only the active block needs updating; with them the whole rows / columns.
  const full = v !== null;
  let iter = 0;
  while (n >= 0) {
    // Look for a single small subdiagonal element.
    let l = n;
    while (l > 0) {
      s = Math.abs(h[H(l - 1, l - 1)]) + Math.abs(h[H(l, l)]);
      if (s === 0) s = norm;
      if (Math.abs(h[H(l, l - 1)]) <= eps * s) break;
      l--;
    }
    if (l === n) {
      // One root.
      h[H(n, n)] += exshift;
      wr[n] = h[H(n, n)];
      wi[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // Two roots: a real pair is split off by a rotation, a complex pair stays a 2×2 block.
      w = h[H(n, n - 1)] * h[H(n - 1, n)];
      p = (h[H(n - 1, n - 1)] - h[H(n, n)]) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      h[H(n, n)] += exshift;
      h[H(n - 1, n - 1)] += exshift;
      x = h[H(n, n)];
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        wr[n - 1] = x + z;
        wr[n] = wr[n - 1];
        if (z !== 0) wr[n] = x - w / z;
        wi[n - 1] = 0;
        wi[n] = 0;
        x = h[H(n, n - 1)];
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = full ? n - 1 : n - 1; j < (full ? nn : n + 1); j++) {
          z = h[H(n - 1, j)];
          h[H(n - 1, j)] = q * z + p * h[H(n, j)];
          h[H(n, j)] = q * h[H(n, j)] - p * z;
        }
        for (let i = full ? 0 : l; i <= n; i++) {
          z = h[H(i, n - 1)];
          h[H(i, n - 1)] = q * z + p * h[H(i, n)];
          h[H(i, n)] = q * h[H(i, n)] - p * z;
        }
        if (v) {
          for (let i = 0; i < nn; i++) {
            z = v[H(i, n - 1)];
            v[H(i, n - 1)] = q * z + p * v[H(i, n)];
            v[H(i, n)] = q * v[H(i, n)] - p * z;
          }
        }
      } else {
        wr[n - 1] = x + p;
        wr[n] = x + p;
        wi[n - 1] = z;
        wi[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      // No convergence yet: form the shift.
      x = h[H(n, n)];
      y = 0;
      w = 0;
      if (l < n) {
        y = h[H(n - 1, n - 1)];
        w = h[H(n, n - 1)] * h[H(n - 1, n)];
      }
      if (iter === 10) {
        // Wilkinson's ad hoc exceptional shift.
        exshift += x;
        for (let i = 0; i <= n; i++) h[H(i, i)] -= x;
        s = Math.abs(h[H(n, n - 1)]) + Math.abs(h[H(n - 1, n - 2)]);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        // MATLAB's exceptional shift.
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = 0; i <= n; i++) h[H(i, i)] -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      if (++iter > 100) return n + 1;
      // Look for two consecutive small subdiagonal elements.
      let m = n - 2;
      while (m >= l) {
        z = h[H(m, m)];
        r = x - z;
        s = y - z;
        p = (r * s - w) / h[H(m + 1, m)] + h[H(m, m + 1)];
        q = h[H(m + 1, m + 1)] - z - r - s;
        r = h[H(m + 2, m + 1)];
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(h[H(m, m - 1)]) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(h[H(m - 1, m - 1)]) + Math.abs(z) + Math.abs(h[H(m + 1, m + 1)])))
        )
          break;
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        h[H(i, i - 2)] = 0;
        if (i > m + 2) h[H(i, i - 3)] = 0;
      }
      // Double QR step on rows l … n and columns m … n.
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = h[H(k, k - 1)];
          q = h[H(k + 1, k - 1)];
          r = notlast ? h[H(k + 2, k - 1)] : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) h[H(k, k - 1)] = -s * x;
          else if (l !== m) h[H(k, k - 1)] = -h[H(k, k - 1)];
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < (full ? nn : n + 1); j++) {
            p = h[H(k, j)] + q * h[H(k + 1, j)];
            if (notlast) {
              p += r * h[H(k + 2, j)];
              h[H(k + 2, j)] -= p * z;
            }
            h[H(k, j)] -= p * x;
            h[H(k + 1, j)] -= p * y;
          }
          for (let i = full ? 0 : l; i <= Math.min(n, k + 3); i++) {
            p = x * h[H(i, k)] + y * h[H(i, k + 1)];
            if (notlast) {
              p += z * h[H(i, k + 2)];
              h[H(i, k + 2)] -= p * r;
            }
            h[H(i, k)] -= p;
            h[H(i, k + 1)] -= p * q;
          }
          if (v) {
            for (let i = 0; i < nn; i++) {
              p = x * v[H(i, k)] + y * v[H(i, k + 1)];
              if (notlast) {
                p += z * v[H(i, k + 2)];
                v[H(i, k + 2)] -= p * r;
              }
              v[H(i, k)] -= p;
              v[H(i, k + 1)] -= p * q;
            }
          }
        }
      }
    }
  }
  if (!v || norm === 0) return 0;
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
  return 0;
}
