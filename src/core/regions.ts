/**
 * Element-set geometry: which elements of a storage a view or a block of it touches, as
 * interval sets. Renaming (which elements survive a partial write) and the rank layer (what
 * each rank holds and must fetch) both decide with these.
 */
/**
 * Sets of element indices of a storage, as sorted, disjoint, non-touching half-open
 * ranges flattened into one array: [lo0, hi0, lo1, hi1, ...]. Shards, halos and the data a
 * rank must fetch are all such sets, so every data-movement decision is a merge of two
 * sorted lists (linear time).
 */
export type Intervals = readonly number[];

export const EMPTY: Intervals = [];
export const span = (lo: number, hi: number): Intervals => (hi > lo ? [lo, hi] : EMPTY);

export function isEmpty(a: Intervals): boolean {
  return a.length === 0;
}

/** Number of elements in the set. */
export function measure(a: Intervals): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) n += a[i + 1] - a[i];
  return n;
}

/** Sort and merge arbitrary ranges (pairs, possibly overlapping) into a set. */
export function normalize(pairs: number[]): Intervals {
  const n = pairs.length / 2;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (pairs[2 * i] < pairs[2 * i - 2]) sorted = false;
  const order = Array.from({ length: n }, (_, i) => i);
  if (!sorted) order.sort((x, y) => pairs[2 * x] - pairs[2 * y]);
  const out: number[] = [];
  for (const i of order) {
    const lo = pairs[2 * i],
      hi = pairs[2 * i + 1];
    if (hi <= lo) continue;
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return out;
}

/**
 * One merge pass: walks both sets' boundaries in order, keeping the points where
 * `keep(inA, inB)` holds.
 */
function combine(a: Intervals, b: Intervals, keep: (inA: boolean, inB: boolean) => boolean): Intervals {
  const out: number[] = [];
  let i = 0,
    j = 0,
    inA = false,
    inB = false,
    inside = false;
  while (i < a.length || j < b.length) {
    const x = i < a.length && (j >= b.length || a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === x) {
      inA = !inA;
      i++;
    }
    while (j < b.length && b[j] === x) {
      inB = !inB;
      j++;
    }
    const now = keep(inA, inB);
    if (now !== inside) {
      if (now) out.push(x);
      else if (out[out.length - 1] === x)
        out.pop(); // empty range
      else out.push(x);
      inside = now;
    }
  }
  return out;
}

export const union = (a: Intervals, b: Intervals): Intervals => (a.length === 0 ? b : b.length === 0 ? a : combine(a, b, (x, y) => x || y));
export const intersect = (a: Intervals, b: Intervals): Intervals => (a.length === 0 || b.length === 0 ? EMPTY : combine(a, b, (x, y) => x && y));
export const subtract = (a: Intervals, b: Intervals): Intervals => (a.length === 0 || b.length === 0 ? a : combine(a, b, (x, y) => x && !y));

/** a ⊆ b */
export function covers(b: Intervals, a: Intervals): boolean {
  return subtract(a, b).length === 0;
}

/** Beyond this many separate runs a footprint is summarised by its bounding range. */
export const MAX_RUNS = 1 << 15;

/** The storage elements a block of an affine view touches. */
export interface Footprint {
  readonly set: Intervals;
  /** False when `set` is the bounding range of a footprint with too many runs (a superset). */
  readonly exact: boolean;
}

/**
 * Elements of the storage that the block [lo, hi) of a view (offset + Σ i_d·strides_d)
 * touches. Stride-0 (broadcast) dims touch one element; negative strides are walked
 * backwards; dims that continue each other merge into one run.
 */
export function footprint(offset: number, strides: readonly number[], lo: readonly number[], hi: readonly number[]): Footprint {
  let base = offset;
  const dims: { n: number; s: number }[] = [];
  for (let d = 0; d < strides.length; d++) {
    const n = hi[d] - lo[d];
    if (n <= 0) return { set: [], exact: true };
    let s = strides[d];
    base += lo[d] * s;
    if (n === 1 || s === 0) continue;
    if (s < 0) {
      base += (n - 1) * s;
      s = -s;
    }
    dims.push({ n, s });
  }
  dims.sort((a, b) => a.s - b.s);
  // The innermost run: unit-stride dims that continue each other.
  let run = 1,
    k = 0;
  if (dims.length && dims[0].s === 1) {
    run = dims[0].n;
    k = 1;
    while (k < dims.length && dims[k].s === run) {
      run *= dims[k].n;
      k++;
    }
  }
  const outer = dims.slice(k);
  let runs = 1;
  for (const d of outer) runs *= d.n;
  if (runs > MAX_RUNS) {
    let extent = run;
    for (const d of outer) extent += (d.n - 1) * d.s;
    return { set: [base, base + extent], exact: false };
  }
  const pairs: number[] = [];
  const idx = new Array(outer.length).fill(0);
  for (let r = 0; r < runs; r++) {
    let at = base;
    for (let d = 0; d < outer.length; d++) at += idx[d] * outer[d].s;
    pairs.push(at, at + run);
    for (let d = 0; d < outer.length; d++) {
      if (++idx[d] < outer[d].n) break;
      idx[d] = 0;
    }
  }
  return { set: normalize(pairs), exact: true };
}
