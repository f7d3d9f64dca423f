import { type Expr, usesIndex } from "./kernel_ir.js";
import { type Expanded, exprWeight, taskWeight } from "./expand.js";
import type { HostMemory } from "./host_memory.js";
import { type Mapper, mapLaunch } from "./mapper.js";
import type { Machine } from "./machine.js";
import type { CpuProcessor, LaneArg, MapRunner } from "./processor.js";
import { now, profiling, traceSpan } from "./profile.js";
import { setting } from "./settings.js";
import { log, logEnabled } from "./log.js";
import { HOST_MEMORY, type Storage, type Store, sameArray } from "./store.js";
import { type PlannedOp, accessedStores, writtenStores } from "./operation.js";
import { type PointTask, type Resolver, viewOf } from "./point_task.js";
import type { Launch, MapLaunch, PhysicalStore, ReduceLaunch, TaskLaunch, TaskVariants } from "./task.js";
import { laneView } from "./dtype.js";

/** What running a launch at once needs from the runtime. */
export interface EagerHost {
  readonly machine: Machine;
  readonly host: HostMemory;
  mapper(): Mapper;
  cpu(): CpuProcessor;
  /** Whether a recorded launch (not run yet) uses the storage. */
  pending(storage: Storage): boolean;
  /** A launch as the window records it (null: nothing to do), and cut into point tasks. */
  plan(launch: Launch): PlannedOp | null;
  expand(op: PlannedOp): Expanded;
  /** Task variants of a library's task, for point tasks run here. */
  variants(library: string, task: string): TaskVariants;
}

/** What the mapper and the loop need to know of an expression, kept with it (ufuncs reuse theirs). */
interface ExprFacts {
  /** Per-element cost, for the mapper. */
  weight: number;
  /** It reads element coordinates (np.eye's), so the domain keeps its dims. */
  indexed: boolean;
  /** The CPU's runners of it as a map into its own dtype, by runnerKey (null: not run here). */
  runners: Map<number, MapRunner | null>;
}
const facts = new WeakMap<Expr, ExprFacts>();
const factsOf = (e: Expr): ExprFacts => {
  let f = facts.get(e);
  if (f === undefined) {
    f = { weight: exprWeight(e), indexed: usesIndex(e), runners: new Map() };
    facts.set(e, f);
  }
  return f;
};
/** A runner's loop shape: flat (one unit-stride run), else its dims; and its argument count. */
const runnerKey = (flat: boolean, ndim: number, nargs: number): number => (flat ? 0 : ndim + 1) * 256 + nargs;

/**
 * Small launches run at once. Deferring a launch pays off when it can be fused, cut into
 * pieces or overlapped; a 100-element add gains nothing from that and pays the window's
 * bookkeeping, a lazy value and a flush at the next read (many times the add itself). So a
 * launch that the mapper runs inline, whose inputs are computed (no lazy value, no recorded
 * launch writing them, current on the host, not poisoned) and whose outputs nothing recorded
 * or lazy uses, runs here when it is submitted, as the one inline point task it would have
 * become: maps (`map`, at most `maxSize` elements) straight on the kernel cached with their
 * expression, reductions the same way on the CPU's kept reduction kernel, opaque tasks
 * (`task`) straight on their variant as one point over whole stores, anything else planned
 * and expanded as the window would (`launch`). The result is an ordinary computed store: the next small launch runs at once too,
 * and reading it is a plain memory read. Anything else goes to the window unchanged, so the
 * order of effects is that of the program either way.
 *
 * New outputs get host memory that only the JS garbage collector tracks (HostMemory.hostSmall):
 * no finalisation entry per tiny array.
 */
