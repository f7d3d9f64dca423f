import { f2h, h2f } from "../../../core/task_api.js";
import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";

/**
 * CPU variant of np.cumsum / np.cumprod (the `cumulate` task): each point scans the rows of
 * its block sequentially, as NumPy's add/multiply.accumulate do, so float results round
 * exactly as NumPy's. Side-effect free: worker threads import it through tasks/index.ts.
 */

export type ScanOp = "sum" | "prod";

const INT_OUT = new Set(["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32"]);
const TWO32 = 4294967296;
const SAFE = 2 ** 53;

/**
 * One row: `n` elements of `x` from lane `xo` by `xs`, scanned into `out` from `oo` by `os`.
 * The pairs (input, output dtype) are those math_sum_prod_diff.ts sends: equal dtypes, or an
 * integer/bool input into an integer/bool accumulator (modular arithmetic, so the result is
 * that of casting first).
 */
function scanRow(op: ScanOp, x: PhysicalStore, xo: number, xs: number, out: PhysicalStore, oo: number, os: number, n: number): void {
  const xd = x.data,
    od = out.data;
  const sum = op === "sum";
  const od_ = out.dtype;
  if (od_ === "float64" || od_ === "float32") {
    const f = od_ === "float32";
    const d = xd as Float64Array,
      o = od as Float64Array;
    let acc = sum ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const v = d[xo + i * xs];
      acc = sum ? acc + v : acc * v;
      if (f) acc = Math.fround(acc);
      o[oo + i * os] = acc;
    }
    return;
  }
  if (od_ === "float16") {
    // NumPy's half loops compute in float32 and round to half at every step.
    const d = xd as Uint16Array,
      o = od as Uint16Array;
    let acc = sum ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const v = h2f(d[xo + i * xs]);
      const h = f2h(sum ? acc + v : acc * v);
      o[oo + i * os] = h;
      acc = h2f(h);
    }
    return;
  }
  if (od_ === "complex64" || od_ === "complex128") {
    // NumPy's accumulate runs the scalar loop in the working type: for complex64 each of the
    // four products is rounded to float32, then their difference / sum (no fused multiply-add).
    const f = od_ === "complex64" ? Math.fround : (v: number) => v;
    const d = xd as Float64Array,
      o = od as Float64Array;
    let re = sum ? 0 : 1,
      im = 0;
    for (let i = 0; i < n; i++) {
      const p = 2 * (xo + i * xs),
        q = 2 * (oo + i * os);
      const vr = d[p],
        vi = d[p + 1];
      if (sum) {
        re = f(re + vr);
        im = f(im + vi);
      } else {
        const r = f(f(re * vr) - f(im * vi));
        im = f(f(re * vi) + f(im * vr));
        re = r;
      }
      o[q] = re;
      o[q + 1] = im;
    }
    return;
  }
  const big = x.dtype === "int64" || x.dtype === "uint64";
  const num = (v: number | bigint): number => (typeof v === "bigint" ? Number(BigInt.asUintN(32, v)) : v);
  if (od_ === "bool") {
    const o = od as Uint8Array;
    let acc = sum ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const v = xd[xo + i * xs] ? 1 : 0;
      acc = sum ? acc | v : acc & v;
      o[oo + i * os] = acc;
    }
    return;
  }
  if (INT_OUT.has(od_)) {
    // Typed-array stores wrap modulo 2^bits; the accumulator is read back from the store.
    const o = od as Int32Array;
    let acc = sum ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const v = num(xd[xo + i * xs] as number);
      const j = oo + i * os;
      o[j] = sum ? acc + v : Math.imul(acc, v);
      acc = o[j];
    }
    return;
  }
  // int64 / uint64 accumulators.
  const o = od as BigInt64Array;
  let i = 0;
  if (!big) {
    // Exact in a double while |acc| stays below 2^53; written as two 32-bit words.
    const w = new Int32Array(o.buffer, o.byteOffset, o.length * 2);
    let acc = sum ? 0 : 1;
    for (; i < n; i++) {
      const v = xd[xo + i * xs] as number;
      const next = sum ? acc + v : acc * v;
      if (!(Math.abs(next) < SAFE)) break;
      acc = next;
      const hi = Math.floor(acc / TWO32),
        j = 2 * (oo + i * os);
      w[j] = acc - hi * TWO32;
      w[j + 1] = hi;
    }
    if (i === n) return;
    // Beyond 2^53: carry on exactly in BigInt (the store wraps modulo 2^64).
    let accB = BigInt(acc);
    for (; i < n; i++) {
      const j = oo + i * os;
      o[j] = sum ? accB + BigInt(xd[xo + i * xs] as number) : accB * BigInt(xd[xo + i * xs] as number);
      accB = o[j];
    }
    return;
  }
  const d = xd as BigInt64Array;
  let acc = sum ? 0n : 1n;
  for (; i < n; i++) {
    const j = oo + i * os;
    o[j] = sum ? acc + d[xo + i * xs] : acc * d[xo + i * xs];
    acc = o[j];
  }
}

/**
 * cumulate: args [x (read), out (write)], same shape; scalars [op, axis]. The scan axis is
 * never cut (a broadcast constraint), so a point owns whole rows: it scans every row of its
 * block along `axis`.
 */
export function cumulate(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const [op, axis] = ctx.scalars as [ScanOp, number];
  const nd = out.shape.length;
  const n = out.shape[axis];
  const dims = Array.from({ length: nd }, (_, d) => d).filter((d) => d !== axis);
  if (n === 0 || dims.some((d) => out.hi[d] <= out.lo[d])) return;
  const idx = dims.map((d) => out.lo[d]);
  for (;;) {
    let xo = x.offset,
      oo = out.offset;
    dims.forEach((d, k) => {
      xo += idx[k] * x.strides[d];
      oo += idx[k] * out.strides[d];
    });
    scanRow(op, x, xo, x.strides[axis], out, oo, out.strides[axis], n);
    let k = dims.length - 1;
    for (; k >= 0; k--) {
      if (++idx[k] < out.hi[dims[k]]) break;
      idx[k] = out.lo[dims[k]];
    }
    if (k < 0) return;
  }
}
