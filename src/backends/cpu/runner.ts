import { DTYPES, laneView, signature } from "../../core/task_api.js";
import type { Expr, PhysicalStore, PointTask, Resolver, View } from "../../core/task_api.js";
import { type Accessor, foldKernel, mapKernel, mapKernelByExpr, reduceKernel } from "./codegen_js.js";
import { cSupports, mapKernelC, reduceKernelC } from "./codegen_c.js";
import { MAX_NATIVE_ARGS, callNative, canCompile, compileKernel } from "./native.js";

function accessor(v: View, r: Resolver): Accessor {
  return { data: laneView(DTYPES[v.dtype], r.buffer(v.storage)), offset: v.offset, strides: v.strides };
}

/**
 * Compiled kernels by expression object, then by the rest of what shapes the source
 * (dtypes, loop depth, unit strides, reduction): libraries reuse their expression objects,
 * so a repeated launch finds its kernel without generating C to look it up (~30 µs). Fused
 * expressions are new objects each time: they are looked up by their signature (a few µs).
 */
const nativeByExpr = new WeakMap<Expr, Map<string, string | null>>();
const nativeBySignature = new Map<string, string | null>();

/**
 * Give a map/reduce task a compiled C kernel when its types allow one (on the thread that
 * plans it, so workers only load the cached shared object). Returns whether it did.
 */
export function attachNative(t: PointTask): boolean {
  if (t.kind !== "map" && t.kind !== "reduce") return false;
  if (t.views.length > MAX_NATIVE_ARGS) return false;
  // Unit inner strides are baked into the kernel (all points of a launch share the views).
  const unit = t.views.map((v) => t.ndim > 0 && v.strides[t.ndim - 1] === 1);
  let key = `${t.kind}/${t.ndim}/${t.nOut}/`;
  for (let k = 0; k < t.views.length; k++) key += `${t.views[k].dtype}${unit[k] ? "1" : "0"},`;
  if (t.kind === "reduce") key += `/${t.op}/${t.acc}/${t.reduced.map(Number).join("")}`;
  // A map with several outputs (sibling fusion) is looked up by signature only.
  const first = t.kind === "map" ? (t.exprs.length === 1 ? t.exprs[0] : null) : t.value;
  const known = first ? nativeByExpr.get(first) : undefined;
  let so = known?.get(key);
  if (so === undefined) {
    const full = `${key}|${t.kind === "map" ? signature(...t.exprs) : signature(t.value)}`;
    so = nativeBySignature.get(full);
    if (so === undefined) nativeBySignature.set(full, (so = nativeKernel(t, unit)));
    if (first) {
      if (known) known.set(key, so);
      else nativeByExpr.set(first, new Map([[key, so]]));
    }
  }
  if (!so) return false;
  t.native = so;
  return true;
}

/** The compiled kernel of a map/reduce task, or null when its types or ops have none. */
function nativeKernel(t: Extract<PointTask, { kind: "map" | "reduce" }>, unit: boolean[]): string | null {
  if (!canCompile()) return null;
  const dtypes = t.views.map((v) => v.dtype);
  const exprs = t.kind === "map" ? t.exprs : [t.value];
  if (!cSupports(exprs, dtypes)) return null;
  let source: string | null;
  try {
    source =
      t.kind === "map"
        ? mapKernelC(
            t.ndim,
            t.exprs.map((expr, k) => ({ dtype: dtypes[k], expr })),
            dtypes.slice(t.nOut),
            unit,
          )
        : reduceKernelC(t.ndim, t.op, t.acc, t.value, dtypes.slice(t.nOut), t.reduced, unit);
  } catch (e) {
    // An op the C generator does not cover stays on JS; anything else is a bug to report.
    if (e instanceof TypeError && /^C kernel:/.test(e.message)) return null;
    throw e;
  }
  return source === null ? null : compileKernel(source);
}

