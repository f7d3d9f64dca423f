import type { DTypeName } from "../../core/index.js";
import { type Expr, signature, visit } from "../../core/index.js";
import type { PointTask } from "../../core/index.js";
import {
  CHUNK,
  GPU_DTYPES,
  WG,
  argPartialsWGSL,
  argReduceKernelWGSL,
  mapKernelWGSL,
  metaLayout,
  reduceKernelWGSL,
  reducePartialsWGSL,
  wgslSupports,
} from "./codegen_wgsl.js";
import type { GpuCommand } from "./protocol.js";

/**
 * Turns a whole-domain map or reduce point task into one GPU dispatch: the WGSL source
 * (cached on the device by signature), the storages it binds and its meta buffer.
 */

/** Whether a point task of this shape can run on the GPU with `maxBuffers` storage bindings. */
export function gpuCapable(t: PointTask, maxBuffers: number): boolean {
  if (t.kind === "map")
    return (
      t.views.length + 1 <= maxBuffers &&
      wgslSupports(
        t.exprs,
        t.views.map((v) => v.dtype),
      )
    );
  if (t.kind === "reduce") {
    return (
      t.views.length + 2 <= maxBuffers &&
      wgslSupports(
        [t.value],
        t.views.map((v) => v.dtype),
      )
    );
  }
  return false;
}

const f32 = new Float32Array(1),
  u32 = new Uint32Array(f32.buffer),
  i32 = new Int32Array(f32.buffer);

/** Scalar bit patterns as WGSL reads them (bitcast from u32). */
function scalarBits(exprs: Expr[], scalars: readonly unknown[]): number[] {
  const types = new Map<number, DTypeName>();
  for (const e of exprs)
    visit(e, (n) => {
      if (n.k === "scalar") types.set(n.index, n.dtype);
    });
  return scalars.map((v, i) => {
    const d = types.get(i);
    const x = typeof v === "bigint" ? Number(v) : typeof v === "boolean" ? Number(v) : typeof v === "number" ? v : 0;
    if (d === "float32") {
      f32[0] = x;
      return u32[0];
    }
    if (d === "int32") {
      i32[0] = x;
      return u32[0];
    }
    return x >>> 0;
  });
}

function groups1d(total: number): [number, number, number] {
  const g = Math.max(1, Math.ceil(total / WG));
  return [Math.min(g, 65535), Math.ceil(g / 65535), 1];
}

function metaOf(views: { offset: number; strides: readonly number[] }[], ndim: number, extents: readonly number[], tail: number[]): Uint32Array {
  const L = metaLayout(views.length, ndim, tail.length);
  const m = new Int32Array(L.length);
  let k = 0;
  for (const v of views) {
    m[k++] = v.offset;
    for (let d = 0; d < ndim; d++) m[k++] = v.strides[d] ?? 0;
  }
  for (let d = 0; d < ndim; d++) m[k++] = extents[d];
  for (const x of tail) m[k++] = x | 0;
  return new Uint32Array(m.buffer);
}

export function gpuDispatch(t: PointTask): GpuCommand {
  if (t.kind === "gpu") {
    const { scratch = [], then, ...rest } = t.spec;
    const n = t.views.length;
    return {
      op: "dispatch",
      ...rest,
      ids: [...t.views.map((v) => v.storage), ...scratch.map(() => -1)],
      scratch: scratch.map((bytes, i) => ({ index: n + i, bytes })),
      then: then?.map((p) => ({ ...p })),
    };
  }
  if (t.kind === "map") {
    const extents = t.hi.map((h, d) => h - t.lo[d]);
    // The point covers the whole domain (the GPU gets one piece), so lo is all zeros.
    const outputs = t.exprs.map((expr, k) => ({ dtype: t.views[k].dtype, expr }));
    // Inputs on an output's storage (in-place work) read through that output's binding.
    const alias = t.views.map((v, k) => {
      const o = t.views.findIndex((w, j) => j < t.nOut && w.storage === v.storage);
      return k >= t.nOut && o >= 0 ? o : k;
    });
    const source = mapKernelWGSL(
      t.ndim,
      outputs,
      t.views.slice(t.nOut).map((v) => v.dtype),
      t.scalars.length,
      alias,
    );
    const key = `map/${t.ndim}/${t.views.map((v) => v.dtype).join(",")}/${alias.join(",")}/${signature(...t.exprs)}`;
    const meta = metaOf(t.views, t.ndim, extents, scalarBits(t.exprs, t.scalars));
    const ids = t.views.map((v, k) => (alias[k] === k ? v.storage : -2));
    return { op: "dispatch", key, source, ids, writable: t.nOut, meta, groups: groups1d(extents.reduce((a, b) => a * b, 1)) };
  }
  if (t.kind === "reduce" && (t.op === "argmin" || t.op === "argmax")) return argDispatch(t, t.op);
  if (t.kind === "reduce") {
    const extents = t.hi.map((h, d) => h - t.lo[d]);
    const R = extents.reduce((p, n, d) => (t.reduced[d] ? p * n : p), 1);
    const K = extents.reduce((p, n, d) => (t.reduced[d] ? p : p * n), 1);
    const chunks = Math.max(1, Math.ceil(R / CHUNK));
    const inputs = t.views.slice(t.nOut);
    const own = t.scalars.slice(0, -1); // the last scalar is the CPU kernels' arg-index strides
    const source = reduceKernelWGSL(
      t.ndim,
      t.op,
      t.acc,
      t.value,
      inputs.map((v) => v.dtype),
      t.reduced,
      own.length,
    );
    const key = `reduce/${t.ndim}/${t.op}/${t.acc}/${t.reduced.map(Number).join("")}/${inputs.map((v) => v.dtype).join(",")}/${signature(t.value)}`;
    const views = [t.views[0], { offset: 0, strides: [] as number[] }, ...inputs];
    const meta = metaOf(views, t.ndim, extents, [...scalarBits([t.value], own), R, K, chunks]);
    const kg: [number, number] = [Math.min(K, 65535), Math.ceil(K / 65535)];
    const cmd: GpuCommand = {
      op: "dispatch",
      key,
      source,
      ids: [t.views[0].storage, -1, ...inputs.map((v) => v.storage)],
      writable: 2,
      meta,
      groups: [chunks, kg[0], kg[1]],
      scratch: [{ index: 1, bytes: K * chunks * 4 }],
    };
    if (chunks > 1) {
      cmd.then = [
        {
          key: `${key}/partials`,
          source: reducePartialsWGSL(t.ndim, t.op, t.acc, t.reduced, own.length, inputs.length),
          groups: [1, kg[0], kg[1]],
          count: 2,
        },
      ];
    }
    return cmd;
  }
  throw new Error(`task ${t.label} has no GPU variant`);
}

