/**
 * General eigenproblem along LAPACK's geev: gebal's balancing, Householder reduction to
 * Hessenberg form, then for real data the Francis double-shift QR of dlahqr (realschur.ts)
 * and hqr2's back substitution (schurvectors.ts), for complex data the single-shift QR of
 * zlahqr (complexschur.ts) and back substitution on the triangular T (as ztrevc); gebak and
 * geev's normalisation (unit 2-norm, largest component real) last. Eigenvalues come in the
 * order of the Schur form's diagonal, LAPACK's order where its dhseqr also uses the
 * small-matrix QR (n < 75); eigenvectors may differ from LAPACK's by their sign (phase).
 */
import { cdiv, hypot, nrm2 } from "./complex.js";
import { balance, unbalance } from "./balance.js";
import { complexSchur } from "./complexschur.js";
import { hessenberg } from "./hessenberg.js";
import { realSchur } from "./realschur.js";
import { schurVectors } from "./schurvectors.js";

/** Eigenvalues (interleaved complex, n) and with `vectors` the right eigenvectors (interleaved n×n) of the n×n `a` (destroyed). */
export function eig(real: boolean, n: number, a: Float64Array, vectors: boolean): { info: number; w: Float64Array; vr: Float64Array | null } {
  const bal = balance(n, a);
  const q = hessenberg(n, a, vectors, bal.ilo, bal.ihi);
  const w = new Float64Array(2 * n);
  if (real) {
    const h = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) h[i] = a[2 * i];
    let v: Float64Array | null = null;
    if (q) {
      v = new Float64Array(n * n);
      for (let i = 0; i < n * n; i++) v[i] = q[2 * i];
    }
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    const info = realSchur(n, h, v, wr, wi, bal.ilo, bal.ihi);
    if (info === 0 && v) {
      schurVectors(n, h, v, wr, wi);
      unbalance(n, v, 1, bal);
    }
    for (let j = 0; j < n; j++) {
      w[2 * j] = wr[j];
      w[2 * j + 1] = wi[j];
    }
    if (info !== 0 || !v) return { info, w, vr: null };
    return { info, w, vr: realVectors(n, v, wi) };
  }
  const info = complexSchur(n, a, q, w, bal.ilo, bal.ihi);
  if (info !== 0 || !q) return { info, w, vr: null };
  const vr = complexVectors(n, a, q);
  unbalance(n, vr, 2, bal);
  normaliseComplex(n, vr);
  return { info, w, vr };
}

/** The real eigenvector columns of schurVectors as complex columns, normalised as dgeev does. */
function realVectors(n: number, v: Float64Array, wi: Float64Array): Float64Array {
  const out = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    if (wi[j] === 0) {
      let ss = 0;
      for (let i = 0; i < n; i++) ss = hypot(ss, v[i + j * n]);
      const scl = ss === 0 ? 0 : 1 / ss;
      for (let i = 0; i < n; i++) out[2 * (i + j * n)] = v[i + j * n] * scl;
    } else if (wi[j] > 0) {
      // Pair j, j+1: x + i·y for the eigenvalue with positive imaginary part.
      let nx = 0;
      let ny = 0;
      for (let i = 0; i < n; i++) {
        nx = hypot(nx, v[i + j * n]);
        ny = hypot(ny, v[i + (j + 1) * n]);
      }
      const scl = 1 / hypot(nx, ny);
      let k = 0;
      let big = -1;
      for (let i = 0; i < n; i++) {
        const x = v[i + j * n] * scl;
        const y = v[i + (j + 1) * n] * scl;
        const m = x * x + y * y;
        if (m > big) {
          big = m;
          k = i;
        }
      }
      // Rotate by (c − i·s) so that component k is real, its sign that of its real part (dlartg).
      const f = v[k + j * n] * scl;
      const g = v[k + (j + 1) * n] * scl;
      const d = hypot(f, g);
      const r = f < 0 ? -d : d;
      const c = Math.abs(f) / d;
      const s = g / r;
      for (let i = 0; i < n; i++) {
        const x = v[i + j * n] * scl;
        const y = v[i + (j + 1) * n] * scl;
        const re = c * x + s * y;
        const im = i === k ? 0 : c * y - s * x;
        out[2 * (i + j * n)] = re;
        out[2 * (i + j * n) + 1] = im;
        out[2 * (i + (j + 1) * n)] = re;
        out[2 * (i + (j + 1) * n) + 1] = im === 0 ? 0 : -im;
      }
      j++;
    }
  }
  return out;
}

