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