export class Eager {
  /** Largest launch (elements) run at once (TESSERA_EAGER; 0 defers every launch). */
  maxSize = setting("TESSERA_EAGER");
  /** Launches run at once (for tests and tuning). */
  runs = 0;
  /** The first failure of a launch run at once since the last flush (Runtime.flush throws it). */
  failure: { error: unknown } | null = null;
  /** Accessors of maps run here, by argument count: refilled each time (a kernel keeps none). */
  private readonly argSets: LaneArg[][] = [];
  constructor(private readonly rt: EagerHost) {}

  /** Run a one-output map now if it is small and ready (returns true), else leave it to the window. */
  map(launch: MapLaunch): boolean {
    const outs = launch.outputs;
    if (outs.length !== 1) return false;
    const out = outs[0].store;
    const size = out.size;
    const rt = this.rt;
    if (size === 0 || size > this.maxSize) return false;
    const ost = out.storage;
    if (!this.writable(out)) return false;
    const fresh = ost.buffer === null;
    const inputs = launch.inputs;
    for (const s of inputs) {
      if (!this.readable(s)) return false;
      // Writing over what is read through another view needs the window's unaliasing.
      if (s.storage === ost && !s.sameView(out)) return false;
    }
    const expr = outs[0].expr;
    const f = factsOf(expr);
    const m = mapLaunch(
      rt.mapper(),
      { name: launch.name, domain: out.shape, volume: size, weight: f.weight, serial: false, gpuBlocker: null },
      rt.machine,
      true,
    );
    if (m.target !== "inline") return false;
    if (logEnabled("mapping")) log("mapping", `${launch.name} domain=(${out.shape.join(",")}) -> inline (run at once)`);

    // One loop over the elements when every store is row-major contiguous (the common case).
    let flat = !f.indexed && out.isContiguous();
    for (let i = 0; flat && i < inputs.length; i++) flat = inputs[i].isContiguous();
    const n = inputs.length + 1;
    const ndim = flat ? 1 : out.ndim;
    // The runner is kept with the expression when the output has the expression's dtype.
    const key = runnerKey(flat, ndim, n);
    const own = out.dtype.name === expr.dtype;
    let run = own ? f.runners.get(key) : undefined;
    if (run === undefined) {
      const dtypes = [out.dtype.name, ...inputs.map((s) => s.dtype.name)];
      run = rt.cpu().mapRunner(expr, dtypes, ndim, flat);
      if (own) f.runners.set(key, run);
    }
    // Not as a kernel here (compiled kernels only): as a point task, like any launch.
    if (run === null) return this.launch(launch);

    if (fresh) rt.host.hostSmall(ost);
    ost.touched = true;
    const args = (this.argSets[n] ??= Array.from({ length: n }, () => ({ data: NO_LANES, offset: 0, strides: UNIT })));
    setArg(args[0], out, flat, rt.host);
    for (let i = 1; i < n; i++) setArg(args[i], inputs[i - 1], flat, rt.host);
    const lo = flat ? ZERO : out.shape.map(() => 0);
    const hi = flat ? [size] : (out.shape as number[]);
    const start = profiling() ? now() : 0;
    let error: unknown = NONE;
    try {
      run(args, launch.scalars, lo, hi);
    } catch (e) {
      error = e;
    }
    this.settle(launch.name, start, [out], error);
    return true;
  }

