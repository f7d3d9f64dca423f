/**
 * The LAPACK routines numpy.linalg is built on, as one interface with two implementations:
 * the system LAPACK through the FFI (lapack.ts) and a portable one in plain JS (portable.ts)
 * for machines and browsers without it.
 *
 * Conventions, as LAPACK's own: matrices are column-major with leading dimension = rows
 * (no padding); `prec` names the element type as LAPACK's prefix does (s, d: real float32 /
 * float64; c, z: complex64 / complex128, stored as interleaved re, im lanes). Every routine
 * overwrites its inputs as LAPACK documents and returns LAPACK's `info` (0: success; > 0: the
 * routine's numerical failure, e.g. a singular or non-positive-definite matrix; < 0 is a bug
 * here, never the caller's input). Workspace is the implementation's business.
 */

export type Prec = "s" | "d" | "c" | "z";
/** float32 lanes for s and c, float64 for d and z. */
export type Lanes = Float32Array | Float64Array;

export interface LapackImpl {
  /** "native: <library path>" or "portable". */
  readonly name: string;
  /** LU with partial pivoting of an m×n `a`; `ipiv` (min(m,n)) gets 1-based row swaps. */
  getrf(prec: Prec, m: number, n: number, a: Lanes, ipiv: Int32Array): number;
  /**
   * Solves a·x = b ("N") or aᵀ·x = b ("T") with getrf's LU and pivots of the n×n a, for the
   * n×nrhs `b` (overwritten by x).
   */
  getrs(prec: Prec, trans: "N" | "T", n: number, nrhs: number, lu: Lanes, ipiv: Int32Array, b: Lanes): number;
  /** Solves a·x = b for n×n `a` (overwritten by its LU) and n×nrhs `b` (overwritten by x). */
  gesv(prec: Prec, n: number, nrhs: number, a: Lanes, ipiv: Int32Array, b: Lanes): number;
  /** Cholesky of the n×n Hermitian positive-definite `a`, in the `uplo` triangle (the other is left as it was). */
  potrf(prec: Prec, uplo: "L" | "U", n: number, a: Lanes): number;
  /** QR of an m×n `a`: R in the upper triangle, Householder vectors below, `tau` (min(m,n)). */
  geqrf(prec: Prec, m: number, n: number, a: Lanes, tau: Lanes): number;
  /** The first n columns of Q (m×n, m ≥ n ≥ k) from k reflectors of geqrf, in `a` (orgqr / ungqr). */
  orgqr(prec: Prec, m: number, n: number, k: number, a: Lanes, tau: Lanes): number;
  /**
   * SVD of an m×n `a` (destroyed), singular values descending into real `s` (min(m,n)).
   * jobz "N": values only; "S": u is m×min(m,n) and vt min(m,n)×n; "A": u m×m, vt n×n.
   */
  gesdd(prec: Prec, jobz: "N" | "S" | "A", m: number, n: number, a: Lanes, s: Lanes, u: Lanes | null, vt: Lanes | null): number;
  /**
   * Eigenvalues (ascending, into real `w`) of the n×n Hermitian `a`, read from its `uplo`
   * triangle; with jobz "V" `a` is overwritten by the orthonormal eigenvectors (columns).
   * syevd / heevd.
   */
  syevd(prec: Prec, jobz: "N" | "V", uplo: "L" | "U", n: number, a: Lanes, w: Lanes): number;
  /**
   * Eigenvalues of a general n×n `a` (destroyed) into complex `w` (2n lanes, whatever `prec`),
   * and with `vr` the right eigenvectors as complex columns (2n² lanes, each normalised to
   * unit 2-norm with its largest component real, as LAPACK's geev does). For real `prec`
   * the pairs come conjugate, positive imaginary part first.
   */
  geev(prec: Prec, n: number, a: Lanes, w: Lanes, vr: Lanes | null): number;
  /**
   * Least squares min ‖a·x − b‖ by SVD for m×n `a` (destroyed) and `b` of ldb = max(m,n)
   * rows and nrhs columns (x in its first n rows); singular values into real `s`
   * (min(m,n)); singular values ≤ rcond·s[0] count as zero. Returns info and the rank.
   */
  gelsd(prec: Prec, m: number, n: number, nrhs: number, a: Lanes, b: Lanes, s: Lanes, rcond: number): { info: number; rank: number };
}
