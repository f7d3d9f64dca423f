import { type DType, type DTypeName, DTYPES, type TypedArray, laneView } from "./dtype.js";
import { Eager } from "./eager.js";
import { Executor } from "./executor.js";
import { type ExpandContext, expand } from "./expand.js";
import { Fusion } from "./fusion.js";
import { HostMemory } from "./host_memory.js";
import { signature } from "./kernel_ir.js";
import { Library } from "./library.js";
import { DefaultMapper, type Mapper, mapLaunch } from "./mapper.js";
import { type Machine, detectMachine } from "./machine.js";
import { type PlannedOp, accessedStores, planOp, writtenStores } from "./operation.js";
import { type CpuProcessor, type DeviceProcessor, type ProcessorContext, makeCpu, makeDevice } from "./processor.js";
import { noteDropped } from "./reclaim.js";
import { type RenameHost, rename, unalias } from "./renaming.js";
import { type Replication, makeReplication } from "./replication.js";
import { Scheduler } from "./scheduler.js";
import { Storage, Store, lanesOf, rowMajorStrides } from "./store.js";
import type { Intervals } from "./regions.js";
import type { Launch, TaskVariants } from "./task.js";
import { viewOf } from "./point_task.js";

/**
 * The runtime: the one entry point of tessera/core. It records launches (deferred; fusion.ts
 * keeps elementwise ones lazy), orders them by dependences (scheduler.ts), and at blocking
 * points runs them wave by wave (executor.ts): the mapper says where each runs, expand.ts
 * cuts it into point tasks over a tiling, and the registered processors run them. Values
 * leave only at blocking points (`read`).
 */
export class Runtime {
  readonly machine: Machine;
  mapper: Mapper = new DefaultMapper();
  private readonly libraries = new Map<string, Library>();
  private readonly scheduler = new Scheduler<PlannedOp>();
  private readonly host = new HostMemory();
  private cpuProcessor: CpuProcessor | null = null;
  /** The device (a GPU), when the machine has one (TESSERA_GPUS=1). */
  readonly device: DeviceProcessor | null = null;
  /** Control replication over MPI ranks (null in a single-process run). */
  readonly dist: Replication | null = null;
  private readonly fuser: Fusion;
  private readonly executor: Executor;
  /** Small launches with computed inputs run when submitted (eager.ts). */
  readonly eager: Eager;
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
  /** Counters for tests and tuning: launches recorded (after fusion) and values materialised. */
  readonly stats = { launches: 0, materialized: 0 };

