import type { GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { groupsFor } from "../wgsl.js";

/**
 * WebGPU variant of the `linalg` task for np.linalg.cholesky of one float32 matrix: a
 * blocked right-looking Cholesky, all on the GPU in one chain of dispatches. The lower
 * triangle NumPy reads (the upper one, transposed, for `upper=True`) is copied into a
 * row-major scratch matrix W; then, for each diagonal block of B columns: the block is
 * factored by one workgroup in workgroup memory, the panel below it solved against it (one
 * invocation per row), and the trailing lower triangle updated by the panel's outer product
 * (16x16 tiles, the panel's rows staged in workgroup memory); a last pass writes the factor
 * (zeros in the other triangle) and LAPACK's info (the order of the first leading minor that
 * is not positive definite, 0 when none is). The other linalg routines, batches of matrices
 * and float64 stay on the CPU with LAPACK.
 */

/** Columns per diagonal block: a block fits one workgroup's memory. */
const B = 32;

/**
 * Meta: M[0] = n, M[1] = k0 (this step's first column), M[2] = upper, then a's and l's
 * offsets and row and column strides (M[3..5], M[6..8]) and info's offset (M[9]).
 */
function meta(n: number, k0: number, upper: boolean, a: GpuArg, l: GpuArg, info: GpuArg): Uint32Array {
  return new Uint32Array(
    Int32Array.from([n, k0, upper ? 1 : 0, a.offset, a.strides[0], a.strides[1], l.offset, l.strides[0], l.strides[1], info.offset]).buffer,
  );
}

const HEAD = `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> L: array<f32>;
@group(0) @binding(2) var<storage, read_write> INFO: array<i32>;
@group(0) @binding(3) var<storage, read_write> W: array<f32>;
@group(0) @binding(4) var<storage, read> M: array<u32>;
fn at(o: u32, i: u32, si: u32, j: u32, sj: u32) -> u32 {
  return u32(bitcast<i32>(o) + i32(i) * bitcast<i32>(si) + i32(j) * bitcast<i32>(sj));
}
`;

/** W's lower triangle from a (its upper triangle transposed when upper), and info = 0. */
const COPY = `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0];
  let t = gid.x + gid.y * nwg.x * 256u;
  if (t == 0u) { INFO[M[9]] = 0; }
  if (t >= n * n) { return; }
  let i = t / n; let j = t % n;
  var v = 0.0;
  if (j <= i) {
    if (M[2] == 1u) { v = A[at(M[3], j, M[4], i, M[5])]; } else { v = A[at(M[3], i, M[4], j, M[5])]; }
  }
  W[t] = v;
}
`;

/** The diagonal block at k0, factored in workgroup memory by one workgroup. */
const POTRF = `${HEAD}
var<workgroup> D: array<f32, ${B * B}>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let n = M[0]; let k0 = M[1];
  let nb = min(${B}u, n - k0);
  for (var e = lid.x; e < ${B * B}u; e = e + 256u) {
    let i = e / ${B}u; let j = e % ${B}u;
    if (i < nb && j < nb) { D[e] = W[(k0 + i) * n + k0 + j]; }
  }
  workgroupBarrier();
  for (var j = 0u; j < nb; j = j + 1u) {
    let d = D[j * ${B}u + j];
    // Not positive definite (or NaN): LAPACK's info is the order of the first such minor.
    if (lid.x == 0u && !(d > 0.0) && INFO[M[9]] == 0) { INFO[M[9]] = i32(k0 + j + 1u); }
    let r = sqrt(max(d, 0.0));
    workgroupBarrier();
    for (var i = j + 1u + lid.x; i < nb; i = i + 256u) { D[i * ${B}u + j] = D[i * ${B}u + j] / r; }
    if (lid.x == 0u) { D[j * ${B}u + j] = r; }
    workgroupBarrier();
    // The trailing lower triangle of the block minus column j's outer product.
    let m = nb - j - 1u;
    for (var e = lid.x; e < m * m; e = e + 256u) {
      let i = j + 1u + e / m; let c = j + 1u + e % m;
      if (c <= i) { D[i * ${B}u + c] = D[i * ${B}u + c] - D[i * ${B}u + j] * D[c * ${B}u + j]; }
    }
    workgroupBarrier();
  }
  for (var e = lid.x; e < ${B * B}u; e = e + 256u) {
    let i = e / ${B}u; let j = e % ${B}u;
    if (i < nb && j <= i) { W[(k0 + i) * n + k0 + j] = D[e]; }
  }
}
`;

/** The panel below the diagonal block: each row solved against the block's factor (x·Dᵀ = row). */
const TRSM = `${HEAD}
var<workgroup> D: array<f32, ${B * B}>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0]; let k0 = M[1];
  let nb = min(${B}u, n - k0);
  for (var e = lid.x; e < ${B * B}u; e = e + 256u) {
    let i = e / ${B}u; let j = e % ${B}u;
    if (i < nb && j <= i) { D[e] = W[(k0 + i) * n + k0 + j]; }
  }
  workgroupBarrier();
  let row = k0 + nb + (wid.x + wid.y * nwg.x) * 256u + lid.x;
  if (row >= n) { return; }
  var x: array<f32, ${B}>;
  for (var j = 0u; j < nb; j = j + 1u) {
    var s = W[row * n + k0 + j];
    for (var c = 0u; c < j; c = c + 1u) { s = s - x[c] * D[j * ${B}u + c]; }
    x[j] = s / D[j * ${B}u + j];
  }
  for (var j = 0u; j < nb; j = j + 1u) { W[row * n + k0 + j] = x[j]; }
}
`;

/** The trailing lower triangle minus the panel's outer product, by 16x16 tiles (tiles above the diagonal skip). */
const UPDATE = `${HEAD}
var<workgroup> Pi: array<f32, ${16 * B}>;
var<workgroup> Pj: array<f32, ${16 * B}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  if (wid.x > wid.y) { return; }
  let n = M[0]; let k0 = M[1];
  let nb = min(${B}u, n - k0);
  let s0 = k0 + nb;
  let i0 = s0 + wid.y * 16u; let j0 = s0 + wid.x * 16u;
  let tid = lid.y * 16u + lid.x;
  for (var e = tid; e < ${16 * B}u; e = e + 256u) {
    let r = e / ${B}u; let c = e % ${B}u;
    var vi = 0.0; var vj = 0.0;
    if (c < nb && i0 + r < n) { vi = W[(i0 + r) * n + k0 + c]; }
    if (c < nb && j0 + r < n) { vj = W[(j0 + r) * n + k0 + c]; }
    Pi[e] = vi; Pj[e] = vj;
  }
  workgroupBarrier();
  let i = i0 + lid.y; let j = j0 + lid.x;
  if (i >= n || j > i) { return; }
  var s = 0.0;
  for (var c = 0u; c < nb; c = c + 1u) { s = fma(Pi[lid.y * ${B}u + c], Pj[lid.x * ${B}u + c], s); }
  W[i * n + j] = W[i * n + j] - s;
}
`;

/** The factor into l: L (or Lᵀ = U when upper), zeros in the other triangle. */
const WRITE = `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0];
  let t = gid.x + gid.y * nwg.x * 256u;
  if (t >= n * n) { return; }
  let i = t / n; let j = t % n;
  var v = 0.0;
  if (M[2] == 1u) { if (i <= j) { v = W[j * n + i]; } } else if (j <= i) { v = W[t]; }
  L[at(M[6], i, M[7], j, M[8])] = v;
}
`;

/** Largest order factored on the GPU: W and the grid's invocations stay in u32 range and one binding. */
const MAX_N = 1 << 13;

export const linalgWebgpu: WebgpuVariant = {
  blocker(args, scalars) {
    if (scalars[0] !== "cholesky") return `np.linalg's ${String(scalars[0])} runs on the CPU with LAPACK (webgpu: cholesky only)`;
    const [a, l, info] = args;
    if (a.dtype !== "float32" || l.dtype !== "float32") return "cholesky runs on webgpu for float32 only";
    if (info.shape.length > 0) return "a batch of matrices is factored on the CPU, one LAPACK call per matrix";
    if (a.shape[0] === 0 || a.shape[0] > MAX_N) return `a matrix of order ${a.shape[0]} (webgpu: 1 to ${MAX_N})`;
    return null;
  },
  dispatch(args, scalars): GpuDispatchSpec {
    const [a, l, info] = args;
    const n = a.shape[0];
    const upper = scalars[3] === true;
    const m = (k0: number) => meta(n, k0, upper, a, l, info);
    const then: { key: string; source: string; groups: [number, number, number]; meta: Uint32Array }[] = [];
    for (let k0 = 0; k0 < n; k0 += B) {
      then.push({ key: "cholesky/f32/potrf", source: POTRF, groups: [1, 1, 1], meta: m(k0) });
      const rest = n - Math.min(n, k0 + B);
      if (rest === 0) break;
      then.push({ key: "cholesky/f32/trsm", source: TRSM, groups: groupsFor(rest), meta: m(k0) });
      const tiles = Math.ceil(rest / 16);
      then.push({ key: "cholesky/f32/update", source: UPDATE, groups: [tiles, tiles, 1], meta: m(k0) });
    }
    then.push({ key: "cholesky/f32/write", source: WRITE, groups: groupsFor(n * n), meta: m(0) });
    return {
      key: "cholesky/f32/copy",
      source: COPY,
      meta: m(0),
      groups: groupsFor(n * n),
      writable: [1, 2, 3],
      scratch: [Math.max(4, n * n * 4)],
      then,
    };
  },
};
