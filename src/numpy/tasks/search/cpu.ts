import { h2f } from "../../../core/task_api.js";
import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";

/**
 * CPU variant of np.searchsorted (the `searchsorted` task): binary searches of the needles
 * of each point's block into the whole sorted array. NaN sorts last and complex values
 * lexicographically, as in NumPy's sort order. Side-effect free: worker threads import it
 * through tasks/index.ts.
 */

const lessNaN = (a: number, b: number): boolean => a < b || (b !== b && a === a);
const leNaN = (a: number, b: number): boolean => !lessNaN(b, a);
const nanKey = (x: number): number => (x !== x ? Infinity : x);
function lessComplex(pr: number, pi: number, qr: number, qi: number): boolean {
  const pn = pr !== pr || pi !== pi,
    qn = qr !== qr || qi !== qi;
  if (pn !== qn) return qn;
  const d = nanKey(pr) - nanKey(qr);
  return d < 0 || (d === 0 && nanKey(pi) < nanKey(qi));
}

/** First position in [0, n) whose element e satisfies !before(e), elements given by index. */
function bisect(n: number, before: (i: number) => boolean): number {
  let lo = 0,
    hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * searchsorted: args [a (read, contiguous 1-D, whole), v (read, contiguous 1-D, cut), out
 * (write, int64, cut with v)]; scalars [side]. Writes, for each needle, the first position
 * where it could be inserted keeping `a` sorted ("left": before equal elements, "right":
 * after them).
 */
export function searchsorted(ctx: TaskContext): void {
  const [a, v, out] = ctx.args;
  const right = ctx.scalars[0] === "right";
  const n = a.shape[0];
  const words = new Int32Array(out.data.buffer, out.data.byteOffset, out.data.byteLength / 4);
  const write = (k: number, pos: number) => {
    const o = 2 * (out.offset + k * out.strides[0]);
    words[o] = pos;
    words[o + 1] = 0;
  };
  const lo = v.lo[0],
    hi = v.hi[0];
  const ao = a.offset,
    vo = v.offset;
  if (a.dtype === "complex64" || a.dtype === "complex128") {
    const ad = a.data as Float64Array,
      vd = v.data as Float64Array;
    for (let k = lo; k < hi; k++) {
      const qr = vd[2 * (vo + k)],
        qi = vd[2 * (vo + k) + 1];
      write(
        k,
        bisect(n, (i) => {
          const pr = ad[2 * (ao + i)],
            pi = ad[2 * (ao + i) + 1];
          return right ? !lessComplex(qr, qi, pr, pi) : lessComplex(pr, pi, qr, qi);
        }),
      );
    }
    return;
  }
  if (a.dtype === "int64" || a.dtype === "uint64") {
    const ad = a.data as BigInt64Array,
      vd = v.data as BigInt64Array;
    for (let k = lo; k < hi; k++) {
      const q = vd[vo + k];
      write(k, bisect(n, right ? (i) => ad[ao + i] <= q : (i) => ad[ao + i] < q));
    }
    return;
  }
  searchNumbers(a, v, right, lo, hi, write);
}

/** Elements per block of the sampled index: the sample (n / BLOCK values) stays in cache. */
const BLOCK = 64;

/**
 * Binary searches of numbers, in two levels: first in a sample of every BLOCK-th element
 * (small enough to stay in cache), then inside one block of BLOCK elements, so that a
 * needle touches a few cache lines of the large array instead of one per bisection step.
 */
function searchNumbers(a: PhysicalStore, v: PhysicalStore, right: boolean, lo: number, hi: number, write: (k: number, pos: number) => void): void {
  const n = a.shape[0];
  const half = a.dtype === "float16";
  const ao = a.offset,
    vo = v.offset;
  // float16 is searched on float64 copies of its values.
  const ad = half ? Float64Array.from((a.data as Uint16Array).subarray(ao, ao + n), h2f) : (a.data as Float64Array).subarray(ao, ao + n);
  const vd = v.data as Float64Array;
  const ns = Math.ceil(n / BLOCK);
  const sample = new Float64Array(ns);
  for (let i = 0; i < ns; i++) sample[i] = ad[i * BLOCK];
  // before(x, q): x sorts before the insertion point of q.
  const before = right ? leNaN : lessNaN;
  for (let k = lo; k < hi; k++) {
    const q = half ? h2f(vd[vo + k]) : vd[vo + k];
    let l = 0,
      h = ns;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (before(sample[mid], q)) l = mid + 1;
      else h = mid;
    }
    // sample[l - 1] is before q and sample[l] is not: the answer is in ((l-1)*BLOCK, l*BLOCK].
    let a0 = l === 0 ? 0 : (l - 1) * BLOCK + 1,
      a1 = Math.min(n, l * BLOCK);
    while (a0 < a1) {
      const mid = (a0 + a1) >>> 1;
      if (before(ad[mid], q)) a0 = mid + 1;
      else a1 = mid;
    }
    write(k, a0);
  }
}
