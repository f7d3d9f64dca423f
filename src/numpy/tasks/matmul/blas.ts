import { type NativeFn, ffiAvailable, ffiMissing, log, openFirst, optionalFunc, setting } from "../../../core/task_api.js";
import { compiledGemv } from "./gemv.js";

/**
 * Dense matrix products (gemm) for the CPU backend: the system CBLAS (OpenBLAS, or Debian's
 * reference BLAS) through koffi, called on the shared memory the point tasks see, with a
 * plain-JS fallback that is always correct. Each point task calls gemm on its own block, and
 * the runtime already runs one point per core, so OpenBLAS is pinned to one thread per call.
 *
 * Nothing is loaded at import: worker threads import this module through the task
 * variants, and load the library only when a product first runs there.
 */

export type GemmDType = "float32" | "float64" | "complex64" | "complex128";
export type BlasBackend = "native" | "js";
type Lanes = Float32Array | Float64Array;

/**
 * One gemm input: a row-major matrix in `data` (a lane array: complex has 2 lanes per
 * element) starting at element `offset`, rows `ld` elements apart, used transposed when
 * `trans`. With `trans`, the stored matrix is the transpose of the operand.
 */
export interface GemmOperand {
  readonly data: Lanes;
  readonly offset: number;
  readonly ld: number;
  readonly trans: boolean;
}
/** The gemm output: row-major, rows `ld` elements apart. */
export interface GemmOutput {
  readonly data: Lanes;
  readonly offset: number;
  readonly ld: number;
}

/** CBLAS's layout and transpose enumerations (lapack.ts's dgemm and dtrsm calls use them too). */
export const CBLAS_ROW_MAJOR = 101,
  CBLAS_NO_TRANS = 111,
  CBLAS_TRANS = 112;

type Fn = NativeFn;
interface NativeBlas {
  readonly path: string;
  /** openblas_get_config() / openblas_get_corename(), or null for another BLAS. */
  readonly config: string | null;
  readonly corename: string | null;
  readonly sgemm: Fn;
  readonly dgemm: Fn;
  readonly cgemm: Fn | null;
  readonly zgemm: Fn | null;
  readonly sgemv: Fn | null;
  readonly dgemv: Fn | null;
}

/** Tried in order; TESSERA_BLAS_LIB names a library to use instead. */
const CANDIDATES = [
  "libopenblas.so.0",
  "libopenblas.so",
  "libcblas.so.3",
  "libblas.so.3",
  "libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
];

let native: NativeBlas | null | undefined;
/** Why the library that loaded is not used (its products were wrong), or null. */
let refused: string | null = null;

function gemmSig(prefix: "s" | "d" | "c" | "z"): string {
  const t = prefix === "s" || prefix === "c" ? "float" : "double";
  // Complex scalars are passed by pointer; real ones by value.
  const scalar = prefix === "s" || prefix === "d" ? t : `const ${t} *`;
  return `void cblas_${prefix}gemm(int, int, int, int, int, int, ${scalar}, const ${t} *, int, const ${t} *, int, ${scalar}, ${t} *, int)`;
}