  constructor(machine: Machine = detectMachine()) {
    this.machine = machine;
    const ctx: ProcessorContext = {
      machine,
      // A device copies whole instances from their first byte: a small one cut from a slab gets its own buffer first.
      host: (st, overwrite) => {
        this.host.unshare(st);
        return this.host.host(st, overwrite);
      },
      hostById: (id) => this.host.byId(id),
    };
    this.host.onRelease = (id, dropped) => {
      this.cpuProcessor?.release(id, dropped);
      if (dropped) noteDropped(dropped);
      this.device?.release(id);
    };
    // Asking for a GPU that is not there is an error, never a silent CPU run.
    if (machine.gpus > 0) this.device = makeDevice(ctx);
    if (machine.ranks > 1) this.dist = makeReplication(machine);
    this.cpu = () => (this.cpuProcessor ??= makeCpu(ctx));
    const maxKernelArgs = (kind: "map" | "reduce") => Math.min(this.cpu().maxKernelArgs, this.device ? this.device.maxKernelArgs(kind) : Infinity);
    this.fuser = new Fusion({
      record: (l) => this.record(l),
      createStore: (shape, dtype) => this.createStore(shape, dtype),
      maxKernelArgs,
      replicated: this.dist !== null,
      stats: this.stats,
    });
    const expandContext: ExpandContext = {
      device: this.device,
      ranks: this.dist?.ranks ?? 1,
      view: (store, strides = store.strides, shape = store.shape, overwrite = false) => {
        // A device copies whole instances from their first byte (see ctx.host): a small one
        // cut from a slab gets its own buffer before its view's offset is taken.
        if (this.device) this.host.unshare(store.storage);
        this.host.host(store.storage, overwrite && store.isWhole());
        return viewOf(store, strides, shape);
      },
      map: (op, domain, weight, serial, blocker, quiet) => {
        // Across ranks the mapper sees every rank's CPUs: points are then dealt out to ranks.
        const machine = this.dist ? { ...this.machine, cpus: this.machine.cpus * this.machine.ranks } : this.machine;
        const gpuBlocker = !this.device ? "no GPU" : this.device.lost ? "the GPU was lost" : blocker;
        return mapLaunch(
          this.mapper,
          { name: op.label, domain, volume: domain.reduce((a, b) => a * b, 1), weight, serial, gpuBlocker },
          machine,
          quiet,
        );
      },
      temporary: (shape, dtype) => this.temporary(shape, dtype),
      variants: (lib, task) => this.variants(lib, task),
    };
    this.renameHost = {
      device: this.device !== null,
      materialize: (st) => this.fuser.materialize(st),
      settle: (st) => {
        if (this.scheduler.pending(st)) this.runWindow();
      },
      host: this.host,
      createStore: (shape, dtype) => this.createStore(shape, dtype),
      transient: (store) => this.executor.transients.push(store),
      moved: (st, old) => {
        old.failure = st.failure;
        this.cpuProcessor?.release(st.id, 0); // workers must not keep the old instance under st's id
      },
      dist: this.dist,
    };
    this.executor = new Executor({
      machine,
      host: this.host,
      cpu: this.cpu,
      liveDevice: () => (this.device && !this.device.lost ? this.device : null),
      dist: this.dist,
      expandContext,
      variants: (lib, task) => this.variants(lib, task),
      moduleOf: (name) => {
        const m = this.libraries.get(name)?.module;
        if (!m) throw new Error(`library ${name} has no module for worker threads`);
        return m;
      },
    });
    this.eager = new Eager({
      machine,
      host: this.host,
      mapper: () => this.mapper,
      cpu: this.cpu,
      pending: (st) => this.scheduler.pending(st),
      plan: (l) => planOp(l, this.nextOp++),
      // Views of instances the launch's stores already have (eager.ts gives new outputs theirs).
      // Its mapping is a probe (the launch may still go to the window, which logs it then).
      expand: (op) =>
        expand(op, {
          ...expandContext,
          map: (o, domain, weight, serial, blocker) => expandContext.map(o, domain, weight, serial, blocker, true),
          view: (store, strides = store.strides, shape = store.shape) => viewOf(store, strides, shape),
        }),
      variants: (lib, task) => {
        const v = this.variants(lib, task);
        if (!v) throw new Error(`task ${lib}.${task} is not registered`);
        return v;
      },
    });
  }

  /** The CPU processor (its worker pool starts on first use). */
  private readonly cpu: () => CpuProcessor;
  private readonly renameHost: RenameHost;

  /** Fusion on/off (TESSERA_FUSION=0 turns it off, e.g. to compare). */
  get fusion(): boolean {
    return this.fuser.enabled;
  }
  set fusion(on: boolean) {
    this.fuser.enabled = on;
  }

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

  private variants(library: string, task: string): TaskVariants | undefined {
    return this.libraries.get(library)?.tasks.get(task);
  }

