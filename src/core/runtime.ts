import { type DType, type DTypeName, DTYPES, type TypedArray, laneView } from "./dtype.js";
import { type Expr, maxIndex, load, nodeCount, relocate, signature, usesIndex, visit } from "./kernel_ir.js";
import { type Residency, type Storage, Store, rowMajorStrides, sameArray } from "./store.js";
import { type Launch, type MapLaunch, type ReduceLaunch, type TaskLaunch, type TaskVariants, reads, writes } from "./task.js";
import { type Constraint, gridBlocks, solveTiling, tilingBlocks } from "./partition.js";
import { Scheduler, type Operation } from "./scheduler.js";
import { DefaultMapper, type Mapper, type Mapping } from "./mapper.js";
import { type Machine, detectMachine } from "./machine.js";
import { Coherence } from "./coherence.js";
import { boxOf, complement } from "./renaming.js";
import { log } from "./log.js";
import { canReclaim, noteDropped, reclaim, registry } from "./reclaim.js";
import { now, profiling, traceSpan } from "./profile.js";
import { WorkerPool } from "../backends/cpu/pool.js";
import { type PointTask, type Resolver, type View, attachNative, runPointTask } from "../backends/cpu/point_task.js";
import { MAX_NATIVE_ARGS, nativeMode } from "../backends/cpu/native.js";
import { GpuDevice, GpuError } from "../backends/webgpu/gpu.js";
import { gpuBlocker, gpuDispatch } from "../backends/webgpu/dispatch.js";
import type { GpuCommand } from "../backends/webgpu/protocol.js";
import { gpuBytes } from "./coherence.js";
import { type CollectiveWrite, ControlReplication } from "../ranks/replication.js";
import { RankPlan } from "../ranks/rank_plan.js";
import type { FoldTask } from "../ranks/fold.js";
import type { Communicator } from "./task.js";
import { footprint } from "../ranks/footprint.js";
import { type Intervals, intersect, union } from "../ranks/intervals.js";
import { Mpi } from "../ranks/mpi.js";

/** Collective tasks in a single process: one point, talking to itself. */
const SINGLE_PROCESS: Communicator = { rank: 0, ranks: 1, allgather: (d) => [d.slice()], alltoallv: (parts) => parts.map((p) => p.slice()) };

interface PlannedOp extends Operation {
  launch: Launch;
}

/** A library's namespace of tasks, as in legate.core: tasks are registered once, launched often. */
export class Library {
  readonly tasks = new Map<string, TaskVariants>();
  constructor(
    readonly name: string,
    readonly module: string | undefined,
  ) {}

  /** Register `task` with its variants. Worker threads load the same variants from `module`. */
  registerTask(task: string, variants: TaskVariants): void {
    this.tasks.set(task, variants);
  }

  /** Describe a launch of `task`; submit it with `runtime().submit`. */
  launch(
    task: string,
    opts: {
      args: TaskLaunch["args"];
      scalars?: unknown[];
      constraints?: Constraint[];
      serial?: boolean;
      cost?: number;
      grid?: readonly [number, number];
      collective?: boolean;
    },
  ): TaskLaunch {
    if (!this.tasks.has(task)) throw new Error(`task ${this.name}.${task} is not registered`);
    return {
      kind: "task",
      library: this.name,
      task,
      args: opts.args,
      scalars: opts.scalars ?? [],
      constraints: opts.constraints ?? [],
      serial: opts.serial,
      cost: opts.cost,
      grid: opts.grid,
      collective: opts.collective,
    };
  }
}

/** Lazy values kept per version as candidates for sibling fusion. */
const MAX_TERMINALS = 8;
/** Sibling fusion pays off only when the shared work is large. */
const SIBLING_MIN_SIZE = 1 << 16;

function dropTerminal(lz: LazyValue): void {
  for (const v of lz.versions) {
    const i = v.terminals.indexOf(lz);
    if (i >= 0) v.terminals.splice(i, 1);
  }
}

/** Lazy values reading storages this small are not watched for death (see makeLazy). */
const WATCH_MIN_SIZE = 1 << 16;

const TRANSCENDENTAL = /exp|log|sin|cos|tan|pow|sqrt|arc|floordiv|mod|hypot/;

/**
 * The runtime: the one entry point of tessera/core. It records launches (deferred), orders
 * them by dependences, asks the mapper where each runs, cuts it into point tasks over a
 * tiling, and runs them inline or on the CPU worker pool. Values leave only at blocking
 * points (`read`).
 */
export class Runtime {
  readonly machine: Machine;
  mapper: Mapper = new DefaultMapper();
  private readonly libraries = new Map<string, Library>();
  private readonly scheduler = new Scheduler<PlannedOp>();
  private readonly coherence = new Coherence();
  private pool: WorkerPool | null = null;
  private nextOp = 1;
  /** Window length that triggers a flush, bounding memory held by deferred temporaries. */
  windowLimit = 256;
  /**
   * Bytes that the window's launches will allocate (stores they write that have no memory
   * yet) that trigger a flush: memory a pending launch will write cannot be reclaimed, so a
   * loop making large arrays and never reading them must not queue hundreds of them.
   */
  windowBytes = 2 ** 26;
  private pendingBytes = 0;
  private readonly pendingAllocs = new Set<Storage>();

  /** The GPU device thread, when the machine has a GPU (TESSERA_GPUS=1). */
  readonly gpu: GpuDevice | null = null;
  /** GPU memory the runtime may fill before it evicts instances back to the host. */
  gpuBudget = Number(process.env.TESSERA_GPU_MEMORY ?? 2 ** 31);
  private gpuUsed = 0;
  /**
   * GPU-resident storages by id: last use, size, and what eviction needs (the storage's
   * residency flags and layout), never the storage itself, so GPU instances keep nothing alive.
   */
  private readonly gpuLru = new Map<number, GpuEntry>();
  private gpuPending: GpuCommand[] = [];
  private gpuClock = 0;

  constructor(machine: Machine = detectMachine()) {
    this.machine = machine;
    this.coherence.onRelease = (id, dropped) => {
      this.pool?.release(id, dropped);
      if (dropped) noteDropped(dropped);
      const g = this.gpuLru.get(id);
      if (g) {
        this.gpuLru.delete(id);
        this.gpuUsed -= g.bytes;
        this.gpuPending.push({ op: "free", id });
      }
    };
    // Asking for a GPU that is not there is an error, never a silent CPU run.
    if (machine.gpus > 0) this.gpu = new GpuDevice();
    if (machine.ranks > 1) {
      const mpi = Mpi.init();
      if (mpi.size !== machine.ranks || mpi.rank !== machine.rank)
        throw new Error(`MPI reports rank ${mpi.rank} of ${mpi.size}, the launcher rank ${machine.rank} of ${machine.ranks}`);
      this.dist = new ControlReplication(mpi);
    }
  }

  /** Control replication over MPI ranks (null in a single-process run). */
  readonly dist: ControlReplication | null = null;

  setMapper(m: Mapper): void {
    this.mapper = m;
  }

  library(name: string, opts: { module?: string } = {}): Library {
    let lib = this.libraries.get(name);
    if (!lib) {
      lib = new Library(name, opts.module);
      this.libraries.set(name, lib);
    }
    return lib;
  }

