import { type Storage, Store, rowMajorStrides } from "./store.js";

/**
 * Renaming, for writes into part of an array whose old contents are still needed (the
 * right-hand side reads them: `u[1:-1, 1:-1] = f(u[:-2, 1:-1], …)`, or lazy values do).
 * Instead of copying the old contents aside (a snapshot) and computing into a temporary,
 * the storage gets a new instance: the launch reads the old one and writes the new one
 * directly, and only the elements outside the written box are carried over. A Jacobi sweep
 * then reads and writes the grid once.
 */

/** A view that is a box (unit steps) of its storage laid out row-major as `base`. */
export interface Box {
  readonly base: number[];
  readonly lo: number[];
  readonly hi: number[];
}

export function boxOf(s: Store): Box | null {
  const n = s.ndim;
  if (n === 0 || s.strides[n - 1] !== 1 || s.strides.some((x) => x <= 0)) return null;
  const base = new Array<number>(n);
  for (let d = n - 1; d >= 1; d--) {
    const r = s.strides[d - 1] / s.strides[d];
    if (!Number.isInteger(r)) return null;
    base[d] = r;
  }
  base[0] = s.storage.size / s.strides[0];
  if (!Number.isInteger(base[0])) return null;
  let off = s.offset;
  const lo = s.strides.map((st) => {
    const i = Math.floor(off / st);
    off -= i * st;
    return i;
  });
  if (off !== 0 || lo.some((l, d) => l + s.shape[d] > base[d])) return null;
  return { base, lo, hi: lo.map((l, d) => l + s.shape[d]) };
}

/** The parts of `storage` outside `box`: at most two slabs per dim, disjoint. */
export function complement(storage: Storage, box: Box): Store[] {
  const rm = rowMajorStrides(box.base);
  const out: Store[] = [];
  box.base.forEach((B, d) => {
    for (const [a, b] of [
      [0, box.lo[d]],
      [box.hi[d], B],
    ]) {
      if (b <= a) continue;
      const lo = box.base.map((_, k) => (k < d ? box.lo[k] : k === d ? a : 0));
      const hi = box.base.map((E, k) => (k < d ? box.hi[k] : k === d ? b : E));
      const shape = hi.map((h, k) => h - lo[k]);
      out.push(
        new Store(
          storage,
          shape,
          rm,
          lo.reduce((o, l, k) => o + l * rm[k], 0),
        ),
      );
    }
  });
  return out;
}
