import { runtime, alignDims, broadcast, DTYPES } from "../core/index.js";
import type { Store } from "../core/index.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { astype } from "./copy.js";
import { numpyLibrary } from "./tasks/library.js";
import { SELECT_DTYPES, selectRange } from "./tasks/select/cpu.js";
import { equal, isnan, less } from "./ufuncs.js";
import { sum } from "./math_sum_prod_diff.js";

/**
 * Selection: the elements a sort would put at given positions, without sorting (what
 * np.partition, np.median and np.quantile need). Rows are partitioned by an introselect each,
 * in parallel (`select_rows`). One long row is done in parallel without moving it: a sample
 * (`select_sample`) gives brackets around each wanted rank; fused reductions count the
 * elements below each bracket, and every piece counts those in it and copies out the few
 * strictly inside (`select_gather`); the ranks are then found among those candidates here.
 * A bracket that misses (very unlikely) falls back to the row path.
 */

/** Rows with more wanted positions than this are sorted instead of selected. */
export const MAX_KTH = 64;
/** A single row at least this long is selected in parallel. */
export const LONG_ROW = 1 << 17;
/** Elements sampled from a long row to place the brackets. */
const SAMPLE = 1 << 15;

/** `x` (rows × n, any layout) copied and partitioned so that each position in `ks` (ascending, distinct) holds its sorted value. */
export function selectRowsOf(x: ndarray, ks: readonly number[]): ndarray {
  const work = astype(x, x.dtype);
  if (work.size > 0 && ks.length > 0) {
    const n = work.shape[work.ndim - 1];
    const table = work._store.reshape([work.size / n, n]) as Store;
    runtime().submit(
      numpyLibrary().launch("select_rows", {
        args: [{ store: table, privilege: "readwrite" }],
        scalars: [ks],
        constraints: [broadcast(table, [1])],
        cost: work.size * (2 + Math.log2(ks.length + 1)),
      }),
    );
  }
  return work;
}

/** Whether a 1-D array is selected by the parallel long-row path. */
export function isLongRow(x: ndarray): boolean {
  return x.ndim === 1 && x.size >= LONG_ROW && SELECT_DTYPES.has(x.dtype.name);
}

/** A long row as (pieces, c) rows over a contiguous store, and the few elements after them. */
interface Pieces {
  store: Store;
  body: Store;
  p: number;
  c: number;
  tail: Float64Array;
}
function piecesOf(x: ndarray): Pieces {
  const rt = runtime();
  const n = x.size;
  const p = Math.max(1, Math.min(rt.machine.cpus * rt.machine.ranks, Math.floor(n / 65536)));
  const c = Math.floor(n / p);
  const store = x._store.isContiguous() ? x._store : astype(x, x.dtype)._store;
  const body = store.slice(0, 0, p * c, 1).reshape([p, c]) as Store;
  const tail = p * c < n ? Float64Array.from(new ndarray(store.slice(0, p * c, n, 1)).toTypedArray() as ArrayLike<number>) : new Float64Array(0);
  return { store, body, p, c, tail };
}

/** Launch a per-piece task writing float64 rows of `width` (read them with toTypedArray). */
function perPiece(name: string, pc: Pieces, width: number, scalars: unknown[], cost: number): ndarray {
  const out = newStore([pc.p, width], DTYPES.float64);
  runtime().submit(
    numpyLibrary().launch(name, {
      args: [
        { store: pc.body, privilege: "read" },
        { store: out, privilege: "write" },
      ],
      scalars,
      constraints: [broadcast(out, [1]), broadcast(pc.body, [1]), alignDims(pc.body, out, [[0, 0]])],
      cost,
    }),
  );
  return new ndarray(out);
}

/**
 * How many elements of `x` fall in each region of boundaries `b` (regionOf: below b[0], equal
 * to b[0], between b[0] and b[1], …, above the last, NaN), from fused reductions: the counts
 * below and equal to each boundary, and of NaN.
 */
