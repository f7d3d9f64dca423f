import type { DTypeName } from "./dtype.js";
import type { Expr, ReduceOp } from "./kernel_ir.js";
import type { Store } from "./store.js";
import type { Communicator, GpuDispatchSpec, TaskVariants } from "./task.js";

/**
 * A point task as it crosses to a worker: plain data only (structured-clone friendly).
 * Stores are named by storage id plus an affine view; the worker resolves ids to buffers.
 */
export interface View {
  storage: number;
  dtype: DTypeName;
  offset: number;
  strides: number[];
  shape: number[];
}

/** A store's view with these strides and shape (in a launch's domain); a storage on a slab starts part-way into its buffer. */
export function viewOf(store: Store, strides: readonly number[] = store.strides, shape: readonly number[] = store.shape): View {
  const base = store.storage.byteOffset / store.dtype.itemsize;
  return { storage: store.storage.id, dtype: store.dtype.name, offset: base + store.offset, strides: [...strides], shape: [...shape] };
}

export type PointTask =
  | {
      kind: "map";
      label: string;
      ndim: number;
      views: View[];
      nOut: number;
      exprs: Expr[];
      scalars: unknown[];
      lo: number[];
      hi: number[];
      native?: string;
    }
  | {
      kind: "reduce";
      label: string;
      ndim: number;
      op: ReduceOp;
      acc: DTypeName;
      value: Expr;
      reduced: boolean[];
      views: View[];
      nOut: number;
      scalars: unknown[];
      lo: number[];
      hi: number[];
      native?: string;
    }
  /** Folds the partial result of point `point` (of `points`) into the output. */
  | { kind: "fold"; label: string; op: ReduceOp; acc: DTypeName; views: View[]; shape: number[]; point: number; points: number }
  | {
      kind: "task";
      label: string;
      library: string;
      task: string;
      views: View[];
      modes: ("read" | "write" | "readwrite")[];
      scalars: unknown[];
      lo: number[][];
      hi: number[][];
      point: number;
      points: number;
      collective?: boolean;
    }
  /** A task launch that a library's WebGPU variant turned into one dispatch. */
  | { kind: "gpu"; label: string; views: View[]; spec: GpuDispatchSpec };

export interface Resolver {
  buffer(storage: number): SharedArrayBuffer;
  variants(library: string, task: string): TaskVariants;
  /** For collective tasks (main thread only): the other points, and where to report writes. */
  collective?: { comm: Communicator; wrote(t: PointTask, arg: number, lo: number, hi: number): void };
}

/** A reduction's partial result folded into the output after the wave. */
export type FoldTask = Extract<PointTask, { kind: "fold" }>;
