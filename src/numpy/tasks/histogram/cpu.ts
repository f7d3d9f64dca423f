import { f16round } from "../../../core/task_api.js";
import type { PhysicalStore, TaskContext } from "../../../core/task_api.js";

/**
 * CPU variants of np.histogram / np.bincount (`bin_count`) and np.digitize (`digitize`).
 * Side-effect free: worker threads import it through tasks/index.ts.
 *
 * bin_count: args [x (float64 or int32, 1-D, whole), w (float64, 1-D, whole; x itself when
 * unweighted), edges (float64, whole; x itself when unused), out (float64 (pieces, nbins),
 * written)]. Row r of `out` holds the counts (or weight sums) of the r-th of `pieces` equal
 * chunks of x, so points write disjoint rows and the caller sums the rows. The bin of a value:
 *  - "int" (bincount): the value itself;
 *  - "edges": the last edge <= x (the last bin closed), values outside the edges skipped;
 *  - "uniform": NumPy's fast path for equal bins, step by step in NumPy's dtypes: the index
 *    trunc((x - first) / denom * nbins), then corrected by one against the exact edges.
 */

type Round = (x: number) => number;
const ROUND: Record<string, Round> = { float64: (x) => x, float32: Math.fround, float16: f16round };

/** Index of the last edge <= v (-1 when v is below them all). */
function lastAtMost(e: Float64Array, eo: number, ne: number, v: number): number {
  let lo = 0,
    hi = ne;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[eo + mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function binCount(ctx: TaskContext): void {
  const [x, w, edges, out] = ctx.args;
  const [mode, weighted, pieces] = ctx.scalars as [string, boolean, number];
  const n = x.shape[0];
  const nb = out.shape[1];
  const xd = x.data as Float64Array | Int32Array,
    xs = x.strides[0],
    xo = x.offset;
  const wd = w.data as Float64Array,
    ws = w.strides[0],
    wo = w.offset;
  const od = out.data as Float64Array;
  const ed = edges.data as Float64Array,
    eo = edges.offset,
    ne = edges.shape[0];
  let binOf: (v: number) => number;
  if (mode === "int") binOf = (v) => v;
  else if (mode === "edges") {
    const first = ed[eo],
      last = ed[eo + ne - 1];
    binOf = (v) => {
      if (!(v >= first && v <= last)) return -1;
      const k = lastAtMost(ed, eo, ne, v);
      return k >= nb ? nb - 1 : k;
    };
  } else {
    const [, , , keepLo, keepHi, first, denom, r1, r2] = ctx.scalars as [string, boolean, number, number, number, number, number, string, string];
    const R1 = ROUND[r1],
      R2 = ROUND[r2];
    binOf = (v) => {
      if (!(v >= keepLo && v <= keepHi)) return -1;
      let k = Math.trunc(R2(R2(R1(v - first) / denom) * nb));
      if (k === nb) k--;
      if (v < ed[eo + k]) k--;
      else if (k !== nb - 1 && v >= ed[eo + k + 1]) k++;
      return k;
    };
  }
  for (let r = out.lo[0]; r < out.hi[0]; r++) {
    const row = out.offset + r * out.strides[0],
      step = out.strides[1];
    for (let b = 0; b < nb; b++) od[row + b * step] = 0;
    const start = Math.floor((r * n) / pieces),
      end = Math.floor(((r + 1) * n) / pieces);
    if (mode === "uniform" && !weighted && ctx.scalars[7] === "float64" && ctx.scalars[8] === "float64") {
      uniformF64(xd as Float64Array, xo, xs, start, end, ed, eo, od, row, step, nb, ctx.scalars as number[]);
      continue;
    }
    for (let i = start; i < end; i++) {
      const k = binOf(xd[xo + i * xs]);
      if (k < 0) continue;
      od[row + k * step] += weighted ? wd[wo + i * ws] : 1;
    }
  }
}

/** The common case of binCount's uniform bins, float64 throughout: the same steps, inlined. */
function uniformF64(
  xd: Float64Array,
  xo: number,
  xs: number,
  start: number,
  end: number,
  ed: Float64Array,
  eo: number,
  od: Float64Array,
  row: number,
  step: number,
  nb: number,
  s: number[],
): void {
  const keepLo = s[3],
    keepHi = s[4],
    first = s[5],
    denom = s[6];
  const counts = new Float64Array(nb);
  for (let i = start; i < end; i++) {
    const v = xd[xo + i * xs];
    if (!(v >= keepLo && v <= keepHi)) continue;
    let k = Math.trunc(((v - first) / denom) * nb);
    if (k === nb) k--;
    if (v < ed[eo + k]) k--;
    else if (k !== nb - 1 && v >= ed[eo + k + 1]) k++;
    counts[k]++;
  }
  for (let b = 0; b < nb; b++) od[row + b * step] = counts[b];
}

/** digitize: args [x (float64, 1-D, block), bins (float64, whole), out (int64, aligned with x)]. */
export function digitize(ctx: TaskContext): void {
  const [x, bins, out] = ctx.args as PhysicalStore[];
  const [right, decreasing] = ctx.scalars as [boolean, boolean];
  const xd = x.data as Float64Array,
    bd = bins.data as Float64Array,
    od = out.data as BigInt64Array;
  const nb = bins.shape[0],
    bo = bins.offset,
    bs = bins.strides[0];
  // NumPy's searchsorted order: NaN after everything.
  const less = (a: number, b: number) => a < b || (b !== b && a === a);
  const at = (k: number) => bd[bo + (decreasing ? nb - 1 - k : k) * bs];
  for (let i = out.lo[0]; i < out.hi[0]; i++) {
    const v = xd[x.offset + i * x.strides[0]];
    // side 'right' (right=False): first k with v < bins[k]; side 'left': first k with bins[k] >= v.
    const searchLeft = right;
    let lo = 0,
      hi = nb;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const go = searchLeft ? less(at(mid), v) : !less(v, at(mid));
      if (go) lo = mid + 1;
      else hi = mid;
    }
    od[out.offset + i * out.strides[0]] = BigInt(decreasing ? nb - lo : lo);
  }
}