function regionCounts(x: ndarray, b: readonly number[]): Float64Array {
  const below = b.map((v) => sum(less(x, v))),
    equals = b.map((v) => sum(equal(x, v)));
  const nans = x.dtype.isFloat ? sum(isnan(x)) : null;
  const L = below.map((s) => Number(s.item())),
    E = equals.map((s) => Number(s.item()));
  const nan = nans ? Number(nans.item()) : 0;
  return countsFrom(L, E, nan, x.size);
}

/**
 * The count of every region (regionOf's order) from the counts below (L) and equal to (E)
 * each of the B boundaries, the NaN count and the size.
 */
function countsFrom(L: ArrayLike<number>, E: ArrayLike<number>, nan: number, size: number): Float64Array {
  const B = L.length;
  const counts = new Float64Array(2 * B + 2);
  for (let i = 0; i < B; i++) {
    counts[2 * i] = L[i] - (i > 0 ? L[i - 1] + E[i - 1] : 0);
    counts[2 * i + 1] = E[i];
  }
  counts[2 * B] = size - nan - (B > 0 ? L[B - 1] + E[B - 1] : 0);
  counts[2 * B + 1] = nan;
  return counts;
}

/** Boundaries (regionOf), the regions gathered, the count of every region and the elements of those gathered. */
interface Counted {
  b: number[];
  capture: number[];
  counts: Float64Array;
  found: (Float64Array | null)[];
}

/**
 * Count the row's elements in the regions of the brackets `items` (ascending, disjoint) and
 * gather those strictly inside each bracket with lo < hi (null where a piece had more than
 * `cap`). select_gather counts what lies in each bracket and NaN; fused reductions count what
 * lies below each bracket (and what equals a bracket with lo = hi).
 */
function countAndGather(x: ndarray, pc: Pieces, items: readonly [number, number][], cap: number): Counted {
  const b: number[] = [],
    capture: number[] = [],
    ranges: [number, number][] = [];
  for (const [lo, hi] of items) {
    b.push(lo);
    if (hi > lo) {
      capture.push(2 * b.length);
      b.push(hi);
      // Integer rows are searched for with finite bounds (mid ± half is then exact).
      ranges.push(x.dtype.isFloat ? [lo, hi] : [Math.max(lo, -(2 ** 40)), Math.min(hi, 2 ** 40)]);
    }
  }
  const J = ranges.length,
    W = 1 + 3 * J + J * cap;
  const launched = J > 0 ? perPiece("select_gather", pc, W, [ranges.flat(), cap], pc.p * pc.c) : null;
  const below = items.map(([lo]) => sum(less(x, lo)));
  const equals = items.map(([lo, hi]) => (hi > lo ? null : sum(equal(x, lo))));
  const nans = x.dtype.isFloat && launched === null ? sum(isnan(x)) : null;
  let nan = nans ? Number(nans.item()) : 0;
  const inside = new Float64Array(J),
    eqLo = new Float64Array(J),
    eqHi = new Float64Array(J);
  const found: (Float64Array | null)[] = ranges.map(() => null);
  if (launched !== null) {
    const rows = launched.toTypedArray() as Float64Array;
    const over = ranges.map(() => false);
    for (let r = 0; r < pc.p; r++) {
      nan += rows[r * W];
      for (let j = 0; j < J; j++) {
        const k = rows[r * W + 1 + 3 * j];
        if (k > cap) over[j] = true;
        inside[j] += k;
        eqLo[j] += rows[r * W + 2 + 3 * j];
        eqHi[j] += rows[r * W + 3 + 3 * j];
      }
    }
    ranges.forEach(([lo, hi], j) => {
      if (over[j]) return;
      const all = new Float64Array(inside[j] + pc.tail.length);
      let at = 0;
      for (let r = 0; r < pc.p; r++) {
        const k = rows[r * W + 1 + 3 * j],
          from = r * W + 1 + 3 * J + j * cap;
        all.set(rows.subarray(from, from + k), at);
        at += k;
      }
      // The tail (fewer elements than pieces) is looked at here.
      for (const v of pc.tail) if (v > lo && v < hi) all[at++] = v;
      found[j] = all.subarray(0, at);
    });
    for (const v of pc.tail) {
      if (v !== v) nan++;
      ranges.forEach(([lo, hi], j) => {
        if (v > lo && v < hi) inside[j]++;
        else if (v === lo) eqLo[j]++;
        else if (v === hi) eqHi[j]++;
      });
    }
  }
  // Below and equal to each boundary, then the regions between.
  const B = b.length;
  const L = new Float64Array(B),
    E = new Float64Array(B);
  let i = 0,
    j = 0;
  items.forEach(([lo, hi], t) => {
    L[i] = Number(below[t].item());
    if (hi > lo) {
      E[i] = eqLo[j];
      L[i + 1] = L[i] + eqLo[j] + inside[j];
      E[i + 1] = eqHi[j];
      i += 2;
      j++;
    } else {
      E[i] = Number((equals[t] as ndarray).item());
      i++;
    }
  });
  return { b, capture, counts: countsFrom(L, E, nan, x.size), found };
}

