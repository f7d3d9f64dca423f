import { type Intervals, normalize } from "./intervals.js";

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