  /**
   * Run a small reduction that is ready (`a.sum()`, `np.dot` of vectors, `A.max(axis=1)`) now,
   * straight on the kernel the CPU keeps for it, as `map` does: of every element of contiguous
   * inputs as one loop, else over its domain's dims. Arg reductions and anything not ready go
   * to `launch`.
   */
  reduce(launch: ReduceLaunch): boolean {
    const out = launch.output,
      index = launch.index;
    const inputs = launch.inputs;
    const domain = launch.shape ?? inputs[0]?.shape;
    if (!domain || domain.length > MAX_REDUCE_DIMS || out.ndim !== domain.length - launch.axes.length) return this.launch(launch);
    let size = 1;
    for (const x of domain) size *= x;
    const rt = this.rt;
    if (size === 0 || size > this.maxSize || !this.writable(out) || (index && !this.writable(index))) return this.launch(launch);
    const ost = out.storage,
      ist = index?.storage;
    let whole = out.ndim === 0;
    for (const s of inputs) {
      if (s.storage === ost || s.storage === ist || !this.readable(s)) return this.launch(launch);
      whole &&= s.isContiguous();
    }
    const f = factsOf(launch.value);
    if (f.indexed) return this.launch(launch);
    const info = { name: launch.name, domain, volume: size, weight: f.weight, serial: false, gpuBlocker: null };
    if (mapLaunch(rt.mapper(), info, rt.machine, true).target !== "inline") return this.launch(launch);
    const reduced = whole ? WHOLE : domain.map((_, d) => launch.axes.includes(d));
    const dtypes = inputs.map((s) => s.dtype.name);
    const run = rt.cpu().reduceRunner(launch.op, out.dtype.name, launch.value, dtypes, reduced, size);
    if (run === null) return this.launch(launch);
    if (logEnabled("mapping")) log("mapping", `${launch.name} domain=(${domain.join(",")}) -> inline (run at once)`);

    const outs = index ? [out, index] : [out];
    const n = outs.length + inputs.length;
    const args = (this.argSets[n] ??= Array.from({ length: n }, () => ({ data: NO_LANES, offset: 0, strides: UNIT })));
    outs.forEach((s, k) => {
      if (s.storage.buffer === null) rt.host.hostSmall(s.storage);
      s.storage.touched = true;
      setArg(args[k], s, false, rt.host);
      // Outputs seen in domain coordinates: stride 0 along the reduced dims.
      args[k].strides = whole ? ZERO : keptStrides(reduced, s.strides);
    });
    for (let i = 0; i < inputs.length; i++) setArg(args[outs.length + i], inputs[i], whole, rt.host);
    // An arg reduction's last scalar: each dim's weight in the row-major index over the reduced dims.
    const scalars = index ? [...launch.scalars, whole ? UNIT : indexWeights(domain, reduced)] : launch.scalars;
    const start = profiling() ? now() : 0;
    let error: unknown = NONE;
    try {
      run(args, scalars, whole ? ZERO : domain.map(() => 0), whole ? [size] : domain);
    } catch (e) {
      error = e;
    }
    this.settle(launch.name, start, outs, error);
    return true;
  }

  /**
   * Whether a launch run here may write `s`: nothing lazy or recorded uses it, and it is new
   * (never used: part of it may be written, as `m[0] = true` into an empty array) or whole, or
   * current and valid.
   */
  private writable(s: Store): boolean {
    const st = s.storage;
    if (st.lazy !== null || st.version !== null || this.rt.pending(st)) return false;
    return st.buffer === null ? !st.touched || s.isWhole() : st.hostValid && st.failure === null;
  }

  /** Whether a launch run here may read `s`: computed, current on the host, valid, and no recorded launch uses it. */
  private readable(s: Store): boolean {
    const st = s.storage;
    return st.lazy === null && st.buffer !== null && st.hostValid && !this.rt.pending(st) && st.failure === null;
  }