  createStore(shape: readonly number[], dtype: DType | DTypeName): Store {
    for (const n of shape) if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid store extent ${n}`);
    return Store.create(shape, typeof dtype === "string" ? DTYPES[dtype] : dtype);
  }

  /** A new store holding a copy of `data` (row-major lanes), available at once. */
  attach(shape: readonly number[], dtype: DType | DTypeName, data: TypedArray): Store {
    const store = this.createStore(shape, dtype);
    const lanes = laneView(store.dtype, this.coherence.host(store.storage, true), 0, store.size);
    if (data.length !== lanes.length) throw new RangeError(`attach: expected ${lanes.length} lanes, got ${data.length}`);
    (lanes as { set(a: ArrayLike<unknown>): void }).set(data as ArrayLike<unknown>);
    // Across ranks the data is part of the control stream: a rank that attached other
    // values (a clock, Math.random(), a file of its own) is caught at the next check.
    if (this.dist) {
      const bytes = new Uint8Array(lanes.buffer, lanes.byteOffset, store.size * store.dtype.itemsize);
      this.dist.noteData(`attach(${shape.join("x")} ${store.dtype.name})`, bytes, () => Array.from(lanes.subarray(0, 8) as ArrayLike<unknown>));
    }
    return store;
  }

  /**
   * `value` as rank 0 has it, on every rank: a JSON-serialisable value, a number, a bigint
   * or a typed array (every rank gets an equal copy). Per-rank sources (Math.random(),
   * Date.now(), a file only some ranks can read) must go through it before they reach
   * arrays. In a single-process run it returns `value` itself.
   */
  bcast<T>(value: T): T {
    return this.dist ? this.dist.bcast(value) : value;
  }

  /**
   * Record a launch. It runs at the next blocking point, after everything it depends on.
   * Elementwise launches into fresh stores are not run at all at first: they stay *lazy*
   * and are spliced into whatever reads them (fusion), so chains of ufuncs and a trailing
   * reduction become one kernel with no temporaries. A lazy value is computed only when it
   * is read, used by a launch that cannot fuse it, or before one of its inputs changes.
   */
  submit(launch: Launch): void {
    if (this.dist) this.dist.noteValues(launch.kind === "task" ? `${launch.library}.${launch.task}` : launch.name, launch.scalars);
    if (!this.fusion || launch.kind === "task") {
      for (const s of accessedStores(launch)) this.materialize(s.storage);
      for (const s of writtenStores(launch)) this.beforeWrite(s);
      this.record(launch);
      this.maybeFlush();
      return;
    }
    if (launch.kind === "map") launch = this.rename(launch);
    if (launch.kind === "reduce" && this.siblingFusion) this.fuseSiblings(launch);
    const opened = this.open(launch);
    for (const s of writtenStores(launch)) this.beforeWrite(s);
    if (
      launch.kind === "map" &&
      launch.outputs.length === 1 &&
      this.isFresh(launch.outputs[0].store) &&
      !opened.versions.some((v) => v.storage === launch.outputs[0].store.storage)
    ) {
      this.makeLazy(launch.outputs[0].store, launch.name, opened);
      return;
    }
    this.record(this.close(launch, opened.exprs));
    this.maybeFlush();
  }

  /** Counters for tests and tuning: launches recorded (after fusion) and values materialised. */
  readonly stats = { launches: 0, materialized: 0 };

  private record(launch: Launch): void {
    const split = launch.kind === "map" ? this.unalias(launch) : null;
    if (split) {
      for (const l of split) this.record(l);
      return;
    }
    for (const s of accessedStores(launch)) s.storage.touched = true;
    const op = this.plan(launch);
    if (!op) return;
    for (const a of op.accesses) {
      const st = a.store.storage;
      if (a.write && st.buffer === null && !this.pendingAllocs.has(st)) {
        this.pendingAllocs.add(st);
        this.pendingBytes += st.size * st.dtype.itemsize;
      }
    }
    if (this.dist)
      this.dist.note(
        `${op.label}(${op.accesses.map((a) => a.store.shape.join("x")).join(",")})${launch.kind === "map" ? signature(...launch.outputs.map((o) => o.expr)) : launch.kind === "reduce" ? signature(launch.value) : ""}`,
      );
    this.stats.launches++;
    this.scheduler.record(op);
  }

  /** Bound the window (and the memory its temporaries hold); only between whole submits. */
  private maybeFlush(): void {
    if (this.scheduler.size >= this.windowLimit || this.pendingBytes >= this.windowBytes) this.runWindow();
  }

  // ---- fusion: lazy elementwise values ------------------------------------------------

  /** Fusion on/off (TESSERA_FUSION=0 turns it off, e.g. to compare). */
  fusion = process.env.TESSERA_FUSION !== "0";
  /** Sibling (horizontal) fusion on/off (TESSERA_SIBLINGS=0 turns it off). */
  siblingFusion = process.env.TESSERA_SIBLINGS !== "0";
  /** Distinct-node budget of one fused expression; beyond it inputs are materialised. */
  fusionLimit = 400;
  // A lazy value (Storage.lazy) nobody can reach is simply never computed, and keeps
  // nothing alive. Storage.version is the version of a storage's contents that lazy values
  // read (a write starts a new one).
  /** Blocking reads so far: lazy values made since the last one are candidates for sibling fusion. */
  private epoch = 0;
  /** When a lazy value dies unread, the versions it read lose a reader. */
  private readonly lazyDeaths = registry<LeafVersion[]>((vs) => {
    for (const v of vs) v.readers--;
  });
  /**
   * Storages at least this large are worth a garbage collection (~10-20 ms) to avoid a
   * snapshot copy; below it copying is cheaper (measured: a 4096² float64 Jacobi sweep).
   */
  reclaimMinSize = 1 << 25;

  private isFresh(s: Store): boolean {
    return s.isWhole() && !s.storage.touched && s.storage.buffer === null;
  }

  private versionOf(storage: Storage): LeafVersion {
    let v = storage.version as LeafVersion | null;
    if (!v) {
      v = { storage, readers: 0, snapshot: null, terminals: [] };
      storage.version = v;
    }
    return v;
  }

  /**
   * Most arrays (outputs and inputs) one kernel of this kind may take on the backends in use,
   * so that fusion never builds a kernel some backend cannot run: a compiled C kernel takes
   * at most MAX_NATIVE_ARGS (koffi's parameter limit), a WebGPU kernel binds one storage
   * buffer per array plus its meta buffer (and a reduction's partials), up to the adapter's
   * maxStorageBuffersPerShaderStage. JS kernels have no limit.
   */
  private maxKernelArgs(kind: "map" | "reduce"): number {
    return Math.min(MAX_NATIVE_ARGS, this.gpu ? this.maxGpuBuffers - (kind === "map" ? 1 : 2) : Infinity);
  }

  /**
   * A launch's expressions in open form: inputs become `ref` leaves (a store and the version
   * of its contents) and scalars `value` leaves, and lazy inputs read whole are replaced by
   * their own open expression — the same node objects each time, so fused DAGs stay small.
   * A lazy input whose leaves this very launch overwrites is computed first instead. So is
   * one that would make the fused kernel too big (fusionLimit nodes) or give it more inputs
   * than a backend's kernels take (maxKernelArgs): the fused kernels stay bounded, and any
   * program runs however many arrays it combines.
   */
  private open(launch: MapLaunch | ReduceLaunch): Opened {
    const exprs = launch.kind === "map" ? launch.outputs.map((o) => o.expr) : [launch.value];
    const written = new Set(writtenStores(launch).map((s) => s.storage));
    const maxInputs = this.maxKernelArgs(launch.kind) - writtenStores(launch).length;
    // Leaves and bounds on the node and input counts are gathered on the way, so chains
    // cost O(1) per link; exact counts are taken only when a bound is exceeded.
    let memo = new Map<Expr, Expr>();
    const versions = new Set<LeafVersion>();
    let spliced = new Set<LazyValue>();
    let refs = 0;
    const leaf = (n: Expr): Expr => {
      if (n.k === "scalar") return { k: "value", value: launch.scalars[n.index], dtype: n.dtype };
      if (n.k !== "load") return n;
      const s = launch.inputs[n.arg];
      const lz = s.storage.lazy as LazyValue | null;
      let hazard = false;
      if (lz)
        for (const v of lz.versions)
          if (!v.snapshot && written.has(v.storage)) {
            hazard = true;
            break;
          }
      if (lz && !hazard && s.isWhole() && sameArray(s.shape, lz.out.shape)) {
        spliced.add(lz);
        return lz.expr;
      }
      this.materialize(s.storage);
      const v = this.versionOf(s.storage);
      versions.add(v);
      refs++;
      return { k: "ref", ref: { store: s, version: v } satisfies LeafRef, dtype: n.dtype };
    };
    const build = (): Expr[] => {
      memo = new Map();
      spliced = new Set();
      versions.clear();
      refs = 0;
      return exprs.map((e) => relocate(e, leaf, memo));
    };
    let out = build();
    let size = memo.size,
      inputs = refs;
    for (const lz of spliced) {
      size += lz.size;
      inputs += lz.inputs;
      for (const v of lz.versions) versions.add(v);
    }
    if (size > this.fusionLimit) size = nodeCount(...out); // the bound double-counts shared parts
    if (inputs > maxInputs) inputs = inputCount(out); // so does this one (an array read twice)
    if (size > this.fusionLimit) {
      // Too big to fuse: compute the lazy inputs instead and read them.
      for (const s of launch.inputs) this.materialize(s.storage);
      out = build();
      size = memo.size;
      inputs = refs;
    }
    while (inputs > maxInputs) {
      // Too many arrays for one kernel: compute the lazy input that reads most of them.
      let most: LazyValue | null = null;
      for (const s of launch.inputs) {
        const lz = s.storage.lazy as LazyValue | null;
        if (lz && spliced.has(lz) && (!most || lz.inputs > most.inputs)) most = lz;
      }
      if (!most) break; // the launch's own inputs: nothing left to split
      this.materialize(most.out.storage);
      out = build();
      size = memo.size;
      for (const lz of spliced) {
        size += lz.size;
        for (const v of lz.versions) versions.add(v);
      }
      inputs = inputCount(out);
    }
    // Lazy values spliced into another launch are no longer results of their own.
    for (const p of spliced) dropTerminal(p);
    return { exprs: out, versions: [...versions], size, inputs };
  }

  /** Back to a launchable form: distinct stores become inputs, values become scalars. */
  private close<L extends MapLaunch | ReduceLaunch>(launch: L, open: Expr[]): L {
    const inputs: Store[] = [];
    const scalars: unknown[] = [];
    const leaf = (n: Expr): Expr => {
      if (n.k === "value") {
        scalars.push(n.value);
        return { k: "scalar", index: scalars.length - 1, dtype: n.dtype };
      }
      if (n.k !== "ref") return n;
      const { store, version } = n.ref as LeafRef;
      // Contents that have since been overwritten are read from their snapshot.
      const s = version.snapshot ? new Store(version.snapshot, store.shape, store.strides, store.offset) : store;
      let i = inputs.findIndex((x) => x.sameView(s));
      if (i < 0) {
        inputs.push(s);
        i = inputs.length - 1;
      }
      return { k: "load", arg: i, dtype: n.dtype };
    };
    const memo = new Map<Expr, Expr>();
    const exprs = open.map((e) => relocate(e, leaf, memo));
    if (launch.kind === "map") return { ...launch, inputs, scalars, outputs: launch.outputs.map((o, i) => ({ store: o.store, expr: exprs[i] })) };
    return { ...launch, inputs, scalars, value: exprs[0], shape: launch.shape ?? launch.inputs[0].shape };
  }

  private makeLazy(out: Store, name: string, opened: Opened): void {
    out.storage.touched = true;
    const lz: LazyValue = {
      out,
      name,
      expr: opened.exprs[0],
      versions: new Set(opened.versions),
      size: opened.size,
      inputs: opened.inputs,
      epoch: this.epoch,
    };
    out.storage.lazy = lz;
    for (const v of opened.versions) {
      v.terminals.push(lz);
      if (v.terminals.length > MAX_TERMINALS) v.terminals.shift();
    }
    for (const v of opened.versions) {
      v.readers++;
      v.storage.touched = true;
    }
    // Watching for the death of a lazy value spares a snapshot copy when its inputs are
    // later overwritten; for small inputs the copy is cheaper than the watch (finalisation
    // entries slow every garbage collection). Across ranks, garbage collection must not
    // steer decisions (ranks collect at different times), so counts fall only when a lazy
    // value is computed or disposed.
    if (!this.dist && opened.versions.some((v) => v.storage.size >= WATCH_MIN_SIZE))
      this.lazyDeaths.register(out.storage, opened.versions, out.storage);
  }

  /** Forget a lazy value (computed now, or dropped): its versions lose a reader. */
  private unlazy(storage: Storage): LazyValue | undefined {
    const lz = storage.lazy as LazyValue | null;
    if (!lz) return undefined;
    storage.lazy = null;
    dropTerminal(lz);
    this.lazyDeaths.unregister(storage);
    for (const v of lz.versions) v.readers--;
    return lz;
  }

  /**
   * A write into a box of a large array whose old contents this launch or lazy values still
   * read: rename the storage (see renaming.ts) rather than snapshot and unalias. Returns the
   * launch reading the old instance, or the launch unchanged when renaming does not apply
   * (GPU instances, non-box views, small boxes).
   */
  private rename(launch: MapLaunch): MapLaunch {
    if (this.gpu || launch.outputs.length !== 1) return launch;
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
    this.materialize(S);
    if (this.scheduler.pending(S)) this.runWindow();
    this.coherence.host(S);
    const old = this.createStore([S.size], S.dtype).storage;
    if (this.poisoned.has(S)) this.poisoned.set(old, this.poisoned.get(S));
    this.coherence.rename(S, old);
    this.pool?.release(S.id); // workers must not keep the old instance under S's id
    // Everything outside the written box keeps its value: copied over now, by each rank for
    // the parts it holds (no messages). The box is valid nowhere until the launch writes it.
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
    let mine = keep;
    if (this.dist) {
      const shards = this.dist.shards;
      shards.inherit(old, S);
      mine = intersect(keep, shards.of(old)[this.dist.rank]);
      shards.restrict(S, keep);
    }
    const w = S.dtype.itemsize,
      from = new Uint8Array(old.buffer!),
      to = new Uint8Array(S.buffer!);
    for (let i = 0; i < mine.length; i += 2) to.set(from.subarray(mine[i] * w, mine[i + 1] * w), mine[i] * w);
    if (v) {
      v.snapshot = old;
      S.version = null;
    }
    log("tasks", () => `rename storage ${S.id}: old contents in ${old.id}, ${out.size} of ${S.size} elements rewritten`);
    return { ...launch, inputs: launch.inputs.map((s) => (s.storage === S ? new Store(old, s.shape, s.strides, s.offset) : s)) };
  }

  /**
   * Horizontal fusion. A reduction about to compute a lazy value L alone (e.g. `call.sum()`)
   * would leave L's siblings — other lazy results made since the last blocking read from
   * the same inputs, like `put` beside `call` — to recompute their shared work later. When
   * there are such siblings, L and they are computed together by one multi-output kernel
   * (shared parts once), and the reduction reads L.
   */
  private fuseSiblings(launch: ReduceLaunch): void {
    for (const s of launch.inputs) {
      const lz = s.storage.lazy as LazyValue | null;
      if (!lz || !s.isWhole() || lz.out.size < SIBLING_MIN_SIZE) continue;
      const group = new Set<LazyValue>([lz]);
      let size = lz.size,
        args = 1 + lz.inputs;
      const maxArgs = this.maxKernelArgs("map");
      for (const v of lz.versions)
        for (const t of v.terminals) {
          if (group.has(t) || t.epoch !== this.epoch || t.out.storage.lazy !== t || !sameArray(t.out.shape, lz.out.shape)) continue;
          if (size + t.size > this.fusionLimit || args + 1 + t.inputs > maxArgs) continue;
          group.add(t);
          size += t.size;
          args += 1 + t.inputs;
        }
      if (group.size < 2) continue;
      const members = [...group];
      for (const m of members) this.unlazy(m.out.storage);
      this.stats.materialized += members.length;
      log("tasks", () => `materialise ${members.map((m) => `${m.name} (storage ${m.out.storage.id})`).join(", ")} together`);
      const multi: MapLaunch = {
        kind: "map",
        name: members.map((m) => m.name).join("+"),
        inputs: [],
        outputs: members.map((m) => ({ store: m.out, expr: m.expr })),
        scalars: [],
      };
      this.record(
        this.close(
          multi,
          members.map((m) => m.expr),
        ),
      );
    }
  }

  /** Turn a lazy value into a real launch (it then runs at the next flush). */
  private materialize(storage: Storage): void {
    const lz = this.unlazy(storage);
    if (!lz) return;
    this.stats.materialized++;
    log("tasks", () => `materialise ${lz.name} into storage ${storage.id}`);
    const launch: MapLaunch = { kind: "map", name: lz.name, inputs: [], outputs: [{ store: lz.out, expr: lz.expr }], scalars: [] };
    this.record(this.close(launch, [lz.expr]));
  }

  /**
   * Before `s` is written. A lazy `s` is computed first. Lazy values that read `s`'s current
   * contents must still see them: when any are alive (found by collecting garbage if that can
   * spare a copy), the old contents are kept in a snapshot they read instead; dead ones
   * cost nothing.
   */
  private beforeWrite(s: Store): void {
    this.materialize(s.storage);
    const v = s.storage.version as LeafVersion | null;
    if (!v) return;
    s.storage.version = null;
    if (v.readers > 0 && !this.dist && s.storage.size >= this.reclaimMinSize && canReclaim())
      reclaim(`lazy values read storage ${s.storage.id}, about to change`);
    if (v.readers <= 0) return;
    const all = new Store(s.storage, [s.storage.size], [1], 0);
    const snap = this.createStore([s.storage.size], s.dtype);
    this.record({ kind: "map", name: "snapshot", inputs: [all], outputs: [{ store: snap, expr: load(0, s.dtype.name) }], scalars: [] });
    v.snapshot = snap.storage;
    log("tasks", () => `snapshot storage ${s.storage.id} for ${v.readers} lazy reader(s)`);
  }

  /**
   * Blocking point: run whatever `store` depends on and return its host instance as a lane
   * array over the whole storage (read it through `store.offset` / `store.strides`).
   */
  read(store: Store): TypedArray {
    this.epoch++;
    this.materialize(store.storage);
    if (this.scheduler.pendingWrite(store)) this.runWindow();
    // A launch that wrote this store failed (or read what one wrote): its error, never stale values.
    if (this.poisoned.has(store.storage)) throw this.poisoned.get(store.storage);
    if (!store.storage.hostValid) this.toHost([store.storage]);
    if (this.dist) this.gatherForRead(store);
    return laneView(store.dtype, this.coherence.host(store.storage), 0, store.storage.size);
  }

  /** Every rank gets the elements of `store` (a blocking read happens on all ranks alike). */
  private gatherForRead(store: Store): void {
    const dist = this.dist!;
    dist.note(`read(${store.shape.join("x")})`);
    if (store.size === 0) return;
    const { set } = footprint(
      store.offset,
      store.strides,
      store.shape.map(() => 0),
      store.shape,
    );
    const needs = new Map([[store.storage, Array.from({ length: dist.ranks }, () => set)]]);
    dist.gather(needs, (st) => this.coherence.host(st), `read of storage ${store.storage.id}`);
  }

  /**
   * A side effect outside the arrays (writing a file) done once per job: by rank 0, with
   * every rank waiting for it, so that all ranks may then read what it wrote. Its error is
   * raised on every rank. In a single-process run it simply calls `fn`.
   */
  once(fn: () => void): void {
    const dist = this.dist;
    if (!dist) {
      fn();
      return;
    }
    let failed: unknown = null;
    if (dist.rank === 0) {
      try {
        fn();
      } catch (e) {
        failed = e;
      }
    }
    dist.note("once");
    dist.agree(failed);
  }

  /** Release a store's memory now; later use of any view of it is an error. */
  dispose(store: Store): void {
    this.unlazy(store.storage); // an unread lazy value is dropped, not computed
    this.beforeWrite(store);
    if (this.scheduler.size) this.runWindow();
    this.coherence.release(store.storage);
  }

  get liveBytes(): number {
    return this.coherence.liveBytes;
  }

  /**
   * Run every recorded launch. A launch that fails does not stop the others (see runWindow);
   * the first failure among them is thrown once all have run.
   */
  flush(): void {
    const failure = this.runWindow();
    if (failure) throw failure.error;
  }

  /**
   * Storages written by a launch that failed, with its error: reading one raises that error
   * (its class and message), and a launch that reads one does not run, its own outputs
   * taking the same error. A launch that overwrites the whole storage without reading it
   * gives it valid values again. Rare, hence a WeakMap (see Storage.lazy).
   */
  private readonly poisoned = new WeakMap<Storage, unknown>();

  /**
   * Run every recorded launch, wave by wave. A launch that fails does not stop the others:
   * launches that do not depend on it run, and what it writes is poisoned (see `poisoned`),
   * so a later read raises its error instead of returning stale values. Blocking points call
   * this and raise an error only if what they read is poisoned. Returns the first failure.
   */
  private runWindow(): { error: unknown } | null {
    const waves = this.scheduler.drain();
    this.pendingAllocs.clear();
    this.pendingBytes = 0;
    let first: { error: unknown } | null = null;
    try {
      for (const wave of waves) {
        const failure = this.runWave(wave);
        first ??= failure;
      }
      const gpuFailure = this.drainGpu();
      first ??= gpuFailure;
    } finally {
      // Runtime-owned temporaries die with the window: their buffers go back to the pool.
      for (const s of this.transients.splice(0)) this.coherence.release(s.storage);
    }
    return first;
  }

  /** Poison what these launches write with `error` (see `poisoned`). */
  private poison(ops: readonly PlannedOp[], error: unknown): void {
    for (const op of ops) {
      for (const a of op.accesses) if (a.write) this.poisoned.set(a.store.storage, error);
      log("tasks", () => `${op.label} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  /** A storage this launch reads that a failed launch wrote, or null. */
  private poisonedInput(op: PlannedOp): Storage | null {
    const l = op.launch;
    const read = l.kind === "task" ? l.args.filter((a) => reads(a.privilege)).map((a) => a.store) : l.inputs;
    for (const s of read) if (this.poisoned.has(s.storage)) return s.storage;
    return null;
  }

  private readonly transients: Store[] = [];
  private transient(s: Store): Store {
    this.transients.push(s);
    return s;
  }

  /** Buffer pool counters (allocations vs reuses), for tuning. */
  get memoryStats(): { allocated: number; reused: number } {
    return this.coherence.stats;
  }

  /** Stop the CPU workers (the process can then exit at once); they restart on demand. */
  shutdown(): void {
    this.runWindow();
    this.pool?.shutdown();
    this.pool = null;
  }

  // ---- planning -------------------------------------------------------------------

  private plan(launch: Launch): PlannedOp | null {
    const id = this.nextOp++;
    switch (launch.kind) {
      case "map": {
        const domain = launch.outputs[0]?.store.shape;
        if (!domain) throw new Error("map launch needs an output");
        for (const s of [...launch.inputs, ...launch.outputs.map((o) => o.store)]) {
          if (!sameArray(s.shape, domain)) throw new RangeError(`map ${launch.name}: store shape (${s.shape}) is not aligned with (${domain})`);
        }
        for (const o of launch.outputs) {
          if (maxIndex(o.expr, "load") >= launch.inputs.length) throw new RangeError(`map ${launch.name}: expression reads a missing input`);
        }
        if (launch.outputs.some((o) => o.store.size === 0)) return null;
        const accesses = [
          ...launch.inputs.map((store) => ({ store, write: false })),
          ...launch.outputs.map((o) => ({ store: o.store, write: true })),
        ];
        return { id, label: `${launch.name}#${id}`, accesses, launch };
      }
      case "reduce": {
        const domain = launch.shape ?? launch.inputs[0]?.shape;
        if (!domain) throw new Error("reduce launch needs an input or a shape");
        for (const s of launch.inputs)
          if (!sameArray(s.shape, domain)) throw new RangeError(`reduce ${launch.name}: input shape (${s.shape}) is not (${domain})`);
        const axes = launch.axes;
        const kept = domain.filter((_, d) => !axes.includes(d));
        if (domain.includes(0)) throw new RangeError(`reduce ${launch.name}: empty domain (the library supplies the identity)`);
        if (!sameArray(kept, launch.output.shape))
          throw new RangeError(`reduce ${launch.name}: output shape (${launch.output.shape}) should be (${kept})`);
        const accesses = [...launch.inputs.map((store) => ({ store, write: false })), { store: launch.output, write: true }];
        if (launch.index) accesses.push({ store: launch.index, write: true });
        return { id, label: `${launch.name}#${id}`, accesses, launch };
      }
      case "task": {
        const accesses = launch.args.map((a) => ({ store: a.store, write: writes(a.privilege) }));
        return { id, label: `${launch.library}.${launch.task}#${id}`, accesses, launch };
      }
    }
  }

  /**
   * NumPy evaluates the right-hand side before assigning, so when an input overlaps an
   * output without being the same view (u[1:] = u[:-1] + …), the launch computes into a
   * temporary that is then copied over: two passes, whatever the number of such inputs.
   * Returns null when there is no hazard.
   */
  private unalias(launch: MapLaunch): MapLaunch[] | null {
    const hazard = launch.inputs.some((inp) => launch.outputs.some((o) => o.store.overlaps(inp) && !o.store.sameView(inp)));
    if (!hazard) return null;
    const temps = launch.outputs.map((o) => this.transient(this.createStore(o.store.shape, o.store.dtype)));
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

  // ---- execution ------------------------------------------------------------------

  /**
   * Run one wave (mutually independent launches). A launch that reads a poisoned storage,
   * cannot be expanded (its memory cannot be allocated), or has a point task that throws or
   * whose worker dies, fails alone: the others run to the end. What failed launches write
   * is poisoned. Returns the wave's first failure.
   */
  private runWave(wave: PlannedOp[]): { error: unknown } | null {
    const failed = new Map<PlannedOp, unknown>();
    const fail = (op: PlannedOp, e: unknown) => {
      if (!failed.has(op)) failed.set(op, e);
    };
    const inline: { op: PlannedOp; tasks: PointTask[] }[] = [];
    const batches: PointTask[][] = Array.from({ length: this.machine.cpus }, () => []);
    /** The launch of each task in `batches`. */
    const owners: PlannedOp[][] = batches.map(() => []);
    let folds: PointTask[] = [];
    const foldOwner = new Map<PointTask, PlannedOp>();
    const gpuOps: { op: PlannedOp; task: PointTask }[] = [];
    const cpuOps: PlannedOp[] = [];
    let next = 0;
    const storageOf = this.dist ? this.waveStorages(wave) : null;
    const collectiveViews = new Map<string, View[]>();
    const ranks = storageOf ? new RankPlan(this.dist!.rank, this.dist!.ranks, storageOf) : null;
    for (const op of wave) {
      const bad = this.poisonedInput(op);
      if (bad) {
        fail(op, this.poisoned.get(bad));
        continue;
      }
      let expanded: ReturnType<Runtime["expand"]>;
      try {
        expanded = this.expand(op);
      } catch (e) {
        fail(op, e);
        continue;
      }
      const { mapping, fold } = expanded;
      if (mapping.target === "webgpu") {
        gpuOps.push({ op, task: expanded.tasks[0] });
        continue;
      }
      // Across ranks each rank runs its share of the points (all of an inline launch; its
      // own point of a collective one).
      const collective = op.launch.kind === "task" && !!op.launch.collective;
      if (collective) collectiveViews.set(op.label, (expanded.tasks[0] as { views: View[] }).views);
      const tasks = ranks ? ranks.add(expanded.tasks, mapping.target === "inline" && !collective) : expanded.tasks;
      cpuOps.push(op);
      folds.push(...fold);
      for (const f of fold) foldOwner.set(f, op);
      // Compiled kernels pay off for work big enough to go to the workers (or when forced).
      const native = nativeMode() === "c" || (nativeMode() === "auto" && mapping.target !== "inline");
      if (native && tasks.length && attachNative(tasks[0]))
        for (const t of tasks.slice(1)) (t as { native?: string }).native = (tasks[0] as { native?: string }).native;
      if (mapping.target === "inline") inline.push({ op, tasks });
      else
        for (const t of tasks) {
          const w = next++ % batches.length;
          batches[w].push(t);
          owners[w].push(op);
        }
    }
    const reports: CollectiveWrite[] = [];
    const resolver: Resolver = {
      buffer: (id: number) => this.coherence.byId(id),
      variants: (libName: string, task: string) => {
        const v = this.libraries.get(libName)?.tasks.get(task);
        if (!v) throw new Error(`task ${libName}.${task} is not registered`);
        return v;
      },
      collective: {
        comm: this.dist ? this.dist.comm : SINGLE_PROCESS,
        wrote: (t, arg, lo, hi) => {
          reports.push({ label: t.label, arg, lo, hi });
        },
      },
    };
    const runTask = (op: PlannedOp, t: PointTask) => {
      if (failed.has(op)) return;
      const start = profiling() ? now() : 0;
      try {
        runPointTask(t, resolver);
      } catch (e) {
        fail(op, e);
      }
      if (start) traceSpan(t.label, 0, start, now());
    };
    const runInline = () => {
      for (const { op, tasks } of inline) for (const t of tasks) runTask(op, t);
    };
    // Coherence: CPU work needs valid host instances, GPU work valid GPU instances.
    const gpu = this.liveGpu;
    const cpuWork = cpuOps.length > 0;
    // GPU-only waves are posted without waiting: the device runs batches in order, so the
    // next wave may queue behind this one. CPU work waits for the GPU queue first (below),
    // as does the end of the flush.
    let skipCpu = false;
    if (gpu) {
      if (cpuWork) this.drainGpu();
      try {
        this.gpuInFlight = this.gpuCall(() => this.prepareGpu(cpuOps, gpuOps));
        this.gpuUnconfirmed.push(...gpuOps.map((g) => g.op));
      } catch (e) {
        // Instances could not be brought where this wave needs them: none of it runs.
        for (const op of [...cpuOps, ...gpuOps.map((g) => g.op)]) fail(op, e);
        skipCpu = true;
      }
    }
    const bufferOf = (st: Storage) => this.coherence.host(st);
    if (ranks) this.dist!.gather(ranks.needs, bufferOf, wave[0].label);
    try {
      if (!skipCpu) this.runCpu(batches, owners, runInline, runTask, fail, resolver);
    } catch (e) {
      // Not a task's failure (the pool could not start…): none of this CPU work is known to have run.
      for (const op of cpuOps) fail(op, e);
    } finally {
      // GPU launches of this wave that fail at the wait fail here; earlier waves' are poisoned by drainGpu.
      if (cpuWork) this.drainGpu(fail);
    }
    let agreed = false;
    if (ranks) {
      // A failure in one rank's points reaches every rank (the others ran fine), and every
      // rank then counts every launch of the wave as failed, so all make the same decisions.
      if (ranks.split) {
        const mine = cpuOps.find((op) => failed.has(op));
        try {
          this.dist!.agree(mine ? failed.get(mine) : null);
        } catch (e) {
          for (const op of cpuOps) fail(op, e);
          agreed = true;
        }
      }
      if (!agreed) {
        if (collectiveViews.size) this.dist!.collectiveWrites(reports, storageOf!, (label, arg) => collectiveViews.get(label)![arg]);
        // Partial results of every rank are brought to all, and every rank folds them alike.
        ranks.commit(this.dist!.shards);
        folds = this.dist!.foldByAllreduce(
          folds.filter((f) => !failed.has(foldOwner.get(f)!)) as FoldTask[],
          (t) => runPointTask(t, resolver),
          resolver.buffer,
          storageOf!,
        );
        ranks.add(folds, true);
        this.dist!.gather(ranks.needs, bufferOf, `${wave[0].label}:fold`);
        ranks.commit(this.dist!.shards);
      }
    }
    if (!agreed)
      for (const f of folds) {
        const op = foldOwner.get(f);
        if (op) runTask(op, f);
        else runPointTask(f, resolver);
      }
    for (const op of cpuOps)
      for (const a of op.accesses)
        if (a.write) {
          a.store.storage.hostValid = true;
          a.store.storage.gpuValid = false;
        }
    for (const { op } of gpuOps)
      for (const a of op.accesses)
        if (a.write) {
          a.store.storage.gpuValid = true;
          a.store.storage.hostValid = false;
        }
    let first: { error: unknown } | null = null;
    for (const op of wave) {
      if (failed.has(op)) {
        const error = failed.get(op);
        this.poison([op], error);
        first ??= { error };
      } else {
        // Every element written anew, none read from a poisoned storage: valid again.
        for (const a of op.accesses) if (a.write && a.store.isWhole()) this.poisoned.delete(a.store.storage);
      }
    }
    return first;
  }

  /** Storages by id for one wave: its launches' stores and the runtime's temporaries. */
  private waveStorages(wave: PlannedOp[]): (id: number) => Storage {
    const byId = new Map<number, Storage>();
    for (const op of wave) for (const a of op.accesses) byId.set(a.store.storage.id, a.store.storage);
    return (id) => {
      // Temporaries (reduction partials) appear as the wave's launches are expanded.
      if (!byId.has(id)) for (const s of this.transients) byId.set(s.storage.id, s.storage);
      const st = byId.get(id);
      if (!st) throw new Error(`internal: storage ${id} is not part of this wave`);
      return st;
    };
  }

  /**
   * Run the wave's point tasks: `batches` on the workers while `runInline` runs here. Failed
   * tasks fail their launch (`owners`); tasks a dead worker never reached run here instead
   * (the pool restarts at its next use).
   */
  private runCpu(
    batches: PointTask[][],
    owners: PlannedOp[][],
    runInline: () => void,
    runTask: (op: PlannedOp, t: PointTask) => void,
    fail: (op: PlannedOp, e: unknown) => void,
    resolver: Resolver,
  ): void {
    if (!batches.some((b) => b.length)) {
      runInline();
      return;
    }
    this.pool ??= new WorkerPool(this.machine.cpus, { resourceLimits: workerLimits() });
    const { timings, outcomes } = this.pool.run(
      batches,
      resolver.buffer,
      (name) => {
        const m = this.libraries.get(name)?.module;
        if (!m) throw new Error(`library ${name} has no module for worker threads`);
        return m;
      },
      runInline,
    );
    if (profiling()) for (const t of timings) traceSpan(t.label, t.worker + 1, t.start, t.end);
    outcomes.forEach((o, w) => {
      for (const [i, e] of o.failed) {
        if (i >= 0) fail(owners[w][i], e);
        else for (const op of owners[w]) fail(op, e);
      }
    });
    outcomes.forEach((o, w) => {
      for (let i = o.unrunFrom; i < batches[w].length; i++) runTask(owners[w][i], batches[w][i]);
    });
  }

  // ---- GPU coherence ---------------------------------------------------------------

  /**
   * Bring instances where this wave needs them: download what CPU launches read or write
   * from GPU-only storages (blocking), upload what GPU launches read from host-only ones, and
   * post the GPU launches. Returns the GPU batch to wait for.
   */
  private prepareGpu(cpuOps: PlannedOp[], gpuOps: { op: PlannedOp; task: PointTask }[]): number {
    const gpu = this.gpu!;
    const hostNeeded = new Set<Storage>();
    for (const op of cpuOps) for (const a of op.accesses) if (!a.store.storage.hostValid) hostNeeded.add(a.store.storage);
    if (hostNeeded.size) this.toHost([...hostNeeded]);
    if (gpuOps.length === 0) return gpu.post(this.takeGpuPending());
    const inUse = new Set<number>();
    for (const { op } of gpuOps) for (const a of op.accesses) inUse.add(a.store.storage.id);
    const cmds: GpuCommand[] = [];
    for (const { op, task } of gpuOps) {
      // A whole store that is only written needs no upload; one a task also reads (readwrite) does.
      const l = op.launch;
      const readsToo = (st: Storage) => l.kind === "task" && l.args.some((x) => x.store.storage === st && reads(x.privilege));
      for (const a of op.accesses) this.toGpu(a.store, a.write && a.store.isWhole() && !readsToo(a.store.storage), cmds, inUse);
      cmds.push(gpuDispatch(task));
    }
    return gpu.post([...this.takeGpuPending(), ...cmds]);
  }

  private takeGpuPending(): GpuCommand[] {
    return this.gpuPending.splice(0);
  }

  /** Last GPU batch posted without waiting for it. */
  private gpuInFlight = 0;
  /** GPU launches posted since the last wait: a failure at the next wait is theirs. */
  private gpuUnconfirmed: PlannedOp[] = [];
  /**
   * Wait for every posted GPU batch. Errors surface here: the launches not yet confirmed
   * fail, through `fail` for those of the wave being run, poisoned at once for earlier ones.
   */
  private drainGpu(fail?: (op: PlannedOp, e: unknown) => void): { error: unknown } | null {
    const gpu = this.liveGpu;
    const ops = this.gpuUnconfirmed.splice(0);
    if (!gpu || !this.gpuInFlight) return null;
    const seq = this.gpuInFlight;
    this.gpuInFlight = 0;
    try {
      this.gpuCall(() => gpu.wait(seq));
      return null;
    } catch (error) {
      for (const op of ops) {
        if (fail) fail(op, error);
        else this.poison([op], error);
      }
      return { error };
    }
  }

  /** The GPU, unless there is none or it was lost (then everything runs on the CPU). */
  private get liveGpu(): GpuDevice | null {
    if (!this.gpu) return null;
    if (this.gpu.lost) {
      this.forgetLostGpu();
      return null;
    }
    return this.gpu;
  }

  private lossHandled = false;
  /** After device loss, GPU instances are gone: host copies stay valid, GPU-only ones are lost. */
  private forgetLostGpu(): void {
    if (this.lossHandled) return;
    this.lossHandled = true;
    for (const { residency: r } of this.gpuLru.values()) {
      r.gpuAllocated = false;
      r.gpuValid = false;
      if (!r.hostValid) r.lostOnGpu = true;
    }
    this.gpuLru.clear();
    this.gpuUsed = 0;
    this.gpuPending = [];
    log("mapping", "GPU lost: later launches run on the CPU");
  }

  /**
   * Run a GPU step. If the device is lost, forget its instances: values that also live on the
   * host stay readable; values only the GPU held are reported when read.
   */
  private gpuCall<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (this.gpu?.lost) this.forgetLostGpu();
      throw e;
    }
  }