/** The values at sorted positions `ks` of a long row (NaN last), and how many NaN it holds. */
export interface Selected {
  values: number[];
  nan: number;
}

/**
 * The values at sorted positions `ks` (ascending, distinct) of the long 1-D `x` (isLongRow),
 * or null when a bracket missed its rank (the caller then uses the row path).
 */
export function selectLong(x: ndarray, ks: readonly number[]): Selected | null {
  return selectPieces(x, piecesOf(x), ks);
}

/** A sorted sample of the row (NaN last), how many of it are numbers, and the brackets around each rank of `ks`. */
interface Sampled {
  s: Float64Array;
  sn: number;
  merged: [number, number][];
}
function sampleBrackets(pc: Pieces, n: number, ks: readonly number[]): Sampled {
  const s = (perPiece("select_sample", pc, Math.ceil(SAMPLE / pc.p), [], SAMPLE).toTypedArray() as Float64Array).sort();
  let sn = s.length;
  while (sn > 0 && s[sn - 1] !== s[sn - 1]) sn--;
  // The rank of the k-th element within the sample strays by about sqrt(s)/2: brackets of
  // ±4 of that hold it but for odds of about 1e-4.
  const delta = Math.ceil(2 * Math.sqrt(s.length)) + 2;
  const brackets: [number, number][] = [];
  for (const k of ks) {
    const at = (k / n) * s.length;
    const li = Math.floor(at - delta),
      hi = Math.ceil(at + delta);
    const lo = li < 0 || sn === 0 ? Number.NEGATIVE_INFINITY : s[Math.min(li, sn - 1)];
    brackets.push([lo, hi >= sn ? Number.POSITIVE_INFINITY : s[hi]]);
  }
  brackets.sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const br of brackets) {
    const last = merged[merged.length - 1];
    if (last && br[0] <= last[1]) last[1] = Math.max(last[1], br[1]);
    else merged.push([br[0], br[1]]);
  }
  return { s, sn, merged };
}

