import { type NativeFn, compiledLibrary } from "../../../core/task_api.js";
import type { GemmOperand, GemmOutput } from "./blas.js";

/**
 * The compiled matrix-vector products of include/tessera/gemv.h, run in place of the BLAS's
 * gemv for np.matmul's n = 1 case in float32 and float64 (with the native backend; the JS
 * one, TESSERA_BLAS=js, keeps the JS gemm). They stream A at memory speed, ahead of a BLAS
 * whose gemv kernels are not tuned for the CPU (Debian's OpenBLAS 0.3.21 here: 17-30% slower
 * on 4000² and on 1,000,000 × 32, both ways). Null where nothing compiles.
 */

const D = "int gemv_d(const int64_t *m, const double *A, const double *x, double *y)";
const S = "int gemv_s(const int64_t *m, const float *A, const float *x, float *y)";
const call = (t: string) =>
  `return m[0] ? tgemv_t_${t}(m[1], m[2], A + m[3], m[4], x + m[5], m[6], y + m[7], m[8]) : tgemv_n_${t}(m[1], m[2], A + m[3], m[4], x + m[5], m[6], y + m[7], m[8]);`;
const SOURCE = `${D} { ${call("d")} }\n${S} { ${call("s")} }\n`;

let fns: { float64: NativeFn; float32: NativeFn } | null | undefined;

/**
 * y = op(A) x into c for an m×k op(A) and a k-vector b (a k×1 operand), when compiled;
 * returns false otherwise.
 */
export function compiledGemv(dtype: "float32" | "float64", m: number, k: number, a: GemmOperand, b: GemmOperand, c: GemmOutput): boolean {
  if (fns === undefined) {
    const lib = compiledLibrary("tessera/gemv.h", SOURCE, D);
    fns = lib ? { float64: lib.func(D), float32: lib.func(S) } : null;
  }
  if (!fns) return false;
  const incx = b.trans ? 1 : b.ld;
  // A stored transposed is a k×m row-major matrix: y = A_storedᵀ x.
  const meta = a.trans
    ? BigInt64Array.of(1n, BigInt(k), BigInt(m), BigInt(a.offset), BigInt(a.ld), BigInt(b.offset), BigInt(incx), BigInt(c.offset), BigInt(c.ld))
    : BigInt64Array.of(0n, BigInt(m), BigInt(k), BigInt(a.offset), BigInt(a.ld), BigInt(b.offset), BigInt(incx), BigInt(c.offset), BigInt(c.ld));
  if (fns[dtype](meta, a.data, b.data, c.data) !== 0) throw new RangeError("np.matmul: out of memory for a matrix-vector product");
  return true;
}
