import { type NativeFn, ffiAvailable, ffiMissing, log, openFirst, optionalFunc, setting } from "../../../core/task_api.js";
import type { Lanes, LapackImpl, Prec } from "./lapack_api.js";
import { portableLapack } from "./portable.js";
import { CBLAS_NO_TRANS, CBLAS_ROW_MAJOR, CBLAS_TRANS, blasInfo } from "../matmul/blas.js";

/**
 * The system LAPACK through koffi (Fortran calling convention: every argument by address,
 * character arguments followed by their hidden lengths), with the portable JS LAPACK where
 * no library loads. OpenBLAS exports LAPACK itself (with its own threaded getrf/potrf), so
 * it is tried first; TESSERA_LAPACK_LIB names a library to use instead. Loaded on first use
 * in each thread.
 */

const CANDIDATES = [
  "libopenblas.so.0",
  "liblapack.so.3",
  "libopenblas.so",
  "liblapack.so",
  "libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
];

type Fns = Record<string, NativeFn>;
const isComplex = (p: Prec) => p === "c" || p === "z";
const realOf = (p: Prec): "s" | "d" => (p === "s" || p === "c" ? "s" : "d");
const T = (p: Prec) => (realOf(p) === "s" ? "float" : "double");

/** The Fortran prototypes, per precision (complex data is passed as interleaved real lanes). */
function prototypes(p: Prec): Record<string, string> {
  const t = T(p);
  const c = isComplex(p);
  const qr = c ? "ungqr" : "orgqr";
  const ev = c ? "heevd" : "syevd";
  return {
    getrf: `void ${p}getrf_(const int *, const int *, ${t} *, const int *, int *, int *)`,
    getrs: `void ${p}getrs_(const char *, const int *, const int *, const ${t} *, const int *, const int *, ${t} *, const int *, int *, size_t)`,
    gesv: `void ${p}gesv_(const int *, const int *, ${t} *, const int *, int *, ${t} *, const int *, int *)`,
    potrf: `void ${p}potrf_(const char *, const int *, ${t} *, const int *, int *, size_t)`,
    geqrf: `void ${p}geqrf_(const int *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, int *)`,
    orgqr: `void ${p}${qr}_(const int *, const int *, const int *, ${t} *, const int *, const ${t} *, ${t} *, const int *, int *)`,
    gesdd: c
      ? `void ${p}gesdd_(const char *, const int *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, ${t} *, const int *, ${t} *, const int *, ${t} *, int *, int *, size_t)`
      : `void ${p}gesdd_(const char *, const int *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, ${t} *, const int *, ${t} *, const int *, int *, int *, size_t)`,
    syevd: c
      ? `void ${p}${ev}_(const char *, const char *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, ${t} *, const int *, int *, const int *, int *, size_t, size_t)`
      : `void ${p}${ev}_(const char *, const char *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, int *, const int *, int *, size_t, size_t)`,
    geev: c
      ? `void ${p}geev_(const char *, const char *, const int *, ${t} *, const int *, ${t} *, ${t} *, const int *, ${t} *, const int *, ${t} *, const int *, ${t} *, int *, size_t, size_t)`
      : `void ${p}geev_(const char *, const char *, const int *, ${t} *, const int *, ${t} *, ${t} *, ${t} *, const int *, ${t} *, const int *, ${t} *, const int *, int *, size_t, size_t)`,
    gelsd: c
      ? `void ${p}gelsd_(const int *, const int *, const int *, ${t} *, const int *, ${t} *, const int *, ${t} *, const ${t} *, int *, ${t} *, const int *, ${t} *, int *, int *)`
      : `void ${p}gelsd_(const int *, const int *, const int *, ${t} *, const int *, ${t} *, const int *, ${t} *, const ${t} *, int *, ${t} *, const int *, int *, int *)`,
  };
}

interface Native {
  readonly path: string;
  readonly fns: Record<Prec, Fns>;
  readonly setThreads: NativeFn | null;
  /** cblas_dtrsm and cblas_dgemm, where the library has CBLAS (OpenBLAS does). */
  readonly dtrsm: NativeFn | null;
  readonly dgemm: NativeFn | null;
}

let native: Native | null | undefined;

