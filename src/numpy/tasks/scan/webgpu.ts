import type { DTypeName, GpuArg, GpuDispatchSpec, WebgpuVariant } from "../../../core/task_api.js";
import { INT64_WGSL, WG, WTYPE, flatMain, groupsFor, rowsMeta, rowBaseWGSL, unsupported } from "../wgsl.js";

/**
 * WebGPU variant of the `cumulate` task (np.cumsum / np.cumprod) over any strided input
 * along any axis. Inputs float32, int32, uint32 and bool; accumulators float32 (from
 * float32), and bool, int32/uint32 and int64/uint64 (from the integer inputs and bool;
 * 64-bit values are held as vec2<u32> and stored as word pairs in the host layout).
 *
 * Short rows (up to SERIAL_N) are scanned by one invocation each, in order, as NumPy does.
 * Longer rows use a blocked scan in three passes: each workgroup scans a block of B
 * elements (4 per thread, then across threads in workgroup memory) and writes the block's
 * total; one workgroup per row turns the totals into exclusive prefixes; each block adds its
 * prefix. Float sums are then grouped differently from NumPy's sequential sum, so float32
 * results may differ from NumPy's in the last bits (about n·eps relative to the running
 * sum of magnitudes, as for any summation order).
 */
const E = 4;
const B = WG * E;
export const SERIAL_N = 256;

const INPUTS = new Set<DTypeName>(["float32", "int32", "uint32", "bool"]);
const INT_ACC = new Set<DTypeName>(["bool", "int32", "uint32", "int64", "uint64"]);

interface Plan {
  x: GpuArg;
  out: GpuArg;
  axis: number;
  op: "sum" | "prod";
  rows: number;
  n: number;
  A: string;
  wide: boolean;
}

function plan(args: readonly GpuArg[], scalars: readonly unknown[]): Plan {
  const [x, out] = args;
  const [op, axis] = scalars as ["sum" | "prod", number];
  const n = out.shape[axis] ?? 1;
  const rows = out.shape.reduce((p, d, k) => (k === axis ? p : p * d), 1);
  const wide = out.dtype === "int64" || out.dtype === "uint64";
  return { x, out, axis, op, rows, n, wide, A: wide ? "vec2u" : WTYPE[out.dtype]! };
}

function blocker(args: readonly GpuArg[], scalars: readonly unknown[]): string | null {
  const p = plan(args, scalars);
  if (!INPUTS.has(p.x.dtype)) return unsupported(p.x.dtype);
  if (p.x.dtype === "float32" ? p.out.dtype !== "float32" : !INT_ACC.has(p.out.dtype))
    return `scanning ${p.x.dtype} into ${p.out.dtype} has no webgpu variant`;
  if (p.n > SERIAL_N && Math.ceil(p.n / B) > 65535) return "a scan row longer than 65535 blocks";
  return null;
}

/** The accumulator's identity, combination, and conversion of an input element. */
function algebra(p: Plan): string {
  const { A, op } = p;
  const id =
    A === "vec2u"
      ? op === "sum"
        ? "vec2u(0u, 0u)"
        : "vec2u(1u, 0u)"
      : A === "f32"
        ? op === "sum"
          ? "0.0"
          : "1.0"
        : `${A}(${op === "sum" ? 0 : 1})`;
  const bool = p.out.dtype === "bool";
  const comb =
    A === "vec2u" ? (op === "sum" ? "add64(a, b)" : "mul64(a, b)") : bool ? (op === "sum" ? "a | b" : "a & b") : op === "sum" ? "a + b" : "a * b";
  const xt = WTYPE[p.x.dtype]!;
  let conv: string;
  if (bool) conv = `select(0u, 1u, v != ${xt}(0))`;
  else if (A === "vec2u") conv = xt === "i32" ? "vec2u(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0))" : "vec2u(v, 0u)";
  else if (A === xt) conv = "v";
  else conv = `bitcast<${A}>(v)`;
  return `${A === "vec2u" ? INT64_WGSL : ""}
fn ident() -> ${A} { return ${id}; }
fn comb(a: ${A}, b: ${A}) -> ${A} { return ${comb}; }
fn conv(v: ${xt}) -> ${A} { return ${conv}; }
fn ld(e: u32, base: i32) -> ${A} { return conv(X[u32(base + i32(e) * bitcast<i32>(M[4]))]); }
fn oi(e: u32, base: i32) -> u32 { return u32(base + i32(e) * bitcast<i32>(M[6])); }
${
  p.wide
    ? `fn st(i: u32, a: vec2u) { O[2u * i] = a.x; O[2u * i + 1u] = a.y; }
fn rd(i: u32) -> vec2u { return vec2u(O[2u * i], O[2u * i + 1u]); }`
    : `fn st(i: u32, a: ${A}) { O[i] = a; }
fn rd(i: u32) -> ${A} { return O[i]; }`
}`;
}

function header(p: Plan, scratch: boolean): string {
  const m = p.out.shape.length - 1;
  return `@group(0) @binding(0) var<storage, read> X: array<${WTYPE[p.x.dtype]}>;
@group(0) @binding(1) var<storage, read_write> O: array<${p.wide ? "u32" : p.A}>;
${scratch ? `@group(0) @binding(2) var<storage, read_write> S: array<${p.A}>;\n` : ""}@group(0) @binding(${scratch ? 3 : 2}) var<storage, read> M: array<u32>;
${algebra(p)}
${rowBaseWGSL(m, 7)}`;
}