function loadNative(): NativeBlas | null {
  if (native !== undefined) return native;
  native = null;
  if (!ffiAvailable()) {
    log("kernels", `${ffiMissing()}: JS gemm`);
    return null;
  }
  const env = setting("TESSERA_BLAS_LIB");
  const found = openFirst(env ? [env] : CANDIDATES, (lib, path): NativeBlas => {
    const optional = (sig: string): Fn | null => optionalFunc(lib, sig);
    const text = (sig: string): string | null => {
      const f = optional(sig);
      return f ? String(f()) : null;
    };
    const b: NativeBlas = {
      path,
      config: text("const char *openblas_get_config(void)"),
      corename: text("const char *openblas_get_corename(void)"),
      sgemm: lib.func(gemmSig("s")),
      dgemm: lib.func(gemmSig("d")),
      cgemm: optional(gemmSig("c")),
      zgemm: optional(gemmSig("z")),
      sgemv: optional("void cblas_sgemv(int, int, int, int, float, const float *, int, const float *, int, float, float *, int)"),
      dgemv: optional("void cblas_dgemv(int, int, int, int, double, const double *, int, const double *, int, double, double *, int)"),
    };
    // OpenBLAS would otherwise start a thread per core inside every concurrent point task.
    optional("void openblas_set_num_threads(int)")?.(1);
    optional("void bli_thread_set_num_threads(int64_t)")?.(1);
    return b;
  });
  if (!found) {
    log("kernels", "no CBLAS library found: JS gemm");
    return null;
  }
  // Some OpenBLAS builds compute wrong products with some kernels on some CPUs.
  const wrong = selfCheck(found);
  if (wrong) {
    refused = `${found.path}${found.corename ? ` (core ${found.corename})` : ""} computes wrong products (${wrong})`;
    log("kernels", `${refused}: JS gemm`);
    return null;
  }
  native = found;
  log("kernels", `using ${found.path}${found.config ? ` (${found.config}; core ${found.corename})` : ""}`);
  return native;
}

/**
 * Why `lib` gives wrong products, or null: 67×53·53×71 dgemm and sgemm, each operand as is
 * and transposed, against a plain loop (odd sizes reach every edge case of the kernels).
 */
function selfCheck(lib: NativeBlas): string | null {
  const m = 67,
    k = 53,
    n = 71;
  let seed = 12345;
  // Values float32 holds exactly, so both precisions multiply the same matrices.
  const rnd = (): number => Math.fround((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 31 - 1);
  const A = Float64Array.from({ length: m * k }, rnd),
    B = Float64Array.from({ length: k * n }, rnd);
  const ref = new Float64Array(m * n),
    mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const x = A[i * k + p];
      for (let j = 0; j < n; j++) {
        ref[i * n + j] += x * B[p * n + j];
        mag[i * n + j] += Math.abs(x * B[p * n + j]);
      }
    }
  const stored = (X: Float64Array, rows: number, cols: number, trans: boolean): Float64Array => {
    if (!trans) return X;
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = X[r * cols + c];
    return t;
  };
  for (const single of [false, true])
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const a = stored(A, m, k, ta),
          b = stored(B, k, n, tb);
        const c = new Float64Array(m * n).fill(Number.NaN);
        const args = (x: Float64Array | Float32Array, y: typeof x, z: typeof x): unknown[] => [
          CBLAS_ROW_MAJOR,
          ta ? CBLAS_TRANS : CBLAS_NO_TRANS,
          tb ? CBLAS_TRANS : CBLAS_NO_TRANS,
          m,
          n,
          k,
          1,
          x,
          ta ? m : k,
          y,
          tb ? k : n,
          0,
          z,
          n,
        ];
        if (single) {
          const c32 = new Float32Array(m * n).fill(Number.NaN);
          lib.sgemm(...args(Float32Array.from(a), Float32Array.from(b), c32));
          c.set(c32);
        } else lib.dgemm(...args(a, b, c));
        const tol = single ? 1e-5 : 1e-13;
        for (let e = 0; e < m * n; e++)
          if (!(Math.abs(c[e] - ref[e]) <= tol * mag[e]))
            return `${single ? "s" : "d"}gemm ${ta ? "T" : "N"}${tb ? "T" : "N"} gives ${c[e]} for ${ref[e]} at (${Math.floor(e / n)}, ${e % n})`;
      }
  return null;
}

/** The library in use and what it says of itself, for `tessera info`; `refused` when one loaded but gave wrong products. */
export function blasInfo(): { path: string; config: string | null; corename: string | null } | { refused: string } | null {
  const lib = loadNative();
  if (lib) return { path: lib.path, config: lib.config, corename: lib.corename };
  return refused ? { refused } : null;
}

/** Whether a CBLAS library can be loaded on this thread. */
export function blasAvailable(): boolean {
  return loadNative() !== null;
}

