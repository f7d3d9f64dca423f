import type { PhysicalStore, TaskContext, TypedArray } from "../../../core/task_api.js";
import { lapack, withLapackThreads } from "./lapack.js";
import type { LapackImpl } from "./lapack_api.js";
import { portableLapack } from "./portable.js";

/**
 * CPU variant of numpy.linalg's gufuncs (the `linalg` task), as NumPy's umath_linalg: each
 * point takes the matrices of its block of batch indices one by one, copies each into a
 * column-major float64 / complex128 buffer (NumPy computes every linalg routine in double
 * precision and casts the results), calls LAPACK and writes the results in the outputs'
 * dtypes. Args: the op's inputs, its outputs, then `info` (int32, the batch shape: LAPACK's
 * info per matrix, which the library turns into LinAlgError where NumPy raises).
 * Scalars: [op, backend, threads, ...the op's parameters].
 */

export type LinalgOp = "det" | "slogdet" | "inv" | "solve" | "cholesky" | "qr" | "svd" | "eigh" | "eig" | "lstsq";

/** How many inputs each op reads (the rest of the args up to `info` are its outputs). */
export const LINALG_INPUTS: Record<LinalgOp, number> = {
  det: 1,
  slogdet: 1,
  inv: 1,
  solve: 2,
  cholesky: 1,
  qr: 1,
  svd: 1,
  eigh: 1,
  eig: 1,
  lstsq: 2,
};

const cplx = (s: PhysicalStore) => s.dtype === "complex64" || s.dtype === "complex128";

/** One matrix of a store: its first element and strides (a 1-D core has one column). */
interface Mat {
  readonly s: PhysicalStore;
  readonly o: number;
  readonly rs: number;
  readonly cs: number;
  readonly rows: number;
  readonly cols: number;
}

function matAt(s: PhysicalStore, nb: number, idx: readonly number[]): Mat {
  let o = s.offset;
  for (let d = 0; d < nb; d++) o += idx[d] * s.strides[d];
  const core = s.shape.length - nb;
  return {
    s,
    o,
    rows: core >= 1 ? s.shape[nb] : 1,
    cols: core >= 2 ? s.shape[nb + 1] : 1,
    rs: core >= 1 ? s.strides[nb] : 0,
    cs: core >= 2 ? s.strides[nb + 1] : 0,
  };
}

/**
 * Copies a rows×cols block between lane arrays, by element strides and offsets, in 32×32
 * tiles so that a transposing copy stays in cache. `sl`/`dl` are the lanes per element (2 for
 * complex): a real source gives zero imaginary parts, a real destination takes the real part.
 */
function copy2d(
  rows: number,
  cols: number,
  src: TypedArray,
  so: number,
  srs: number,
  scs: number,
  sl: number,
  dst: TypedArray,
  dOff: number,
  drs: number,
  dcs: number,
  dl: number,
): void {
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[(dOff + i * drs + j * dcs) * dl] = Number(src[so + i * srs + j * scs]);
    return;
  }
  const s = src as Float64Array,
    d = dst as Float64Array;
  const T = 32;
  if (sl === 1 && dl === 1) {
    // Real to real, the common case: the same tiles with nothing but the moves inside.
    for (let i0 = 0; i0 < rows; i0 += T)
      for (let j0 = 0; j0 < cols; j0 += T) {
        const i1 = Math.min(rows, i0 + T),
          j1 = Math.min(cols, j0 + T);
        for (let i = i0; i < i1; i++) {
          let e = so + i * srs + j0 * scs,
            q = dOff + i * drs + j0 * dcs;
          for (let j = j0; j < j1; j++, e += scs, q += dcs) d[q] = s[e];
        }
      }
    return;
  }
  for (let i0 = 0; i0 < rows; i0 += T)
    for (let j0 = 0; j0 < cols; j0 += T) {
      const i1 = Math.min(rows, i0 + T),
        j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++)
        for (let j = j0; j < j1; j++) {
          const e = (so + i * srs + j * scs) * sl,
            q = (dOff + i * drs + j * dcs) * dl;
          d[q] = s[e];
          if (dl === 2) d[q + 1] = sl === 2 ? s[e + 1] : 0;
        }
    }
}