function selectPieces(x: ndarray, pc: Pieces, ks: readonly number[]): Selected | null {
  const n = x.size;
  const { s, sn, merged } = sampleBrackets(pc, n, ks);
  // The widest bracket's share of the sample sizes the room for each piece's candidates
  let inside = 0;
  for (const [lo, hi] of merged) {
    let i0 = 0;
    while (i0 < sn && s[i0] <= lo) i0++;
    let i1 = i0;
    while (i1 < sn && s[i1] < hi) i1++;
    inside = Math.max(inside, i1 - i0);
  }
  // (the sample's count strays by about its square root; four of those spare, and some).
  const cap = Math.min(pc.c, Math.ceil(((inside + 4 * Math.sqrt(inside) + 16) / Math.max(1, s.length)) * pc.c) + 1024);
  const { b, capture, counts, found } = countAndGather(x, pc, merged, cap);
  const nan = counts[counts.length - 1];
  const valid = n - nan;
  const starts: number[] = [];
  let total = 0;
  for (const c of counts) {
    starts.push(total);
    total += c;
  }
  const regionOfRank = (k: number): number => {
    let r = 0;
    while (r + 1 < counts.length - 1 && starts[r + 1] <= k) r++;
    return r;
  };
  // The ranks inside each captured region, selected there at once.
  const want = new Map<number, number[]>();
  for (const k of ks) {
    if (k >= valid) continue;
    const r = regionOfRank(k);
    if (r % 2 === 1) continue;
    const j = capture.indexOf(r);
    if (j < 0 || found[j] === null) return null;
    const list = want.get(j) ?? [];
    list.push(k - starts[r]);
    want.set(j, list);
  }
  for (const [j, rel] of want) {
    const f = found[j] as Float64Array;
    selectRange(
      f,
      0,
      f.length,
      [...new Set(rel)].sort((p, q) => p - q),
    );
  }
  const values = ks.map((k): number => {
    if (k >= valid) return Number.NaN;
    const r = regionOfRank(k);
    if (r % 2 === 1) return b[(r - 1) / 2];
    return (found[capture.indexOf(r)] as Float64Array)[k - starts[r]];
  });
  return { values, nan };
}

/**
 * np.partition / np.argpartition of a long 1-D row (isLongRow) at positions `ks` (ascending,
 * distinct): the kth values are selected as above, every element's bucket among them is
 * counted per piece, and partition_fill writes each output block from those counts. Null
 * when the selection missed.
 */
export function partitionLong(x: ndarray, ks: readonly number[], index: boolean): ndarray | null {
  const n = x.size;
  const pc = piecesOf(x);
  const rt = runtime(),
    lib = numpyLibrary();
  if (ks.length === 1 && !index) {
    // One kth: a quickselect whose first step runs in parallel. The sample brackets the kth
    // value by [lo, hi]; every piece of a copy is partitioned around lo in parallel, then
    // the row once into below lo, within [lo, hi] and above (over the runs that leaves, so
    // only misplaced elements move), and the kth is placed within its (small) part.
    const [[lo, hi]] = sampleBrackets(pc, n, ks).merged;
    const out = astype(x, x.dtype)._store;
    const body = out.slice(0, 0, pc.p * pc.c, 1).reshape([pc.p, pc.c]) as Store;
    rt.submit(
      lib.launch("partition_blocks", {
        args: [{ store: body, privilege: "readwrite" }],
        scalars: [lo],
        constraints: [broadcast(body, [1])],
        cost: n * 4,
      }),
    );
    rt.submit(lib.launch("partition_join", { args: [{ store: out, privilege: "readwrite" }], scalars: [lo, hi, ks[0]], serial: true, cost: n }));
    return new ndarray(out);
  }
  const sel = selectPieces(x, pc, ks);
  if (sel === null) return null;
  const pivots = [...new Set(sel.values.filter((v) => v === v))].sort((p, q) => p - q);
  const counts = regionCounts(x, pivots);
  const starts: number[] = [];
  let total = 0;
  for (const c of counts) {
    starts.push(total);
    total += c;
  }
  const out = newStore([n], index ? DTYPES.int64 : x.dtype);
  const flat = pc.store.reshape([n]) as Store;
  rt.submit(
    lib.launch("partition_fill", {
      args: [
        { store: flat, privilege: "read" },
        { store: out, privilege: "write" },
      ],
      scalars: [pivots, starts, index],
      constraints: [broadcast(flat)],
      cost: n * 2,
    }),
  );
  return new ndarray(out);
}