function load(): Native | null {
  if (native !== undefined) return native;
  native = null;
  if (!ffiAvailable()) {
    log("kernels", `${ffiMissing()}: portable LAPACK`);
    return null;
  }
  const blas = blasInfo();
  if (blas && "refused" in blas) {
    // The same library's products failed the check made when it loaded: its LAPACK is not trusted either.
    log("kernels", `${blas.refused}: portable LAPACK`);
    return null;
  }
  const env = setting("TESSERA_LAPACK_LIB");
  native = openFirst(env ? [env] : CANDIDATES, (lib, path): Native => {
    // A library without every routine (a plain BLAS) throws here, and the next is tried.
    const fns = {} as Record<Prec, Fns>;
    for (const p of ["s", "d", "c", "z"] as const) {
      fns[p] = {};
      for (const [name, proto] of Object.entries(prototypes(p))) fns[p][name] = lib.func(proto);
    }
    const setThreads = optionalFunc(lib, "void openblas_set_num_threads(int)");
    // One thread per call, as the BLAS: each point task runs on its own core.
    setThreads?.(1);
    return {
      path,
      fns,
      setThreads,
      dtrsm: optionalFunc(lib, "void cblas_dtrsm(int, int, int, int, int, int, int, double, const double *, int, double *, int)"),
      dgemm: optionalFunc(
        lib,
        "void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)",
      ),
    };
  });
  log("kernels", native ? `LAPACK: using ${native.path}` : "no LAPACK library found: portable LAPACK");
  return native;
}

const I = (v: number) => Int32Array.of(v);
const lanes = (p: Prec, n: number): Lanes => (realOf(p) === "s" ? new Float32Array(n) : new Float64Array(n));
/** The workspace size a query (lwork = -1) wrote into its first element. */
const size = (w: Lanes | Int32Array) => Math.max(1, Math.ceil(w[0]));