  /** Make the GPU instance valid (allocate; upload unless every element will be overwritten). */
  private toGpu(store: Store, overwrite: boolean, cmds: GpuCommand[], inUse: Set<number>): void {
    const st = store.storage;
    if (!st.gpuAllocated) {
      const bytes = gpuBytes(st);
      this.evictGpu(bytes, inUse, cmds);
      // The host instance exists from now on, so an eviction can always copy values back.
      this.coherence.host(st, overwrite && store.isWhole());
      cmds.push({ op: "alloc", id: st.id, bytes });
      st.gpuAllocated = true;
      this.gpuUsed += bytes;
      this.gpuLru.set(st.id, { tick: 0, bytes, residency: st.residency, size: st.size, itemsize: st.dtype.itemsize, bool: st.dtype.name === "bool" });
    }
    this.gpuLru.get(st.id)!.tick = ++this.gpuClock;
    if (!st.gpuValid && !overwrite) {
      const sab = this.coherence.host(st);
      cmds.push({ op: "upload", id: st.id, sab, start: 0, count: st.size, itemsize: st.dtype.itemsize, bool: st.dtype.name === "bool" });
      st.gpuValid = true;
    }
  }

  /** Copy GPU-only values back to the host (a blocking point for the GPU). */
  private toHost(storages: Storage[]): void {
    void this.liveGpu; // a lost device marks what only it held, before the check below
    for (const st of storages) {
      if (st.lostOnGpu) throw new GpuError(`the values of storage ${st.id} were only on the GPU, which was lost`);
    }
    this.download(storages.filter((st) => !st.hostValid && st.gpuAllocated).map((st) => ({ id: st.id, ...this.gpuLru.get(st.id)! })));
    for (const st of storages) st.hostValid = true;
  }

