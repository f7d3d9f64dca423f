import { type Expr, usesIndex, visit } from "./kernel_ir.js";
import { log } from "./log.js";
import type { Mapping } from "./mapper.js";
import { type PlannedOp, modesOf, writtenStores } from "./operation.js";
import { balancedTiling, gridBlocks, solveTaskPartition, solveTiling, tilingBlocks } from "./partition.js";
import type { PointTask, View } from "./point_task.js";
import type { DeviceProcessor } from "./processor.js";
import { type Store, rowMajorStrides } from "./store.js";
import type { MapLaunch, ReduceLaunch, TaskLaunch, TaskVariants } from "./task.js";

/** A launch cut into point tasks, where the mapper put it, and reduction folds to run after the wave. */
export interface Expanded {
  mapping: Mapping;
  tasks: PointTask[];
  fold: PointTask[];
}

/** What expansion needs from the runtime. */
export interface ExpandContext {
  /** The device in use, if any (it says which kernels it cannot run). */
  readonly device: DeviceProcessor | null;
  /** MPI ranks (collective tasks get one point per rank). */
  readonly ranks: number;
  /** A point-task view of `store` (its host instance is created); `overwrite`: the launch writes all of it. */
  view(store: Store, strides?: readonly number[], shape?: readonly number[], overwrite?: boolean): View;
  /** Ask the mapper where a launch runs and how many pieces. */
  map(op: PlannedOp, domain: readonly number[], weight: number, serial: boolean, blocker: string | null, quiet?: boolean): Mapping;
  /** A temporary store freed with the window (reduction partials). */
  temporary(shape: readonly number[], dtype: Store["dtype"]): Store;
  variants(library: string, task: string): TaskVariants | undefined;
}

const TRANSCENDENTAL = /exp|log|sin|cos|tan|pow|sqrt|arc|floordiv|mod|hypot|gcd|lcm|ldexp|nextafter/;

/** Cut one operation into point tasks over a tiling of its domain (launch → point tasks). */
export function expand(op: PlannedOp, ctx: ExpandContext): Expanded {
  const launch = op.launch;
  if (launch.kind === "map") return expandMap(op, launch, ctx);
  if (launch.kind === "reduce") return expandReduce(op, launch, ctx);
  return launch.collective ? expandCollective(op, launch, ctx) : expandTask(op, launch, ctx);
}

function expandMap(op: PlannedOp, launch: MapLaunch, ctx: ExpandContext): Expanded {
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
  const blocker =
    ctx.device?.kernelBlocker({
      exprs: launch.outputs.map((o) => o.expr),
      dtypes: stores.map((s) => s.dtype.name),
      outputs: launch.outputs.length,
      stores,
    }) ?? null;
  const mapping = ctx.map(op, shape, weight, false, blocker);
  const tiling = solveTiling(shape, mapping.pieces);
  const nOut = launch.outputs.length;
  const views = stores.map((s, i) => ctx.view(s, strides[i], shape, i < nOut));
  const exprs = launch.outputs.map((o) => o.expr);
  const tasks = tilingBlocks(tiling).map(({ lo, hi }) => ({
    kind: "map" as const,
    label: op.label,
    ndim: shape.length,
    views,
    nOut,
    exprs,
    scalars: [...launch.scalars],
    lo,
    hi,
  }));
  return { mapping, tasks, fold: [] };
}

function expandReduce(op: PlannedOp, launch: ReduceLaunch, ctx: ExpandContext): Expanded {
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
  const blocker =
    ctx.device?.kernelBlocker({
      exprs: [launch.value],
      dtypes: [launch.output.dtype.name, ...launch.inputs.map((s) => s.dtype.name)],
      outputs: 1,
      op: launch.op,
      readsOwn: launch.inputs.some((s) => s.storage === launch.output.storage),
      stores: [launch.output, ...launch.inputs],
    }) ?? null;
  const argOp = launch.op === "argmin" || launch.op === "argmax";
  const mapping = ctx.map(op, shape, exprWeight(launch.value) * (argOp ? JS_WEIGHT : 1), false, blocker);
  const kept = shape.map((_, d) => d).filter((d) => !cReduced[d]);
  const tiling = solveTiling(shape, mapping.pieces, kept);
  const blocks = tilingBlocks(tiling);
  const cutReduced = tiling.dim >= 0 && cReduced[tiling.dim];
  const inViews = launch.inputs.map((s, i) => ctx.view(s, strides[outs.length + i], shape));
  const realOut = outs.map((s, i) => ctx.view(s, strides[i], shape, true));
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
      const partials = outs.map((s) => ctx.temporary(s.shape, s.dtype));
      const keptStrides = rowMajorStrides(kept.map((d) => shape[d]));
      let k = 0;
      const pStrides = shape.map((_, d) => (cReduced[d] ? 0 : keptStrides[k++]));
      outViews = partials.map((s) => ctx.view(s, pStrides, shape, true));
      fold.push({
        kind: "fold",
        label: `${op.label}:fold`,
        op: launch.op,
        acc,
        shape: [...launch.output.shape],
        point: p,
        points: blocks.length,
        views: [...outs.map((s) => ctx.view(s)), ...partials.map((s) => ctx.view(s, rowMajorStrides(s.shape)))],
      });
    }
    tasks.push({ kind: "reduce", ...base, views: [...outViews, ...inViews], lo, hi });
  });
  return { mapping, tasks, fold };
}

