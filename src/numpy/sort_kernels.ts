import { TaskContext, TypedArray, f2h, h2f } from "../core/index.js";

/**
 * CPU variants for np.sort: sort each block of a contiguous (rows, n) store, and merge the
 * sorted runs of a long 1-D store. NaN sorts last, as in NumPy. Side-effect free: worker
 * threads import it through tasks.ts.
 */

type Lanes = { data: TypedArray; dtype: string };

/** NaN-last ascending compare for numbers (NumPy's order for floats). */
const lessNaN = (a: number, b: number) => a < b || (b !== b && a === a);

/** Sort elements [start, end) of a lane array in place. */
export function sortRange({ data, dtype }: Lanes, start: number, end: number): void {
  if (end - start < 2) return;
  if (dtype === "float16") {
    const v = Float32Array.from(data.subarray(start, end) as Uint16Array, h2f);
    v.sort();
    for (let i = 0; i < v.length; i++) (data as Uint16Array)[start + i] = f2h(v[i]);
    return;
  }
  if (dtype === "complex64" || dtype === "complex128") {
    const pairs: [number, number][] = [];
    for (let i = start; i < end; i++) pairs.push([data[2 * i] as number, data[2 * i + 1] as number]);
    // Lexicographic, NaN parts last (NumPy's complex order).
    const key = (x: number) => (x !== x ? Infinity : x);
    pairs.sort((p, q) => {
      const pn = p[0] !== p[0] || p[1] !== p[1], qn = q[0] !== q[0] || q[1] !== q[1];
      if (pn !== qn) return pn ? 1 : -1;
      return key(p[0]) - key(q[0]) || key(p[1]) - key(q[1]);
    });
    pairs.forEach(([re, im], k) => { data[2 * (start + k)] = re; data[2 * (start + k) + 1] = im; });
    return;
  }
  // Typed-array sort is numeric and puts NaN last.
  (data.subarray(start, end) as Float64Array).sort();
}

/** sort_rows: args [x (readwrite, contiguous 2-D rows × n)]; each point sorts its rows (or its slice of one row). */
export function sortRows(ctx: TaskContext): void {
  const x = ctx.args[0];
  const n = x.shape[x.shape.length - 1];
  if (x.shape.length === 1) { sortRange(x, x.offset + x.lo[0], x.offset + x.hi[0]); return; }
  for (let r = x.lo[0]; r < x.hi[0]; r++) sortRange(x, x.offset + r * n, x.offset + (r + 1) * n);
}

/** merge_runs: args [x (read, 1-D of sorted runs), out (write)]: merge the natural runs of x. */
export function mergeRuns(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const n = x.shape[0];
  if (x.dtype === "complex64" || x.dtype === "complex128" || x.dtype === "float16") {
    // Rare types: copy and sort outright.
    const lanes = x.dtype === "float16" ? 1 : 2;
    (out.data as Float64Array).set((x.data as Float64Array).subarray(x.offset * lanes, (x.offset + n) * lanes), out.offset * lanes);
    sortRange(out, out.offset, out.offset + n);
    return;
  }
  const src = x.data as Float64Array, so = x.offset;
  const less = (a: number, b: number) => lessNaN(a, b);
  // Run boundaries: where the order breaks.
  const bounds = [0];
  for (let i = 1; i < n; i++) if (less(src[so + i] as number, src[so + i - 1] as number)) bounds.push(i);
  bounds.push(n);
  let a = src.subarray(so, so + n) as unknown as Float64Array;
  let b = (out.data as Float64Array).subarray(out.offset, out.offset + n);
  let runs = bounds;
  if (runs.length === 2) { b.set(a); return; }
  // Pairwise merge passes between the input and output buffers; a scratch copy keeps the
  // input untouched.
  a = a.slice();
  const scratch = a;
  while (runs.length > 2) {
    const next = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r], mid = runs[r + 1], hi = r + 2 < runs.length ? runs[r + 2] : mid;
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) b[k++] = less(a[j], a[i]) ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
      next.push(hi);
    }
    runs = next;
    [a, b] = [b, a];
  }
  // After an odd number of passes the result sits in the scratch copy.
  if (a === scratch) (out.data as Float64Array).subarray(out.offset, out.offset + n).set(a);
}
