import { f2h, h2f } from "../../../core/task_api.js";
import type { TaskContext, DTypeName, TypedArray } from "../../../core/task_api.js";
import { type BlasBackend, type GemmDType, blasLayout, gemm } from "./blas.js";

/**
 * CPU variant of the `matmul` task: BLAS gemm for float and complex blocks, exact loops
 * for the others. Side-effect free: worker threads import it through tasks/index.ts.
 */

/** One matrix of a point's product: element (i, j) sits at data[offset + i*s0 + j*s1] (lanes: ×2 for complex). */
interface Mat {
  readonly data: TypedArray;
  readonly offset: number;
  readonly s0: number;
  readonly s1: number;
}

/**
 * matmul: args [A, B, C] with shapes (...batch, m, k), (...batch, k, n), (...batch, m, n),
 * A and B already broadcast over the batch dims; scalars [backend]. All three share one
 * dtype. C is the launch's only written store, so the runtime cuts C and hands A and B
 * whole: this point computes C's block (any of batch, row or column cuts) from the
 * matching rows of A and columns of B.
 */
export function matmul(ctx: TaskContext): void {
  const [A, B, C] = ctx.args;
  const backend = ctx.scalars[0] as BlasBackend;
  const nb = C.shape.length - 2;
  const r0 = C.lo[nb],
    c0 = C.lo[nb + 1];
  const m = C.hi[nb] - r0,
    n = C.hi[nb + 1] - c0,
    k = A.shape[nb + 1];
  for (let d = 0; d < nb; d++) if (C.hi[d] <= C.lo[d]) return;
  if (m <= 0 || n <= 0) return;
  const idx = C.lo.slice(0, nb);
  let count = 1;
  for (let d = 0; d < nb; d++) count *= C.hi[d] - C.lo[d];
  // Tiny products: a library call (and its views) would cost more than the loop.
  const direct = m * n * k <= (count > 1 ? TINY_PRODUCT : m === 1 && n === 1 ? TINY_DOT : TINY_SINGLE);
  for (;;) {
    let ao = A.offset + r0 * A.strides[nb],
      bo = B.offset + c0 * B.strides[nb + 1];
    let co = C.offset + r0 * C.strides[nb] + c0 * C.strides[nb + 1];
    for (let d = 0; d < nb; d++) {
      ao += idx[d] * A.strides[d];
      bo += idx[d] * B.strides[d];
      co += idx[d] * C.strides[d];
    }
    matmulBlock(
      C.dtype,
      m,
      n,
      k,
      { data: A.data, offset: ao, s0: A.strides[nb], s1: A.strides[nb + 1] },
      { data: B.data, offset: bo, s0: B.strides[nb], s1: B.strides[nb + 1] },
      { data: C.data, offset: co, s0: C.strides[nb], s1: C.strides[nb + 1] },
      backend,
      direct,
    );
    let d = nb - 1;
    for (; d >= 0; d--) {
      if (++idx[d] < C.hi[d]) break;
      idx[d] = C.lo[d];
    }
    if (d < 0) return;
  }
}

/**
 * m·n·k up to which products skip gemm: batched ones, one product, one dot product of two
 * vectors (measured, 100 float64 elements: `a @ b` 5.1 µs through the library, 3.8 µs
 * through the loop; a 16x16 product 5.1 and 13.5 µs). Dot products of float vectors up to
 * 4,096 elements are reductions (products.ts): the loop serves the other dtypes and `out=`.
 */
const TINY_PRODUCT = 4096,
  TINY_SINGLE = 256,
  TINY_DOT = 1024;

/** C = A·B for one m×k by k×n block (k may be 0: C is zeroed); `direct`: plain loops, no gemm. */
export function matmulBlock(dtype: DTypeName, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, backend: BlasBackend, direct = false): void {
  switch (dtype) {
    case "float32":
    case "float64":
    case "complex64":
    case "complex128": {
      const la = blasLayout(m, k, a.s0, a.s1),
        lb = blasLayout(k, n, b.s0, b.s1),
        lc = blasLayout(m, n, c.s0, c.s1);
      if (direct || !la || !lb || !lc) {
        stridedFloat(dtype.startsWith("complex"), m, n, k, a, b, c);
        return;
      }
      const A = { data: a.data as Float64Array, offset: a.offset, ...la },
        B = { data: b.data as Float64Array, offset: b.offset, ...lb };
      const out = { data: c.data as Float64Array, offset: c.offset, ld: lc.ld };
      // A transposed C is filled as Cᵀ = Bᵀ·Aᵀ.
      if (lc.trans) gemm(dtype as GemmDType, n, m, k, { ...B, trans: !B.trans }, { ...A, trans: !A.trans }, out, backend);
      else gemm(dtype as GemmDType, m, n, k, A, B, out, backend);
      return;
    }
    case "bool": {
      const ad = a.data,
        bd = b.data,
        cd = c.data;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let v = 0;
          for (let p = 0, ai = a.offset + i * a.s0, bi = b.offset + j * b.s1; p < k; p++, ai += a.s1, bi += b.s0)
            if (ad[ai] && bd[bi]) {
              v = 1;
              break;
            }
          cd[c.offset + i * c.s0 + j * c.s1] = v;
        }
      return;
    }
    case "float16": {
      // As NumPy: products and sums in float32 (a product of two halves is exact there).
      const fa = toFloat64(a, m, k, h2f),
        fb = toFloat64(b, k, n, h2f),
        cd = c.data;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s = Math.fround(s + fa[i * k + p] * fb[p * n + j]);
          cd[c.offset + i * c.s0 + j * c.s1] = f2h(s);
        }
      return;
    }
    default:
      intBlock(dtype === "int64" || dtype === "uint64", m, n, k, a, b, c, backend, direct);
  }
}

