import type { DTypeName, GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { flatMain, groupsFor, unsupported } from "../wgsl.js";

/**
 * WebGPU variants of the advanced-indexing tasks `gather` (a[idx]) and `scatter`
 * (a[idx] = v), for float32, int32, uint32 and bool arrays (elements are copied as raw
 * 32-bit words: bit-exact, NaN payloads included; bool is a u32 0/1 on the GPU).
 *
 * The layout is the CPU kernels' (cpu.ts): argument 0 is the indexed view (first
 * k dims indexed, the others kept), argument 1 the dense side of shape (B..., kept...), and
 * arguments 2.. the k index arrays, each a view of the dense shape. One invocation per
 * dense element decomposes its row-major position into offsets of every view. Index arrays
 * may be int32, uint32, int64 or uint64; 64-bit ones live on the GPU in their host layout,
 * read as (low, high) u32 words. Indices are in bounds (checked before the launch, as for
 * the CPU kernels), so |v| < 2^32 and a negative one wraps as low + size modulo 2^32.
 *
 * Scatter keeps the serial semantics (with repeated indices the last value in row-major
 * order wins) in two passes: every element atomicMax-es its position + 1 into a scratch
 * word per target element, then only the element whose mark survived writes.
 */

const ELEMS = new Set<DTypeName>(["float32", "int32", "uint32", "bool"]);
const INDICES = new Set<DTypeName>(["int32", "uint32", "int64", "uint64"]);
const wide = (d: DTypeName) => d === "int64" || d === "uint64";
const signed = (d: DTypeName) => d === "int32" || d === "int64";

/** Storage bindings WebGPU guarantees per shader stage (the adapter may allow more). */
const MIN_BUFFERS = 8;

function blocker(task: "gather" | "scatter", args: readonly GpuArg[]): string | null {
  const [x, d, ...idx] = args;
  if (!ELEMS.has(x.dtype)) return unsupported(x.dtype);
  if (d.dtype !== x.dtype) return `${task} of ${d.dtype} into ${x.dtype} has no webgpu variant`;
  const bad = idx.find((s) => !INDICES.has(s.dtype));
  if (bad) return `${bad.dtype} index arrays are not supported by the webgpu ${task}`;
  // Bindings: indexed, dense, the index arrays, the scatter's marks, the meta buffer.
  const most = MIN_BUFFERS - 3 - (task === "scatter" ? 1 : 0);
  if (idx.length > most) return `more than ${most} index arrays in a webgpu ${task}`;
  const total = d.shape.reduce((a, b) => a * b, 1);
  if (total >= 2 ** 32 - 1) return `a ${task} of 2^32 elements or more`;
  return null;
}

/**
 * Meta: M[0] the dense size, M[1] the dense offset, M[2] the indexed offset, then per index
 * array j (from M[3 + 3j]) its offset, the indexed extent and stride of dim j, then per
 * dense dim (from M[3 + 3k], 3 + k words each) its extent, the dense stride, the kept
 * stride of the indexed side (0 along the broadcast dims) and every index array's stride.
 */
function meta(args: readonly GpuArg[]): Uint32Array {
  const [x, d, ...idx] = args;
  const k = idx.length,
    nd = d.shape.length,
    nb = nd - (x.shape.length - k);
  const m = [d.shape.reduce((a, b) => a * b, 1), d.offset, x.offset];
  idx.forEach((s, j) => m.push(s.offset, x.shape[j], x.strides[j]));
  for (let e = 0; e < nd; e++) m.push(d.shape[e], d.strides[e], e < nb ? 0 : x.strides[k + e - nb], ...idx.map((s) => s.strides[e]));
  return new Uint32Array(Int32Array.from(m).buffer);
}

/** Bindings, and `fn address(e) -> vec2i`: the indexed and dense offsets of dense element e. */
function common(args: readonly GpuArg[], task: "gather" | "scatter"): string {
  const [, d, ...idx] = args;
  const k = idx.length,
    nd = d.shape.length,
    A = 3 + 3 * k,
    W = 3 + k;
  const decls = [
    `@group(0) @binding(0) var<storage, ${task === "scatter" ? "read_write" : "read"}> X: array<u32>;`,
    `@group(0) @binding(1) var<storage, ${task === "gather" ? "read_write" : "read"}> D: array<u32>;`,
    ...idx.map((_, j) => `@group(0) @binding(${2 + j}) var<storage, read> I${j}: array<u32>;`),
  ];
  const dims: string[] = [];
  for (let e = nd - 1; e >= 0; e--) {
    const b = A + W * e;
    dims.push(
      `{ let i = i32(rem % M[${b}]); rem = rem / M[${b}]; od = od + i * bitcast<i32>(M[${b + 1}]); ox = ox + i * bitcast<i32>(M[${b + 2}]);${idx.map((_, j) => ` q${j} = q${j} + i * bitcast<i32>(M[${b + 3 + j}]);`).join("")} }`,
    );
  }
  // An in-bounds index as an offset along its dim: the low word, plus the extent if negative.
  const reads = idx.map((s, j) => {
    const at = wide(s.dtype) ? `2u * u32(q${j})` : `u32(q${j})`;
    if (!signed(s.dtype)) return `let v${j} = I${j}[${at}];`;
    const high = wide(s.dtype) ? `I${j}[${at} + 1u]` : `w${j}`;
    return `let w${j} = I${j}[${at}]; let v${j} = select(w${j}, w${j} + M[${4 + 3 * j}], (${high} >> 31u) != 0u);`;
  });
  return `${decls.join("\n")}
@group(0) @binding(@M@) var<storage, read> M: array<u32>;
fn address(e: u32) -> vec2i {
  var rem = e;
  var od = bitcast<i32>(M[1]);
  var ox = bitcast<i32>(M[2]);
  ${idx.map((_, j) => `var q${j} = bitcast<i32>(M[${3 + 3 * j}]);`).join("\n  ")}
  ${dims.join("\n  ")}
  ${reads.join("\n  ")}
  ${idx.map((_, j) => `ox = ox + i32(v${j}) * bitcast<i32>(M[${5 + 3 * j}]);`).join("\n  ")}
  return vec2i(ox, od);
}`;
}

/** The signature every kernel depends on: dense rank and index dtypes. */
const signature = (args: readonly GpuArg[]) =>
  `${args[1].shape.length}/${args
    .slice(2)
    .map((s) => s.dtype)
    .join(",")}`;

export const gatherWebgpu: WebgpuVariant = {
  blocker: (args) => blocker("gather", args),
  dispatch(args): GpuDispatchSpec {
    const k = args.length - 2;
    const source = `${common(args, "gather").replace("@M@", String(2 + k))}
${flatMain("e", "M[0]")}
  let a = address(e);
  D[u32(a.y)] = X[u32(a.x)];
}
`;
    const m = meta(args);
    return { key: `gather/${signature(args)}`, source, meta: m, groups: groupsFor(m[0]), writable: [1] };
  },
};

/** Elements the indexed view of a scatter can reach (its largest offset + 1). */
function reach(x: GpuArg): number {
  return x.shape.reduce((o, e, d) => o + Math.max(0, (e - 1) * x.strides[d]), x.offset) + 1;
}

export const scatterWebgpu: WebgpuVariant = {
  blocker: (args) => blocker("scatter", args),
  dispatch(args): GpuDispatchSpec {
    const k = args.length - 2;
    const head = `${common(args, "scatter").replace("@M@", String(3 + k))}
@group(0) @binding(${2 + k}) var<storage, read_write> L: array<atomic<u32>>;
${flatMain("e", "M[0]")}
  let a = address(e);`;
    const mark = `${head}\n  atomicMax(&L[u32(a.x)], e + 1u);\n}\n`;
    const write = `${head}\n  if (atomicLoad(&L[u32(a.x)]) == e + 1u) { X[u32(a.x)] = D[u32(a.y)]; }\n}\n`;
    const m = meta(args),
      groups = groupsFor(m[0]),
      key = `scatter/${signature(args)}`;
    return {
      key: `${key}/mark`,
      source: mark,
      meta: m,
      groups,
      writable: [0, 2 + k],
      scratch: [4 * reach(args[0])],
      then: [{ key: `${key}/write`, source: write, groups }],
    };
  },
};