/** A collective launch: one point per rank on its main thread; the first argument cut evenly. */
function expandCollective(op: PlannedOp, launch: TaskLaunch, ctx: ExpandContext): Expanded {
  const ranks = ctx.ranks;
  const stores = launch.args.map((a) => a.store);
  if (stores[0].ndim !== 1) throw new RangeError(`${op.label}: a collective task cuts a 1-D first argument, got (${stores[0].shape})`);
  const n = stores[0].shape[0];
  const views = stores.map((s) => ctx.view(s));
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

function expandTask(op: PlannedOp, launch: TaskLaunch, ctx: ExpandContext): Expanded {
  const stores = launch.args.map((a) => a.store);
  for (const a of launch.args)
    if (typeof a.privilege === "object") throw new Error(`${op.label}: reduce privileges on opaque tasks are not supported yet`);
  const part = solveTaskPartition(op.label, stores, writtenStores(launch), launch.constraints);
  const domain = part.anchor.shape;
  const size = domain.reduce((a, b) => a * b, 1);
  const gpuVariant = ctx.variants(launch.library, launch.task)?.webgpu;
  const gpuArgs = () => stores.map((s) => ({ storage: s.storage.id, dtype: s.dtype.name, shape: s.shape, strides: s.strides, offset: s.offset }));
  const blocker = !ctx.device
    ? null
    : !gpuVariant
      ? "opaque task without a webgpu variant"
      : (gpuVariant.blocker(gpuArgs(), launch.scalars) ?? ctx.device.sizeBlocker(stores));
  const mapping = ctx.map(op, domain, taskWeight(launch, size), !!launch.serial, blocker);
  if (mapping.target === "webgpu" && gpuVariant) {
    const spec = gpuVariant.dispatch(gpuArgs(), launch.scalars);
    const task: PointTask = { kind: "gpu", label: op.label, views: stores.map((s) => ctx.view(s)), spec };
    return { mapping, tasks: [task], fold: [] };
  }
  const pieces = launch.serial ? 1 : mapping.pieces;
  const { balance } = launch;
  const blocks =
    pieces <= 1
      ? [{ lo: domain.map(() => 0), hi: [...domain] }]
      : launch.grid && !launch.grid.some((d) => part.forbidden.includes(d))
        ? gridBlocks(domain, pieces, launch.grid)
        : balance && !part.forbidden.includes(balance.dim)
          ? tilingBlocks(balancedTiling(domain, pieces, balance.dim, balance.prefix))
          : tilingBlocks(solveTiling(domain, pieces, [], part.forbidden));
  // "write" (not readwrite) on a whole store promises every element is written.
  const views = stores.map((s, i) => ctx.view(s, s.strides, s.shape, launch.args[i].privilege === "write"));
  const modes = modesOf(launch);
  const tasks: PointTask[] = blocks.map(({ lo, hi }, point) => {
    const own = stores.map((s) => part.block(s, lo, hi));
    return {
      kind: "task",
      label: op.label,
      library: launch.library,
      task: launch.task,
      views,
      modes,
      scalars: [...launch.scalars],
      lo: own.map((b) => b.lo),
      hi: own.map((b) => b.hi),
      point,
      points: blocks.length,
    };
  });
  return { mapping, tasks, fold: [] };
}

/**
 * How much more an element costs in JavaScript than in a compiled map or reduction: opaque
 * tasks (gathers, sorts, scans, …) and arg reductions run JS code, so the mapper hands them
 * to the workers at a sixteenth of the size.
 */
const JS_WEIGHT = 16;

/** An opaque task's per-element cost over a domain of `size` elements, for the mapper. */
export function taskWeight(launch: TaskLaunch, size: number): number {
  const perElement = launch.cost !== undefined ? Math.max(1, launch.cost / Math.max(1, size)) : 4;
  return perElement * JS_WEIGHT;
}

/** Relative per-element cost of an expression, for the mapper. */
export function exprWeight(e: Expr): number {
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