function nativeLapack(n: Native): LapackImpl {
  return {
    name: `native: ${n.path}`,
    getrf(p, m, cols, a, ipiv) {
      const info = I(0);
      n.fns[p].getrf(I(m), I(cols), a, I(Math.max(1, m)), ipiv, info);
      return info[0];
    },
    getrs(p, trans, order, nrhs, lu, ipiv, b) {
      const info = I(0);
      n.fns[p].getrs(trans, I(order), I(nrhs), lu, I(Math.max(1, order)), ipiv, b, I(Math.max(1, order)), info, 1);
      return info[0];
    },
    gesv(p, order, nrhs, a, ipiv, b) {
      const info = I(0);
      n.fns[p].gesv(I(order), I(nrhs), a, I(Math.max(1, order)), ipiv, b, I(Math.max(1, order)), info);
      return info[0];
    },
    potrf(p, uplo, order, a) {
      const info = I(0);
      n.fns[p].potrf(uplo, I(order), a, I(Math.max(1, order)), info, 1);
      return info[0];
    },
    geqrf(p, m, cols, a, tau) {
      const f = n.fns[p].geqrf;
      const info = I(0),
        q = lanes(p, 2);
      f(I(m), I(cols), a, I(Math.max(1, m)), tau, q, I(-1), info);
      const lw = size(q);
      f(I(m), I(cols), a, I(Math.max(1, m)), tau, lanes(p, lw * (isComplex(p) ? 2 : 1)), I(lw), info);
      return info[0];
    },
    orgqr(p, m, cols, k, a, tau) {
      const f = n.fns[p].orgqr;
      const info = I(0),
        q = lanes(p, 2);
      f(I(m), I(cols), I(k), a, I(Math.max(1, m)), tau, q, I(-1), info);
      const lw = size(q);
      f(I(m), I(cols), I(k), a, I(Math.max(1, m)), tau, lanes(p, lw * (isComplex(p) ? 2 : 1)), I(lw), info);
      return info[0];
    },
    gesdd(p, jobz, m, cols, a, s, u, vt) {
      const f = n.fns[p].gesdd;
      const mn = Math.min(m, cols),
        mx = Math.max(m, cols);
      const vrows = jobz === "A" ? cols : mn;
      const U = u ?? lanes(p, 2),
        VT = vt ?? lanes(p, 2);
      const ldu = I(Math.max(1, m)),
        ldvt = I(Math.max(1, jobz === "N" ? 1 : vrows));
      const iwork = new Int32Array(Math.max(1, 8 * mn));
      const info = I(0),
        q = lanes(p, 2);
      const args = (work: Lanes, lw: number, rwork: Lanes | null): unknown[] =>
        rwork
          ? [jobz, I(m), I(cols), a, I(Math.max(1, m)), s, U, ldu, VT, ldvt, work, I(lw), rwork, iwork, info, 1]
          : [jobz, I(m), I(cols), a, I(Math.max(1, m)), s, U, ldu, VT, ldvt, work, I(lw), iwork, info, 1];
      // Complex gesdd's real workspace, as LAPACK 3.7+ documents it.
      const rwork = isComplex(p)
        ? lanes(p, Math.max(1, jobz === "N" ? 7 * mn : Math.max(5 * mn * mn + 5 * mn, 2 * mx * mn + 2 * mn * mn + mn)))
        : null;
      f(...args(q, -1, rwork));
      const lw = size(q);
      f(...args(lanes(p, lw * (isComplex(p) ? 2 : 1)), lw, rwork));
      return info[0];
    },
    syevd(p, jobz, uplo, order, a, w) {
      const f = n.fns[p].syevd;
      const info = I(0),
        q = lanes(p, 2),
        rq = lanes(p, 1),
        iq = I(0);
      const lda = I(Math.max(1, order));
      if (isComplex(p)) {
        f(jobz, uplo, I(order), a, lda, w, q, I(-1), rq, I(-1), iq, I(-1), info, 1, 1);
        const lw = size(q),
          lrw = size(rq),
          liw = size(iq);
        f(jobz, uplo, I(order), a, lda, w, lanes(p, 2 * lw), I(lw), lanes(p, lrw), I(lrw), new Int32Array(liw), I(liw), info, 1, 1);
      } else {
        f(jobz, uplo, I(order), a, lda, w, q, I(-1), iq, I(-1), info, 1, 1);
        const lw = size(q),
          liw = size(iq);
        f(jobz, uplo, I(order), a, lda, w, lanes(p, lw), I(lw), new Int32Array(liw), I(liw), info, 1, 1);
      }
      return info[0];
    },
    geev(p, order, a, w, vr) {
      const f = n.fns[p].geev;
      const info = I(0),
        q = lanes(p, 2);
      const lda = I(Math.max(1, order)),
        one = I(1);
      const jobvr = vr ? "V" : "N";
      const dummy = lanes(p, 2);
      if (isComplex(p)) {
        const rwork = lanes(p, Math.max(1, 2 * order));
        const V = vr ?? dummy;
        const ldvr = I(vr ? Math.max(1, order) : 1);
        f("N", jobvr, I(order), a, lda, w, dummy, one, V, ldvr, q, I(-1), rwork, info, 1, 1);
        const lw = size(q);
        f("N", jobvr, I(order), a, lda, w, dummy, one, V, ldvr, lanes(p, 2 * lw), I(lw), rwork, info, 1, 1);
        return info[0];
      }
      const wr = lanes(p, Math.max(1, order)),
        wi = lanes(p, Math.max(1, order));
      const V = vr ? lanes(p, Math.max(1, order * order)) : dummy;
      const ldvr = I(vr ? Math.max(1, order) : 1);
      f("N", jobvr, I(order), a, lda, wr, wi, dummy, one, V, ldvr, q, I(-1), info, 1, 1);
      const lw = size(q);
      f("N", jobvr, I(order), a, lda, wr, wi, dummy, one, V, ldvr, lanes(p, lw), I(lw), info, 1, 1);
      if (info[0] !== 0) return info[0];
      for (let j = 0; j < order; j++) {
        w[2 * j] = wr[j];
        w[2 * j + 1] = wi[j];
      }
      // Real geev stores a complex pair's vectors as two real columns: re in j, im in j+1.
      if (vr) {
        for (let j = 0; j < order; j++) {
          if (wi[j] !== 0 && j + 1 < order) {
            for (let i = 0; i < order; i++) {
              const re = V[j * order + i],
                im = V[(j + 1) * order + i];
              vr[2 * (j * order + i)] = re;
              vr[2 * (j * order + i) + 1] = im;
              vr[2 * ((j + 1) * order + i)] = re;
              vr[2 * ((j + 1) * order + i) + 1] = -im;
            }
            j++;
          } else {
            for (let i = 0; i < order; i++) {
              vr[2 * (j * order + i)] = V[j * order + i];
              vr[2 * (j * order + i) + 1] = 0;
            }
          }
        }
      }
      return 0;
    },
    gelsd(p, m, cols, nrhs, a, b, s, rcond) {
      const f = n.fns[p].gelsd;
      const info = I(0),
        rank = I(0),
        q = lanes(p, 2),
        iq = I(0);
      const rc = lanes(p, 1);
      rc[0] = rcond;
      const lda = I(Math.max(1, m)),
        ldb = I(Math.max(1, m, cols));
      if (isComplex(p)) {
        const rq = lanes(p, 1);
        f(I(m), I(cols), I(nrhs), a, lda, b, ldb, s, rc, rank, q, I(-1), rq, iq, info);
        const lw = size(q),
          lrw = size(rq),
          liw = size(iq);
        f(I(m), I(cols), I(nrhs), a, lda, b, ldb, s, rc, rank, lanes(p, 2 * lw), I(lw), lanes(p, lrw), new Int32Array(liw), info);
      } else {
        f(I(m), I(cols), I(nrhs), a, lda, b, ldb, s, rc, rank, q, I(-1), iq, info);
        const lw = size(q),
          liw = size(iq);
        f(I(m), I(cols), I(nrhs), a, lda, b, ldb, s, rc, rank, lanes(p, lw), I(lw), new Int32Array(liw), info);
      }
      return { info: info[0], rank: rank[0] };
    },
  };
}