  /** Download GPU instances into their host instances (which exist: see toGpu). */
  private download(entries: readonly (GpuEntry & { id: number })[]): void {
    const gpu = this.liveGpu;
    if (!gpu) throw new GpuError("values are on a GPU that is no longer available");
    const cmds: GpuCommand[] = this.takeGpuPending();
    for (const g of entries)
      cmds.push({ op: "download", id: g.id, sab: this.coherence.byId(g.id), start: 0, count: g.size, itemsize: g.itemsize, bool: g.bool });
    this.gpuCall(() => gpu.run(cmds));
    for (const g of entries) g.residency.hostValid = true;
  }

  /** Over budget: evict least recently used instances not needed now, saving their values. */
  private evictGpu(bytes: number, inUse: Set<number>, cmds: GpuCommand[]): void {
    if (this.gpuUsed + bytes <= this.gpuBudget) return;
    const victims = [...this.gpuLru.entries()].sort((a, b) => a[1].tick - b[1].tick);
    for (const [id, g] of victims) {
      if (this.gpuUsed + bytes <= this.gpuBudget) break;
      if (inUse.has(id)) continue;
      if (!g.residency.hostValid) this.download([{ id, ...g }]);
      g.residency.gpuAllocated = false;
      g.residency.gpuValid = false;
      cmds.push({ op: "free", id });
      this.gpuUsed -= g.bytes;
      this.gpuLru.delete(id);
      log("mapping", () => `evict storage ${id} from the GPU (${g.bytes} bytes)`);
    }
  }

