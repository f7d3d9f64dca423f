/**
 * The LAPACK routines numpy.linalg needs, in plain TypeScript (lapack_api.ts's contract), for
 * browsers and machines without a LAPACK library. Every routine copies its operands into
 * interleaved complex float64 working storage (portable/complex.ts), runs one algorithm for
 * all four precisions, and rounds the results back into the caller's arrays. The algorithms,
 * one family per file under portable/, are LAPACK's reference ones where the result is unique
 * up to rounding (LU with LAPACK's pivots, Cholesky, Householder QR) or its order matters
 * (geev's balancing and Hessenberg QR), and classic equivalents elsewhere (Golub–Kahan SVD,
 * tridiagonal QL for the Hermitian eigenproblem), whose singular values and eigenvalues are
 * LAPACK's up to rounding and whose vectors equal LAPACK's up to sign or phase.
 */
import type { LapackImpl, Lanes, Prec } from "./lapack_api.js";
import { potrf } from "./portable/cholesky.js";
import { epsFor, isComplex, load, store } from "./portable/complex.js";
import { eig } from "./portable/eig.js";
import { eigh } from "./portable/eigh.js";
import { lstsq } from "./portable/lstsq.js";
import { getrf, getrs, getrsT } from "./portable/lu.js";
import { geqrf, orgqr } from "./portable/qr.js";
import { svd } from "./portable/svd.js";

/** Copies float64 results lane for lane into the caller's array (real s; geev's complex w and vr whatever `prec`). */
function copyInto(src: Float64Array, dst: Lanes): void {
  for (let i = 0; i < src.length; i++) dst[i] = src[i];
}

export const portableLapack: LapackImpl = {
  name: "portable",

  getrf(prec: Prec, m: number, n: number, a: Lanes, ipiv: Int32Array): number {
    const w = load(prec, a, m * n);
    const info = getrf(m, n, w, ipiv);
    store(prec, w, a, m * n);
    return info;
  },

  getrs(prec: Prec, trans: "N" | "T", n: number, nrhs: number, lu: Lanes, ipiv: Int32Array, b: Lanes): number {
    const w = load(prec, lu, n * n);
    const x = load(prec, b, n * nrhs);
    (trans === "T" ? getrsT : getrs)(n, nrhs, w, ipiv, x);
    store(prec, x, b, n * nrhs);
    return 0;
  },

  gesv(prec: Prec, n: number, nrhs: number, a: Lanes, ipiv: Int32Array, b: Lanes): number {
    const w = load(prec, a, n * n);
    const info = getrf(n, n, w, ipiv);
    store(prec, w, a, n * n);
    // As LAPACK: b is left alone when U is singular.
    if (info !== 0) return info;
    const x = load(prec, b, n * nrhs);
    getrs(n, nrhs, w, ipiv, x);
    store(prec, x, b, n * nrhs);
    return 0;
  },

  potrf(prec: Prec, uplo: "L" | "U", n: number, a: Lanes): number {
    const w = load(prec, a, n * n);
    const info = potrf(uplo, n, w);
    store(prec, w, a, n * n);
    return info;
  },

  geqrf(prec: Prec, m: number, n: number, a: Lanes, tau: Lanes): number {
    const k = Math.min(m, n);
    const w = load(prec, a, m * n);
    const t = new Float64Array(2 * k);
    geqrf(m, n, w, t);
    store(prec, w, a, m * n);
    store(prec, t, tau, k);
    return 0;
  },

  orgqr(prec: Prec, m: number, n: number, k: number, a: Lanes, tau: Lanes): number {
    const w = load(prec, a, m * n);
    orgqr(m, n, k, w, load(prec, tau, k));
    store(prec, w, a, m * n);
    return 0;
  },

  gesdd(prec: Prec, jobz: "N" | "S" | "A", m: number, n: number, a: Lanes, s: Lanes, u: Lanes | null, vt: Lanes | null): number {
    const k = Math.min(m, n);
    const r = svd(jobz, m, n, load(prec, a, m * n));
    copyInto(r.s, s);
    if (r.info !== 0 || jobz === "N") return r.info;
    const ucols = jobz === "A" ? m : k;
    const vrows = jobz === "A" ? n : k;
    if (u && r.u) store(prec, r.u, u, m * ucols);
    if (vt && r.vt) store(prec, r.vt, vt, vrows * n);
    return 0;
  },

  syevd(prec: Prec, jobz: "N" | "V", uplo: "L" | "U", n: number, a: Lanes, w: Lanes): number {
    const r = eigh(uplo, n, load(prec, a, n * n), jobz === "V");
    if (r.info !== 0) return r.info;
    copyInto(r.w, w);
    if (r.z) store(prec, r.z, a, n * n);
    return 0;
  },

  geev(prec: Prec, n: number, a: Lanes, w: Lanes, vr: Lanes | null): number {
    const r = eig(!isComplex(prec), n, load(prec, a, n * n), vr !== null);
    copyInto(r.w, w);
    if (r.info !== 0) return r.info;
    if (vr && r.vr) copyInto(r.vr, vr);
    return 0;
  },

  gelsd(prec: Prec, m: number, n: number, nrhs: number, a: Lanes, b: Lanes, s: Lanes, rcond: number): { info: number; rank: number } {
    const ldb = Math.max(m, n);
    const x = load(prec, b, ldb * nrhs);
    const r = lstsq(m, n, nrhs, load(prec, a, m * n), x, rcond, epsFor(prec));
    copyInto(r.s, s);
    if (r.info === 0) store(prec, x, b, ldb * nrhs);
    return { info: r.info, rank: r.rank };
  },
};
