/**
 * General eigenproblem, the results of LAPACK's geev: Householder reduction to Hessenberg
 * form, then for real data EISPACK's hqr2 (Francis double shift, hqr2.ts), for complex data a
 * single-shift complex QR (Wilkinson shift, Givens rotations, as zlahqr) to the Schur form T
 * followed by back substitution for T's eigenvectors (as ztrevc). Eigenvalues come in the
 * order of the Schur form's diagonal, which can differ from LAPACK's; eigenvectors are
 * normalised as geev does (unit 2-norm, largest component real). No balancing is done.
 */
import { cdiv, hypot, nrm2 } from "./complex.js";
import { hessenberg } from "./hessenberg.js";
import { hqr2 } from "./hqr2.js";

/** Eigenvalues (interleaved complex, n) and with `vectors` the right eigenvectors (interleaved n×n) of the n×n `a` (destroyed). */
export function eig(real: boolean, n: number, a: Float64Array, vectors: boolean): { info: number; w: Float64Array; vr: Float64Array | null } {
  const q = hessenberg(n, a, vectors);
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
    const info = hqr2(n, h, v, wr, wi);
    for (let j = 0; j < n; j++) {
      w[2 * j] = wr[j];
      w[2 * j + 1] = wi[j];
    }
    if (info !== 0 || !v) return { info, w, vr: null };
    return { info, w, vr: realVectors(n, v, wi) };
  }
  const info = complexSchur(n, a, q, w);
  if (info !== 0 || !q) return { info, w, vr: null };
  return { info, w, vr: complexVectors(n, a, q) };
}

/** hqr2's real eigenvector columns as complex columns, normalised as dgeev does. */
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

/** Complex Givens rotation G = [c s; −conj(s) c] (c real) with G·(x, y) = (r, 0); returns [c, sr, si]. */
function givens(xr: number, xi: number, yr: number, yi: number, out: Float64Array): void {
  const ax = hypot(xr, xi);
  const ay = hypot(yr, yi);
  if (ay === 0) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
  } else if (ax === 0) {
    out[0] = 0;
    out[1] = yr / ay;
    out[2] = -yi / ay;
  } else {
    const nrm = hypot(ax, ay);
    out[0] = ax / nrm;
    // s = (x/|x|)·conj(y)/nrm
    const ur = xr / ax;
    const ui = xi / ax;
    out[1] = (ur * yr + ui * yi) / nrm;
    out[2] = (ui * yr - ur * yi) / nrm;
  }
}

/**
 * Reduces the complex Hessenberg `h` to upper triangular Schur form T = Zᴴ·A·Z by shifted QR,
 * accumulating into `z` when given, and writes T's diagonal into `w`. Returns 0, or j+1 when
 * eigenvalue j failed to converge.
 */