/** The library in use, or null. */
export function blasLibrary(): string | null {
  return loadNative()?.path ?? null;
}

let chosen: BlasBackend | null = setting("TESSERA_BLAS") === "js" ? "js" : null;

/**
 * Choose the gemm backend of later products: "js", "native" (throws when no library
 * loads), or "auto" (native when available; TESSERA_BLAS=js makes auto mean js).
 */
export function setBlasBackend(b: BlasBackend | "auto"): void {
  if (b !== "native" && b !== "js" && b !== "auto") throw new TypeError(`gemm backend must be "native", "js" or "auto", not ${JSON.stringify(b)}`);
  if (b === "native" && !blasAvailable()) throw new Error("no CBLAS library could be loaded (tried " + CANDIDATES.join(", ") + ")");
  chosen = b === "auto" ? (setting("TESSERA_BLAS") === "js" ? "js" : null) : b;
}

/** The backend products use now. Launches carry it to the workers as a scalar. */
export function blasBackend(): BlasBackend {
  return chosen ?? (blasAvailable() ? "native" : "js");
}

/**
 * Layout of a strided rows×cols matrix (strides in elements) as BLAS sees it: row-major
 * with leading dimension `ld`, stored as is or (`trans`) as its transpose; null when it is
 * neither (stepped or broadcast views), and then the caller copies it first.
 */
export function blasLayout(rows: number, cols: number, s0: number, s1: number): { trans: boolean; ld: number } | null {
  if (cols === 1 || s1 === 1) {
    const ld = rows === 1 ? Math.max(1, cols) : s0;
    if (ld >= Math.max(1, cols)) return { trans: false, ld };
  }
  if (rows === 1 || s0 === 1) {
    const ld = cols === 1 ? Math.max(1, rows) : s1;
    if (ld >= Math.max(1, rows)) return { trans: true, ld };
  }
  return null;
}

const ONE = { f: new Float32Array([1, 0]), d: new Float64Array([1, 0]) };
const ZERO = { f: new Float32Array([0, 0]), d: new Float64Array([0, 0]) };

/** A typed view over exactly the elements a stored matrix spans (koffi passes its address). */
function span(x: { data: Lanes; offset: number; ld: number }, rows: number, cols: number, lanes: number): Lanes {
  const n = ((rows - 1) * x.ld + cols) * lanes;
  const at = x.data.byteOffset + x.offset * lanes * x.data.BYTES_PER_ELEMENT;
  return x.data instanceof Float32Array
    ? new Float32Array(x.data.buffer as ArrayBuffer, at, n)
    : new Float64Array(x.data.buffer as ArrayBuffer, at, n);
}

/**
 * C = op(A) · op(B) for an m×k op(A) and a k×n op(B), overwriting the m×n C. `backend`
 * defaults to the current choice; "native" falls back to JS where no library loads.
 */
