/**
 * Singular value decomposition (the results of LAPACK's gesdd) by Golub–Kahan–Reinsch:
 * Householder bidiagonalisation to a real bidiagonal B (zgebrd's reflectors make it real even
 * for complex data), then implicit-shift QR sweeps on B (the iteration of LINPACK's dsvdc as
 * JAMA writes it), whose real rotations accumulate into the complex U and V. Singular values
 * come out descending; vectors agree with LAPACK's up to a sign (phase) per pair.
 */
import { hypot } from "./complex.js";
import { gatherV, larfg, larfLeft, larfRight } from "./householder.js";

/** gesdd's result: `u` is m×ucols, `vt` vrows×n (column-major, interleaved), both null for jobz "N". */
export interface Svd {
  info: number;
  s: Float64Array;
  u: Float64Array | null;
  vt: Float64Array | null;
}

/** SVD of the m×n interleaved `a` (destroyed). jobz "S": u m×min(m,n), vt min(m,n)×n; "A": u m×m, vt n×n. */
export function svd(jobz: "N" | "S" | "A", m: number, n: number, a: Float64Array): Svd {
  if (m >= n) {
    const r = svdTall(jobz, m, n, a);
    return { info: r.info, s: r.s, u: r.u, vt: r.v === null ? null : conjTranspose(r.v, n, n) };
  }
  // Wide: Aᴴ = U'·S·V'ᴴ gives A = V'·S·U'ᴴ.
  const r = svdTall(jobz, n, m, conjTranspose(a, m, n));
  const ucols = jobz === "A" ? n : m;
  return { info: r.info, s: r.s, u: r.v, vt: r.u === null ? null : conjTranspose(r.u, n, ucols) };
}

/** The conjugate transpose (cols×rows) of the rows×cols interleaved `a`. */
export function conjTranspose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(2 * rows * cols);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) {
      out[2 * (j + i * cols)] = a[2 * (i + j * rows)];
      out[2 * (j + i * cols) + 1] = -a[2 * (i + j * rows) + 1];
    }
  }
  return out;
}

/** m ≥ n: A = U·diag(s)·Vᴴ with U m×(n or m for "A"), V n×n. */
function svdTall(
  jobz: "N" | "S" | "A",
  m: number,
  n: number,
  a: Float64Array,
): { info: number; s: Float64Array; u: Float64Array | null; v: Float64Array | null } {
  const want = jobz !== "N";
  const ucols = jobz === "A" ? m : n;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tq = new Float64Array(2 * n);
  const tp = new Float64Array(2 * n);
  const v = new Float64Array(2 * Math.max(m, n, 1));
  const w = new Float64Array(2 * Math.max(m, 1));
  const t = new Float64Array(2);
  // Bidiagonalise: A = Q·B·Pᴴ, Q = H(0)…H(n−1) from the left, P = G(0)…G(n−2) from the right.
  for (let i = 0; i < n; i++) {
    larfg(m - i, a, i + i * m, 1, t);
    tq[2 * i] = t[0];
    tq[2 * i + 1] = t[1];
    d[i] = a[2 * (i + i * m)];
    if (i < n - 1) {
      gatherV(a, i + 1 + i * m, 1, m - i, v);
      larfLeft(v, m - i, t[0], -t[1], a, m, i, i + 1, n);
      // Row i right of the superdiagonal: the reflector of its conjugate makes x·G = (β, 0, …).
      for (let j = i + 1; j < n; j++) a[2 * (i + j * m) + 1] = -a[2 * (i + j * m) + 1];
      larfg(n - i - 1, a, i + (i + 1) * m, m, t);
      tp[2 * i] = t[0];
      tp[2 * i + 1] = t[1];
      e[i] = a[2 * (i + (i + 1) * m)];
      gatherV(a, i + (i + 2) * m, m, n - i - 1, v);
      larfRight(v, n - i - 1, t[0], t[1], a, m, i + 1, m, i + 1, w);
    }
  }
  let u: Float64Array | null = null;
  let vv: Float64Array | null = null;
  if (want) {
    u = new Float64Array(2 * m * ucols);
    for (let j = 0; j < ucols; j++) u[2 * (j + j * m)] = 1;
    for (let i = n - 1; i >= 0; i--) {
      gatherV(a, i + 1 + i * m, 1, m - i, v);
      larfLeft(v, m - i, tq[2 * i], tq[2 * i + 1], u, m, i, i, ucols);
    }
    vv = new Float64Array(2 * n * n);
    for (let j = 0; j < n; j++) vv[2 * (j + j * n)] = 1;
    for (let i = n - 2; i >= 0; i--) {
      gatherV(a, i + (i + 2) * m, m, n - i - 1, v);
      larfLeft(v, n - i - 1, tp[2 * i], tp[2 * i + 1], vv, n, i + 1, i + 1, n);
    }
  }
  const info = bidiagonalQr(n, d, e, u, m, vv);
  return { info, s: d, u, v: vv };
}

