import type { GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { groupsFor } from "../wgsl.js";

/**
 * WebGPU variant of the `linalg` task for np.linalg.cholesky, solve and inv of one float32
 * matrix, each all on the GPU in one chain of dispatches. Cholesky is blocked and
 * right-looking: the lower triangle NumPy reads (the upper one, transposed, for `upper=True`) is copied into a
 * row-major scratch matrix W; then, for each diagonal block of B columns: the block is
 * factored by one workgroup in workgroup memory, the panel below it solved against it (one
 * invocation per row), and the trailing lower triangle updated by the panel's outer product
 * (16x16 tiles, the panel's rows staged in workgroup memory); a last pass writes the factor
 * (zeros in the other triangle) and LAPACK's info (the order of the first leading minor that
 * is not positive definite, 0 when none is). np.linalg.solve and inv (the identity as
 * right-hand sides) run an LU with partial pivoting the same way, and qr Householder
 * reflections (below). The other linalg routines, batches of matrices and float64 stay on
 * the CPU with LAPACK.
 */

/** Columns per diagonal block: a block fits one workgroup's memory. */
const B = 32;

/** A 2-D view's offset and row and column strides for a meta buffer (a vector's column stride is 0; none: zeros). */
const view2d = (g: GpuArg | null): number[] => (g ? [g.offset, g.strides[0], g.strides.length > 1 ? g.strides[1] : 0] : [0, 0, 0]);
/** A meta buffer of signed integers. */
const words = (xs: readonly number[]): Uint32Array => new Uint32Array(Int32Array.from(xs).buffer);

/** The passes of one chain of dispatches, each with its own meta, made into one dispatch spec. */
class Chain {
  private readonly passes: { key: string; source: string; groups: [number, number, number]; meta: Uint32Array }[] = [];
  constructor(private readonly tag: string) {}
  pass(name: string, source: string, groups: [number, number, number], meta: Uint32Array): void {
    this.passes.push({ key: `${this.tag}/${name}`, source, groups, meta });
  }
  spec(writable: number[], scratch: number[]): GpuDispatchSpec {
    const [first, ...then] = this.passes;
    return { ...first, writable, scratch, then };
  }
}

/**
 * Meta: M[0] = n, M[1] = k0 (this step's first column), M[2] = upper, then a's and l's
 * offsets and row and column strides (M[3..5], M[6..8]) and info's offset (M[9]).
 */
function meta(n: number, k0: number, upper: boolean, a: GpuArg, l: GpuArg, info: GpuArg): Uint32Array {
  return words([n, k0, upper ? 1 : 0, ...view2d(a), ...view2d(l), info.offset]);
}

/** Element (i, j) of a strided 2-D view at offset o, and a flat invocation index (workgroups of 256). */
const ADDRESSING = `fn at(o: u32, i: u32, si: u32, j: u32, sj: u32) -> u32 {
  return u32(bitcast<i32>(o) + i32(i) * bitcast<i32>(si) + i32(j) * bitcast<i32>(sj));
}
fn flat(gid: vec3u, nwg: vec3u) -> u32 { return gid.x + gid.y * nwg.x * 256u; }
`;

/**
 * WGSL that stages the diagonal block of W at column k0 (from the meta entry `k0`) in the
 * workgroup array D, the entries where `keep` holds (the whole block, or a triangle), and
 * defines n, k0 and nb (the block's width).
 */
const stageDiagonal = (k0: string, keep: string) => `let n = M[0]; let k0 = ${k0};
  let nb = min(${B}u, n - k0);
  for (var e = lid.x; e < ${B * B}u; e = e + 256u) {
    let i = e / ${B}u; let j = e % ${B}u;
    if (i < nb && ${keep}) { D[e] = W[(k0 + i) * n + k0 + j]; }
  }
  workgroupBarrier();`;

/** A storage binding: name, element type, whether the kernels write it. */
type Buffer = [name: string, type: string, written: boolean];

/** The bindings numbered in order (absent ones skipped), then the meta M and the addressing helpers. */
function declare(...buffers: (Buffer | null)[]): string {
  const present = buffers.filter((b): b is Buffer => b !== null);
  const lines = present.map(
    ([name, type, written], i) => `@group(0) @binding(${i}) var<storage, ${written ? "read_write" : "read"}> ${name}: array<${type}>;`,
  );
  lines.push(`@group(0) @binding(${present.length}) var<storage, read> M: array<u32>;`);
  return `\n${lines.join("\n")}\n${ADDRESSING}`;
}

/** Cholesky's bindings: a, l, info, then W (the working triangle). */
const HEAD = declare(["A", "f32", false], ["L", "f32", true], ["INFO", "i32", true], ["W", "f32", true]);

/** W's lower triangle from a (its upper triangle transposed when upper), and info = 0. */
const COPY = `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0];
  let t = flat(gid, nwg);
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
  ${stageDiagonal("M[1]", "j < nb")}
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

/**
 * The block's lower-triangular factor D (staged in workgroup memory) solved against, in
 * place, by one invocation per line of W beyond the block: the rows below it (`rows`, x·Dᵀ
 * = row, Cholesky's panel) or the columns right of it (D unit lower, D·x = column, the LU's
 * block row of U). `k0` names where the meta keeps k0.
 */
const blockSolve = (head: string, k0: string, rows: boolean) => `${head}
var<workgroup> D: array<f32, ${B * B}>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  ${stageDiagonal(k0, rows ? "j <= i" : "j < i")}
  let line = k0 + nb + (wid.x + wid.y * nwg.x) * 256u + lid.x;
  if (line >= n) { return; }
  var x: array<f32, ${B}>;
  for (var j = 0u; j < nb; j = j + 1u) {
    let p = ${rows ? "line * n + k0 + j" : "(k0 + j) * n + line"};
    var s = W[p];
    for (var c = 0u; c < j; c = c + 1u) { s = s - D[j * ${B}u + c] * x[c]; }
    x[j] = s${rows ? ` / D[j * ${B}u + j]` : ""};
    W[p] = x[j];
  }
}
`;

/** Cholesky's panel below the diagonal block: each row solved against the block's factor. */
const TRSM = blockSolve(HEAD, "M[1]", true);

/**
 * The trailing matrix (from row and column s0 = k0 + nb) minus the product of the block
 * column's rows below the block and, for an LU, U's block row right of it, or for a Cholesky
 * (`lower`) the same rows again, only on and below the diagonal: 16x16 tiles, both operands
 * staged in workgroup memory (`k0` names where the meta keeps k0).
 */
const trailingUpdate = (head: string, k0: string, lower: boolean) => `${head}
var<workgroup> Pi: array<f32, ${16 * B}>;
var<workgroup> Pj: array<f32, ${16 * B}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  ${lower ? "if (wid.x > wid.y) { return; }" : ""}
  let n = M[0]; let k0 = ${k0};
  let nb = min(${B}u, n - k0);
  let s0 = k0 + nb;
  let i0 = s0 + wid.y * 16u; let j0 = s0 + wid.x * 16u;
  let tid = lid.y * 16u + lid.x;
  for (var e = tid; e < ${16 * B}u; e = e + 256u) {
    let r = e / ${B}u; let c = e % ${B}u;
    var vi = 0.0; var vj = 0.0;
    if (c < nb && i0 + r < n) { vi = W[(i0 + r) * n + k0 + c]; }
    if (c < nb && j0 + r < n) { vj = W[${lower ? "(j0 + r) * n + k0 + c" : "(k0 + c) * n + j0 + r"}]; }
    Pi[e] = vi; Pj[e] = vj;
  }
  workgroupBarrier();
  let i = i0 + lid.y; let j = j0 + lid.x;
  if (i >= n || j >= n${lower ? " || j > i" : ""}) { return; }
  var s = 0.0;
  for (var c = 0u; c < nb; c = c + 1u) { s = fma(Pi[lid.y * ${B}u + c], Pj[lid.x * ${B}u + c], s); }
  W[i * n + j] = W[i * n + j] - s;
}
`;

/** Cholesky's trailing update: the lower triangle minus the panel's outer product. */
const UPDATE = trailingUpdate(HEAD, "M[1]", true);

/** The factor into l: L (or Lᵀ = U when upper), zeros in the other triangle. */
const WRITE = `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0];
  let t = flat(gid, nwg);
  if (t >= n * n) { return; }
  let i = t / n; let j = t % n;
  var v = 0.0;
  if (M[2] == 1u) { if (i <= j) { v = W[j * n + i]; } } else if (j <= i) { v = W[t]; }
  L[at(M[6], i, M[7], j, M[8])] = v;
}
`;

// ---- solve and inv: an LU with partial pivoting ---------------------------------------

/**
 * Meta of the LU kernels: M[0] = n, M[1] = k (right-hand sides), M[2] = k0 (this block's
 * first column), M[3] = 1 for inv (the right-hand sides are the identity), then b's and x's
 * offsets and row and column strides (M[4..6], M[7..9]; a vector has column stride 0), a's
 * (M[10..12]) and info's offset (M[13]).
 */
function luMeta(n: number, k: number, k0: number, inv: boolean, a: GpuArg, b: GpuArg | null, x: GpuArg, info: GpuArg): Uint32Array {
  return words([n, k, k0, inv ? 1 : 0, ...view2d(b), ...view2d(x), ...view2d(a), info.offset]);
}

/** Bindings: a, b (a's binding again for inv), x, info, then the LU W, the pivots and the right-hand sides R. */
function luHead(inv: boolean): string {
  return declare(
    ["A", "f32", false],
    inv ? null : ["Bv", "f32", false],
    ["X", "f32", true],
    ["INFO", "i32", true],
    ["W", "f32", true],
    ["PIV", "u32", true],
    ["R", "f32", true],
  );
}

/** W = a row-major, R = b (or the identity), info = 0. */
const luCopy = (inv: boolean) => `${luHead(inv)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0]; let k = M[1];
  let t = flat(gid, nwg);
  if (t == 0u) { INFO[M[13]] = 0; }
  if (t < n * n) { W[t] = A[at(M[10], t / n, M[11], t % n, M[12])]; return; }
  let r = t - n * n;
  if (r >= n * k) { return; }
  let i = r / k; let c = r % k;
  ${inv ? "R[r] = select(0.0, 1.0, i == c);" : "R[r] = Bv[at(M[4], i, M[5], c, M[6])];"}
}
`;

/**
 * The panel of columns [k0, k0 + nb) factored by one workgroup, column by column: the pivot
 * (the first largest magnitude, as LAPACK's isamax), the row swap within the panel, the
 * column scaled by the pivot and the panel's remaining columns updated. A zero pivot sets
 * info (LAPACK's getrf goes on, and so does this).
 */
const luPanel = (inv: boolean) => `${luHead(inv)}
var<workgroup> bv: array<f32, 256>;
var<workgroup> bi: array<u32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let n = M[0]; let k0 = M[2];
  let k1 = min(k0 + ${B}u, n);
  for (var j = k0; j < k1; j = j + 1u) {
    var v = -1.0; var p = j;
    for (var i = j + lid.x; i < n; i = i + 256u) { let m = abs(W[i * n + j]); if (m > v) { v = m; p = i; } }
    bv[lid.x] = v; bi[lid.x] = p;
    workgroupBarrier();
    for (var s = 128u; s > 0u; s = s >> 1u) {
      if (lid.x < s) {
        let ov = bv[lid.x + s]; let oi = bi[lid.x + s];
        if (ov > bv[lid.x] || (ov == bv[lid.x] && oi < bi[lid.x])) { bv[lid.x] = ov; bi[lid.x] = oi; }
      }
      workgroupBarrier();
    }
    let q = workgroupUniformLoad(&bi[0]);
    if (lid.x == 0u) { PIV[j] = q; }
    if (q != j) {
      for (var c = k0 + lid.x; c < k1; c = c + 256u) { let t = W[j * n + c]; W[j * n + c] = W[q * n + c]; W[q * n + c] = t; }
    }
    storageBarrier();
    let d = W[j * n + j];
    if (d == 0.0) {
      if (lid.x == 0u && INFO[M[13]] == 0) { INFO[M[13]] = i32(j + 1u); }
    } else {
      for (var i = j + 1u + lid.x; i < n; i = i + 256u) { W[i * n + j] = W[i * n + j] / d; }
    }
    storageBarrier();
    let w = k1 - j - 1u;
    for (var e = lid.x; e < (n - j - 1u) * w; e = e + 256u) {
      let i = j + 1u + e / w; let c = j + 1u + e % w;
      W[i * n + c] = W[i * n + c] - W[i * n + j] * W[j * n + c];
    }
    storageBarrier();
  }
}
`;

/** The panel's row swaps applied to every other column of W and to R (one invocation per column). */
const luSwap = (inv: boolean) => `${luHead(inv)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0]; let k = M[1]; let k0 = M[2];
  let k1 = min(k0 + ${B}u, n);
  let t = flat(gid, nwg);
  if (t >= n + k || (t >= k0 && t < k1)) { return; }
  for (var j = k0; j < k1; j = j + 1u) {
    let p = PIV[j];
    if (p == j) { continue; }
    if (t < n) { let x = W[j * n + t]; W[j * n + t] = W[p * n + t]; W[p * n + t] = x; }
    else { let c = t - n; let x = R[j * k + c]; R[j * k + c] = R[p * k + c]; R[p * k + c] = x; }
  }
}
`;

/** U's block row right of the panel: L11⁻¹ times it (L11 unit lower). */
const luTrsm = (inv: boolean) => blockSolve(luHead(inv), "M[2]", false);

/** The LU's trailing update: minus L21·U12. */
const luUpdate = (inv: boolean) => trailingUpdate(luHead(inv), "M[2]", false);

/**
 * The triangular solves on R, block by block: forward with L (unit lower) then backward with
 * U. `diag`: one invocation per right-hand side solves the block's rows; otherwise one per
 * (row, right-hand side) outside the block subtracts the block's contribution.
 */
const luSolve = (inv: boolean, upper: boolean, diag: boolean) => `${luHead(inv)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0]; let k = M[1]; let k0 = M[2];
  let nb = min(${B}u, n - k0);
  let t = flat(gid, nwg);
  ${
    diag
      ? upper
        ? `if (t >= k) { return; }
  for (var jj = 0u; jj < nb; jj = jj + 1u) {
    let j = nb - 1u - jj;
    var s = R[(k0 + j) * k + t];
    for (var l = j + 1u; l < nb; l = l + 1u) { s = s - W[(k0 + j) * n + k0 + l] * R[(k0 + l) * k + t]; }
    R[(k0 + j) * k + t] = s / W[(k0 + j) * n + k0 + j];
  }`
        : `if (t >= k) { return; }
  for (var j = 0u; j < nb; j = j + 1u) {
    var s = R[(k0 + j) * k + t];
    for (var l = 0u; l < j; l = l + 1u) { s = s - W[(k0 + j) * n + k0 + l] * R[(k0 + l) * k + t]; }
    R[(k0 + j) * k + t] = s;
  }`
      : `let rows = ${upper ? "k0" : "n - k0 - nb"};
  if (t >= rows * k) { return; }
  let i = ${upper ? "" : "k0 + nb + "}t / k; let c = t % k;
  var s = 0.0;
  for (var l = 0u; l < nb; l = l + 1u) { s = fma(W[i * n + k0 + l], R[(k0 + l) * k + c], s); }
  R[i * k + c] = R[i * k + c] - s;`
  }
}
`;

/** x from R. */
const luWrite = (inv: boolean) => `${luHead(inv)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = M[0]; let k = M[1];
  let t = flat(gid, nwg);
  if (t >= n * k) { return; }
  X[at(M[7], t / k, M[8], t % k, M[9])] = R[t];
}
`;

/** np.linalg.solve (args a, b, x, info) or inv (a, x, info) of one float32 matrix. */
function luDispatch(args: readonly GpuArg[], inv: boolean): GpuDispatchSpec {
  const [a, b, x, info] = inv ? [args[0], null, args[1], args[2]] : args;
  const n = a.shape[0];
  const k = x.shape.length > 1 ? x.shape[1] : 1;
  const chain = new Chain(`lu/f32/${inv ? "inv" : "solve"}`);
  const pass = (name: string, source: string, groups: [number, number, number], k0 = 0) =>
    chain.pass(name, source, groups, luMeta(n, k, k0, inv, a, b, x, info));
  pass("copy", luCopy(inv), groupsFor(n * n + n * k));
  const blocks: number[] = [];
  for (let k0 = 0; k0 < n; k0 += B) blocks.push(k0);
  for (const k0 of blocks) {
    const rest = n - Math.min(n, k0 + B);
    pass("panel", luPanel(inv), [1, 1, 1], k0);
    pass("swap", luSwap(inv), groupsFor(n + k), k0);
    if (rest === 0) continue;
    pass("trsm", luTrsm(inv), groupsFor(rest), k0);
    const tiles = Math.ceil(rest / 16);
    pass("update", luUpdate(inv), [tiles, tiles, 1], k0);
  }
  for (const k0 of blocks) {
    pass("forward/diag", luSolve(inv, false, true), groupsFor(k), k0);
    pass("forward/rest", luSolve(inv, false, false), groupsFor((n - Math.min(n, k0 + B)) * k), k0);
  }
  for (const k0 of [...blocks].reverse()) {
    pass("backward/diag", luSolve(inv, true, true), groupsFor(k), k0);
    pass("backward/rest", luSolve(inv, true, false), groupsFor(k0 * k), k0);
  }
  pass("write", luWrite(inv), groupsFor(n * k));
  const o = inv ? 1 : 2;
  return chain.spec([o, o + 1, o + 2, o + 3, o + 4], [n * n * 4, n * 4, n * k * 4]);
}

// ---- qr: Householder reflections --------------------------------------------------------

/**
 * Meta of the QR kernels: M[0] = m, M[1] = n, M[2] = j (this step's column), M[3] = Q's
 * columns (0 for mode 'r'), M[4] = R's rows, then a's, q's and r's offsets and row and column
 * strides (M[5..7], M[8..10], M[11..13]) and info's offset (M[14]).
 */
function qrMeta(m: number, n: number, j: number, a: GpuArg, q: GpuArg | null, r: GpuArg, info: GpuArg): Uint32Array {
  return words([m, n, j, q ? q.shape[1] : 0, r.shape[0], ...view2d(a), ...view2d(q), ...view2d(r), info.offset]);
}

/** Bindings: a, q (when Q is asked for), r, info, then W (a, then its reflectors and R), the taus and Q's working copy. */
function qrHead(withQ: boolean): string {
  return `${declare(
    ["A", "f32", false],
    withQ ? ["Q", "f32", true] : null,
    ["R", "f32", true],
    ["INFO", "i32", true],
    ["W", "f32", true],
    ["TAU", "f32", true],
    ["QW", "f32", true],
  )}