function complexSchur(n: number, h: Float64Array, z: Float64Array | null, w: Float64Array): number {
  const H = (i: number, j: number): number => 2 * (i + j * n);
  const eps = 2 ** -52;
  const abs1 = (i: number, j: number): number => Math.abs(h[H(i, j)]) + Math.abs(h[H(i, j) + 1]);
  let norm = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i <= Math.min(j + 1, n - 1); i++) norm = Math.max(norm, abs1(i, j));
  const g = new Float64Array(3);
  const full = z !== null;
  let hi = n - 1;
  let its = 0;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      let s = abs1(l - 1, l - 1) + abs1(l, l);
      if (s === 0) s = norm;
      if (abs1(l, l - 1) <= eps * s) {
        h[H(l, l - 1)] = 0;
        h[H(l, l - 1) + 1] = 0;
        break;
      }
      l--;
    }
    if (l === hi) {
      w[2 * hi] = h[H(hi, hi)];
      w[2 * hi + 1] = h[H(hi, hi) + 1];
      hi--;
      its = 0;
      continue;
    }
    if (++its > 30 * Math.max(10, hi - l + 1)) return hi + 1;
    // Shift: the eigenvalue of the trailing 2×2 nearer its last diagonal entry (Wilkinson),
    // or an exceptional shift every tenth sweep to break cycles.
    let mr: number;
    let mi: number;
    if (its % 10 === 0) {
      mr = h[H(hi, hi)] + 0.75 * Math.abs(h[H(hi, hi - 1)]);
      mi = h[H(hi, hi) + 1];
    } else {
      const ar = h[H(hi - 1, hi - 1)];
      const ai = h[H(hi - 1, hi - 1) + 1];
      const dr = h[H(hi, hi)];
      const di = h[H(hi, hi) + 1];
      // bc = H[hi−1, hi]·H[hi, hi−1]
      const br = h[H(hi - 1, hi)];
      const bi = h[H(hi - 1, hi) + 1];
      const cr = h[H(hi, hi - 1)];
      const ci = h[H(hi, hi - 1) + 1];
      const bcr = br * cr - bi * ci;
      const bci = br * ci + bi * cr;
      const hr = (ar - dr) / 2;
      const hi2 = (ai - di) / 2;
      // sqrt(h² + bc)
      const qr = hr * hr - hi2 * hi2 + bcr;
      const qi = 2 * hr * hi2 + bci;
      let [sr, si] = csqrt(qr, qi);
      // Choose the root making (h + sqrt) large, so μ = d − bc/(h + sqrt) is the nearer one.
      if (hr * sr + hi2 * si < 0) {
        sr = -sr;
        si = -si;
      }
      const den_r = hr + sr;
      const den_i = hi2 + si;
      const dd = den_r * den_r + den_i * den_i;
      if (dd === 0) {
        mr = dr;
        mi = di;
      } else {
        mr = dr - (bcr * den_r + bci * den_i) / dd;
        mi = di - (bci * den_r - bcr * den_i) / dd;
      }
    }
    // One implicit single-shift QR sweep on rows/columns l … hi: the first rotation from
    // (H[l,l] − μ, H[l+1,l]), the rest chase the bulge down the subdiagonal.
    for (let k = l; k < hi; k++) {
      if (k === l) givens(h[H(l, l)] - mr, h[H(l, l) + 1] - mi, h[H(l + 1, l)], h[H(l + 1, l) + 1], g);
      else givens(h[H(k, k - 1)], h[H(k, k - 1) + 1], h[H(k + 1, k - 1)], h[H(k + 1, k - 1) + 1], g);
      const c = g[0];
      const sr = g[1];
      const si = g[2];
      // Rows k, k+1 ← G·rows.
      const j0 = k === l ? l : k - 1;
      const j1 = full ? n : hi + 1;
      for (let j = j0; j < j1; j++) {
        const p = H(k, j);
        const q = H(k + 1, j);
        const xr = h[p];
        const xi = h[p + 1];
        const yr = h[q];
        const yi = h[q + 1];
        h[p] = c * xr + (sr * yr - si * yi);
        h[p + 1] = c * xi + (sr * yi + si * yr);
        h[q] = c * yr - (sr * xr + si * xi);
        h[q + 1] = c * yi - (sr * xi - si * xr);
      }
      if (k !== l) {
        h[H(k + 1, k - 1)] = 0;
        h[H(k + 1, k - 1) + 1] = 0;
      }
      // Columns k, k+1 ← columns·Gᴴ.
      const i0 = full ? 0 : l;
      const i1 = Math.min(k + 2, hi);
      for (let i = i0; i <= i1; i++) rotCols(h, H(i, k), H(i, k + 1), c, sr, si);
      if (z) for (let i = 0; i < n; i++) rotCols(z, H(i, k), H(i, k + 1), c, sr, si);
    }
  }
  return 0;
}

/** (x, y) ← (c·x + conj(s)·y, −s·x + c·y): one row of a column pair times Gᴴ. */
function rotCols(a: Float64Array, p: number, q: number, c: number, sr: number, si: number): void {
  const xr = a[p];
  const xi = a[p + 1];
  const yr = a[q];
  const yi = a[q + 1];
  a[p] = c * xr + (sr * yr + si * yi);
  a[p + 1] = c * xi + (sr * yi - si * yr);
  a[q] = c * yr - (sr * xr - si * xi);
  a[q + 1] = c * yi - (sr * xi + si * xr);
}

/** Principal square root of re + i·im. */
function csqrt(re: number, im: number): [number, number] {
  const m = hypot(re, im);
  if (m === 0) return [0, 0];
  if (re >= 0) {
    const t = Math.sqrt((m + re) / 2);
    return [t, im / (2 * t)];
  }
  const t = Math.sqrt((m - re) / 2);
  return [Math.abs(im) / (2 * t), im < 0 ? -t : t];
}

/** Eigenvectors of A = Z·T·Zᴴ: back substitution on the triangular T (ztrevc), times Z, normalised as zgeev does. */
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
    // Unit 2-norm, then the largest |re|² + |im|² component made real and positive.
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
  return out;
}