/** A strided block as a packed row-major Float64Array. */
function toFloat64(x: Mat, rows: number, cols: number, conv: (v: number) => number = (v) => v): Float64Array {
  const out = new Float64Array(rows * cols),
    d = x.data as unknown as ArrayLike<number | bigint>;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = conv(Number(d[x.offset + i * x.s0 + j * x.s1]));
  return out;
}

function maxAbs(x: Mat, rows: number, cols: number): number {
  const d = x.data as unknown as ArrayLike<number | bigint>;
  let mx = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = Math.abs(Number(d[x.offset + i * x.s0 + j * x.s1]));
      if (v > mx) mx = v;
    }
  return mx;
}

/**
 * Integer products wrap like NumPy's (modulo 2^bits). When no partial sum can reach 2^52
 * they are exact in float64, so the block goes through dgemm; otherwise exact loops.
 */
function intBlock(big: boolean, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, backend: BlasBackend, direct: boolean): void {
  if (maxAbs(a, m, k) * maxAbs(b, k, n) * k <= 2 ** 52) {
    const fa = toFloat64(a, m, k),
      fb = toFloat64(b, k, n),
      fc = new Float64Array(m * n);
    if (direct) {
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += fa[i * k + p] * fb[p * n + j];
          fc[i * n + j] = s;
        }
    } else {
      gemm(
        "float64",
        m,
        n,
        k,
        { data: fa, offset: 0, ld: Math.max(1, k), trans: false },
        { data: fb, offset: 0, ld: n, trans: false },
        { data: fc, offset: 0, ld: n },
        backend,
      );
    }
    // Typed-array stores reduce modulo 2^bits, as NumPy's integer arithmetic does.
    if (big) {
      const cd = c.data as BigInt64Array;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cd[c.offset + i * c.s0 + j * c.s1] = BigInt(fc[i * n + j]);
    } else {
      const cd = c.data as Int32Array;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cd[c.offset + i * c.s0 + j * c.s1] = fc[i * n + j];
    }
    return;
  }
  if (big) {
    const ad = a.data as BigInt64Array,
      bd = b.data as BigInt64Array,
      cd = c.data as BigInt64Array;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0n;
        for (let p = 0, ai = a.offset + i * a.s0, bi = b.offset + j * b.s1; p < k; p++, ai += a.s1, bi += b.s0) s += ad[ai] * bd[bi];
        cd[c.offset + i * c.s0 + j * c.s1] = BigInt.asIntN(64, s);
      }
    return;
  }
  const ad = a.data as Int32Array,
    bd = b.data as Int32Array,
    cd = c.data as Int32Array;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, ai = a.offset + i * a.s0, bi = b.offset + j * b.s1; p < k; p++, ai += a.s1, bi += b.s0) s = (s + Math.imul(ad[ai], bd[bi])) | 0;
      cd[c.offset + i * c.s0 + j * c.s1] = s;
    }
}

/** Float products on layouts BLAS cannot take (the NumPy layer normally copies first). */
function stridedFloat(cplx: boolean, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat): void {
  const ad = a.data as Float64Array,
    bd = b.data as Float64Array,
    cd = c.data as Float64Array;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let re = 0,
        im = 0;
      for (let p = 0, ai = a.offset + i * a.s0, bi = b.offset + j * b.s1; p < k; p++, ai += a.s1, bi += b.s0) {
        if (!cplx) {
          re += ad[ai] * bd[bi];
          continue;
        }
        const ar = ad[2 * ai],
          aim = ad[2 * ai + 1],
          br = bd[2 * bi],
          bim = bd[2 * bi + 1];
        re += ar * br - aim * bim;
        im += ar * bim + aim * br;
      }
      const ci = c.offset + i * c.s0 + j * c.s1;
      if (cplx) {
        cd[2 * ci] = re;
        cd[2 * ci + 1] = im;
      } else cd[ci] = re;
    }
}