var<workgroup> part: array<f32, 256>;
// The workgroup's sum of each invocation's x (every invocation gets it).
fn total(lid: u32, x: f32) -> f32 {
  part[lid] = x;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  return workgroupUniformLoad(&part[0]);
}
`;
}

/** W = a row-major; Q's working copy the identity; info = 0 (a QR does not fail). */
const qrCopy = (withQ: boolean) => `${qrHead(withQ)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let m = M[0]; let n = M[1]; let kq = M[3];
  let t = flat(gid, nwg);
  if (t == 0u) { INFO[M[14]] = 0; }
  if (t < m * n) { W[t] = A[at(M[5], t / n, M[6], t % n, M[7])]; return; }
  let e = t - m * n;
  if (e < m * kq) { QW[e] = select(0.0, 1.0, e / kq == e % kq); }
}
`;

/**
 * Column j's reflector, as LAPACK's larfg: beta = -sign(alpha)·‖(alpha, x)‖, tau = (beta -
 * alpha)/beta, v = x/(alpha - beta) below the diagonal (v_j = 1 implied), beta on it; x = 0
 * gives tau = 0 (H = I). One workgroup.
 */
const qrHouse = (withQ: boolean) => `${qrHead(withQ)}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let m = M[0]; let n = M[1]; let j = M[2];
  // Read before the barrier in total(): invocation 0 overwrites it with beta at the end.
  let alpha = W[j * n + j];
  var x = 0.0;
  for (var i = j + 1u + lid.x; i < m; i = i + 256u) { let v = W[i * n + j]; x = fma(v, v, x); }
  let xn2 = total(lid.x, x);
  if (xn2 == 0.0) {
    if (lid.x == 0u) { TAU[j] = 0.0; }
    return;
  }
  let beta = select(sqrt(fma(alpha, alpha, xn2)), -sqrt(fma(alpha, alpha, xn2)), alpha >= 0.0);
  let scale = 1.0 / (alpha - beta);
  for (var i = j + 1u + lid.x; i < m; i = i + 256u) { W[i * n + j] = W[i * n + j] * scale; }
  if (lid.x == 0u) { TAU[j] = (beta - alpha) / beta; W[j * n + j] = beta; }
}
`;

/**
 * H_j applied from the left to one column per workgroup: of W right of column j (`toQ`
 * false), or of Q's working copy from column j on (building Q backwards, as LAPACK's orgqr).
 */
const qrApply = (withQ: boolean, toQ: boolean) => `${qrHead(withQ)}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let m = M[0]; let n = M[1]; let j = M[2];
  let ld = ${toQ ? "M[3]" : "n"};
  let c = j + ${toQ ? "0u" : "1u"} + wid.x + wid.y * 65535u;
  if (c >= ld) { return; }
  let tau = TAU[j];
  // Read before the barrier in total(): invocation 0 overwrites it after.
  let top = ${toQ ? "QW" : "W"}[j * ld + c];
  var x = 0.0;
  for (var i = j + 1u + lid.x; i < m; i = i + 256u) { x = fma(W[i * n + j], ${toQ ? "QW" : "W"}[i * ld + c], x); }
  let s = tau * (top + total(lid.x, x));
  if (lid.x == 0u) { ${toQ ? "QW" : "W"}[j * ld + c] = top - s; }
  for (var i = j + 1u + lid.x; i < m; i = i + 256u) { ${toQ ? "QW" : "W"}[i * ld + c] = ${toQ ? "QW" : "W"}[i * ld + c] - s * W[i * n + j]; }
}
`;

/** R (W's upper triangle in its first rows, zeros below) and Q into the outputs. */
const qrWrite = (withQ: boolean) => `${qrHead(withQ)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let m = M[0]; let n = M[1]; let kq = M[3]; let rr = M[4];
  let t = flat(gid, nwg);
  if (t < rr * n) {
    let i = t / n; let c = t % n;
    R[at(M[11], i, M[12], c, M[13])] = select(0.0, W[t], i <= c);
    return;
  }
  ${withQ ? "let e = t - rr * n;\n  if (e < m * kq) { Q[at(M[8], e / kq, M[9], e % kq, M[10])] = QW[e]; }" : ""}
}
`;

/** One workgroup per column: at most 65535 a row, in rows. */
const columnGroups = (count: number): [number, number, number] => [Math.min(Math.max(1, count), 65535), Math.max(1, Math.ceil(count / 65535)), 1];

/** np.linalg.qr (modes 'reduced', 'complete': args a, q, r, info; 'r': a, r, info) of one float32 matrix. */
function qrDispatch(args: readonly GpuArg[], withQ: boolean): GpuDispatchSpec {
  const [a, q, r, info] = withQ ? args : [args[0], null, args[1], args[2]];
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  const kq = q ? q.shape[1] : 0;
  const chain = new Chain(`qr/f32/${withQ ? "q" : "r"}`);
  const pass = (name: string, source: string, groups: [number, number, number], j = 0) =>
    chain.pass(name, source, groups, qrMeta(m, n, j, a, q, r, info));
  pass("copy", qrCopy(withQ), groupsFor(m * n + m * kq));
  for (let j = 0; j < k; j++) {
    pass("house", qrHouse(withQ), [1, 1, 1], j);
    if (j + 1 < n) pass("apply", qrApply(withQ, false), columnGroups(n - j - 1), j);
  }
  if (withQ) for (let j = k - 1; j >= 0; j--) pass("q", qrApply(withQ, true), columnGroups(kq - j), j);
  pass("write", qrWrite(withQ), groupsFor(r.shape[0] * n + m * kq));
  return chain.spec(withQ ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5], [Math.max(4, m * n * 4), Math.max(4, k * 4), Math.max(4, m * kq * 4)]);
}

/** Largest order factored on the GPU: W and the grid's invocations stay in u32 range and one binding. */
const MAX_N = 1 << 13;

/** np.linalg.cholesky (args a, l, info) of one float32 matrix. */
function choleskyDispatch(args: readonly GpuArg[], upper: boolean): GpuDispatchSpec {
  const [a, l, info] = args;
  const n = a.shape[0];
  const m = (k0: number) => meta(n, k0, upper, a, l, info);
  const chain = new Chain("cholesky/f32");
  chain.pass("copy", COPY, groupsFor(n * n), m(0));
  for (let k0 = 0; k0 < n; k0 += B) {
    chain.pass("potrf", POTRF, [1, 1, 1], m(k0));
    const rest = n - Math.min(n, k0 + B);
    if (rest === 0) break;
    chain.pass("trsm", TRSM, groupsFor(rest), m(k0));
    const tiles = Math.ceil(rest / 16);
    chain.pass("update", UPDATE, [tiles, tiles, 1], m(k0));
  }
  chain.pass("write", WRITE, groupsFor(n * n), m(0));
  return chain.spec([1, 2, 3], [Math.max(4, n * n * 4)]);
}

/** The routines with a WebGPU variant. */
const GPU_OPS = new Set(["cholesky", "solve", "inv", "qr"]);

export const linalgWebgpu: WebgpuVariant = {
  blocker(args, scalars) {
    const op = String(scalars[0]);
    if (!GPU_OPS.has(op)) return `np.linalg's ${op} runs on the CPU with LAPACK (webgpu: cholesky, solve, inv and qr)`;
    if (args.some((g) => g !== args[args.length - 1] && g.dtype !== "float32")) return `${op} runs on webgpu for float32 only`;
    const info = args[args.length - 1];
    if (info.shape.length > 0) return "a batch of matrices is factored on the CPU, one LAPACK call per matrix";
    if (op === "qr" && !["reduced", "complete", "r"].includes(String(scalars[3]))) return `qr's mode '${String(scalars[3])}' runs on the CPU`;
    if (args[0].shape.some((e) => e === 0 || e > MAX_N)) return `a matrix of ${args[0].shape.join("x")} (webgpu: 1 to ${MAX_N} a side)`;
    if (op === "solve" && (args[2].shape.length > 1 ? args[2].shape[1] : 1) === 0) return "no right-hand sides";
    return null;
  },
  dispatch(args, scalars): GpuDispatchSpec {
    if (scalars[0] === "qr") return qrDispatch(args, scalars[3] !== "r");
    if (scalars[0] !== "cholesky") return luDispatch(args, scalars[0] === "inv");
    return choleskyDispatch(args, scalars[3] === true);
  },
};