export function gemm(
  dtype: GemmDType,
  m: number,
  n: number,
  k: number,
  a: GemmOperand,
  b: GemmOperand,
  c: GemmOutput,
  backend: BlasBackend = blasBackend(),
): void {
  if (m <= 0 || n <= 0) return;
  const cplx = dtype === "complex64" || dtype === "complex128";
  const lanes = cplx ? 2 : 1;
  if (k <= 0) {
    for (let i = 0; i < m; i++) c.data.fill(0, (c.offset + i * c.ld) * lanes, (c.offset + i * c.ld + n) * lanes);
    return;
  }
  // A matrix-vector product: gemv streams A once, where gemm with n = 1 is several times slower.
  if (backend === "native" && n === 1 && (dtype === "float32" || dtype === "float64") && compiledGemv(dtype, m, k, a, b, c)) return;
  const lib = backend === "native" ? loadNative() : null;
  const gemv = !lib || n !== 1 ? null : dtype === "float32" ? lib.sgemv : dtype === "float64" ? lib.dgemv : null;
  if (gemv) {
    const A = span(a, a.trans ? k : m, a.trans ? m : k, 1);
    const incx = b.trans ? 1 : b.ld,
      incy = c.ld;
    const X = span({ data: b.data, offset: b.offset, ld: incx }, k, 1, 1);
    const Y = span({ data: c.data, offset: c.offset, ld: incy }, m, 1, 1);
    if (a.trans) gemv(CBLAS_ROW_MAJOR, CBLAS_TRANS, k, m, 1, A, a.ld, X, incx, 0, Y, incy);
    else gemv(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, m, k, 1, A, a.ld, X, incx, 0, Y, incy);
    return;
  }
  const fn = !lib ? null : dtype === "float32" ? lib.sgemm : dtype === "float64" ? lib.dgemm : dtype === "complex64" ? lib.cgemm : lib.zgemm;
  if (!fn) {
    gemmJS(cplx, m, n, k, a, b, c);
    return;
  }
  const A = span(a, a.trans ? k : m, a.trans ? m : k, lanes);
  const B = span(b, b.trans ? n : k, b.trans ? k : n, lanes);
  const C = span(c, m, n, lanes);
  const single = dtype === "float32" || dtype === "complex64";
  const alpha = cplx ? (single ? ONE.f : ONE.d) : 1;
  const beta = cplx ? (single ? ZERO.f : ZERO.d) : 0;
  fn(
    CBLAS_ROW_MAJOR,
    a.trans ? CBLAS_TRANS : CBLAS_NO_TRANS,
    b.trans ? CBLAS_TRANS : CBLAS_NO_TRANS,
    m,
    n,
    k,
    alpha,
    A,
    a.ld,
    B,
    b.ld,
    beta,
    C,
    c.ld,
  );
}

/** The JS gemm: correct for every layout. */
export function gemmJS(cplx: boolean, m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: GemmOutput): void {
  if (cplx) gemmComplexJS(m, n, k, a, b, c);
  else gemmRealJS(m, n, k, a, b, c);
}

// Real fallback: a KC×NC block of B is packed transposed (each column contiguous) and 4 rows
// of A beside it, so a 4×2 tile of C sums in 8 locals with no stores in the inner loop
// (several GFLOP/s per core in V8). Sums are float64, also for float32 data.
const KC = 256,
  NC = 128,
  MR = 4;