/** Eigenvectors of A = Z·T·Zᴴ: back substitution on the triangular T (ztrevc), times Z (not normalised). */
function complexVectors(n: number, t: Float64Array, z: Float64Array): Float64Array {
  const T = (i: number, j: number): number => 2 * (i + j * n);
  const eps = 2 ** -52;
  const smlnum = 2 ** -1022 * (n / eps);
  const out = new Float64Array(2 * n * n);
  const x = new Float64Array(2 * n);
  for (let k = n - 1; k >= 0; k--) {
    const lr = t[T(k, k)];
    const li = t[T(k, k) + 1];
    const smin = Math.max(eps * (Math.abs(lr) + Math.abs(li)), smlnum);
    x.fill(0);
    x[2 * k] = 1;
    for (let i = 0; i < k; i++) {
      x[2 * i] = -t[T(i, k)];
      x[2 * i + 1] = -t[T(i, k) + 1];
    }
    // Solve (T[0:k,0:k] − λ)·x = −T[0:k, k], column-oriented from the bottom.
    for (let i = k - 1; i >= 0; i--) {
      let dr = t[T(i, i)] - lr;
      let di = t[T(i, i) + 1] - li;
      if (Math.abs(dr) + Math.abs(di) < smin) {
        dr = smin;
        di = 0;
      }
      const [xr, xi] = cdiv(x[2 * i], x[2 * i + 1], dr, di);
      x[2 * i] = xr;
      x[2 * i + 1] = xi;
      for (let r = 0; r < i; r++) {
        const ar = t[T(r, i)];
        const ai = t[T(r, i) + 1];
        x[2 * r] -= ar * xr - ai * xi;
        x[2 * r + 1] -= ar * xi + ai * xr;
      }
    }
    // Column k of the result: Z·x.
    const base = 2 * k * n;
    for (let j = 0; j <= k; j++) {
      const xr = x[2 * j];
      const xi = x[2 * j + 1];
      if (xr === 0 && xi === 0) continue;
      for (let i = 0; i < n; i++) {
        const zr = z[T(i, j)];
        const zi = z[T(i, j) + 1];
        out[base + 2 * i] += zr * xr - zi * xi;
        out[base + 2 * i + 1] += zr * xi + zi * xr;
      }
    }
  }
  return out;
}

/** zgeev's normalisation of each column: unit 2-norm, then the largest |re|² + |im|² component made real and positive. */
function normaliseComplex(n: number, out: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const base = 2 * k * n;
    const nrm = nrm2(out, k * n, n);
    let kk = 0;
    let big = -1;
    for (let i = 0; i < n; i++) {
      const re = out[base + 2 * i] / nrm;
      const im = out[base + 2 * i + 1] / nrm;
      out[base + 2 * i] = re;
      out[base + 2 * i + 1] = im;
      const m = re * re + im * im;
      if (m > big) {
        big = m;
        kk = i;
      }
    }
    const pr = out[base + 2 * kk];
    const pi = out[base + 2 * kk + 1];
    const pm = Math.sqrt(big);
    const fr = pr / pm;
    const fi = -pi / pm;
    for (let i = 0; i < n; i++) {
      const re = out[base + 2 * i];
      const im = out[base + 2 * i + 1];
      out[base + 2 * i] = re * fr - im * fi;
      out[base + 2 * i + 1] = re * fi + im * fr;
    }
    out[base + 2 * kk + 1] = 0;
  }
}