let impl: LapackImpl | undefined;
let forced: "native" | "portable" | null = setting("TESSERA_LAPACK") === "portable" ? "portable" : null;

/** The LAPACK in use on this thread: the system library, or the portable one. */
export function lapack(): LapackImpl {
  if (forced === "portable") return portableLapack;
  if (impl) return impl;
  const n = load();
  impl = n ? nativeLapack(n) : portableLapack;
  return impl;
}

/** Use the portable LAPACK ("portable"), the system one ("native", throws when none loads) or the default ("auto"). */
export function setLapackBackend(b: "native" | "portable" | "auto"): void {
  if (b === "native" && !load()) throw new Error(`no LAPACK library could be loaded (tried ${CANDIDATES.join(", ")})`);
  forced = b === "auto" ? (setting("TESSERA_LAPACK") === "portable" ? "portable" : null) : b;
}

/** Which LAPACK later calls use, as launches carry it to the workers. */
export function lapackBackend(): "native" | "portable" {
  return lapack() === portableLapack ? "portable" : "native";
}

/**
 * Run `f` with the library's own threads (OpenBLAS's pool) set to `threads`: a launch with one
 * large matrix runs as one point, so LAPACK's threads use the cores the other points would have.
 */
export function withLapackThreads<R>(threads: number, f: () => R): R {
  const set = threads > 1 && lapack() !== portableLapack ? native?.setThreads : null;
  if (!set) return f();
  set(threads);
  try {
    return f();
  } finally {
    set(1);
  }
}

/** CBLAS's enumerations for dtrsm (the layout and transposes are blas.ts's). */
const UPPER = 121,
  LOWER = 122,
  NON_UNIT = 131,
  UNIT = 132,
  LEFT = 141,
  RIGHT = 142;

/**
 * c −= a · bᵀ for row-major m×k `a`, n×k `b` and m×n `c` (or c −= a · b for a k×n `b` when
 * `transB` is false): cblas_dgemm with alpha −1 and beta 1, no temporary; null where no
 * native library has it.
 */
export function gemmUpdateNative(
  transB = true,
): ((m: number, n: number, k: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number) => void) | null {
  const f = lapack() === portableLapack ? null : native?.dgemm;
  if (!f) return null;
  const tb = transB ? CBLAS_TRANS : CBLAS_NO_TRANS;
  return (m, n, k, a, lda, b, ldb, c, ldc) => f(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, tb, m, n, k, -1, a, lda, b, ldb, 1, c, ldc);
}

/**
 * A triangular solve in place on a row-major m×n `b` with the triangle of a row-major square
 * `t` (cblas_dtrsm): `side` "left" gives b := op(T)⁻¹ · b (T is m×m), "right" b := b · op(T)⁻¹
 * (T is n×n); `uplo` names the triangle read, `trans` takes op(T) = Tᵀ, `unit` a unit
 * diagonal (an LU factor's L). Null where no native library has it.
 */
export function trsmNative(
  side: "left" | "right",
  uplo: "lower" | "upper",
  trans: boolean,
  unit: boolean,
): ((m: number, n: number, t: Float64Array, ldt: number, b: Float64Array, ldb: number) => void) | null {
  const f = lapack() === portableLapack ? null : native?.dtrsm;
  if (!f) return null;
  const args = [side === "left" ? LEFT : RIGHT, uplo === "lower" ? LOWER : UPPER, trans ? CBLAS_TRANS : CBLAS_NO_TRANS, unit ? UNIT : NON_UNIT];
  return (m, n, t, ldt, b, ldb) => f(CBLAS_ROW_MAJOR, ...args, m, n, 1, t, ldt, b, ldb);
}