function gemmRealJS(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: GemmOutput): void {
  const ad = a.data,
    bd = b.data,
    cd = c.data;
  const ars = a.trans ? 1 : a.ld,
    acs = a.trans ? a.ld : 1;
  const brs = b.trans ? 1 : b.ld,
    bcs = b.trans ? b.ld : 1;
  const kc0 = Math.min(KC, k),
    nc0 = Math.min(NC, n);
  const bt = new Float64Array(nc0 * kc0),
    ap = new Float64Array(MR * kc0),
    acc = new Float64Array(m * nc0);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    acc.fill(0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let j = 0; j < nc; j++) {
        let src = b.offset + p0 * brs + (j0 + j) * bcs;
        for (let p = 0, dst = j * kc; p < kc; p++, src += brs) bt[dst + p] = bd[src];
      }
      const r1 = kc,
        r2 = 2 * kc,
        r3 = 3 * kc;
      for (let i0 = 0; i0 < m; i0 += MR) {
        const mr = Math.min(MR, m - i0);
        for (let r = 0; r < MR; r++) {
          const dst = r * kc;
          if (r >= mr) {
            ap.fill(0, dst, dst + kc);
            continue;
          }
          let src = a.offset + (i0 + r) * ars + p0 * acs;
          for (let p = 0; p < kc; p++, src += acs) ap[dst + p] = ad[src];
        }
        let j = 0;
        for (; j + 1 < nc; j += 2) {
          let c00 = 0,
            c01 = 0,
            c10 = 0,
            c11 = 0,
            c20 = 0,
            c21 = 0,
            c30 = 0,
            c31 = 0;
          const b0 = j * kc,
            b1 = b0 + kc;
          for (let p = 0; p < kc; p++) {
            const x0 = bt[b0 + p],
              x1 = bt[b1 + p];
            const y0 = ap[p],
              y1 = ap[r1 + p],
              y2 = ap[r2 + p],
              y3 = ap[r3 + p];
            c00 += y0 * x0;
            c01 += y0 * x1;
            c10 += y1 * x0;
            c11 += y1 * x1;
            c20 += y2 * x0;
            c21 += y2 * x1;
            c30 += y3 * x0;
            c31 += y3 * x1;
          }
          const o = i0 * nc + j;
          acc[o] += c00;
          acc[o + 1] += c01;
          if (mr > 1) {
            acc[o + nc] += c10;
            acc[o + nc + 1] += c11;
          }
          if (mr > 2) {
            acc[o + 2 * nc] += c20;
            acc[o + 2 * nc + 1] += c21;
          }
          if (mr > 3) {
            acc[o + 3 * nc] += c30;
            acc[o + 3 * nc + 1] += c31;
          }
        }
        if (j < nc) {
          let c0 = 0,
            c1 = 0,
            c2 = 0,
            c3 = 0;
          const b0 = j * kc;
          for (let p = 0; p < kc; p++) {
            const x = bt[b0 + p];
            c0 += ap[p] * x;
            c1 += ap[r1 + p] * x;
            c2 += ap[r2 + p] * x;
            c3 += ap[r3 + p] * x;
          }
          const o = i0 * nc + j;
          acc[o] += c0;
          if (mr > 1) acc[o + nc] += c1;
          if (mr > 2) acc[o + 2 * nc] += c2;
          if (mr > 3) acc[o + 3 * nc] += c3;
        }
      }
    }
    for (let i = 0; i < m; i++) {
      const dst = c.offset + i * c.ld + j0,
        src = i * nc;
      for (let j = 0; j < nc; j++) cd[dst + j] = acc[src + j];
    }
  }
}

// Complex fallback: a KC×CNC block of B packed row by row; each row of A streams past it.
const CNC = 256;

function gemmComplexJS(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: GemmOutput): void {
  const ad = a.data,
    bd = b.data,
    cd = c.data;
  const ars = a.trans ? 1 : a.ld,
    acs = a.trans ? a.ld : 1;
  const brs = b.trans ? 1 : b.ld,
    bcs = b.trans ? b.ld : 1;
  const nc0 = Math.min(CNC, n);
  const acc = new Float64Array(2 * m * nc0);
  const panel = new Float64Array(2 * Math.min(KC, k) * nc0);
  for (let j0 = 0; j0 < n; j0 += CNC) {
    const nc = Math.min(CNC, n - j0);
    acc.fill(0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let p = 0; p < kc; p++) {
        let src = b.offset + (p0 + p) * brs + j0 * bcs;
        const dst = 2 * p * nc;
        for (let j = 0; j < nc; j++, src += bcs) {
          panel[dst + 2 * j] = bd[2 * src];
          panel[dst + 2 * j + 1] = bd[2 * src + 1];
        }
      }
      for (let i = 0; i < m; i++) {
        const row = 2 * i * nc;
        let ai = a.offset + i * ars + p0 * acs;
        for (let p = 0; p < kc; p++, ai += acs) {
          const ar = ad[2 * ai],
            aim = ad[2 * ai + 1];
          const po = 2 * p * nc;
          for (let j = 0; j < 2 * nc; j += 2) {
            const br = panel[po + j],
              bi = panel[po + j + 1];
            acc[row + j] += ar * br - aim * bi;
            acc[row + j + 1] += ar * bi + aim * br;
          }
        }
      }
    }
    for (let i = 0; i < m; i++) {
      const dst = 2 * (c.offset + i * c.ld + j0),
        src = 2 * i * nc;
      for (let j = 0; j < 2 * nc; j++) cd[dst + j] = acc[src + j];
    }
  }
}
