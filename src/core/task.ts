import type { DTypeName, TypedArray } from "./dtype.js";
import type { Expr, ReduceOp } from "./kernel_ir.js";
import type { Store } from "./store.js";
import type { Constraint } from "./partition.js";

/** What a task may do to a store argument. `reduce` tasks get a private buffer to fold into. */
export type Privilege = "read" | "write" | "readwrite" | { reduce: ReduceOp };

export const writes = (p: Privilege): boolean => p !== "read";
export const reads = (p: Privilege): boolean => p !== "write";

/** One store argument as a CPU variant sees it: its whole instance plus this point's block. */
export interface PhysicalStore {
  readonly dtype: DTypeName;
  /** Lane array over the whole instance (complex: 2 lanes per element). */
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  /** This point's block in the store's own coordinates, [lo, hi) per dim. */
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

/**
 * How the points of a collective task talk to each other: one point per rank, each on its
 * rank's main thread (MPI underneath; trivial in a single process).
 */
export interface Communicator {
  readonly rank: number;
  readonly ranks: number;
  /** Every point's bytes, in rank order. */
  allgather(data: Uint8Array): Uint8Array[];
  /** `parts[r]` goes to point r; returns what each point sent here. */
  alltoallv(parts: readonly Uint8Array[]): Uint8Array[];
}

/** What a CPU variant of an opaque task receives for one point of an index launch. */
export interface TaskContext {
  readonly args: readonly PhysicalStore[];
  readonly scalars: readonly unknown[];
  /** Index of this point in the launch and the number of points. */
  readonly point: number;
  readonly points: number;
  /** Collective tasks only: the other points. */
  readonly comm?: Communicator;
  /**
   * Collective tasks only: this point wrote elements [lo, hi) of argument `arg` (a 1-D
   * store's own index space). What a collective point writes may depend on the data, so it
   * says so; the runtime then knows where the values are.
   */
  wrote?(arg: number, lo: number, hi: number): void;
}

export type CpuVariant = (ctx: TaskContext) => void;

/** A store argument as a GPU variant sees it (GPU buffers mirror the storage's element layout). */
export interface GpuArg {
  readonly storage: number;
  readonly dtype: DTypeName;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * One compute dispatch: WGSL source (cached by `key`), one binding per argument in order, then
 * one per `scratch` buffer (bytes each; zero-filled, freed after the launch), then a meta
 * buffer; `writable` lists the bindings the kernel writes (or counts them from 0). `then`
 * adds passes that run in order after the first with the same bindings, each with its own
 * kernel and, optionally, its own meta (multi-pass work: scans, sorting networks).
 */
export interface GpuDispatchSpec {
  key: string;
  source: string;
  meta: Uint32Array;
  groups: [number, number, number];
  writable: number | number[];
  scratch?: readonly number[];
  then?: readonly { key: string; source: string; groups: [number, number, number]; meta?: Uint32Array }[];
}

/**
 * A WebGPU variant: `blocker` says why a launch cannot run on the GPU (or null), `dispatch`
 * builds the kernel launch. The whole launch runs as one GPU dispatch.
 */
export interface WebgpuVariant {
  blocker(args: readonly GpuArg[], scalars: readonly unknown[]): string | null;
  dispatch(args: readonly GpuArg[], scalars: readonly unknown[]): GpuDispatchSpec;
}

/** Variants per processor kind: `cpu` always, `webgpu` where the library has one. */
export interface TaskVariants {
  cpu: CpuVariant;
  webgpu?: WebgpuVariant;
}

/**
 * An opaque task launch: a registered task over store arguments with privileges, scalars
 * and partitioning constraints. The runtime picks the tiling and the processors.
 */
export interface TaskLaunch {
  readonly kind: "task";
  readonly library: string;
  readonly task: string;
  readonly args: readonly { store: Store; privilege: Privilege }[];
  readonly scalars: readonly unknown[];
  readonly constraints: readonly Constraint[];
  /** Force a single point task (e.g. inherently serial work). */
  readonly serial?: boolean;
  /** Work estimate in element operations, for the mapper (default: the cut store's size). */
  readonly cost?: number;
  /**
   * Cut the written store as a grid over these two dims instead of along one dim (a
   * product's rows and columns), so that each point reads a part of every operand.
   */
  readonly grid?: readonly [number, number];
  /**
   * A collective task (e.g. a sample sort): one point per rank, run on the rank's main
   * thread with `ctx.comm`. The first argument is cut into one block per rank; the others
   * are whole, and the points report what they write (`ctx.wrote`).
   */
  readonly collective?: boolean;
  /**
   * Work that is not even along a dim (a triangle's rows): blocks are cut along `dim` so
   * that each gets an equal share of `prefix`, the work of indices [0, i) (non-decreasing).
   */
  readonly balance?: Balance;
}

/** A launch's uneven work along one dim of its domain (TaskLaunch.balance). */
export interface Balance {
  readonly dim: number;
  readonly prefix: (i: number) => number;
}

/** An elementwise launch described in kernel IR: one output expression per output store. */
export interface MapLaunch {
  readonly kind: "map";
  readonly name: string;
  readonly inputs: readonly Store[];
  readonly outputs: readonly { store: Store; expr: Expr }[];
  readonly scalars: readonly unknown[];
}

/**
 * A reduction in kernel IR: `value` is evaluated over the inputs' common shape and folded
 * with `op` over `axes`. `output` has the input shape without the reduced axes; for
 * argmin/argmax, `index` (int64) receives the winning row-major index over the reduced axes.
 */
export interface ReduceLaunch {
  readonly kind: "reduce";
  readonly name: string;
  readonly op: ReduceOp;
  readonly inputs: readonly Store[];
  readonly value: Expr;
  readonly axes: readonly number[];
  /** Domain shape; defaults to the first input's (needed when fusion leaves no inputs). */
  readonly shape?: readonly number[];
  readonly output: Store;
  readonly index?: Store;
  readonly scalars: readonly unknown[];
}

export type Launch = TaskLaunch | MapLaunch | ReduceLaunch;