/** One invocation per row, in order (NumPy's rounding). */
function serialSource(p: Plan): string {
  return `${header(p, false)}
${flatMain("row", "M[0]")}
  let b = rowBase(row);
  var acc = ident();
  for (var e = 0u; e < M[1]; e = e + 1u) {
    acc = comb(acc, ld(e, b.x));
    st(oi(e, b.y), acc);
  }
}
`;
}

/** Inclusive scan of `run` across the workgroup (Hillis-Steele in workgroup memory); leaves sh. */
const WG_SCAN = `sh[lid.x] = run;
  workgroupBarrier();
  for (var s = 1u; s < ${WG}u; s = s << 1u) {
    var t = ident();
    if (lid.x >= s) { t = sh[lid.x - s]; }
    workgroupBarrier();
    if (lid.x >= s) { sh[lid.x] = comb(t, sh[lid.x]); }
    workgroupBarrier();
  }
  var prefix = ident();
  if (lid.x > 0u) { prefix = sh[lid.x - 1u]; }`;

const ENTRY =
  "@compute @workgroup_size(" +
  WG +
  ")\nfn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {\n  let row = wid.y + wid.z * nwg.y;\n  let live = row < M[0];";

/** Pass 1: scan each block of B elements; its total goes to S[row * nb + block]. */
function blockSource(p: Plan): string {
  return `${header(p, true)}
var<workgroup> sh: array<${p.A}, ${WG}>;
${ENTRY}
  let n = M[1]; let nb = M[2];
  var b = vec2i(0, 0);
  if (live) { b = rowBase(row); }
  let start = wid.x * ${B}u + lid.x * ${E}u;
  var vals: array<${p.A}, ${E}>;
  var run = ident();
  for (var j = 0u; j < ${E}u; j = j + 1u) {
    if (live && start + j < n) { run = comb(run, ld(start + j, b.x)); }
    vals[j] = run;
  }
  ${WG_SCAN}
  for (var j = 0u; j < ${E}u; j = j + 1u) {
    if (live && start + j < n) { st(oi(start + j, b.y), comb(prefix, vals[j])); }
  }
  if (live && lid.x == ${WG - 1}u) { S[row * nb + wid.x] = sh[${WG - 1}u]; }
}
`;
}

/** Pass 2: one workgroup per row turns its block totals into exclusive prefixes, in place. */
function carrySource(p: Plan): string {
  return `${header(p, true)}
var<workgroup> sh: array<${p.A}, ${WG}>;
${ENTRY}
  let nb = M[2];
  var carry = ident();
  for (var c0 = 0u; c0 < nb; c0 = c0 + ${B}u) {
    let start = c0 + lid.x * ${E}u;
    var vals: array<${p.A}, ${E}>;
    var run = ident();
    for (var j = 0u; j < ${E}u; j = j + 1u) {
      vals[j] = run;
      if (live && start + j < nb) { run = comb(run, S[row * nb + start + j]); }
    }
    ${WG_SCAN.replace(/\n/g, "\n  ")}
    for (var j = 0u; j < ${E}u; j = j + 1u) {
      if (live && start + j < nb) { S[row * nb + start + j] = comb(carry, comb(prefix, vals[j])); }
    }
    carry = comb(carry, sh[${WG - 1}u]);
    workgroupBarrier();
  }
}
`;
}

/** Pass 3: every block after the first adds the total of the blocks before it. */
function addSource(p: Plan): string {
  return `${header(p, true)}
${ENTRY}
  let n = M[1]; let nb = M[2];
  if (!live || wid.x == 0u) { return; }
  let b = rowBase(row);
  let pre = S[row * nb + wid.x];
  for (var j = 0u; j < ${E}u; j = j + 1u) {
    let e = wid.x * ${B}u + j * ${WG}u + lid.x;
    if (e < n) { let i = oi(e, b.y); st(i, comb(pre, rd(i))); }
  }
}
`;
}

function dispatch(args: readonly GpuArg[], scalars: readonly unknown[]): GpuDispatchSpec {
  const p = plan(args, scalars);
  const key = `scan/${p.op}/${p.x.dtype}/${p.out.dtype}/${p.out.shape.length - 1}`;
  const nb = Math.ceil(p.n / B);
  const meta = rowsMeta([p.rows, p.n, nb], p.x, p.out, p.axis);
  if (p.n <= SERIAL_N) {
    return { key: `${key}/serial`, source: serialSource(p), meta, groups: groupsFor(p.rows), writable: [1] };
  }
  const rg = [Math.min(p.rows, 65535), Math.ceil(p.rows / 65535)] as const;
  const bytes = p.rows * nb * (p.wide ? 8 : 4);
  const spec: GpuDispatchSpec = { key: `${key}/block`, source: blockSource(p), meta, groups: [nb, rg[0], rg[1]], writable: [1, 2], scratch: [bytes] };
  if (nb > 1) {
    spec.then = [
      { key: `${key}/carry`, source: carrySource(p), groups: [1, rg[0], rg[1]] },
      { key: `${key}/add`, source: addSource(p), groups: [nb, rg[0], rg[1]] },
    ];
  }
  return spec;
}

export const cumulateWebgpu: WebgpuVariant = { blocker, dispatch };