  /** A point-task view of `store`; `overwrite`: the launch writes all of it (no zeroing needed). */
  private view(store: Store, strides: readonly number[] = store.strides, shape: readonly number[] = store.shape, overwrite = false): View {
    this.coherence.host(store.storage, overwrite && store.isWhole());
    return { storage: store.storage.id, dtype: store.dtype.name, offset: store.offset, strides: [...strides], shape: [...shape] };
  }

  private map(
    op: PlannedOp,
    domain: readonly number[],
    weight: number,
    serial = false,
    blocker: string | null = "opaque task without a webgpu variant",
  ): Mapping {
    const volume = domain.reduce((a, b) => a * b, 1);
    // Across ranks the mapper sees every rank's CPUs: points are then dealt out to ranks.
    const machine = this.dist ? { ...this.machine, cpus: this.machine.cpus * this.machine.ranks } : this.machine;
    const m = this.mapper.mapLaunch(
      { name: op.label, domain, volume, weight, serial, gpuBlocker: this.liveGpu ? blocker : this.gpu ? "the GPU was lost" : "no GPU" },
      machine,
    );
    log(
      "mapping",
      () => `${op.label} domain=(${domain.join(",")}) -> ${m.target}${m.target === "inline" ? "" : ` x${m.pieces}`}${m.note ? ` (${m.note})` : ""}`,
    );
    return m;
  }

