import { DTYPES, DTypeName, laneView } from "../../core/dtype.js";
import { Expr, ReduceOp } from "../../core/kernel_ir.js";
import { PhysicalStore, TaskVariants } from "../../core/task.js";
import { Accessor, foldKernel, mapKernel, reduceKernel } from "./codegen_js.js";

/**
 * A point task as it crosses to a worker: plain data only (structured-clone friendly).
 * Stores are named by storage id plus an affine view; the worker resolves ids to buffers.
 */
export interface View { storage: number; dtype: DTypeName; offset: number; strides: number[]; shape: number[] }

export type PointTask =
  | { kind: "map"; label: string; ndim: number; views: View[]; nOut: number; exprs: Expr[]; scalars: unknown[]; lo: number[]; hi: number[] }
  | { kind: "reduce"; label: string; ndim: number; op: ReduceOp; acc: DTypeName; value: Expr; reduced: boolean[]; views: View[]; nOut: number; scalars: unknown[]; lo: number[]; hi: number[] }
  | { kind: "fold"; label: string; op: ReduceOp; acc: DTypeName; views: View[]; shape: number[] }
  | { kind: "task"; label: string; library: string; task: string; views: View[]; scalars: unknown[]; lo: number[][]; hi: number[][]; point: number; points: number };

export interface Resolver {
  buffer(storage: number): SharedArrayBuffer;
  variants(library: string, task: string): TaskVariants;
}

function accessor(v: View, r: Resolver): Accessor {
  return { data: laneView(DTYPES[v.dtype], r.buffer(v.storage)), offset: v.offset, strides: v.strides };
}

/** Run one point task on this thread (the main thread inline, or a worker). */
export function runPointTask(t: PointTask, r: Resolver): void {
  switch (t.kind) {
    case "map": {
      const outputs = t.exprs.map((expr, k) => ({ dtype: t.views[k].dtype, expr }));
      const kernel = mapKernel({ ndim: t.ndim, outputs, inputs: t.views.slice(t.nOut).map((v) => v.dtype) });
      kernel(t.views.map((v) => accessor(v, r)), t.scalars, t.lo, t.hi);
      return;
    }
    case "reduce": {
      const kernel = reduceKernel({
        ndim: t.ndim, op: t.op, acc: t.acc, value: t.value, reduced: t.reduced, init: true,
        inputs: t.views.slice(t.nOut).map((v) => v.dtype),
      });
      kernel(t.views.map((v) => accessor(v, r)), t.scalars, t.lo, t.hi);
      return;
    }
    case "fold": {
      const kernel = foldKernel(t.op, t.acc, t.shape.length);
      kernel(t.views.map((v) => accessor(v, r)), [], t.shape.map(() => 0), t.shape);
      return;
    }
    case "task": {
      const variant = r.variants(t.library, t.task).cpu;
      const args: PhysicalStore[] = t.views.map((v, i) => ({
        dtype: v.dtype, data: laneView(DTYPES[v.dtype], r.buffer(v.storage)),
        shape: v.shape, strides: v.strides, offset: v.offset, lo: t.lo[i], hi: t.hi[i],
      }));
      variant({ args, scalars: t.scalars, point: t.point, points: t.points });
      return;
    }
  }
}