/**
 * argmin/argmax: accessors [value out, index out (int64), ...inputs] become bindings
 * [value, index, partials, ...inputs]. The int64 index store lives on the GPU in its host
 * layout (8 bytes per element), so the kernel writes the low and high words and coherence
 * copies the bytes as they are.
 */
function argDispatch(t: Extract<PointTask, { kind: "reduce" }>, op: "argmin" | "argmax"): GpuCommand {
  const extents = t.hi.map((h, d) => h - t.lo[d]);
  const R = extents.reduce((p, n, d) => (t.reduced[d] ? p * n : p), 1);
  const K = extents.reduce((p, n, d) => (t.reduced[d] ? p : p * n), 1);
  const chunks = Math.max(1, Math.ceil(R / CHUNK));
  const inputs = t.views.slice(2);
  const own = t.scalars.slice(0, -1);
  const source = argReduceKernelWGSL(
    t.ndim,
    op,
    t.acc,
    t.value,
    inputs.map((v) => v.dtype),
    t.reduced,
    own.length,
  );
  const key = `arg/${t.ndim}/${op}/${t.acc}/${t.reduced.map(Number).join("")}/${inputs.map((v) => v.dtype).join(",")}/${signature(t.value)}`;
  const views = [t.views[0], t.views[1], { offset: 0, strides: [] as number[] }, ...inputs];
  const meta = metaOf(views, t.ndim, extents, [...scalarBits([t.value], own), R, K, chunks]);
  const kg: [number, number] = [Math.min(K, 65535), Math.ceil(K / 65535)];
  const cmd: GpuCommand = {
    op: "dispatch",
    key,
    source,
    ids: [t.views[0].storage, t.views[1].storage, -1, ...inputs.map((v) => v.storage)],
    writable: 3,
    meta,
    groups: [chunks, kg[0], kg[1]],
    scratch: [{ index: 2, bytes: K * chunks * 8 }],
  };
  if (chunks > 1)
    cmd.then = [
      {
        key: `${key}/partials`,
        source: argPartialsWGSL(t.ndim, op, t.acc, t.reduced, own.length, inputs.length),
        groups: [1, kg[0], kg[1]],
        count: 3,
      },
    ];
  return cmd;
}

/** Why a dtype stays on the CPU. */
export function unsupported(d: DTypeName): string {
  // The adapter may offer shader-f16, but WGSL does not fix how f32 rounds to f16, so float16
  // arithmetic could not round as NumPy's does.
  return d === "float16" ? "float16 is not supported on webgpu (WGSL leaves f16 rounding unspecified)" : `${d} is not supported on webgpu`;
}

/** Why a launch with these expressions and stores cannot run on the GPU, or null. */
export function gpuBlocker(
  exprs: Expr[],
  dtypes: DTypeName[],
  extraBindings: number,
  maxBuffers: number,
  op?: string,
  readsOwnOutput = false,
): string | null {
  if (readsOwnOutput) return "a reduction that reads its own output";
  const bad = dtypes.find((d) => !GPU_DTYPES.has(d));
  if (bad) return unsupported(bad);
  if (!wgslSupports(exprs, dtypes)) return "an operation or dtype in the expression is not supported on webgpu";
  // arg-reductions bind the int64 index output as well.
  const need = dtypes.length + extraBindings + (op === "argmin" || op === "argmax" ? 1 : 0);
  if (need > maxBuffers) return `needs ${need} storage buffers, the adapter allows ${maxBuffers}`;
  return null;
}
