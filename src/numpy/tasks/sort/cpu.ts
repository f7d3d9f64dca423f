import { f2h, h2f } from "../../../core/task_api.js";
import type { TaskContext, TypedArray } from "../../../core/task_api.js";

/**
 * CPU variants for np.sort: sort each block of a contiguous (rows, n) store, and merge the
 * sorted runs of a long 1-D store. NaN sorts last, as in NumPy. Side-effect free: worker
 * threads import it through tasks/index.ts.
 */

type Lanes = { data: TypedArray; dtype: string };

/** NaN-last ascending compare for numbers (NumPy's order for floats). */
const lessNaN = (a: number, b: number) => a < b || (b !== b && a === a);

const nanKey = (x: number) => (x !== x ? Infinity : x);
/** NumPy's complex order: lexicographic, values with a NaN part last. */
function compareComplex(pr: number, pi: number, qr: number, qi: number): number {
  const pn = pr !== pr || pi !== pi,
    qn = qr !== qr || qi !== qi;
  if (pn !== qn) return pn ? 1 : -1;
  return nanKey(pr) - nanKey(qr) || nanKey(pi) - nanKey(qi);
}

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
    pairs.sort((p, q) => compareComplex(p[0], p[1], q[0], q[1]));
    pairs.forEach(([re, im], k) => {
      data[2 * (start + k)] = re;
      data[2 * (start + k) + 1] = im;
    });
    return;
  }
  // Typed-array sort is numeric and puts NaN last.
  (data.subarray(start, end) as Float64Array).sort();
}

/** sort_rows: args [x (readwrite, contiguous 2-D rows × n)]; each point sorts its rows (or its slice of one row). */
export function sortRows(ctx: TaskContext): void {
  const x = ctx.args[0];
  const n = x.shape[x.shape.length - 1];
  if (x.shape.length === 1) {
    sortRange(x, x.offset + x.lo[0], x.offset + x.hi[0]);
    return;
  }
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
  const src = x.data as Float64Array,
    so = x.offset;
  const less = (a: number, b: number) => lessNaN(a, b);
  // Run boundaries: where the order breaks.
  const bounds = [0];
  for (let i = 1; i < n; i++) if (less(src[so + i] as number, src[so + i - 1] as number)) bounds.push(i);
  bounds.push(n);
  let a = src.subarray(so, so + n) as unknown as Float64Array;
  let b = (out.data as Float64Array).subarray(out.offset, out.offset + n);
  let runs = bounds;
  if (runs.length === 2) {
    b.set(a);
    return;
  }
  // Pairwise merge passes between the input and output buffers; a scratch copy keeps the
  // input untouched.
  a = a.slice();
  const scratch = a;
  while (runs.length > 2) {
    const next = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r],
        mid = runs[r + 1],
        hi = r + 2 < runs.length ? runs[r + 2] : mid;
      let i = lo,
        j = mid,
        k = lo;
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

/**
 * Stable argsort of short numeric keys (NaN last): insertion-sorted blocks of 16, then
 * bottom-up merges of (key, position) pairs in typed arrays.
 */
function mergeArgsort(keys: Float64Array): Float64Array {
  const n = keys.length;
  let k: Float64Array = keys,
    p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const B = 16;
  for (let lo = 0; lo < n; lo += B) {
    const hi = Math.min(n, lo + B);
    for (let i = lo + 1; i < hi; i++) {
      const v = k[i],
        q = p[i];
      let j = i - 1;
      while (j >= lo && lessNaN(v, k[j])) {
        k[j + 1] = k[j];
        p[j + 1] = p[j];
        j--;
      }
      k[j + 1] = v;
      p[j + 1] = q;
    }
  }
  let k2: Float64Array = new Float64Array(n),
    p2 = new Float64Array(n);
  for (let w = B; w < n; w *= 2) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = Math.min(n, lo + w),
        hi = Math.min(n, lo + 2 * w);
      let i = lo,
        j = mid,
        o = lo;
      // Take from the right run only when strictly smaller: ties keep their order.
      while (i < mid && j < hi) {
        if (lessNaN(k[j], k[i])) {
          k2[o] = k[j];
          p2[o++] = p[j++];
        } else {
          k2[o] = k[i];
          p2[o++] = p[i++];
        }
      }
      while (i < mid) {
        k2[o] = k[i];
        p2[o++] = p[i++];
      }
      while (j < hi) {
        k2[o] = k[j];
        p2[o++] = p[j++];
      }
    }
    [k, k2] = [k2, k];
    [p, p2] = [p2, p];
  }
  return p;
}