  /**
   * Run a launch (a reduction, an opaque task, a map) now if it is small and ready (returns
   * true), as the window would: planned, cut into point tasks where the mapper says (only a
   * launch it runs inline as one point runs here), and run on this thread.
   */
  launch(launch: Launch): boolean {
    if (launch.kind === "task" && launch.collective) return false;
    const rt = this.rt;
    const stores = accessedStores(launch);
    const written = writtenStores(launch);
    for (const s of stores) {
      const st = s.storage;
      // Arrays this large are never worth planning twice (the mapper would not run them inline).
      if (s.size > LARGE || st.lazy !== null || rt.pending(st) || st.failure !== null) return false;
      const out = written.includes(s);
      if (out ? st.version !== null || (st.buffer !== null && !st.hostValid) : st.buffer === null || !st.hostValid) return false;
    }
    if (launch.kind === "task") {
      const ran = this.task(launch, stores, written);
      if (ran !== null) return ran;
    }
    const op = rt.plan(launch);
    if (!op) return true;
    // New outputs get memory first (small ones only the JS collector tracks), so that the
    // point task's views need no listed instance; given back if the launch is left to the window.
    const fresh = written.filter((s) => s.storage.buffer === null);
    for (const s of fresh) rt.host.hostSmall(s.storage);
    const decline = (): false => {
      for (const s of fresh) rt.host.release(s.storage);
      return false;
    };
    let tasks: PointTask[];
    const whole = launch.kind === "reduce" ? wholeReduction(launch, op.label) : null;
    if (whole) {
      const info = { name: op.label, domain: whole.hi, volume: whole.hi[0], weight: factsOf(whole.value).weight, serial: false, gpuBlocker: null };
      if (mapLaunch(rt.mapper(), info, rt.machine, true).target !== "inline") return decline();
      tasks = [whole];
    } else {
      const expanded = rt.expand(op);
      if (expanded.mapping.target !== "inline" || expanded.tasks.length !== 1 || expanded.fold.length) return decline();
      tasks = expanded.tasks;
    }
    for (const s of stores) s.storage.touched = true;
    log("mapping", () => `${op.label} -> inline (run at once)`);
    const start = profiling() ? now() : 0;
    const resolver: Resolver = {
      buffer(id: number): SharedArrayBuffer {
        for (const s of stores) if (s.storage.id === id && s.storage.buffer) return s.storage.buffer;
        throw new Error(`storage ${id} is not an argument of ${op.label}`);
      },
      variants: rt.variants,
    };
    let error: unknown = NONE;
    try {
      const cpu = rt.cpu();
      cpu.prepare(tasks, false);
      cpu.run(tasks[0], resolver);
    } catch (e) {
      error = e;
    }
    this.settle(op.label, start, written, error);
    return true;
  }

  /**
   * Run an opaque task (a gather, sort, scan, …) whose stores are ready as the one point the
   * window would make of it, without planning or expanding it: as one point, every argument's
   * block is the whole store. Returns false when the mapper would not run it inline, and null
   * when the general path must decide (a GPU, a reduce privilege, constraints it would reject).
   */
  private task(launch: TaskLaunch, stores: readonly Store[], written: readonly Store[]): boolean | null {
    // With a GPU the mapping needs the variant's blocker: the general path works it out.
    if (this.rt.machine.gpus > 0) return null;
    for (const a of launch.args) if (typeof a.privilege === "object") return null;
    for (const c of launch.constraints) {
      if (c.kind === "align" && !sameArray(c.a.shape, c.b.shape)) return null;
      if (c.kind === "alignDims" && c.pairs.some(([d, e]) => c.a.shape[d] !== c.b.shape[e])) return null;
    }
    const rt = this.rt;
    // The launch's domain is its largest written store's (expandTask's anchor).
    let anchor = written.length ? written[0] : stores[0];
    for (const s of written.length ? written : stores) if (s.size > anchor.size) anchor = s;
    const name = `${launch.library}.${launch.task}`;
    const info = {
      name,
      domain: anchor.shape,
      volume: anchor.size,
      weight: taskWeight(launch, anchor.size),
      serial: !!launch.serial,
      gpuBlocker: null,
    };
    if (mapLaunch(rt.mapper(), info, rt.machine, true).target !== "inline") return false;
    const variant = rt.variants(launch.library, launch.task).cpu;
    for (const s of written) if (s.storage.buffer === null) rt.host.hostSmall(s.storage);
    for (const s of stores) s.storage.touched = true;
    log("mapping", () => `${name} -> inline (run at once)`);
    const args: PhysicalStore[] = stores.map((s) => {
      const st = s.storage;
      return {
        dtype: s.dtype.name,
        data: laneView(s.dtype, st.buffer!),
        shape: s.shape,
        strides: s.strides,
        offset: st.byteOffset / s.dtype.itemsize + s.offset,
        lo: s.shape.map(() => 0),
        hi: s.shape,
      };
    });
    const start = profiling() ? now() : 0;
    let error: unknown = NONE;
    try {
      variant({ args, scalars: launch.scalars, point: 0, points: 1 });
    } catch (e) {
      error = e;
    }
    this.settle(name, start, written, error);
    return true;
  }

