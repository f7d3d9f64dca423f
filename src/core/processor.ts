import type { DTypeName, TypedArray } from "./dtype.js";
import type { Expr, ReduceOp } from "./kernel_ir.js";
import type { Machine, ProcessorKind } from "./machine.js";
import type { PointTask, Resolver } from "./point_task.js";
import type { Storage, Store } from "./store.js";

/**
 * The runtime↔processor contract. The core decides what runs and where (with the mapper);
 * processors run point tasks and own their memories. Backends implement these interfaces
 * and register a factory here (the package entry does, src/platform.ts), so the core names no
 * backend: a second GPU kind is a new backend folder and one `registerDevice` call.
 */

/** Timing of one point task on a worker, for the profile. */
export interface TaskTiming {
  worker: number;
  label: string;
  start: number;
  end: number;
}

/** What became of one worker's batch. */
export interface BatchOutcome {
  /** Tasks that failed, by index in the batch (-1: the batch as a whole), with their error. */
  failed: Map<number, unknown>;
  /** Tasks from this index on never ran (their worker died first). */
  unrunFrom: number;
}

/** Runs one map over [lo, hi) on accessors (CpuProcessor.mapRunner). */
export type MapRunner = (args: LaneArg[], scalars: readonly unknown[], lo: readonly number[], hi: readonly number[]) => void;

/** An array argument as a kernel on this thread reads it: a lane array over its whole instance and an affine view (elements). */
export interface LaneArg {
  data: TypedArray;
  offset: number;
  strides: readonly number[];
}

/** CPU cores: point tasks on the calling thread or on worker threads, all on host memory. */
export interface CpuProcessor {
  /** Most arrays (outputs and inputs) one kernel may take: fusion never builds a bigger one. */
  readonly maxKernelArgs: number;
  /** Get one launch's point tasks ready to run (e.g. compile a kernel); `onWorkers`: they go to the worker pool. */
  prepare(tasks: readonly PointTask[], onWorkers: boolean): void;
  /** Run one point task on this thread. */
  run(task: PointTask, resolver: Resolver): void;
  /**
   * The function that runs a one-output map on this thread (eager.ts), over [lo, hi) of its
   * domain, given accessors for the output first and then the inputs (`dtypes`, in that
   * order): `ndim` dims, or `flat`, one dimension with every accessor at unit stride. The
   * same for every call with the same arguments, so the caller may keep it. Null where this
   * processor would not run such a map here (TESSERA_KERNELS=c compiles every kernel: those
   * launches go through point tasks).
   */
  mapRunner(expr: Expr, dtypes: readonly DTypeName[], ndim: number, flat: boolean): MapRunner | null;
  /**
   * The function that reduces on this thread (eager.ts) the `size` points of a domain whose
   * dims are `reduced` or kept, into `acc` values, over [lo, hi): given the output's accessor
   * first (stride 0 along reduced dims) and then the inputs' (`inputs`, their dtypes); it sets
   * the output to the identity first. The same for the same arguments, so the caller may keep
   * it. Null where this processor would not run it as such (a compiled kernel pays off at
   * this size, or every kernel is compiled).
   */
  reduceRunner(op: ReduceOp, acc: DTypeName, value: Expr, inputs: readonly DTypeName[], reduced: readonly boolean[], size: number): MapRunner | null;
  /**
   * Run one batch per worker while `inline` runs on this thread; `moduleOf` names the module
   * a worker imports for a library's task variants.
   */
  runBatches(
    batches: readonly PointTask[][],
    resolver: Resolver,
    moduleOf: (library: string) => string,
    inline: () => void,
  ): { timings: TaskTiming[]; outcomes: BatchOutcome[] };
  /** A storage's host instance was dropped (`dropped` bytes freed): workers forget it. */
  release(id: number, dropped: number): void;
  /** Stop the worker threads (they restart on demand). */
  shutdown(): void;
}

/** A map or reduce kernel as a device is asked whether it can run it. */
export interface KernelQuery {
  exprs: readonly Expr[];
  /** dtypes of the kernel's arrays, outputs first. */
  dtypes: readonly string[];
  outputs: number;
  op?: ReduceOp;
  /** A reduction that reads its own output. */
  readsOwn?: boolean;
  stores: readonly Store[];
}

/** One device launch of a wave: its point task and how it uses each store. */
export interface DeviceLaunch {
  task: PointTask;
  accesses: readonly { store: Store; write: boolean; overwrite: boolean }[];
}

/**
 * An accelerator with its own memory (WebGPU today). It keeps instances of storages in its
 * memory, marks them in each storage's Residency under its memory number, and copies values
 * between host and device when a wave needs them elsewhere.
 */
export interface DeviceProcessor {
  readonly kind: ProcessorKind;
  /** The device as a person would name it (vendor, architecture, model). */
  readonly description: string;
  /** Its memory's number in Residency masks. */
  readonly memory: number;
  /** The device was lost: its instances are gone and launches run on the CPU. */
  readonly lost: boolean;
  /** Most arrays one kernel of this kind may bind. */
  maxKernelArgs(kind: "map" | "reduce"): number;
  /** Why this kernel cannot run on the device, or null when it can. */
  kernelBlocker(q: KernelQuery): string | null;
  /** Why these stores cannot be bound on the device (too large…), or null. */
  sizeBlocker(stores: readonly Store[]): string | null;
  /**
   * Start a wave: copy to the host the device-only values of `hostNeeded` (blocking), bring
   * the device instances `launches` read up to date, and post the launches without waiting.
   */
  start(hostNeeded: readonly Storage[], launches: readonly DeviceLaunch[]): void;
  /** Wait for everything posted; a failure there is thrown (and belongs to what was posted). */
  finish(): void;
  /** Make the host instances of these storages current (a blocking point for the device). */
  toHost(storages: readonly Storage[]): void;
  /** A storage was freed: drop its device instance. */
  release(id: number): void;
}

/** What a processor factory is given: the machine, and the host memory's instances by storage. */
export interface ProcessorContext {
  machine: Machine;
  /**
   * The host instance of a storage (created if needed; `overwrite`: it need not be zeroed),
   * holding the storage's elements from its first byte.
   */
  host(storage: Storage, overwrite?: boolean): SharedArrayBuffer;
  hostById(id: number): SharedArrayBuffer;
}

let cpuFactory: ((ctx: ProcessorContext) => CpuProcessor) | null = null;
const deviceFactories = new Map<ProcessorKind, { memory: number; make: (ctx: ProcessorContext, memory: number) => DeviceProcessor }>();

/** Register the CPU processor (once per process; the package entry does). */
export function registerCpu(make: (ctx: ProcessorContext) => CpuProcessor): void {
  cpuFactory = make;
}

/** Register a device kind; it gets the next memory number. */
export function registerDevice(kind: ProcessorKind, make: (ctx: ProcessorContext, memory: number) => DeviceProcessor): void {
  const known = deviceFactories.get(kind);
  deviceFactories.set(kind, { memory: known?.memory ?? deviceFactories.size + 1, make });
}

export function makeCpu(ctx: ProcessorContext): CpuProcessor {
  if (!cpuFactory) throw new Error("no CPU processor is registered: import the package entry ('tessera' or 'tessera/core'), which registers them");
  return cpuFactory(ctx);
}

/** The device for a machine with a GPU: the first kind registered (registration order is preference). */
export function makeDevice(ctx: ProcessorContext): DeviceProcessor {
  const first = deviceFactories.values().next();
  if (first.done) throw new Error("a GPU was requested (TESSERA_GPUS) but no device processor is registered");
  return first.value.make(ctx, first.value.memory);
}