const lanesOf = (s: PhysicalStore) => (cplx(s) ? 2 : 1);

/** The matrix as a column-major (Fortran) double buffer, 2 lanes per element when `complex`. */
function read(m: Mat, complex: boolean): Float64Array {
  const buf = new Float64Array(m.rows * m.cols * (complex ? 2 : 1));
  copy2d(m.rows, m.cols, m.s.data, m.o, m.rs, m.cs, lanesOf(m.s), buf, 0, 1, m.rows, complex ? 2 : 1);
  return buf;
}

/** Whether the matrix is float64 / complex128 (as `complex` says) and dense row-major: one block copy moves it. */
const denseRows = (m: Mat, complex: boolean): boolean =>
  m.s.data instanceof Float64Array && m.cs === 1 && (m.rs === m.cols || m.rows === 1) && lanesOf(m.s) === (complex ? 2 : 1);

/**
 * The matrix as a row-major (C) double buffer, which LAPACK sees as its transpose: the
 * routines whose results do not depend on which of the two they factor (cholesky, inv, det)
 * skip a transposing copy.
 */
function readRows(m: Mat, complex: boolean): Float64Array {
  const d = m.s.data;
  const n = m.rows * m.cols * (complex ? 2 : 1);
  if (denseRows(m, complex)) {
    const l = complex ? 2 : 1;
    return (d as Float64Array).slice(m.o * l, m.o * l + n);
  }
  const buf = new Float64Array(n);
  copy2d(m.rows, m.cols, d, m.o, m.rs, m.cs, lanesOf(m.s), buf, 0, m.cols, 1, complex ? 2 : 1);
  return buf;
}

/**
 * Writes the column-major `rows`×`cols` block of `buf` (leading dimension `ld`, complex when
 * `complex`) into the matrix `m`; complex values into a real output keep their real part.
 */
function write(buf: Float64Array, ld: number, complex: boolean, m: Mat, rows = m.rows, cols = m.cols): void {
  copy2d(rows, cols, buf, 0, 1, ld, complex ? 2 : 1, m.s.data, m.o, m.rs, m.cs, lanesOf(m.s));
}

/** Writes a row-major buffer (rows `ld` apart) into the matrix `m`. */
function writeRows(buf: Float64Array, ld: number, complex: boolean, m: Mat): void {
  const d = m.s.data;
  const l = complex ? 2 : 1;
  if (denseRows(m, complex) && ld === m.cols) {
    (d as Float64Array).set(buf.subarray(0, m.rows * m.cols * l), m.o * l);
    return;
  }
  copy2d(m.rows, m.cols, buf, 0, ld, 1, l, d, m.o, m.rs, m.cs, lanesOf(m.s));
}

function fill(m: Mat, re: number, im = 0): void {
  const d = m.s.data;
  for (let j = 0; j < m.cols; j++)
    for (let i = 0; i < m.rows; i++) {
      const e = m.o + i * m.rs + j * m.cs;
      if (cplx(m.s)) {
        d[2 * e] = re;
        d[2 * e + 1] = im;
      } else d[e] = re;
    }
}

/** The identity, column-major. */
function eye(n: number, complex: boolean): Float64Array {
  const b = new Float64Array(n * n * (complex ? 2 : 1));
  for (let i = 0; i < n; i++) b[(i * n + i) * (complex ? 2 : 1)] = 1;
  return b;
}

/** sign and log|det| from an LU (NumPy's slogdet_from_factored_diagonal). */
function slogdetLU(lu: Float64Array, n: number, ipiv: Int32Array, complex: boolean): [number, number, number] {
  let change = 0;
  for (let i = 0; i < n; i++) if (ipiv[i] !== i + 1) change++;
  let sr = change % 2 === 1 ? -1 : 1,
    si = 0,
    logdet = 0;
  for (let i = 0; i < n; i++) {
    if (complex) {
      const re = lu[2 * (i * n + i)],
        im = lu[2 * (i * n + i) + 1];
      const abs = Math.hypot(re, im);
      const ur = re / abs,
        ui = im / abs;
      [sr, si] = [sr * ur - si * ui, sr * ui + si * ur];
      logdet += Math.log(abs);
    } else {
      const u = lu[i * n + i];
      if (u < 0) sr = -sr;
      logdet += Math.log(Math.abs(u));
    }
  }
  return [sr, si, logdet];
}