  createStore(shape: readonly number[], dtype: DType | DTypeName): Store {
    for (const n of shape) if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid store extent ${n}`);
    return Store.create(shape, typeof dtype === "string" ? DTYPES[dtype] : dtype);
  }

  /** A new store holding a copy of `data` (row-major lanes), available at once. */
  attach(shape: readonly number[], dtype: DType | DTypeName, data: TypedArray): Store {
    const store = this.createStore(shape, dtype);
    // A small array (np.array of a short list) gets memory only the collector tracks, as the
    // results of small launches do; across ranks every instance is listed.
    const st = store.storage;
    const buffer = this.dist ? this.host.host(st, true) : this.host.hostSmall(st);
    const lanes = laneView(store.dtype, buffer, st.byteOffset / store.dtype.itemsize, store.size);
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
   * A store over `shape` elements of `buffer` starting at `byteOffset` (a multiple of the
   * dtype's item size), sharing that memory rather than copying it: the way in for Arrow
   * columns on shared memory. Across ranks every rank must adopt the same values.
   */
  adopt(shape: readonly number[], dtype: DType | DTypeName, buffer: SharedArrayBuffer, byteOffset: number): Store {
    const dt = typeof dtype === "string" ? DTYPES[dtype] : dtype;
    const size = shape.reduce((a, b) => a * b, 1);
    const offset = byteOffset / dt.itemsize;
    if (!Number.isInteger(offset) || byteOffset + size * dt.itemsize > buffer.byteLength) {
      throw new RangeError(`adopt: ${size} elements of ${dt.name} at byte ${byteOffset} do not fit a ${buffer.byteLength}-byte buffer`);
    }
    const storage = new Storage(dt, offset + size);
    storage.shape = [...shape];
    this.host.adopt(storage, buffer, size * dt.itemsize);
    const store = new Store(storage, [...shape], rowMajorStrides(shape), offset);
    if (this.dist) {
      const bytes = new Uint8Array(buffer, byteOffset, size * dt.itemsize);
      this.dist.noteData(`adopt(${shape.join("x")} ${dt.name})`, bytes, () =>
        Array.from(laneView(dt, buffer, offset, Math.min(size, 8)) as ArrayLike<unknown>),
      );
    }
    return store;
  }

  /**
   * Blocking point: `store`'s current values on the host, in memory that is never reused once
   * the store is freed (another library keeps reading it: an exported Arrow column).
   */
  lend(store: Store): SharedArrayBuffer {
    this.read(store);
    // Another library indexes the buffer from its start: a slab's part gets a buffer of its own.
    this.host.unshare(store.storage);
    const buffer = store.storage.buffer!;
    this.host.pin(buffer);
    return buffer;
  }

  /**
   * A new store that each rank fills in part, and its host instance (not cleared): this rank
   * must write its elements `parts[rank]` (row-major element ranges) before anything reads
   * the store; the rank layer records that rank r holds `parts[r]`. A single process fills
   * `parts[0]`, which should be everything.
   */
  fillParts(shape: readonly number[], dtype: DType | DTypeName, parts: readonly Intervals[]): { store: Store; buffer: SharedArrayBuffer } {
    const store = this.createStore(shape, dtype);
    // Not cleared: this rank writes all of its part, and the rest is not valid here.
    const buffer = this.host.host(store.storage, true);
    this.dist?.filledParts(store.storage, parts);
    return { store, buffer };
  }

  /**
   * The host instance of a new store (no launch has used it) that the caller overwrites
   * completely, as a lane array over the whole storage: not cleared, so a reused buffer costs
   * no pass over its memory (np.load reads a file straight into it).
   */
  overwrite(store: Store): TypedArray {
    if (store.storage.touched || store.storage.buffer) throw new Error(`overwrite: storage ${store.storage.id} is not new`);
    return laneView(store.dtype, this.host.host(store.storage, true), 0, store.storage.size);
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
   * Elementwise launches may stay lazy and be fused into what reads them (fusion.ts).
   */
  submit(launch: Launch): void {
    // Across ranks every launch is part of the replicated control stream. With a GPU, a small
    // launch runs here only on values current on the host (Eager checks), and its writes make
    // the host's instances the current ones, as a wave's CPU launches do.
    if (
      this.eager.maxSize > 0 &&
      !this.dist &&
      (launch.kind === "map" ? this.eager.map(launch) : launch.kind === "reduce" ? this.eager.reduce(launch) : this.eager.launch(launch))
    )
      return;
    if (this.dist) this.dist.noteValues(launch.kind === "task" ? `${launch.library}.${launch.task}` : launch.name, launch.scalars);
    if (!this.fuser.enabled || launch.kind === "task") {
      for (const s of accessedStores(launch)) this.fuser.materialize(s.storage);
      for (const s of writtenStores(launch)) this.fuser.beforeWrite(s);
      this.record(launch);
    } else {
      this.fuser.submit(launch.kind === "map" ? rename(launch, this.renameHost) : launch);
    }
    // Bound the window (and the memory its temporaries hold); only between whole submits.
    if (this.scheduler.size >= this.windowLimit || this.pendingBytes >= this.windowBytes) this.runWindow();
  }

  private record(launch: Launch): void {
    const split = launch.kind === "map" ? unalias(launch, (shape, dtype) => this.temporary(shape, dtype)) : null;
    if (split) {
      for (const l of split) this.record(l);
      return;
    }
    for (const s of accessedStores(launch)) s.storage.touched = true;
    const op = planOp(launch, this.nextOp++);
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

  /** A store owned by the runtime for the current window (its memory is freed with it). */
  private temporary(shape: readonly number[], dtype: DType): Store {
    const s = this.createStore(shape, dtype);
    this.executor.transients.push(s);
    return s;
  }

  /**
   * Blocking point: run whatever `store` depends on and return its host instance as a lane
   * array over the whole storage (read it through `store.offset` / `store.strides`).
   */
  read(store: Store): TypedArray {
    this.readable(store);
    return lanesOf(store.storage);
  }

  /**
   * Whether `store`'s values lie computed in host memory, so that read() costs no flush: no
   * lazy value or recorded launch writes it, it did not fail, and (in one process) the host
   * instance is current. Lets the library check small inputs where they lie.
   */
  computed(store: Store): boolean {
    const st = store.storage;
    return !this.dist && st.lazy === null && st.buffer !== null && st.hostValid && st.failure === null && !this.scheduler.pendingWrite(store);
  }

  /**
   * Blocking point for one element (a 0-d `store`, as `a.item(i)` reads): `data[index]` is
   * its first lane. A small result is read where it lies, with no lane array made for it.
   */
  readElement(store: Store): { data: TypedArray; index: number } {
    this.readable(store);
    return { data: this.host.lanesAt(store.storage), index: this.host.laneBase(store.storage) + store.offset };
  }

  /** Run what `store` depends on and make its host instance current (or raise its launch's error). */
  private readable(store: Store): void {
    this.fuser.epoch++;
    this.fuser.materialize(store.storage);
    if (this.scheduler.pendingWrite(store)) this.runWindow();
    // A launch that wrote this store failed (or read what one wrote): its error, never stale values.
    if (store.storage.failure !== null) throw store.storage.failure.error;
    if (!store.storage.hostValid) this.device?.toHost([store.storage]);
    if (this.dist) this.dist.gatherStore(store, (st) => this.host.host(st));
    if (store.storage.buffer === null) this.host.host(store.storage);
  }

  /**
   * A side effect outside the arrays (writing a file) done once per job: by rank 0, once every
   * rank has reached it (so it never overtakes another rank still reading the file), and with
   * every rank waiting for it, so that all ranks may then read what it wrote. Its error is
   * raised on every rank. In a single-process run it simply calls `fn`.
   */
  once(fn: () => void): void {
    if (this.dist) this.dist.once(fn);
    else fn();
  }

  /** Release a store's memory now; later use of any view of it is an error. */
  dispose(store: Store): void {
    this.fuser.unlazy(store.storage); // an unread lazy value is dropped, not computed
    this.fuser.beforeWrite(store);
    if (this.scheduler.size) this.runWindow();
    this.host.release(store.storage);
  }

  get liveBytes(): number {
    return this.host.liveBytes;
  }

  /** Buffer pool counters (allocations vs reuses), for tuning. */
  get memoryStats(): { allocated: number; reused: number } {
    return this.host.stats;
  }

  /**
   * Run every recorded launch. A launch that fails does not stop the others; the first
   * failure among them (or among launches run at once since the last flush) is thrown once
   * all have run.
   */
  flush(): void {
    const failure = this.runWindow();
    if (failure) throw failure.error;
  }

  /** Run the window; blocking points raise an error only if what they read is poisoned. */
  private runWindow(): { error: unknown } | null {
    // Launches run when submitted (eager.ts) count as the window's first.
    const early = this.eager.failure;
    this.eager.failure = null;
    const waves = this.scheduler.drain();
    this.pendingAllocs.clear();
    this.pendingBytes = 0;
    const failure = this.executor.run(waves);
    return early ?? failure;
  }

  /** Stop the CPU workers (the process can then exit at once); they restart on demand. */
  shutdown(): void {
    this.runWindow();
    this.cpuProcessor?.shutdown();
  }
}

let instance: Runtime | null = null;

/** The process-wide runtime (machine from TESSERA_CPUS / TESSERA_GPUS). */
export function runtime(): Runtime {
  return (instance ??= new Runtime());
}