  private get maxGpuBuffers(): number {
    return this.gpu?.info.maxStorageBuffersPerShaderStage ?? 0;
  }

  /** Why stores this large cannot be bound on the GPU, or null. */
  private gpuSizeBlocker(stores: readonly Store[]): string | null {
    const max = this.gpu?.info.maxStorageBufferBindingSize ?? Infinity;
    const big = stores.find((s) => gpuBytes(s.storage) > max);
    return big ? `a ${gpuBytes(big.storage)}-byte store exceeds the adapter's ${max}-byte binding limit` : null;
  }

  /** Cut one operation into point tasks (plus reduction folds run after the wave). */
  private expand(op: PlannedOp): { mapping: Mapping; tasks: PointTask[]; fold: PointTask[] } {
    const launch = op.launch;
    if (launch.kind === "map") {
      const stores = [...launch.outputs.map((o) => o.store), ...launch.inputs];
      // Index nodes name original dims, so such kernels keep the domain as it is.
      const indexed = launch.outputs.some((o) => usesIndex(o.expr));
      const domain = launch.outputs[0].store.shape;
      const { shape, strides } = indexed
        ? { shape: [...domain], strides: stores.map((s) => [...s.strides]) }
        : coalesce(
            domain,
            stores.map((s) => s.strides),
          );
      const weight = launch.outputs.reduce((w, o) => w + exprWeight(o.expr), 0);
      const blocker = this.gpu
        ? (gpuBlocker(
            launch.outputs.map((o) => o.expr),
            stores.map((s) => s.dtype.name),
            1,
            this.maxGpuBuffers,
          ) ?? this.gpuSizeBlocker(stores))
        : null;
      const mapping = this.map(op, shape, weight, false, blocker);
      const tiling = solveTiling(shape, mapping.pieces);
      const nOut = launch.outputs.length;
      const views = stores.map((s, i) => this.view(s, strides[i], shape, i < nOut));
      const exprs = launch.outputs.map((o) => o.expr);
      const tasks = tilingBlocks(tiling).map(({ lo, hi }) => ({
        kind: "map" as const,
        label: op.label,
        ndim: shape.length,
        views,
        nOut: launch.outputs.length,
        exprs,
        scalars: [...launch.scalars],
        lo,
        hi,
      }));
      return { mapping, tasks, fold: [] };
    }
    if (launch.kind === "reduce") return this.expandReduce(op, launch);
    return this.expandTask(op, launch);
  }