function runNative(t: Extract<PointTask, { kind: "map" | "reduce" }>, r: Resolver): void {
  const meta: bigint[] = [];
  for (const v of t.views) {
    meta.push(BigInt(v.offset));
    for (const s of v.strides) meta.push(BigInt(s));
  }
  for (const x of t.lo) meta.push(BigInt(x));
  for (const x of t.hi) meta.push(BigInt(x));
  const n = t.scalars.length;
  // An arg reduction's index weights (the last scalar) follow lo and hi.
  if (t.kind === "reduce" && (t.op === "argmin" || t.op === "argmax")) for (const x of t.scalars[n - 1] as number[]) meta.push(BigInt(x));
  const sf = new Float64Array(Math.max(1, n)),
    si = new BigInt64Array(Math.max(1, n));
  t.scalars.forEach((v, i) => {
    if (typeof v === "bigint") {
      sf[i] = Number(v);
      si[i] = BigInt.asIntN(64, v);
    } else if (typeof v === "number" || typeof v === "boolean") {
      sf[i] = Number(v);
      si[i] = Number.isFinite(Number(v)) ? BigInt(Math.trunc(Number(v))) : 0n;
    }
  });
  const bufs = t.views.map((v) => laneView(DTYPES[v.dtype], r.buffer(v.storage)));
  callNative(t.native!, bufs.length, bufs, BigInt64Array.from(meta), sf, si);
}

/** Run one point task on this thread (the main thread inline, or a worker). */
export function runPointTask(t: PointTask, r: Resolver): void {
  if ((t.kind === "map" || t.kind === "reduce") && t.native) {
    runNative(t, r);
    return;
  }
  switch (t.kind) {
    case "map": {
      let flat = t.ndim === 1;
      for (let k = 0; flat && k < t.views.length; k++) flat = t.views[k].strides[0] === 1;
      const spec = () => ({
        ndim: t.ndim,
        flat,
        outputs: t.exprs.map((expr, k) => ({ dtype: t.views[k].dtype, expr })),
        inputs: t.views.slice(t.nOut).map((v) => v.dtype),
      });
      const kernel = t.nOut === 1 ? mapKernelByExpr(t.exprs[0], t.views[0].dtype, t.ndim, t.views.length - 1, spec, flat) : mapKernel(spec());
      kernel(
        t.views.map((v) => accessor(v, r)),
        t.scalars,
        t.lo,
        t.hi,
      );
      return;
    }
    case "reduce": {
      const kernel = reduceKernel({
        ndim: t.ndim,
        op: t.op,
        acc: t.acc,
        value: t.value,
        reduced: t.reduced,
        init: true,
        inputs: t.views.slice(t.nOut).map((v) => v.dtype),
      });
      kernel(
        t.views.map((v) => accessor(v, r)),
        t.scalars,
        t.lo,
        t.hi,
      );
      return;
    }
    case "fold": {
      const kernel = foldKernel(t.op, t.acc, t.shape.length);
      kernel(
        t.views.map((v) => accessor(v, r)),
        [],
        t.shape.map(() => 0),
        t.shape,
      );
      return;
    }
    case "gpu":
      throw new Error(`${t.label} is a GPU dispatch`);
    case "task": {
      const variant = r.variants(t.library, t.task).cpu;
      const args: PhysicalStore[] = t.views.map((v, i) => ({
        dtype: v.dtype,
        data: laneView(DTYPES[v.dtype], r.buffer(v.storage)),
        shape: v.shape,
        strides: v.strides,
        offset: v.offset,
        lo: t.lo[i],
        hi: t.hi[i],
      }));
      if (t.collective) {
        const c = r.collective;
        if (!c) throw new Error(`${t.label}: a collective task runs on the main thread only`);
        variant({ args, scalars: t.scalars, point: t.point, points: t.points, comm: c.comm, wrote: (arg, lo, hi) => c.wrote(t, arg, lo, hi) });
      } else {
        variant({ args, scalars: t.scalars, point: t.point, points: t.points });
      }
      return;
    }
  }
}