/**
 * Stable argsort of long numeric keys (NaN last, -0 equal to 0): an LSD radix sort on 16-bit
 * digits of the keys' bits mapped to unsigned order, moving (high word, low word, position)
 * triples; digits on which all keys agree are skipped.
 */
function radixArgsort(keys: Float64Array): Uint32Array {
  const n = keys.length;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (v !== v) keys[i] = NaN;
    else if (v === 0) keys[i] = 0;
  }
  const w = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let hi = new Uint32Array(n),
    lo = new Uint32Array(n),
    ix = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = w[2 * i + 1],
      l = w[2 * i];
    if (h & 0x80000000) {
      hi[i] = ~h;
      lo[i] = ~l;
    } else {
      hi[i] = h | 0x80000000;
      lo[i] = l;
    }
    ix[i] = i;
  }
  let hi2 = new Uint32Array(n),
    lo2 = new Uint32Array(n),
    ix2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi,
      shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & 0xffff]++;
    if (count[(src[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    // After the last low-word pass the low words are no longer needed.
    if (pass === 0) {
      for (let i = 0; i < n; i++) {
        const o = count[(src[i] >>> shift) & 0xffff]++;
        hi2[o] = hi[i];
        lo2[o] = lo[i];
        ix2[o] = ix[i];
      }
      [lo, lo2] = [lo2, lo];
    } else {
      for (let i = 0; i < n; i++) {
        const o = count[(src[i] >>> shift) & 0xffff]++;
        hi2[o] = hi[i];
        ix2[o] = ix[i];
      }
    }
    [hi, hi2] = [hi2, hi];
    [ix, ix2] = [ix2, ix];
  }
  return ix;
}

/**
 * The positions 0..n-1 of the n elements starting at element `start`, in sorted order of
 * their values (NaN last, complex lexicographic); ties keep their original order (stable).
 */
function argsortRange({ data, dtype }: Lanes, start: number, n: number): ArrayLike<number> {
  const order = () => Array.from({ length: n }, (_, i) => i);
  if (dtype === "complex64" || dtype === "complex128") {
    const d = data as Float64Array;
    return order().sort((i, j) => compareComplex(d[2 * (start + i)], d[2 * (start + i) + 1], d[2 * (start + j)], d[2 * (start + j) + 1]) || i - j);
  }
  const keys = new Float64Array(n);
  if (dtype === "int64" || dtype === "uint64") {
    const d = data as BigInt64Array;
    let exact = true;
    for (let i = 0; i < n && exact; i++) {
      const v = d[start + i];
      keys[i] = Number(v);
      exact = v >= -(2n ** 53n) && v <= 2n ** 53n;
    }
    // Beyond 2^53 doubles would merge distinct values: compare the integers themselves.
    if (!exact)
      return order().sort((i, j) => {
        const a = d[start + i],
          b = d[start + j];
        return a < b ? -1 : a > b ? 1 : i - j;
      });
  } else {
    for (let i = 0; i < n; i++) keys[i] = dtype === "float16" ? h2f(data[start + i] as number) : (data[start + i] as number);
  }
  return n < 16384 ? mergeArgsort(keys) : radixArgsort(keys);
}

/**
 * argsort_rows: args [x (read, contiguous 2-D rows × n), out (write, int64 rows × n)], cut
 * together along the rows; each point writes the sorting permutation of its rows.
 */
export function argsortRows(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const n = x.shape[1];
  // int64 positions written as 32-bit word pairs (no BigInt per element).
  const words = new Int32Array(out.data.buffer, out.data.byteOffset, out.data.byteLength / 4);
  for (let r = x.lo[0]; r < x.hi[0]; r++) {
    const order = argsortRange(x, x.offset + r * n, n);
    const base = out.offset + r * out.strides[0];
    for (let i = 0; i < n; i++) {
      const o = 2 * (base + i * out.strides[1]);
      words[o] = order[i];
      words[o + 1] = 0;
    }
  }
}

type Sortable =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;
type SortableCtor = { new (n: number): Sortable; new (b: ArrayBufferLike): Sortable };

/** Elements of the types sample_sort takes (real, not float16). */
export const SAMPLE_SORT_DTYPES: ReadonlySet<string> = new Set([
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
]);

/**
 * sample_sort (a collective task): args [x (read, 1-D, one block per point), out (write,
 * 1-D)]. Each point sorts its block, the points agree on splitters from regular samples,
 * trade buckets (all-to-all), and each writes its sorted bucket where it belongs in `out`.
 * Communication is O(n/points) per point, not all of x to one place.
 */
export function sampleSort(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const comm = ctx.comm!;
  const R = comm.ranks;
  const local = (x.data as Sortable).slice(x.offset + x.lo[0], x.offset + x.hi[0]);
  local.sort(); // numeric order, NaN last
  const Ctor = local.constructor as SortableCtor;
  const bytes = (a: Sortable) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const typed = (b: Uint8Array) => new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const concat = (parts: Sortable[]) => {
    const all = new Ctor(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      (all as Float64Array).set(p as Float64Array, at);
      at += p.length;
    }
    return all;
  };
  // R-1 regular samples per non-empty block; splitters are regular picks of all samples.
  const samples = new Ctor(local.length ? R - 1 : 0);
  for (let i = 0; i < samples.length; i++) samples[i] = local[Math.floor(((i + 1) * local.length) / R)];
  const pool = concat(comm.allgather(bytes(samples)).map(typed));
  pool.sort();
  const less = (a: number | bigint, b: number | bigint) => a < b || (b !== b && a === a);
  const upper = (v: number | bigint) => {
    let lo = 0,
      hi = local.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(v, local[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  // Bucket j: values above splitter j-1 and up to splitter j (NaN sort after everything).
  const cuts = [0];
  for (let j = 1; j < R; j++) cuts.push(pool.length ? Math.max(cuts[j - 1], upper(pool[Math.floor((j * pool.length) / R)])) : local.length);
  cuts.push(local.length);
  const mine = concat(comm.alltoallv(Array.from({ length: R }, (_, j) => bytes(local.subarray(cuts[j], cuts[j + 1])))).map(typed));
  mine.sort();
  const counts = comm
    .allgather(new Uint8Array(Float64Array.of(mine.length).buffer))
    .map((b) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + 8))[0]);
  const offset = counts.slice(0, comm.rank).reduce((a, b) => a + b, 0);
  (out.data as Float64Array).set(mine as Float64Array, out.offset + offset);
  ctx.wrote!(1, offset, offset + mine.length);
}

/**
 * merge_pairs: args [x (read, 1-D, seen whole), out (write, 1-D, cut)]; scalars [bounds]:
 * x holds sorted runs [bounds[i], bounds[i+1]); runs 0 and 1, 2 and 3, … are merged into
 * the same positions of out (stable: ties take the left run's element first). Each point
 * writes its block of out: it finds where its block starts inside each pair by a binary
 * search along the merge path, then merges only that part, so one merge level runs on all
 * workers. Real types only (NaN last); int64/uint64 compare as BigInt.
 */
export function mergePairs(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const bounds = ctx.scalars[0] as number[];
  const src = x.data as unknown as ArrayLike<number>,
    so = x.offset;
  const dst = out.data as unknown as { [i: number]: number },
    oo = out.offset;
  const lo = out.lo[0],
    hi = out.hi[0];
  const less = lessNaN;
  for (let p = 0; p + 1 < bounds.length; p += 2) {
    const a0 = bounds[p],
      a1 = bounds[p + 1],
      b1 = p + 2 < bounds.length ? bounds[p + 2] : a1;
    const s = Math.max(lo, a0),
      e = Math.min(hi, b1);
    if (s >= e) continue;
    const na = a1 - a0,
      nb = b1 - a1;
    // Co-rank: how many of the first t outputs come from the left run.
    const t = s - a0;
    let l = Math.max(0, t - nb),
      h = Math.min(t, na);
    while (l < h) {
      const i = (l + h) >>> 1;
      const j = t - i;
      // A[i] goes before B[j-1] (ties to A): it is among the first t, so more come from A.
      if (!less(src[so + a1 + j - 1], src[so + a0 + i])) l = i + 1;
      else h = i;
    }
    let ia = so + a0 + l,
      ib = so + a1 + (t - l);
    const ea = so + a1,
      eb = so + b1;
    for (let k = oo + s; k < oo + e; k++) dst[k] = ib >= eb || (ia < ea && !less(src[ib], src[ia])) ? src[ia++] : src[ib++];
  }
}