  private expandReduce(op: PlannedOp, launch: ReduceLaunch): { mapping: Mapping; tasks: PointTask[]; fold: PointTask[] } {
    const domain = launch.shape ?? launch.inputs[0].shape;
    const reduced = domain.map((_, d) => launch.axes.includes(d));
    const isArg = launch.op === "argmin" || launch.op === "argmax";
    // Outputs seen in domain coordinates: stride 0 along reduced dims.
    const outStrides = (s: Store) => {
      let k = 0;
      return domain.map((_, d) => (reduced[d] ? 0 : s.strides[k++]));
    };
    const redExtents = domain.filter((_, d) => reduced[d]);
    const redRowMajor = rowMajorStrides(redExtents);
    let r = 0;
    const idxStrides = domain.map((_, d) => (reduced[d] ? redRowMajor[r++] : 0));
    const outs = isArg ? [launch.output, launch.index!] : [launch.output];
    // Two pseudo-arguments ride along through coalescing: the arg-index strides, and a
    // marker that is 0 on reduced dims and row-major over the kept ones (so only like dims merge).
    const keptRowMajor = rowMajorStrides(domain.filter((_, d) => !reduced[d]));
    let q = 0;
    const marker = domain.map((_, d) => (reduced[d] ? 0 : keptRowMajor[q++]));
    const all = [...outs.map(outStrides), ...launch.inputs.map((s) => s.strides), idxStrides, marker];
    const { shape, strides } = usesIndex(launch.value) ? { shape: [...domain], strides: all.map((x) => [...x]) } : coalesce(domain, all);
    const cReduced = strides[strides.length - 1].map((s) => s === 0);
    const cIdx = strides[strides.length - 2];
    const acc = launch.output.dtype.name;
    const readsOwn = launch.inputs.some((s) => s.storage === launch.output.storage);
    const blocker = this.gpu
      ? (gpuBlocker(
          [launch.value],
          [launch.output.dtype.name, ...launch.inputs.map((s) => s.dtype.name)],
          2,
          this.maxGpuBuffers,
          launch.op,
          readsOwn,
        ) ?? this.gpuSizeBlocker([launch.output, ...launch.inputs]))
      : null;
    const mapping = this.map(op, shape, exprWeight(launch.value), false, blocker);
    const kept = shape.map((_, d) => d).filter((d) => !cReduced[d]);
    const tiling = solveTiling(shape, mapping.pieces, kept);
    const blocks = tilingBlocks(tiling);
    const cutReduced = tiling.dim >= 0 && cReduced[tiling.dim];
    const inViews = launch.inputs.map((s, i) => this.view(s, strides[outs.length + i], shape));
    const realOut = outs.map((s, i) => this.view(s, strides[i], shape, true));
    const tasks: PointTask[] = [];
    const fold: PointTask[] = [];
    const base = {
      label: op.label,
      ndim: shape.length,
      op: launch.op,
      acc,
      value: launch.value,
      reduced: cReduced,
      nOut: outs.length,
      scalars: [...launch.scalars, cIdx],
    };
    blocks.forEach(({ lo, hi }, p) => {
      let outViews = realOut;
      if (cutReduced && p > 0) {
        // This point folds into a private buffer of the output's shape (reduce privilege).
        const partials = outs.map((s) => this.transient(this.createStore(s.shape, s.dtype)));
        const keptStrides = rowMajorStrides(kept.map((d) => shape[d]));
        let k = 0;
        const pStrides = shape.map((_, d) => (cReduced[d] ? 0 : keptStrides[k++]));
        outViews = partials.map((s) => this.view(s, pStrides, shape, true));
        fold.push({
          kind: "fold",
          label: `${op.label}:fold`,
          op: launch.op,
          acc,
          shape: [...launch.output.shape],
          point: p,
          points: blocks.length,
          views: [...outs.map((s) => this.view(s)), ...partials.map((s) => this.view(s, rowMajorStrides(s.shape)))],
        });
      }
      tasks.push({ kind: "reduce", ...base, views: [...outViews, ...inViews], lo, hi });
    });
    return { mapping, tasks, fold };
  }

  /** A collective launch: one point per rank on its main thread; the first argument cut evenly. */
  private expandCollective(op: PlannedOp, launch: TaskLaunch): { mapping: Mapping; tasks: PointTask[]; fold: PointTask[] } {
    const ranks = this.dist?.ranks ?? 1;
    const stores = launch.args.map((a) => a.store);
    if (stores[0].ndim !== 1) throw new RangeError(`${op.label}: a collective task cuts a 1-D first argument, got (${stores[0].shape})`);
    const n = stores[0].shape[0];
    const views = stores.map((s) => this.view(s));
    const modes = modesOf(launch);
    const tasks: PointTask[] = Array.from({ length: ranks }, (_, r) => ({
      kind: "task",
      label: op.label,
      library: launch.library,
      task: launch.task,
      views,
      modes,
      scalars: [...launch.scalars],
      lo: stores.map((s, i) => (i === 0 ? [Math.round((r * n) / ranks)] : s.shape.map(() => 0))),
      hi: stores.map((s, i) => (i === 0 ? [Math.round(((r + 1) * n) / ranks)] : [...s.shape])),
      point: r,
      points: ranks,
      collective: true,
    }));
    log("mapping", () => `${op.label} -> collective, one point per rank (${ranks})`);
    return { mapping: { target: "inline", pieces: ranks }, tasks, fold: [] };
  }