/** Zeroes the strict triangle of an n×n column-major matrix that is not `keep`. */
function zeroTriangle(a: Float64Array, n: number, keep: "L" | "U", lanes: number): void {
  for (let j = 0; j < n; j++) {
    // Column j: rows above the diagonal (keep L) or below it (keep U).
    if (keep === "L") a.fill(0, j * n * lanes, (j * n + j) * lanes);
    else a.fill(0, (j * n + j + 1) * lanes, (j + 1) * n * lanes);
  }
}

type Run = (L: LapackImpl, ins: Mat[], outs: Mat[], complex: boolean, params: readonly unknown[]) => number;

const OPS: Record<LinalgOp, Run> = {
  det(L, [a], [det], c) {
    const n = a.rows;
    if (n === 0) {
      fill(det, 1);
      return 0;
    }
    // det(aᵀ) = det(a): the LU of the row-major buffer (aᵀ to LAPACK) serves.
    const lu = readRows(a, c);
    const ipiv = new Int32Array(n);
    const info = L.getrf(c ? "z" : "d", n, n, lu, ipiv);
    // NumPy's det is sign·exp(log|det|), and 0 for a singular factorisation.
    if (info > 0) fill(det, 0);
    else {
      const [sr, si, ld] = slogdetLU(lu, n, ipiv, c);
      const e = Math.exp(ld);
      fill(det, sr * e, si * e);
    }
    return 0;
  },
  slogdet(L, [a], [sign, logdet], c) {
    const n = a.rows;
    if (n === 0) {
      fill(sign, 1);
      fill(logdet, 0);
      return 0;
    }
    const lu = readRows(a, c);
    const ipiv = new Int32Array(n);
    const info = L.getrf(c ? "z" : "d", n, n, lu, ipiv);
    if (info > 0) {
      fill(sign, 0);
      fill(logdet, -Infinity);
    } else {
      const [sr, si, ld] = slogdetLU(lu, n, ipiv, c);
      fill(sign, sr, si);
      fill(logdet, ld);
    }
    return 0;
  },
  inv(L, [a], [x], c) {
    const n = a.rows;
    // inv(aᵀ) = inv(a)ᵀ: solving with the row-major buffer leaves inv(a) row-major.
    const b = eye(n, c);
    const info = n === 0 ? 0 : L.gesv(c ? "z" : "d", n, n, readRows(a, c), new Int32Array(n), b);
    if (info === 0) writeRows(b, n, c, x);
    return info;
  },
  solve(L, [a, b], [x], c) {
    const n = a.rows,
      k = b.cols;
    const rhs = read(b, c);
    if (n === 0 || k === 0) return 0;
    // The LU of the row-major buffer (aᵀ to LAPACK), then aᵀᵀ·x = b: no transposing copy of a.
    const p = c ? "z" : "d";
    const lu = readRows(a, c),
      ipiv = new Int32Array(n);
    const info = L.getrf(p, n, n, lu, ipiv) || L.getrs(p, "T", n, k, lu, ipiv, rhs);
    if (info === 0) write(rhs, n, c, x);
    return info;
  },
  cholesky(L, [a], [l], c, [upper]) {
    const n = a.rows;
    // LAPACK sees the row-major buffer as aᵀ, whose other triangle is a's `upper` one; the
    // factor it leaves there, read row-major, is a's (a = L·Lᴴ ⇔ aᵀ = conj(L)·Lᵀ).
    const buf = readRows(a, c);
    const uplo = upper ? "L" : "U";
    const info = n === 0 ? 0 : L.potrf(c ? "z" : "d", uplo, n, buf);
    if (info === 0) {
      zeroTriangle(buf, n, uplo, c ? 2 : 1);
      writeRows(buf, n, c, l);
    }
    return info;
  },
  qr(L, [a], outs, c, [mode]) {
    const m = a.rows,
      n = a.cols,
      k = Math.min(m, n);
    const lanes = c ? 2 : 1;
    const buf = read(a, c);
    const tau = new Float64Array(Math.max(1, k) * lanes);
    const p = c ? "z" : "d";
    const info = m === 0 || n === 0 ? 0 : L.geqrf(p, m, n, buf, tau);
    if (info !== 0) return info;
    if (mode === "raw") {
      // h is geqrf's Fortran-order output seen as a C-order (n, m) array: its transpose.
      const [h, t] = outs;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++) {
          const e = h.o + i * h.rs + j * h.cs;
          const q = i * m + j;
          if (c) {
            h.s.data[2 * e] = buf[2 * q];
            h.s.data[2 * e + 1] = buf[2 * q + 1];
          } else h.s.data[e] = buf[q];
        }
      write(tau, k, c, t);
      return 0;
    }
    const r = outs[outs.length - 1];
    // R: the upper triangle of the first r.rows rows.
    const rbuf = new Float64Array(r.rows * n * lanes);
    for (let j = 0; j < n; j++)
      for (let i = 0; i <= Math.min(j, r.rows - 1); i++) {
        if (i >= m) break;
        for (let l = 0; l < lanes; l++) rbuf[(j * r.rows + i) * lanes + l] = buf[(j * m + i) * lanes + l];
      }
    write(rbuf, r.rows, c, r);
    if (mode === "r") return 0;
    const q = outs[0];
    const qc = q.cols;
    // Q: orgqr on the reflectors, in an m×qc buffer (the complete mode needs m columns).
    const qbuf = new Float64Array(m * qc * lanes);
    qbuf.set(buf.subarray(0, m * Math.min(n, qc) * lanes));
    if (m > 0 && qc > 0) {
      const info2 = L.orgqr(p, m, qc, k, qbuf, tau);
      if (info2 !== 0) return info2;
    }
    write(qbuf, m, c, q);
    return 0;
  },
  svd(L, [a], outs, c, [jobz]) {
    const m = a.rows,
      n = a.cols,
      k = Math.min(m, n);
    const lanes = c ? 2 : 1;
    const job = jobz as "N" | "S" | "A";
    const s = new Float64Array(Math.max(1, k));
    if (job === "N") {
      const info = k === 0 ? 0 : L.gesdd(c ? "z" : "d", "N", m, n, read(a, c), s, null, null);
      if (info === 0) write(s, k, false, outs[0]);
      return info;
    }
    const [uo, so, vo] = outs;
    const uc = uo.cols,
      vr = vo.rows;
    // LAPACK on a itself (not on the row-major buffer, its transpose), as NumPy calls it: the
    // singular vectors' signs are then NumPy's (multivariate_normal's draws depend on them).
    const u = new Float64Array(Math.max(1, m * uc) * lanes),
      vt = new Float64Array(Math.max(1, vr * n) * lanes);
    if (k === 0) {
      // No singular values: the complete bases of an empty matrix are identities.
      for (let i = 0; i < Math.min(m, uc); i++) u[(i * m + i) * lanes] = 1;
      for (let i = 0; i < Math.min(vr, n); i++) vt[(i * vr + i) * lanes] = 1;
    } else {
      const info = L.gesdd(c ? "z" : "d", job, m, n, read(a, c), s, u, vt);
      if (info !== 0) return info;
    }
    write(u, m, c, uo);
    write(s, k, false, so);
    write(vt, vr, c, vo);
    return 0;
  },
  eigh(L, [a], outs, c, [jobz, uplo]) {
    const n = a.rows;
    // As NumPy calls it (a itself, its `uplo` triangle), so the eigenvectors' signs are NumPy's.
    const buf = read(a, c);
    const w = new Float64Array(Math.max(1, n));
    const info = n === 0 ? 0 : L.syevd(c ? "z" : "d", jobz as "N" | "V", uplo as "L" | "U", n, buf, w);
    if (info !== 0) return info;
    write(w, n, false, outs[0]);
    if (jobz === "V") write(buf, n, c, outs[1]);
    return 0;
  },
  eig(L, [a], outs, c, [vectors]) {
    const n = a.rows;
    const w = new Float64Array(Math.max(1, 2 * n));
    const v = vectors ? new Float64Array(Math.max(1, 2 * n * n)) : null;
    const info = n === 0 ? 0 : L.geev(c ? "z" : "d", n, read(a, c), w, v);
    if (info !== 0) return info;
    write(w, n, true, outs[0]);
    if (v) write(v, n, true, outs[1]);
    return 0;
  },
  lstsq(L, [a, b], [x, resid, rank, sv], c, [rcond]) {
    const m = a.rows,
      n = a.cols,
      nrhs = b.cols,
      k = Math.min(m, n);
    const lanes = c ? 2 : 1;
    const ldb = Math.max(m, n, 1);
    const bb = new Float64Array(ldb * Math.max(1, nrhs) * lanes);
    const bin = read(b, c);
    for (let j = 0; j < nrhs; j++) bb.set(bin.subarray(j * m * lanes, (j + 1) * m * lanes), j * ldb * lanes);
    const s = new Float64Array(Math.max(1, k));
    let r = 0;
    if (m > 0 && n > 0 && nrhs > 0) {
      const res = L.gelsd(c ? "z" : "d", m, n, nrhs, read(a, c), bb, s, rcond as number);
      if (res.info !== 0) return res.info;
      r = res.rank;
    }
    // x is the first n rows of b (zero when a has no rows).
    const xb = new Float64Array(n * nrhs * lanes);
    if (m > 0) for (let j = 0; j < nrhs; j++) xb.set(bb.subarray(j * ldb * lanes, (j * ldb + n) * lanes), j * n * lanes);
    write(xb, n, c, x);
    // Residuals: the squared norms of b's rows past n (NumPy keeps them when m > n and the rank is full).
    const rs = new Float64Array(Math.max(1, nrhs));
    if (m > n)
      for (let j = 0; j < nrhs; j++) {
        let t = 0;
        for (let i = n; i < m; i++)
          for (let l = 0; l < lanes; l++) {
            const v = bb[(j * ldb + i) * lanes + l];
            t += v * v;
          }
        rs[j] = t;
      }
    write(rs, nrhs, false, resid, resid.rows, resid.cols);
    fill(rank, r);
    write(s, k, false, sv);
    return 0;
  },
};

