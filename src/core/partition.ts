import { type Store, sameArray } from "./store.js";

/**
 * Partitioning constraints a library states about a launch's stores; the runtime solves
 * them into one tiling of the launch domain.
 *  - align(a, b): a and b have the same shape and are cut the same way.
 *  - broadcast(a, dims): every point sees all of `a` along `dims` (all dims if omitted).
 *  - alignDims(a, b, pairs): `a` is cut like `b` along the paired dims ([dim of a, dim of
 *    b]) and seen whole along its other dims, e.g. a matmul point reads the rows of A and
 *    the columns of B of its block of C. Data movement between ranks follows it.
 */
export type Constraint =
  | { kind: "align"; a: Store; b: Store }
  | { kind: "broadcast"; store: Store; dims?: readonly number[] }
  | { kind: "alignDims"; a: Store; b: Store; pairs: readonly (readonly [number, number])[] };

export const align = (a: Store, b: Store): Constraint => ({ kind: "align", a, b });
export const broadcast = (store: Store, dims?: readonly number[]): Constraint => ({ kind: "broadcast", store, dims });
export const alignDims = (a: Store, b: Store, pairs: readonly (readonly [number, number])[]): Constraint => ({ kind: "alignDims", a, b, pairs });

/** A tiling of a launch domain into `colors` blocks along one dimension. */
export interface Tiling {
  readonly domain: readonly number[];
  /** Dimension that is cut, or -1 for a single block. */
  readonly dim: number;
  /** Block boundaries along `dim`: block i is [cuts[i], cuts[i+1]). */
  readonly cuts: readonly number[];
}

export function tilingBlocks(t: Tiling): { lo: number[]; hi: number[] }[] {
  if (t.dim < 0) return [{ lo: t.domain.map(() => 0), hi: [...t.domain] }];
  const out: { lo: number[]; hi: number[] }[] = [];
  for (let i = 0; i + 1 < t.cuts.length; i++) {
    const lo = t.domain.map(() => 0),
      hi = [...t.domain];
    lo[t.dim] = t.cuts[i];
    hi[t.dim] = t.cuts[i + 1];
    out.push({ lo, hi });
  }
  return out;
}

const tilings = new Map<string, Tiling>();

/**
 * Cut `domain` into at most `pieces` even blocks along one dimension. `preferred` dims are
 * tried first (e.g. a reduction's kept dims, so no partial buffers are needed); `forbidden`
 * dims are never cut (broadcast constraints). Tilings are reused, so repeated launches over
 * the same domain see identical blocks.
 */
export function solveTiling(domain: readonly number[], pieces: number, preferred: readonly number[] = [], forbidden: readonly number[] = []): Tiling {
  const key = `${domain.join("x")}/${pieces}/${preferred.join(",")}/${forbidden.join(",")}`;
  const hit = tilings.get(key);
  if (hit) return hit;
  let dim = -1;
  const allowed = domain.map((_, d) => d).filter((d) => !forbidden.includes(d));
  const candidates = [...preferred.filter((d) => allowed.includes(d)), ...allowed.filter((d) => !preferred.includes(d))];
  // First candidate with enough extent for every piece; else the largest allowed dim.
  for (const d of candidates)
    if (domain[d] >= pieces) {
      dim = d;
      break;
    }
  if (dim < 0 && candidates.length) dim = candidates.reduce((best, d) => (domain[d] > domain[best] ? d : best), candidates[0]);
  let t: Tiling;
  if (pieces <= 1 || dim < 0 || domain[dim] <= 1) t = { domain: [...domain], dim: -1, cuts: [] };
  else {
    const n = Math.min(pieces, domain[dim]);
    const cuts = Array.from({ length: n + 1 }, (_, i) => Math.round((i * domain[dim]) / n));
    t = { domain: [...domain], dim, cuts };
  }
  if (tilings.size > 4096) tilings.clear();
  tilings.set(key, t);
  return t;
}

/**
 * Cut `domain` into `pieces` blocks along `dim` so that each holds an equal share of the work
 * `prefix(i)` of indices [0, i) (a non-decreasing function): the cut k is the first index
 * whose prefix reaches k/pieces of the total.
 */
export function balancedTiling(domain: readonly number[], pieces: number, dim: number, prefix: (i: number) => number): Tiling {
  const ext = domain[dim];
  const n = Math.min(pieces, ext);
  if (n <= 1) return { domain: [...domain], dim: -1, cuts: [] };
  const total = prefix(ext);
  const cuts = [0];
  for (let k = 1; k < n; k++) {
    const want = (k * total) / n;
    let lo = cuts[k - 1] + 1,
      hi = ext - (n - k);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (prefix(mid) >= want) hi = mid;
      else lo = mid + 1;
    }
    cuts.push(lo);
  }
  cuts.push(ext);
  return { domain: [...domain], dim, cuts };
}