  /**
   * After a launch ran here, as after a wave: what it wrote is current on the host and, when
   * wholly rewritten, valid again; if it failed (`error`), what it writes is poisoned and the
   * error is the window's first failure (raised by the next read of it, or flush()).
   */
  private settle(label: string, start: number, written: readonly Store[], error: unknown): void {
    if (error === NONE) {
      for (const s of written) if (s.isWhole()) s.storage.failure = null;
    } else {
      for (const s of written) s.storage.failure = { error };
      this.failure ??= { error };
    }
    if (start) traceSpan(label, 0, start, now());
    for (const s of written) s.storage.residency.wroteIn(HOST_MEMORY);
    this.runs++;
  }
}

/** No error (a thrown value may be anything, undefined included). */
const NONE = Symbol("none");

/**
 * The point task of a reduction of every element of contiguous inputs to one value (`a.sum()`,
 * `np.dot` of vectors' fold), as expansion would make it (one loop over the elements), without
 * the general coalescing; null for any other reduction.
 */
function wholeReduction(l: ReduceLaunch, label: string): Extract<PointTask, { kind: "reduce" }> | null {
  const domain = l.shape ?? l.inputs[0]?.shape;
  if (!domain || l.index || l.output.ndim !== 0 || l.axes.length !== domain.length || factsOf(l.value).indexed) return null;
  for (const s of l.inputs) if (!s.isContiguous()) return null;
  let n = 1;
  for (const x of domain) n *= x;
  const views = [viewOf(l.output, [0], [n])];
  for (const s of l.inputs) views.push(viewOf(s, [1], [n]));
  return {
    kind: "reduce",
    label,
    ndim: 1,
    op: l.op,
    acc: l.output.dtype.name,
    value: l.value,
    reduced: [true],
    nOut: 1,
    scalars: [...l.scalars, [1]],
    views,
    lo: [0],
    hi: [n],
  };
}

/** Elements beyond which a launch is left to the window without asking the mapper. */
const LARGE = 1 << 20;
const UNIT = [1],
  ZERO = [0];
/** A whole reduction's one dim, reduced. */
const WHOLE = [true];
/** Most dims of a reduction run at once over its domain (more go through a planned point task). */
const MAX_REDUCE_DIMS = 8;

/** A reduction output's strides over the domain: its own along the kept dims, 0 along the reduced ones. */
function keptStrides(reduced: readonly boolean[], strides: readonly number[]): number[] {
  let k = 0;
  return reduced.map((r) => (r ? 0 : strides[k++]));
}

/** Each dim's weight in the row-major index over the reduced dims (0 for kept dims). */
function indexWeights(domain: readonly number[], reduced: readonly boolean[]): number[] {
  const w = domain.map(() => 0);
  let step = 1;
  for (let d = domain.length - 1; d >= 0; d--)
    if (reduced[d]) {
      w[d] = step;
      step *= domain[d];
    }
  return w;
}
const NO_LANES = new Float64Array(0);
/** Point `a` at a store as a kernel here reads it; `flat`: as one contiguous run of elements. */
function setArg(a: LaneArg, s: Store, flat: boolean, host: HostMemory): void {
  a.data = host.lanesAt(s.storage);
  a.offset = host.laneBase(s.storage) + s.offset;
  a.strides = flat ? UNIT : s.strides;
}
