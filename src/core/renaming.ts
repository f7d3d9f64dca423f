import { type LazyValue, type LeafVersion, WATCH_MIN_SIZE } from "./fusion.js";
import type { HostMemory } from "./host_memory.js";
import { load } from "./kernel_ir.js";
import { log } from "./log.js";
import { type Intervals, footprint, union } from "./regions.js";
import type { Replication } from "./replication.js";
import { type Storage, Store, rowMajorStrides } from "./store.js";
import type { MapLaunch } from "./task.js";

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

/**
 * Copies element ranges between two instances of one storage. The complement of a box is
 * mostly short runs (a grid's edge columns: one element per row), where a typed array's
 * `set` on a fresh subarray costs ~50 ns a call: those are copied a word at a time.
 */
class Copier {
  private readonly from: Int32Array | Uint8Array;
  private readonly to: Int32Array | Uint8Array;
  /** Units of the views per element. */
  private readonly units: number;
  constructor(old: Storage, S: Storage) {
    const w = S.dtype.itemsize,
      words = w % 4 === 0;
    this.from = words ? new Int32Array(old.buffer!) : new Uint8Array(old.buffer!);
    this.to = words ? new Int32Array(S.buffer!) : new Uint8Array(S.buffer!);
    this.units = words ? w / 4 : w;
  }
  /** Elements [start, start + n). */
  copy(start: number, n: number): void {
    const a = start * this.units,
      len = n * this.units,
      from = this.from,
      to = this.to;
    if (len >= 32) to.set(from.subarray(a, a + len), a);
    else for (let k = a; k < a + len; k++) to[k] = from[k];
  }
  /** Every element of a row-major view with unit innermost stride (a slab of `complement`). */
  copyView(v: Store): void {
    const nd = v.ndim,
      run = v.shape[nd - 1],
      idx = new Array<number>(nd).fill(0);
    if (v.size === 0) return;
    let off = v.offset;
    for (;;) {
      this.copy(off, run);
      let d = nd - 2;
      for (; d >= 0; d--) {
        off += v.strides[d];
        if (++idx[d] < v.shape[d]) break;
        off -= v.strides[d] * v.shape[d];
        idx[d] = 0;
      }
      if (d < 0) return;
    }
  }
}

/** What renaming needs from the runtime. */
export interface RenameHost {
  /** A device is in use (renaming applies to host instances only). */
  readonly device: boolean;
  /** Compute a lazy value now (it is recorded). */
  materialize(storage: Storage): void;
  /** Run the recorded launches now if some touch `storage`. */
  settle(storage: Storage): void;
  readonly host: HostMemory;
  createStore(shape: readonly number[], dtype: Storage["dtype"]): Store;
  /** Free this runtime-made store when the window has run. */
  transient(store: Store): void;
  /** `old` took over `storage`'s instance: failures and workers' mappings follow. */
  moved(storage: Storage, old: Storage): void;
  readonly dist: Replication | null;
}

/**
 * A write into a box of a large array whose old contents this launch or lazy values still
 * read: rename the storage rather than snapshot and unalias. Returns the launch reading the
 * old instance, or the launch unchanged when renaming does not apply (device instances,
 * non-box views, small boxes).
 */
export function rename(launch: MapLaunch, rt: RenameHost): MapLaunch {
  if (rt.device || launch.outputs.length !== 1) return launch;
  const out = launch.outputs[0].store,
    S = out.storage;
  if (out.isWhole() || S.size < WATCH_MIN_SIZE || out.size * 2 < S.size) return launch;
  const v = S.version as LeafVersion | null;
  const readsOld = launch.inputs.some((s) => {
    if (s.storage === S) return s.overlaps(out) && !s.sameView(out);
    const lz = s.storage.lazy as LazyValue | null;
    if (lz) for (const x of lz.versions) if (x.storage === S && !x.snapshot) return true;
    return false;
  });
  if (!readsOld && !(v && v.readers > 0)) return launch;
  const box = boxOf(out);
  if (!box) return launch;
  // Launches already recorded use the instance in place: they run first.
  rt.materialize(S);
  rt.settle(S);
  rt.host.host(S);
  const oldStore = rt.createStore([S.size], S.dtype),
    old = oldStore.storage;
  rt.host.rename(S, old);
  rt.moved(S, old);
  // Everything outside the written box keeps its value: copied over now, by each rank for
  // the parts it holds (no messages). The box is valid nowhere until the launch writes it.
  const copier = new Copier(old, S);
  if (rt.dist) {
    let keep: Intervals = [];
    for (const slab of complement(S, box))
      keep = union(
        keep,
        footprint(
          slab.offset,
          slab.strides,
          slab.shape.map(() => 0),
          slab.shape,
        ).set,
      );
    const mine = rt.dist.renamed(old, S, keep);
    for (let i = 0; i < mine.length; i += 2) copier.copy(mine[i], mine[i + 1] - mine[i]);
  } else for (const slab of complement(S, box)) copier.copyView(slab);
  if (v) {
    v.snapshot = old;
    S.version = null;
  }
  // Read by this launch only (no lazy value reads the old contents): its buffer goes back to
  // the pool when the window has run, and the next rename (a loop's next sweep) reuses it
  // instead of faulting in fresh memory.
  if (!(v && v.readers > 0) && !rt.dist) rt.transient(oldStore);
  log("tasks", () => `rename storage ${S.id}: old contents in ${old.id}, ${out.size} of ${S.size} elements rewritten (readers ${v?.readers})`);
  return { ...launch, inputs: launch.inputs.map((s) => (s.storage === S ? new Store(old, s.shape, s.strides, s.offset) : s)) };
}

/**
 * NumPy evaluates the right-hand side before assigning, so when an input overlaps an
 * output without being the same view (u[1:] = u[:-1] + …), the launch computes into a
 * temporary (`temporary`, freed with the window) that is then copied over: two passes,
 * whatever the number of such inputs. Returns null when there is no hazard.
 */
export function unalias(launch: MapLaunch, temporary: (shape: readonly number[], dtype: Store["dtype"]) => Store): MapLaunch[] | null {
  const hazard = launch.inputs.some((inp) => launch.outputs.some((o) => o.store.overlaps(inp) && !o.store.sameView(inp)));
  if (!hazard) return null;
  const temps = launch.outputs.map((o) => temporary(o.store.shape, o.store.dtype));
  const compute: MapLaunch = { ...launch, outputs: launch.outputs.map((o, i) => ({ store: temps[i], expr: o.expr })) };
  const copies: MapLaunch[] = launch.outputs.map((o, i) => ({
    kind: "map",
    name: `${launch.name}:assign`,
    inputs: [temps[i]],
    outputs: [{ store: o.store, expr: load(0, o.store.dtype.name) }],
    scalars: [],
  }));
  return [compute, ...copies];
}
