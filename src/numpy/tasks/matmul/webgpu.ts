import type { GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";

/**
 * WebGPU variant of the matmul task for float32: a tiled kernel in which each 16x16
 * workgroup computes a 64x64 block of C, each thread a 4x4 sub-block held in registers,
 * with 64x16 / 16x64 tiles of A and B staged in workgroup memory. Operands may be any
 * strided views (transposes included). Batched products (stacks of matrices, A and B
 * broadcast over the batch dims by stride 0) use the third workgroup dimension: workgroup z
 * is one product, whose batch index is decomposed over the batch dims to offset each operand.
 */
function source(nb: number): string {
  return `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<storage, read> M: array<u32>;
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

fn at(o: i32, i: u32, s0: u32, j: u32, s1: u32) -> u32 {
  return u32(o + i32(i) * bitcast<i32>(s0) + i32(j) * bitcast<i32>(s1));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let m = M[0]; let n = M[1]; let k = M[2];
  // Batch dims: this workgroup's product, offsets of its A, B and C (meta from M[12]).
  var oa = bitcast<i32>(M[3]); var ob = bitcast<i32>(M[6]); var oc = bitcast<i32>(M[9]);
  var rem = wid.z;
  ${Array.from({ length: nb }, (_, j) => nb - 1 - j)
    .map(
      (d) =>
        `{ let e = M[${12 + 4 * d}]; let i = i32(rem % e); rem = rem / e; oa = oa + i * bitcast<i32>(M[${13 + 4 * d}]); ob = ob + i * bitcast<i32>(M[${14 + 4 * d}]); oc = oc + i * bitcast<i32>(M[${15 + 4 * d}]); }`,
    )
    .join("\n  ")}
  let row0 = wid.y * 64u; let col0 = wid.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<f32, 16>;
  for (var t = 0u; t < k; t = t + 16u) {
    for (var q = 0u; q < 4u; q = q + 1u) {
      let idx = tid + q * 256u;
      let ar = row0 + idx / 16u; let ac = t + idx % 16u;
      var av = 0.0;
      if (ar < m && ac < k) { av = A[at(oa, ar, M[4], ac, M[5])]; }
      As[idx] = av;
      let br = t + idx / 64u; let bc = col0 + idx % 64u;
      var bv = 0.0;
      if (br < k && bc < n) { bv = B[at(ob, br, M[7], bc, M[8])]; }
      Bs[idx] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) { a[i] = As[(lid.y * 4u + i) * 16u + kk]; b[i] = Bs[kk * 64u + lid.x * 4u + i]; }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) { acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let r = row0 + lid.y * 4u + i; let c = col0 + lid.x * 4u + j;
      if (r < m && c < n) { C[at(oc, r, M[10], c, M[11])] = acc[i * 4u + j]; }
    }
  }
}
`;
}

/** Products larger than this many batch entries stay on the CPU (one workgroup layer each). */
const MAX_BATCH = 65535;

/** The (m, k) / (k, n) / (m, n) matrices of a launch and its batch dims (extent, strides of A, B, C). */
function matrices(args: readonly GpuArg[]) {
  const [A, B, C] = args;
  const nb = C.shape.length - 2;
  const two = (x: GpuArg) => ({ offset: x.offset, s0: x.strides[x.strides.length - 2], s1: x.strides[x.strides.length - 1] });
  // Batch dims of extent 1 add nothing; the others are decomposed in the kernel.
  const batch = C.shape
    .slice(0, nb)
    .map((e, d) => ({ e, sa: A.strides[d], sb: B.strides[d], sc: C.strides[d] }))
    .filter((b) => b.e !== 1);
  const count = batch.reduce((p, b) => p * b.e, 1);
  return { m: C.shape[nb], n: C.shape[nb + 1], k: A.shape[nb + 1], mats: [two(A), two(B), two(C)], batch, count };
}

export const matmulWebgpu: WebgpuVariant = {
  blocker(args) {
    if (args.some((a) => a.dtype !== "float32")) return "matmul runs on webgpu for float32 only";
    if (args.some((a) => a.shape.length !== args[2].shape.length)) return "matmul operands of unequal rank";
    return matrices(args).count > MAX_BATCH ? `a batch of more than ${MAX_BATCH} products` : null;
  },
  dispatch(args): GpuDispatchSpec {
    const { m, n, k, mats, batch, count } = matrices(args);
    const meta = new Int32Array([m, n, k, ...mats.flatMap((x) => [x.offset, x.s0, x.s1]), ...batch.flatMap((b) => [b.e, b.sa, b.sb, b.sc])]);
    return {
      key: `matmul/f32/tiled64/b${batch.length}`,
      source: source(batch.length),
      meta: new Uint32Array(meta.buffer),
      groups: [Math.ceil(n / 64), Math.ceil(m / 64), count],
      writable: [2],
    };
  },
};