/**
 * Cut `domain` into about `pieces` blocks as a grid over two dims (e.g. a product's rows and
 * columns): rows x columns points, with the grid's aspect following the extents so blocks
 * are near square. Each point of C = A@B then reads 1/rows of A and 1/cols of B, in all
 * about 2/√pieces of the operands instead of one whole operand (SUMMA's volume).
 */
export function gridBlocks(domain: readonly number[], pieces: number, [d0, d1]: readonly [number, number]): { lo: number[]; hi: number[] }[] {
  const m = domain[d0],
    n = domain[d1];
  let best = { r: 1, c: 1, score: Infinity };
  for (let r = 1; r <= pieces; r++) {
    if (pieces % r) continue;
    const c = pieces / r;
    if (r > Math.max(1, m) || c > Math.max(1, n)) continue;
    // Bytes a point reads ∝ m/r + n/c; fewer, squarer blocks win.
    const score = m / r + n / c;
    if (score <= best.score) best = { r, c, score }; // ties: more row blocks (contiguous writes)
  }
  const cuts = (ext: number, k: number) => Array.from({ length: k + 1 }, (_, i) => Math.round((i * ext) / k));
  const rc = cuts(m, best.r),
    cc = cuts(n, best.c);
  const out: { lo: number[]; hi: number[] }[] = [];
  for (let i = 0; i < best.r; i++)
    for (let j = 0; j < best.c; j++) {
      const lo = domain.map(() => 0),
        hi = [...domain];
      lo[d0] = rc[i];
      hi[d0] = rc[i + 1];
      lo[d1] = cc[j];
      hi[d1] = cc[j + 1];
      out.push({ lo, hi });
    }
  return out;
}

/** A task launch's constraints solved: what is cut with the domain, and how each store sees a block. */
export interface TaskPartition {
  /** The store whose shape is the launch domain (the largest written store). */
  readonly anchor: Store;
  /** Dims of the domain that must not be cut (a broadcast of an aligned store). */
  readonly forbidden: readonly number[];
  /** Each store's block [lo, hi) for a block of the domain. */
  block(s: Store, lo: number[], hi: number[]): { lo: number[]; hi: number[] };
}

/**
 * Solve a task launch's constraints. Stores aligned (transitively) with the anchor are cut
 * with it; stores tied to an aligned store by alignDims are cut along the paired dims; all
 * others are seen whole (broadcast).
 */
export function solveTaskPartition(
  label: string,
  stores: readonly Store[],
  written: readonly Store[],
  constraints: readonly Constraint[],
): TaskPartition {
  const anchor = (written.length ? written : stores).reduce((big, s) => (s.size > big.size ? s : big));
  const aligned = new Set<Store>([anchor]);
  const forbidden = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of constraints) {
      if (c.kind !== "align") continue;
      if (aligned.has(c.a) !== aligned.has(c.b)) {
        aligned.add(c.a);
        aligned.add(c.b);
        grew = true;
      }
    }
  }
  for (const c of constraints) {
    if (c.kind === "align" && !sameArray(c.a.shape, c.b.shape))
      throw new RangeError(`${label}: align() needs equal shapes, got (${c.a.shape}) and (${c.b.shape})`);
    if (c.kind === "broadcast" && aligned.has(c.store)) {
      // broadcast(s, dims) keeps only `dims` whole, the anchor's too (fft's lines, a gufunc's core dims).
      if (c.dims === undefined) for (let d = 0; d < anchor.ndim; d++) forbidden.add(d);
      else c.dims.forEach((d) => forbidden.add(d));
    }
  }
  // Stores cut along some dims of an aligned store (alignDims) see those dims of the block.
  // One store passed twice with different cuts (matmul(a, a): a's rows and a's columns) is
  // seen whole: the union of the two blocks is no block.
  const follows = new Map<Store, readonly (readonly [number, number])[] | null>();
  const key = (pairs: readonly (readonly [number, number])[]) => pairs.map((p) => p.join(":")).join(",");
  for (const c of constraints) {
    if (c.kind !== "alignDims" || !aligned.has(c.b) || aligned.has(c.a)) continue;
    const prev = follows.get(c.a);
    follows.set(c.a, prev === undefined || (prev !== null && key(prev) === key(c.pairs)) ? c.pairs : null);
  }
  return {
    anchor,
    forbidden: [...forbidden],
    block(s, lo, hi) {
      if (aligned.has(s)) return { lo, hi };
      const l = s.shape.map(() => 0),
        h = [...s.shape];
      for (const [d, e] of follows.get(s) ?? []) {
        l[d] = lo[e];
        h[d] = hi[e];
      }
      return { lo: l, hi: h };
    },
  };
}