  private expandTask(op: PlannedOp, launch: TaskLaunch): { mapping: Mapping; tasks: PointTask[]; fold: PointTask[] } {
    if (launch.collective) return this.expandCollective(op, launch);
    const stores = launch.args.map((a) => a.store);
    // Stores aligned with the first written store are cut with it; all others are broadcast.
    const written = launch.args.filter((a) => writes(a.privilege)).map((a) => a.store);
    const anchor = (written.length ? written : stores).reduce((big, s) => (s.size > big.size ? s : big));
    const aligned = new Set<Store>([anchor]);
    const forbidden = new Set<number>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of launch.constraints) {
        if (c.kind !== "align") continue;
        if (aligned.has(c.a) !== aligned.has(c.b)) {
          aligned.add(c.a);
          aligned.add(c.b);
          grew = true;
        }
      }
    }
    for (const c of launch.constraints) {
      if (c.kind === "align" && !sameArray(c.a.shape, c.b.shape))
        throw new RangeError(`${op.label}: align() needs equal shapes, got (${c.a.shape}) and (${c.b.shape})`);
      if (c.kind === "broadcast" && aligned.has(c.store)) {
        if (c.store === anchor || c.dims === undefined) for (let d = 0; d < anchor.ndim; d++) forbidden.add(d);
        else c.dims.forEach((d) => forbidden.add(d));
      }
    }
    for (const a of launch.args)
      if (typeof a.privilege === "object") throw new Error(`${op.label}: reduce privileges on opaque tasks are not supported yet`);
    const domain = anchor.shape;
    const size = domain.reduce((a, b) => a * b, 1);
    const gpuVariant = this.libraries.get(launch.library)?.tasks.get(launch.task)?.webgpu;
    const gpuArgs = () => stores.map((s) => ({ storage: s.storage.id, dtype: s.dtype.name, shape: s.shape, strides: s.strides, offset: s.offset }));
    const blocker = !this.gpu
      ? null
      : !gpuVariant
        ? "opaque task without a webgpu variant"
        : (gpuVariant.blocker(gpuArgs(), launch.scalars) ?? this.gpuSizeBlocker(stores));
    const mapping = this.map(op, domain, launch.cost !== undefined ? Math.max(1, launch.cost / Math.max(1, size)) : 4, !!launch.serial, blocker);
    if (mapping.target === "webgpu" && gpuVariant) {
      const spec = gpuVariant.dispatch(gpuArgs(), launch.scalars);
      const views = stores.map((s) => this.view(s));
      const task: PointTask = { kind: "gpu", label: op.label, views, spec };
      return { mapping, tasks: [task], fold: [] };
    }
    const pieces = launch.serial ? 1 : mapping.pieces;
    const blocks =
      launch.grid && pieces > 1 && !launch.grid.some((d) => forbidden.has(d))
        ? gridBlocks(domain, pieces, launch.grid)
        : tilingBlocks(solveTiling(domain, pieces, [], [...forbidden]));
    // "write" (not readwrite) on a whole store promises every element is written.
    const views = stores.map((s, i) => this.view(s, s.strides, s.shape, launch.args[i].privilege === "write"));
    const modes = modesOf(launch);
    // Stores cut along some dims of an aligned store (alignDims) see those dims of the block.
    const follows = new Map<Store, readonly (readonly [number, number])[]>();
    for (const c of launch.constraints) if (c.kind === "alignDims" && aligned.has(c.b) && !aligned.has(c.a)) follows.set(c.a, c.pairs);
    const blockOf = (s: Store, lo: number[], hi: number[], which: 0 | 1): number[] => {
      if (aligned.has(s)) return which ? hi : lo;
      const r = which ? [...s.shape] : s.shape.map(() => 0);
      for (const [d, e] of follows.get(s) ?? []) r[d] = which ? hi[e] : lo[e];
      return r;
    };
    const tasks: PointTask[] = blocks.map(({ lo, hi }, point) => ({
      kind: "task",
      label: op.label,
      library: launch.library,
      task: launch.task,
      views,
      modes,
      scalars: [...launch.scalars],
      lo: stores.map((s) => blockOf(s, lo, hi, 0)),
      hi: stores.map((s) => blockOf(s, lo, hi, 1)),
      point,
      points: blocks.length,
    }));
    return { mapping, tasks, fold: [] };
  }
}

/** A GPU instance as the GPU memory manager tracks it (no reference to the storage). */
interface GpuEntry {
  tick: number;
  bytes: number;
  residency: Residency;
  size: number;
  itemsize: number;
  bool: boolean;
}

/** One version of a storage's contents, read by `readers` lazy values; `snapshot` holds it once overwritten. */
interface LeafVersion {
  storage: Storage;
  readers: number;
  snapshot: Storage | null;
  /** Lazy values reading this version that no other lazy value has spliced (newest last, a few). */
  terminals: LazyValue[];
}
/** What a `ref` leaf points at: a view, and the version of the contents it must read. */
interface LeafRef {
  store: Store;
  version: LeafVersion;
}
/** An elementwise value not computed yet: its open expression and the contents it reads. */
interface LazyValue {
  out: Store;
  name: string;
  expr: Expr;
  versions: Set<LeafVersion>;
  size: number;
  inputs: number;
  epoch: number;
}
/** Open-form expressions of one launch, with the versions they read and bounds on their node and input counts. */
interface Opened {
  exprs: Expr[];
  versions: LeafVersion[];
  size: number;
  inputs: number;
}

/** The number of inputs `close` will give these open expressions: distinct views read. */
function inputCount(open: Expr[]): number {
  const views: Store[] = [];
  const seen = new Set<Expr>();
  for (const e of open)
    visit(
      e,
      (n) => {
        if (n.k !== "ref") return;
        const { store, version } = n.ref as LeafRef;
        const s = version.snapshot ? new Store(version.snapshot, store.shape, store.strides, store.offset) : store;
        if (!views.some((x) => x.sameView(s))) views.push(s);
      },
      seen,
    );
  return views.length;
}

/** How each argument of a task launch is used, as point tasks carry it (reductions count as readwrite). */
function modesOf(l: TaskLaunch): ("read" | "write" | "readwrite")[] {
  return l.args.map((a) => (a.privilege === "read" || a.privilege === "write" ? a.privilege : "readwrite"));
}

function writtenStores(l: Launch): Store[] {
  if (l.kind === "map") return l.outputs.map((o) => o.store);
  if (l.kind === "reduce") return l.index ? [l.output, l.index] : [l.output];
  return l.args.filter((a) => writes(a.privilege)).map((a) => a.store);
}

function accessedStores(l: Launch): Store[] {
  if (l.kind === "task") return l.args.map((a) => a.store);
  return [...l.inputs, ...writtenStores(l)];
}

/** V8 heap limits of CPU workers: TESSERA_WORKER_HEAP_MB caps each worker's old generation (MiB). */
function workerLimits(): { maxOldGenerationSizeMb: number } | undefined {
  const mb = Number(process.env.TESSERA_WORKER_HEAP_MB ?? 0);
  return Number.isFinite(mb) && mb > 0 ? { maxOldGenerationSizeMb: mb } : undefined;
}

/** Relative per-element cost of an expression, for the mapper. */
function exprWeight(e: Expr): number {
  let w = 0;
  visit(e, (n) => {
    w += n.k === "unary" || n.k === "binary" ? (TRANSCENDENTAL.test(n.fn) ? 8 : 0.5) : 0.1;
  });
  return Math.max(1, w);
}

/**
 * Merge adjacent dims that every argument walks contiguously and drop extent-1 dims, so
 * that a contiguous 2-D add becomes one long 1-D loop. Returns the shared shape and each
 * argument's strides.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const dims = shape.map((_, d) => d).filter((d) => shape[d] !== 1);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of dims) {
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (shape.some((n) => n === 0)) return { shape: [0], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

let instance: Runtime | null = null;

/** The process-wide runtime (machine from TESSERA_CPUS / TESSERA_GPUS). */
export function runtime(): Runtime {
  return (instance ??= new Runtime());
}