/** Rotates columns j and k of the rows×? interleaved `x`: (xj, xk) ← (c·xj + s·xk, −s·xj + c·xk). */
function rot(x: Float64Array, rows: number, j: number, k: number, c: number, s: number): void {
  const pj = 2 * j * rows;
  const pk = 2 * k * rows;
  for (let i = 0; i < 2 * rows; i++) {
    const a = x[pj + i];
    const b = x[pk + i];
    x[pj + i] = c * a + s * b;
    x[pk + i] = -s * a + c * b;
  }
}

/** Swaps columns j and k of the rows×? interleaved `x`. */
function swapCols(x: Float64Array, rows: number, j: number, k: number): void {
  const pj = 2 * j * rows;
  const pk = 2 * k * rows;
  for (let i = 0; i < 2 * rows; i++) {
    const a = x[pj + i];
    x[pj + i] = x[pk + i];
    x[pk + i] = a;
  }
}

/**
 * Singular values of the upper bidiagonal (d, e) (e[n−1] = 0) by implicit-shift QR, into `d`
 * (descending, non-negative); rotations accumulate into the first n columns of `u` (m rows)
 * and into `v` (n×n) when given. Returns 0, or the number of values left unconverged.
 */
function bidiagonalQr(n: number, s: Float64Array, e: Float64Array, u: Float64Array | null, m: number, v: Float64Array | null): number {
  const eps = 2 ** -52;
  const tiny = 2 ** -966;
  let p = n;
  let iter = 0;
  while (p > 0) {
    if (iter > 75) return p;
    // Find the split: e[k] negligible (k = −1 if none) below p.
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) {
      kase = 4; // s[p−1] has converged.
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const tt = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * tt) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3; // a QR sweep on k+1 … p−1
      } else if (ks === p - 1) {
        kase = 1; // s[p−1] is zero: chase e[p−2] away
      } else {
        kase = 2; // s[ks] is zero: split there
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const tt = hypot(s[j], f);
        const cs = s[j] / tt;
        const sn = f / tt;
        s[j] = tt;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        if (v) rot(v, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const tt = hypot(s[j], f);
        const cs = s[j] / tt;
        const sn = f / tt;
        s[j] = tt;
        f = -sn * e[j];
        e[j] = cs * e[j];
        if (u) rot(u, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // Shift from the trailing 2×2 of BᵀB (scaled against overflow), then chase the bulge down.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let tt = hypot(f, g);
        let cs = f / tt;
        let sn = g / tt;
        if (j !== k) e[j - 1] = tt;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        if (v) rot(v, n, j, j + 1, cs, sn);
        tt = hypot(f, g);
        cs = f / tt;
        sn = g / tt;
        s[j] = tt;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (u) rot(u, m, j, j + 1, cs, sn);
      }
      e[p - 2] = f;
      iter++;
    } else {
      // Converged: make s[k] non-negative, then move it into descending place.
      if (s[k] <= 0) {
        s[k] = s[k] < 0 ? -s[k] : 0;
        if (v) for (let i = 2 * k * n; i < 2 * (k + 1) * n; i++) v[i] = -v[i];
      }
      while (k < n - 1 && s[k] < s[k + 1]) {
        const tt = s[k];
        s[k] = s[k + 1];
        s[k + 1] = tt;
        if (v) swapCols(v, n, k, k + 1);
        if (u) swapCols(u, m, k, k + 1);
        k++;
      }
      iter = 0;
      p--;
    }
  }
  return 0;
}