/** linalg: the op on every matrix of this point's block (see the file comment). */
export function linalg(ctx: TaskContext): void {
  const [op, backend, threads, ...params] = ctx.scalars as [LinalgOp, "native" | "portable", number, ...unknown[]];
  const nIn = LINALG_INPUTS[op];
  const info = ctx.args[ctx.args.length - 1];
  const ins = ctx.args.slice(0, nIn);
  const outs = ctx.args.slice(nIn, ctx.args.length - 1);
  const nb = info.shape.length;
  if (info.lo.some((l, d) => l >= info.hi[d])) return;
  // Real inputs run the real routines (eig still writes complex results).
  const complex = ins.some(cplx);
  const L = backend === "portable" ? portableLapack : lapack();
  const idx = [...info.lo];
  const count = info.lo.reduce((p, l, d) => p * (info.hi[d] - l), 1);
  const run = (): void => {
    for (;;) {
      let io = info.offset;
      for (let d = 0; d < nb; d++) io += idx[d] * info.strides[d];
      const o = outs.map((s) => matAt(s, nb, idx));
      const status = OPS[op](
        L,
        ins.map((s) => matAt(s, nb, idx)),
        o,
        complex,
        params,
      );
      // A failed matrix's results are NaN, as NumPy's (cond reads them without raising).
      if (status !== 0) for (const m of o) fill(m, Number.NaN, Number.NaN);
      info.data[io] = status;
      let d = nb - 1;
      for (; d >= 0; d--) {
        if (++idx[d] < info.hi[d]) break;
        idx[d] = info.lo[d];
      }
      if (d < 0) return;
    }
  };
  // One matrix alone in the launch: LAPACK's own threads take the idle cores.
  if (ctx.points === 1 && count === 1) withLapackThreads(threads, run);
  else run();
}
