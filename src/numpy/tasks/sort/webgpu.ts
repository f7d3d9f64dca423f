import type { DTypeName, GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { WG, flatMain, groupsFor, unsupported } from "../wgsl.js";

/**
 * WebGPU variants of np.sort's tasks for float32, int32, uint32 and bool: a bitonic sorting
 * network per row, in place.
 *
 * Elements are compared through an unsigned key that orders like the values: the raw bits
 * (uint32, bool), the sign bit flipped (int32), or for float32 the IEEE total order with every
 * NaN mapped to the largest key (NaN last, as NumPy; -0.0 before 0.0, as the CPU variant's
 * typed-array sort). Rows are padded to a power of two P with virtual +inf: the network's
 * compare-exchanges all put the smaller value first, so a pair whose upper element lies past
 * the row end never swaps and can be skipped, and the padding never moves.
 *
 * Blocks of BS = 512 elements are sorted in workgroup memory in one pass (stages 2..512);
 * each later stage k runs its steps of span >= 512 as global passes (one compare-exchange
 * per invocation) and its remaining steps in workgroup memory in one pass.
 *
 * sort_rows sorts each row of its store (the CPU variant sorts blocks of a long row and
 * merge_runs merges them). On the GPU sort_rows sorts a long row whole, so merge_runs first
 * copies its input and checks whether it is sorted (a flag in a scratch buffer); only when it
 * is not (the runs came from the CPU) do the network's passes do any work.
 */
const BS = 2 * WG;
const DTYPES = new Set<DTypeName>(["float32", "int32", "uint32", "bool"]);

function keyWGSL(d: DTypeName): string {
  if (d === "float32") {
    return `fn key(v: u32) -> u32 {
  if ((v & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  return select(v ^ 0x80000000u, ~v, (v & 0x80000000u) != 0u);
}`;
  }
  return d === "int32" ? "fn key(v: u32) -> u32 { return v ^ 0x80000000u; }" : "fn key(v: u32) -> u32 { return v; }";
}

/** Geometry of the rows sorted in place: `d` (a 1-D or 2-D store, rows × n). */
interface Rows {
  rows: number;
  n: number;
  P: number;
  offset: number;
  rs: number;
  es: number;
}

function rowsOf(d: GpuArg): Rows {
  const two = d.shape.length === 2;
  const rows = two ? d.shape[0] : 1,
    n = d.shape[d.shape.length - 1];
  let P = 1;
  while (P < n) P *= 2;
  return { rows, n, P, offset: d.offset, rs: two ? d.strides[0] : 0, es: d.strides[d.strides.length - 1] };
}

/**
 * Meta: M0 rows, M1 n, M2 P, M3 blocks per row, M4 offset, M5 row stride, M6 element
 * stride, M7 input offset, M8 input stride (merge_runs' copy), then per pass M9 and M10:
 * the global step's span h and whether it flips, or the local pass's first and last stage.
 */
function meta(r: Rows, input: GpuArg | null, a: number, b: number): Uint32Array {
  const bpr = Math.max(1, r.P / BS);
  return new Uint32Array(Int32Array.from([r.rows, r.n, r.P, bpr, r.offset, r.rs, r.es, input?.offset ?? 0, input?.strides[0] ?? 0, a, b]).buffer);
}

/** Bindings: sort_rows binds D (read_write); merge_runs binds X (read), D (read_write), F (the flag). */
function header(d: DTypeName, merge: boolean): string {
  const decl = merge
    ? `@group(0) @binding(0) var<storage, read> X: array<u32>;
@group(0) @binding(1) var<storage, read_write> D: array<u32>;
@group(0) @binding(2) var<storage, read_write> F: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read> M: array<u32>;`
    : `@group(0) @binding(0) var<storage, read_write> D: array<u32>;
@group(0) @binding(1) var<storage, read> M: array<u32>;`;
  return `${decl}
${keyWGSL(d)}
fn at(row: u32, i: u32) -> u32 { return u32(bitcast<i32>(M[4]) + i32(row) * bitcast<i32>(M[5]) + i32(i) * bitcast<i32>(M[6])); }
// Whether the network has work to do (merge_runs: only when its input was not sorted).
fn needed() -> bool { return ${merge ? "atomicLoad(&F[0]) != 0u" : "true"}; }`;
}

/** merge_runs pass 0: copy X into D and raise the flag where the order breaks. */
function copySource(d: DTypeName): string {
  return `${header(d, true)}
${flatMain("i", "M[1]")}
  let xs = bitcast<i32>(M[8]);
  let v = X[u32(bitcast<i32>(M[7]) + i32(i) * xs)];
  D[at(0u, i)] = v;
  if (i > 0u && key(v) < key(X[u32(bitcast<i32>(M[7]) + i32(i - 1u) * xs)])) { atomicStore(&F[0], 1u); }
}
`;
}

/** One global compare-exchange step of span h (M9), flipping (M10 = 1) or not. */
function globalSource(d: DTypeName, merge: boolean): string {
  return `${header(d, merge)}
${flatMain("t", "M[0] * (M[2] / 2u)")}
  if (!needed()) { return; }
  let half = M[2] / 2u;
  let row = t / half; let q = t % half;
  let h = M[9];
  let blk = (q / h) * 2u * h; let off = q % h;
  let i = blk + off;
  var p = i + h;
  if (M[10] == 1u) { p = blk + 2u * h - 1u - off; }
  if (p >= M[1]) { return; }
  let ai = at(row, i); let ap = at(row, p);
  let a = D[ai]; let b = D[ap];
  if (key(a) > key(b)) { D[ai] = b; D[ap] = a; }
}
`;
}

/** Stages M9..M10 of each block of BS elements, in workgroup memory (steps of span < BS). */
function localSource(d: DTypeName, merge: boolean): string {
  return `${header(d, merge)}
var<workgroup> s: array<u32, ${BS}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let w = wid.x + wid.y * nwg.x;
  if (w >= M[0] * M[3]) { return; }
  let go = needed();
  let row = w / M[3];
  let base = (w % M[3]) * ${BS}u;
  let n = M[1];
  for (var e = lid.x; e < ${BS}u; e = e + ${WG}u) { if (go && base + e < n) { s[e] = D[at(row, base + e)]; } }
  workgroupBarrier();
  for (var k = M[9]; k <= M[10]; k = k * 2u) {
    for (var h = min(k / 2u, ${WG}u); h > 0u; h = h / 2u) {
      let blk = (lid.x / h) * 2u * h; let off = lid.x % h;
      let i = blk + off;
      var p = i + h;
      if (2u * h == k) { p = blk + k - 1u - off; }
      if (go && base + p < n) {
        let a = s[i]; let b = s[p];
        if (key(a) > key(b)) { s[i] = b; s[p] = a; }
      }
      workgroupBarrier();
    }
  }
  for (var e = lid.x; e < ${BS}u; e = e + ${WG}u) { if (go && base + e < n) { D[at(row, base + e)] = s[e]; } }
}
`;
}

/** The network's passes after the first: per stage beyond BS, its global steps, then one local pass. */
function networkPasses(
  d: DTypeName,
  r: Rows,
  input: GpuArg | null,
  merge: boolean,
): { key: string; source: string; groups: [number, number, number]; meta: Uint32Array }[] {
  const tag = `sort/${d}/${merge ? "merge" : "rows"}`;
  const localGroups = groupsFor(r.rows * Math.max(1, r.P / BS) * WG);
  const globalGroups = groupsFor(r.rows * (r.P / 2));
  const passes: { key: string; source: string; groups: [number, number, number]; meta: Uint32Array }[] = [];
  const local = (k0: number, k1: number) =>
    passes.push({ key: `${tag}/local`, source: localSource(d, merge), groups: localGroups, meta: meta(r, input, k0, k1) });
  local(2, Math.max(2, Math.min(r.P, BS)));
  for (let k = 2 * BS; k <= r.P; k *= 2) {
    for (let h = k / 2; h >= BS; h /= 2)
      passes.push({ key: `${tag}/global`, source: globalSource(d, merge), groups: globalGroups, meta: meta(r, input, h, h === k / 2 ? 1 : 0) });
    local(k, k);
  }
  return passes;
}

function blocker(args: readonly GpuArg[]): string | null {
  const d = args[args.length - 1].dtype;
  if (!DTYPES.has(d)) return unsupported(d);
  const r = rowsOf(args[args.length - 1]);
  if (r.P > 2 ** 31) return "a row too long for the GPU sort";
  return null;
}

/** sort_rows: args [x (readwrite; 1-D, or rows × n)]: sort every row in place. */
export const sortRowsWebgpu: WebgpuVariant = {
  blocker,
  dispatch(args): GpuDispatchSpec {
    const [x] = args;
    const r = rowsOf(x);
    const [first, ...then] = networkPasses(x.dtype, r, null, false);
    return { ...first, writable: [0], then };
  },
};

/** merge_runs: args [x (read, 1-D of sorted runs), out (write)]: out = x sorted. */
export const mergeRunsWebgpu: WebgpuVariant = {
  blocker,
  dispatch(args): GpuDispatchSpec {
    const [x, out] = args;
    const r = rowsOf(out);
    const passes = networkPasses(out.dtype, r, x, true);
    return {
      key: `sort/${out.dtype}/copy`,
      source: copySource(out.dtype),
      meta: meta(r, x, 0, 0),
      groups: groupsFor(r.n),
      writable: [1, 2],
      scratch: [4],
      then: passes,
    };
  },
};
