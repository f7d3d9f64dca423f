import { PhysicalStore, TaskContext } from "../core/index.js";

/**
 * CPU variants for advanced indexing: gather (a[idx]), scatter (a[idx] = v) and nonzero.
 * Side-effect free: worker threads import it through tasks.ts.
 *
 * Layout shared by gather and scatter: the indexed array `src` is a view whose first k
 * dims are the indexed ("fancy") dims and whose other m dims are the kept ones; the
 * dense side (`out` for gather, the values for scatter) has shape (B..., kept...) where B
 * is the broadcast shape of the index arrays; each of the k index arrays is a view of that
 * same shape (stride 0 along the kept dims). Indices are in bounds (checked before the
 * launch) and may be negative.
 */

/** Lanes per element: complex values are two floats. */
const lanesOf = (dtype: string): number => (dtype.startsWith("complex") ? 2 : 1);

/**
 * Copy between the dense side and the indexed side over the block [lo, hi) of the dense
 * shape, in row-major order (so with repeated indices the last write wins).
 * `toIndexed`: scatter (dense -> indexed) instead of gather (indexed -> dense).
 */
function indexedCopy(indexed: PhysicalStore, dense: PhysicalStore, idx: readonly PhysicalStore[], lo: readonly number[], hi: readonly number[], toIndexed: boolean): void {
  const nd = dense.shape.length, k = idx.length, m = indexed.shape.length - k, nb = nd - m;
  for (let d = 0; d < nd; d++) if (hi[d] <= lo[d]) return;
  const lanes = lanesOf(dense.dtype);
  // Per-dim strides (in the dense shape) of: the dense side, the kept part of the indexed
  // side, and every index array.
  const keptStrides = dense.shape.map((_, d) => (d < nb ? 0 : indexed.strides[k + d - nb]));
  const walkers = [dense.strides, keptStrides, ...idx.map((s) => s.strides)];
  const offs = walkers.map((st, w) => {
    let o = w === 0 ? dense.offset : w === 1 ? indexed.offset : idx[w - 2].offset;
    for (let d = 0; d < nd; d++) o += lo[d] * st[d];
    return o;
  });
  const sizes = idx.map((_, j) => indexed.shape[j]);
  const idxStrides = idx.map((_, j) => indexed.strides[j]);
  const idxData = idx.map((s) => s.data as unknown as ArrayLike<number | bigint>);
  const dd = dense.data as unknown as { [i: number]: unknown }, id = indexed.data as unknown as { [i: number]: unknown };
  const last = nd - 1;
  const n = nd === 0 ? 1 : hi[last] - lo[last];
  const step = walkers.map((st) => (nd === 0 ? 0 : st[last]));
  const p = [...lo];
  const cur = [...offs];
  for (;;) {
    const o = [...cur];
    for (let t = 0; t < n; t++) {
      let s = o[1];
      for (let j = 0; j < k; j++) {
        let v = Number(idxData[j][o[j + 2]]);
        if (v < 0) v += sizes[j];
        s += v * idxStrides[j];
      }
      const e = o[0];
      if (lanes === 1) {
        if (toIndexed) id[s] = dd[e]; else dd[e] = id[s];
      } else if (toIndexed) { id[2 * s] = dd[2 * e]; id[2 * s + 1] = dd[2 * e + 1]; }
      else { dd[2 * e] = id[2 * s]; dd[2 * e + 1] = id[2 * s + 1]; }
      for (let w = 0; w < o.length; w++) o[w] += step[w];
    }
    // Advance the odometer over the outer dims.
    let d = last - 1;
    for (; d >= 0; d--) {
      p[d]++;
      for (let w = 0; w < cur.length; w++) cur[w] += walkers[w][d];
      if (p[d] < hi[d]) break;
      for (let w = 0; w < cur.length; w++) cur[w] -= (hi[d] - lo[d]) * walkers[w][d];
      p[d] = lo[d];
    }
    if (d < 0) return;
  }
}

/** gather: args [src (read, whole), out (write, cut), ...index arrays (read, cut with out)]. */
export function gather(ctx: TaskContext): void {
  const [src, out, ...idx] = ctx.args;
  indexedCopy(src, out, idx, out.lo, out.hi, false);
}

/** scatter: args [dst (readwrite), values (read), ...index arrays (read)]; one point walks all values. */
export function scatter(ctx: TaskContext): void {
  const [dst, values, ...idx] = ctx.args;
  indexedCopy(dst, values, idx, values.lo, values.hi, true);
}

/** Whether element `i` (element index into the lane array) is nonzero; NaN counts as nonzero. */
function truthy(x: PhysicalStore, i: number): boolean {
  const d = x.data as unknown as ArrayLike<number | bigint>;
  switch (x.dtype) {
    case "complex64": case "complex128": return d[2 * i] !== 0 || d[2 * i + 1] !== 0;
    case "float16": return ((d[i] as number) & 0x7fff) !== 0;
    case "int64": case "uint64": return d[i] !== 0n;
    default: return d[i] !== 0;
  }
}

/**
 * nonzero: args [x (read), out (write, int64 (count, x.ndim))]; one point walks x in
 * row-major order and writes the multi-index of every nonzero element as a row of out.
 */
export function nonzero(ctx: TaskContext): void {
  const [x, out] = ctx.args;
  const nd = x.shape.length;
  const size = x.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const od = out.data as BigInt64Array;
  const p = new Array<number>(nd).fill(0);
  let off = x.offset, row = 0;
  for (let c = 0; c < size; c++) {
    if (truthy(x, off)) {
      const base = out.offset + row * (out.strides[0] ?? 0);
      for (let j = 0; j < nd; j++) od[base + j * out.strides[1]] = BigInt(p[j]);
      row++;
    }
    for (let d = nd - 1; d >= 0; d--) {
      off += x.strides[d];
      if (++p[d] < x.shape[d]) break;
      off -= x.shape[d] * x.strides[d];
      p[d] = 0;
    }
  }
}
