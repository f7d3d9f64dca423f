import type { DTypeName } from "../../core/index.js";
import { type BinaryFn, type Expr, type ReduceOp, type UnaryFn, visit } from "../../core/index.js";
import { ExprEmitter } from "../emitter.js";

/**
 * Kernel IR → WGSL. One invocation per element of the launch domain (maps) or a two-level
 * tree reduction (reductions). Supported dtypes are those WGSL stores natively: float32,
 * int32, uint32, and bool (held as u32 0/1 on the GPU). Everything else stays on the CPU.
 *
 * Every kernel reads its geometry from a meta buffer M (array<u32>): per accessor its offset
 * and strides (as bit patterns of i32), then the domain extents, then scalars (bit patterns).
 */

export const GPU_DTYPES: ReadonlySet<DTypeName> = new Set(["float32", "int32", "uint32", "bool"]);
const WTYPE: Partial<Record<DTypeName, string>> = { float32: "f32", int32: "i32", uint32: "u32", bool: "u32" };
/** Workgroup size of every generated kernel. */
export const WG = 256;

export function wgslSupports(exprs: Expr[], dtypes: DTypeName[]): boolean {
  let ok = dtypes.every((d) => GPU_DTYPES.has(d));
  for (const e of exprs)
    visit(e, (n) => {
      if (!GPU_DTYPES.has(n.dtype)) ok = false;
      if (n.k === "const" && typeof n.value === "object") ok = false;
      if (n.k === "binary" && n.fn === "pow" && n.dtype !== "float32") ok = false;
      // Float floor_divide/remainder need an exact fmod; WGSL's fma may be unfused, so the
      // quotient can be off by one near integers. They stay on the CPU.
      if (n.k === "binary" && (n.fn === "floordiv" || n.fn === "mod") && n.a.dtype === "float32") ok = false;
    });
  if (!ok) return false;
  // Anything the generator does not cover (it throws) stays on the CPU as well.
  try {
    const em = new WEmitter(
      () => "x",
      () => "s",
    );
    for (const e of exprs) em.expr(e);
  } catch {
    return false;
  }
  return true;
}

// NaN and infinities cannot be WGSL constants (constant evaluation rejects them): build
// them at run time from a variable's bits.
const HELPERS = `
fn nan_() -> f32 { var u = 0x7fc00000u; return bitcast<f32>(u); }
fn inf_() -> f32 { var u = 0x7f800000u; return bitcast<f32>(u); }
fn ninf_() -> f32 { var u = 0xff800000u; return bitcast<f32>(u); }
// WGSL lets compilers assume floats are finite, so NaN and infinity tests look at the bits.
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isinf_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn zero_like(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x80000000u); }
fn feq(a: f32, b: f32) -> bool { return a == b && !isnan_(a) && !isnan_(b); }
fn flt(a: f32, b: f32) -> bool { return a < b && !isnan_(a) && !isnan_(b); }
fn fle(a: f32, b: f32) -> bool { return a <= b && !isnan_(a) && !isnan_(b); }
fn ftrue(x: f32) -> bool { return x != 0.0 || isnan_(x); }
// C fmod for finite operands: the truncated quotient, corrected so the fma remainder is exact.
fn fmod_(a: f32, b: f32) -> f32 {
  if (isinf_(b)) { return a; }
  var q = trunc(a / b);
  var m = fma(-b, q, a);
  if (m != 0.0 && (m < 0.0) != (a < 0.0)) { q = q - sign(a) * sign(b); m = fma(-b, q, a); }
  if (abs(m) >= abs(b)) { q = q + sign(a) * sign(b); m = fma(-b, q, a); }
  if (m == 0.0) { return zero_like(a); }
  return m;
}
// NumPy's npy_divmod, floor-division part.
fn fdivmod_div(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b) || isinf_(a)) { return nan_(); }
  if (b == 0.0) { if (a == 0.0) { return nan_(); } return select(ninf_(), inf_(), (a > 0.0) == (bitcast<u32>(b) < 0x80000000u)); }
  var mod_ = fmod_(a, b);
  var div = (a - mod_) / b;
  if (mod_ != 0.0) { if ((b < 0.0) != (mod_ < 0.0)) { div = div - 1.0; } }
  if (div != 0.0) { var fl = floor(div); if (div - fl > 0.5) { fl = fl + 1.0; } return fl; }
  return zero_like(a / b);
}
fn fmodpy(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b) || isinf_(a) || b == 0.0) { return nan_(); }
  var m = fmod_(a, b);
  if (m != 0.0) { if ((b < 0.0) != (m < 0.0)) { m = m + b; } } else { m = zero_like(b); }
  return m;
}
// C pow: negative bases with integral exponents, and pow(1, y) = pow(x, 0) = 1.
fn pow_(a: f32, b: f32) -> f32 {
  if (a == 1.0 || b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  if (a == 0.0) { if (b < 0.0) { return inf_(); } return 0.0; }
  if (a < 0.0) {
    if (b != trunc(b)) { return nan_(); }
    let r = pow(-a, b);
    if (abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1) { return -r; }
    return r;
  }
  return pow(a, b);
}
fn ifloordiv(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  let q = a / b;
  if ((a % b) != 0 && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
fn imodpy(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
fn ufloordiv(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a / b; }
fn umodpy(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a % b; }
// C's integer remainder with NumPy's zero divisor (0); -1 as a divisor cannot overflow.
fn ifmod(a: i32, b: i32) -> i32 { if (b == 0 || b == -1) { return 0; } return a % b; }
fn uabs_(x: i32) -> u32 { return select(u32(x), 0u - u32(x), x < 0); }
fn ugcd(a0: u32, b0: u32) -> u32 { var a = a0; var b = b0; loop { if (b == 0u) { break; } let t = a % b; a = b; b = t; } return a; }
fn igcd(a: i32, b: i32) -> i32 { return i32(ugcd(uabs_(a), uabs_(b))); }
fn ulcm(a: u32, b: u32) -> u32 { let g = ugcd(a, b); if (g == 0u) { return 0u; } return (a / g) * b; }
fn ilcm(a: i32, b: i32) -> i32 { return i32(ulcm(uabs_(a), uabs_(b))); }
fn rint_(x: f32) -> f32 { return round(x); }
fn sign_(x: f32) -> f32 { if (isnan_(x)) { return x; } if (x == 0.0) { return 0.0; } return sign(x); }
`;

class WEmitter extends ExprEmitter<string> {
  body: string[] = [];
  private n = 0;
  constructor(
    private readonly loadArg: (arg: number, d: DTypeName) => string,
    private readonly scalarAt: (i: number, d: DTypeName) => string,
  ) {
    super();
  }
  private tmp(d: DTypeName, x: string): string {
    const t = `t${this.n++}`;
    this.body.push(`let ${t}: ${WTYPE[d]} = ${x};`);
    return t;
  }
  protected load(arg: number, d: DTypeName): string {
    return this.loadArg(arg, d);
  }
  constant(v: number | bigint | boolean | { re: number; im: number }, d: DTypeName): string {
    return literal(v as number | bigint | boolean, d);
  }
  protected scalar(i: number, d: DTypeName): string {
    return this.scalarAt(i, d);
  }
  protected index(dim: number, d: DTypeName): string {
    return d === "float32" ? `f32(i${dim})` : `${WTYPE[d]}(i${dim})`;
  }
  protected where(c: string, a: string, b: string, d: DTypeName): string {
    return this.tmp(d, `select(${b}, ${a}, ${c} != 0u)`);
  }
  cast(x: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, cast(x, from, to));
  }
  unary(fn: UnaryFn, x: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, unary(fn, x, from, to));
  }
  binary(fn: BinaryFn, a: string, b: string, from: DTypeName, to: DTypeName): string {
    return this.tmp(to, binary(fn, a, b, from, to));
  }
}

function literal(v: number | bigint | boolean, d: DTypeName): string {
  if (typeof v === "boolean") return v ? "1u" : "0u";
  const x = Number(v);
  if (d === "float32") {
    if (Number.isNaN(x)) return "nan_()";
    if (!Number.isFinite(x)) return x > 0 ? "inf_()" : "ninf_()";
    const f = Math.fround(x);
    return `bitcast<f32>(${new Uint32Array(new Float32Array([f]).buffer)[0]}u)`;
  }
  if (d === "int32") return `i32(${Math.trunc(x) | 0})`;
  return `${Math.trunc(x) >>> 0 || 0}u`;
}

function cast(x: string, from: DTypeName, to: DTypeName): string {
  if (to === "bool") return from === "float32" ? `select(0u, 1u, ftrue(${x}))` : `select(0u, 1u, ${x} != ${WTYPE[from]}(0))`;
  if (from === "bool") return `${WTYPE[to]}(${x})`;
  return `${WTYPE[to]}(${x})`;
}

const b2u = (c: string) => `select(0u, 1u, ${c})`;

function unary(fn: UnaryFn, x: string, from: DTypeName, to: DTypeName): string {
  if (from === "float32") {
    const direct: Partial<Record<UnaryFn, string>> = {
      exp: "exp",
      log: "log",
      sqrt: "sqrt",
      sin: "sin",
      cos: "cos",
      tan: "tan",
      arcsin: "asin",
      arccos: "acos",
      arctan: "atan",
      sinh: "sinh",
      cosh: "cosh",
      tanh: "tanh",
      floor: "floor",
      ceil: "ceil",
      trunc: "trunc",
      rint: "rint_",
      abs: "abs",
      log2: "log2",
      sign: "sign_",
    };
    if (direct[fn]) return `${direct[fn]}(${x})`;
    switch (fn) {
      case "neg":
        return `-${x}`;
      case "log10":
        return `log2(${x}) * 0.30102999566398120`;
      case "expm1":
        return `exp(${x}) - 1.0`;
      case "log1p":
        return `log(1.0 + ${x})`;
      case "square":
        return `${x} * ${x}`;
      case "reciprocal":
        return `1.0 / ${x}`;
      case "isnan":
        return b2u(`isnan_(${x})`);
      case "isinf":
        return b2u(`isinf_(${x})`);
      case "isfinite":
        return b2u(`!isnan_(${x}) && !isinf_(${x})`);
      case "real":
      case "conj":
        return x;
      case "imag":
        return "0.0";
      case "exp2":
        return `exp2(${x})`;
      case "signbit":
        return b2u(`(bitcast<u32>(${x}) & 0x80000000u) != 0u`);
    }
    throw new TypeError(`WGSL kernel: ${fn} on ${from}`);
  }
  const T = WTYPE[to]!;
  switch (fn) {
    case "neg":
      return from === "bool" ? x : `${T}(0) - ${x}`;
    case "abs":
      return from === "int32" ? `select(${x}, 0 - ${x}, ${x} < 0)` : x;
    case "sign":
      return from === "int32" ? `select(select(0, -1, ${x} < 0), 1, ${x} > 0)` : `select(0u, 1u, ${x} > 0u)`;
    case "not":
      return `1u - ${x}`;
    case "invert":
      return from === "bool" ? `1u - ${x}` : `~${x}`;
    case "square":
      return `${x} * ${x}`;
    case "floor":
    case "ceil":
    case "trunc":
    case "rint":
    case "real":
    case "conj":
      return x;
    case "isnan":
    case "isinf":
      return "0u";
    case "isfinite":
      return "1u";
  }
  throw new TypeError(`WGSL kernel: ${fn} on ${from}`);
}

function binary(fn: BinaryFn, a: string, b: string, from: DTypeName, to: DTypeName): string {
  const cmp: Partial<Record<BinaryFn, string>> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };
  if (from === "float32") {
    switch (fn) {
      case "eq":
        return b2u(`feq(${a}, ${b})`);
      case "ne":
        return b2u(`!feq(${a}, ${b})`);
      case "lt":
        return b2u(`flt(${a}, ${b})`);
      case "le":
        return b2u(`fle(${a}, ${b})`);
      case "gt":
        return b2u(`flt(${b}, ${a})`);
      case "ge":
        return b2u(`fle(${b}, ${a})`);
    }
  }
  if (cmp[fn]) return b2u(`${a} ${cmp[fn]} ${b}`);
  if (from === "float32") {
    switch (fn) {
      case "add":
        return `${a} + ${b}`;
      case "sub":
        return `${a} - ${b}`;
      case "mul":
        return `${a} * ${b}`;
      case "div":
        return `${a} / ${b}`;
      case "floordiv":
        return `fdivmod_div(${a}, ${b})`;
      case "mod":
        return `fmodpy(${a}, ${b})`;
      case "pow":
        return `pow_(${a}, ${b})`;
      case "max":
        return `select(${b}, ${a}, fle(${b}, ${a}) || isnan_(${a}))`;
      case "min":
        return `select(${b}, ${a}, fle(${a}, ${b}) || isnan_(${a}))`;
      case "atan2":
        return `atan2(${a}, ${b})`;
      case "hypot":
        return `sqrt(${a} * ${a} + ${b} * ${b})`;
      case "copysign":
        return `bitcast<f32>((bitcast<u32>(${a}) & 0x7fffffffu) | (bitcast<u32>(${b}) & 0x80000000u))`;
    }
    throw new TypeError(`WGSL kernel: ${fn} on ${from}`);
  }
  const signed = from === "int32";
  switch (fn) {
    case "add":
      return from === "bool" ? `${a} | ${b}` : `${a} + ${b}`;
    case "sub":
      return `${a} - ${b}`;
    case "mul":
      return from === "bool" ? `${a} & ${b}` : `${a} * ${b}`;
    case "floordiv":
      return signed ? `ifloordiv(${a}, ${b})` : `ufloordiv(${a}, ${b})`;
    case "mod":
      return signed ? `imodpy(${a}, ${b})` : `umodpy(${a}, ${b})`;
    case "max":
      return `max(${a}, ${b})`;
    case "min":
      return `min(${a}, ${b})`;
    case "and":
      return `${a} & ${b}`;
    case "or":
      return `${a} | ${b}`;
    case "xor":
      return `${a} ^ ${b}`;
    case "shl":
      return `select(${a} << u32(${b}), ${WTYPE[to]}(0), u32(${b}) >= 32u)`;
    case "shr":
      return signed ? `${a} >> min(u32(${b}), 31u)` : `select(${a} >> u32(${b}), 0u, u32(${b}) >= 32u)`;
    case "fmod":
      return signed ? `ifmod(${a}, ${b})` : `umodpy(${a}, ${b})`;
    case "gcd":
      return signed ? `igcd(${a}, ${b})` : `ugcd(${a}, ${b})`;
    case "lcm":
      return signed ? `ilcm(${a}, ${b})` : `ulcm(${a}, ${b})`;
  }
  throw new TypeError(`WGSL kernel: ${fn} on ${from}`);
}

/** Binding declarations: accessor k at binding k, the meta buffer last. */
/**
 * One binding per accessor, except accessors that alias an output's storage (in-place work):
 * WebGPU forbids binding a buffer writable and read-only at once, so they read the output's
 * binding (`alias[k]` names it).
 */
function bindings(dtypes: DTypeName[], writable: number, alias?: readonly number[]): string {
  const L = dtypes.flatMap((d, k) =>
    alias && alias[k] !== k ? [] : [`@group(0) @binding(${k}) var<storage, ${k < writable ? "read_write" : "read"}> d${k}: array<${WTYPE[d]}>;`],
  );
  L.push(`@group(0) @binding(${dtypes.length}) var<storage, read> M: array<u32>;`);
  return L.join("\n");
}

/** Meta layout shared by the generator and the dispatcher. */
export interface MetaLayout {
  extentsAt: number;
  scalarsAt: number;
  length: number;
}
export function metaLayout(nargs: number, ndim: number, nscalars: number): MetaLayout {
  const extentsAt = nargs * (1 + ndim);
  const scalarsAt = extentsAt + ndim;
  return { extentsAt, scalarsAt, length: scalarsAt + nscalars };
}

function scalarReader(L: MetaLayout) {
  return (i: number, d: DTypeName) =>
    d === "float32" ? `bitcast<f32>(M[${L.scalarsAt + i}])` : d === "int32" ? `bitcast<i32>(M[${L.scalarsAt + i}])` : `M[${L.scalarsAt + i}]`;
}

/** Multi-index of flat element `flat` over the domain, and each accessor's offset. */
function addressing(ndim: number, _nargs: number, L: MetaLayout, flat: string, dims: number[] = Array.from({ length: ndim }, (_, d) => d)): string {
  const lines = [`var rem = ${flat};`];
  for (let j = dims.length - 1; j >= 0; j--) {
    const d = dims[j];
    lines.push(`let i${d} = i32(rem % M[${L.extentsAt + d}]);`);
    if (j > 0) lines.push(`rem = rem / M[${L.extentsAt + d}];`);
  }
  return lines.join("\n");
}
function offsetOf(k: number, ndim: number, _L: MetaLayout, dims: number[] = Array.from({ length: ndim }, (_, d) => d)): string {
  const base = k * (1 + ndim);
  return [`bitcast<i32>(M[${base}])`, ...dims.map((d) => `i${d} * bitcast<i32>(M[${base + 1 + d}])`)].join(" + ");
}

/** Map kernel: accessors are outputs then inputs (as on the CPU). */
export function mapKernelWGSL(
  ndim: number,
  outputs: { dtype: DTypeName; expr: Expr }[],
  inputs: DTypeName[],
  nscalars: number,
  alias?: readonly number[],
): string {
  const nOut = outputs.length;
  const dtypes = [...outputs.map((o) => o.dtype), ...inputs];
  const L = metaLayout(dtypes.length, ndim, nscalars);
  const em = new WEmitter((arg) => `d${alias ? alias[nOut + arg] : nOut + arg}[o${nOut + arg}]`, scalarReader(L));
  const values = outputs.map((o) => em.expr(o.expr));
  const total = Array.from({ length: ndim }, (_, d) => `M[${L.extentsAt + d}]`).join(" * ") || "1u";
  return `${bindings(dtypes, nOut, alias)}
${HELPERS}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let flat = gid.x + gid.y * nwg.x * ${WG}u;
  if (flat >= ${total}) { return; }
  ${addressing(ndim, dtypes.length, L, "flat")}
  ${dtypes.map((_, k) => `let o${k} = u32(${offsetOf(k, ndim, L)});`).join("\n  ")}
  ${em.body.join("\n  ")}
  ${values.map((v, k) => `d${k}[o${k}] = ${v};`).join("\n  ")}
}
`;
}

/** Identity of each reduction in its WGSL type. */
function identity(op: ReduceOp, d: DTypeName): string {
  const f = d === "float32";
  switch (op) {
    case "sum":
    case "any":
      return f ? "0.0" : d === "int32" ? "0" : "0u";
    case "prod":
    case "all":
      return f ? "1.0" : d === "int32" ? "1" : "1u";
    case "max":
      return f ? "ninf_()" : d === "int32" ? "i32(-2147483648)" : "0u";
    case "min":
      return f ? "inf_()" : d === "int32" ? "2147483647" : d === "bool" ? "1u" : "4294967295u";
    default:
      throw new TypeError(`WGSL reduction ${op}`);
  }
}
function combine(op: ReduceOp, a: string, b: string, d: DTypeName): string {
  const f = d === "float32";
  switch (op) {
    case "sum":
      return d === "bool" ? `${a} | ${b}` : `${a} + ${b}`;
    case "prod":
      return d === "bool" ? `${a} & ${b}` : `${a} * ${b}`;
    case "max":
      return f ? `select(${a}, ${b}, !isnan_(${a}) && (flt(${a}, ${b}) || isnan_(${b})))` : `max(${a}, ${b})`;
    case "min":
      return f ? `select(${a}, ${b}, !isnan_(${a}) && (flt(${b}, ${a}) || isnan_(${b})))` : `min(${a}, ${b})`;
    case "all":
      return `${a} & select(0u, 1u, ${f ? `ftrue(${b})` : `${b} != ${WTYPE[d]}(0)`})`;
    case "any":
      return `${a} | select(0u, 1u, ${f ? `ftrue(${b})` : `${b} != ${WTYPE[d]}(0)`})`;
    default:
      throw new TypeError(`WGSL reduction ${op}`);
  }
}

/** Combining two partial results (already 0/1 for all/any). */
function merge(op: ReduceOp, a: string, b: string, d: DTypeName): string {
  if (op === "all") return `${a} & ${b}`;
  if (op === "any") return `${a} | ${b}`;
  return combine(op, a, b, d);
}

/** Fold the workgroup's `acc` values into sh[0] through shared memory. */
function treeFold(op: ReduceOp, acc: DTypeName): string {
  return `sh[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { sh[lid.x] = ${merge(op, "sh[lid.x]", "sh[lid.x + s]", acc)}; }
    workgroupBarrier();
  }`;
}

/** Elements each workgroup folds per pass (256 threads x 16). */
export const CHUNK = WG * 16;

function keptIndices(keptDims: number[], L: MetaLayout, k: string): string {
  const lines = [`var remk = ${k};`];
  keptDims
    .slice()
    .reverse()
    .forEach((d, j, arr) => {
      lines.push(`let i${d} = i32(remk % M[${L.extentsAt + d}]);`);
      if (j < arr.length - 1) lines.push(`remk = remk / M[${L.extentsAt + d}];`);
    });
  return lines.join("\n  ");
}

/** The kept-dims offset of accessor `acc` (its strides are 0 on reduced dims). */
function keptOffset(acc: number, ndim: number, keptDims: number[]): string {
  const base = acc * (1 + ndim);
  return [`bitcast<i32>(M[${base}])`, ...keptDims.map((d) => `i${d} * bitcast<i32>(M[${base + 1 + d}])`)].join(" + ");
}

/**
 * What pass 1 of a reduction shares: the meta layout (accessors from `first` are the
 * inputs; then R, K, chunks after the launch's scalars), kept and reduced dims, and the loop
 * in which thread lid.x of workgroup (c, k) visits its elements of chunk c of output k
 * (flat reduced index `r`), evaluates the value, and runs `body` on it.
 */
function reductionFrame(ndim: number, value: Expr, inputs: DTypeName[], reduced: readonly boolean[], nscalars: number, first: number) {
  const nargs = first + inputs.length;
  const L = metaLayout(nargs, ndim, nscalars + 3);
  const keptDims = reduced.map((r, d) => (r ? -1 : d)).filter((d) => d >= 0);
  const redDims = reduced.map((r, d) => (r ? d : -1)).filter((d) => d >= 0);
  const em = new WEmitter((arg) => `d${first + arg}[o${first + arg}]`, scalarReader(L));
  const v = em.expr(value);
  const R = `M[${L.scalarsAt + nscalars}]`,
    K = `M[${L.scalarsAt + nscalars + 1}]`,
    chunks = `M[${L.scalarsAt + nscalars + 2}]`;
  const redOffset = (k: number) => [`base${k}`, ...redDims.map((d) => `i${d} * bitcast<i32>(M[${k * (1 + ndim) + 1 + d}])`)].join(" + ");
  const loop = (body: string) => `if (k < ${K}) {
  ${keptIndices(keptDims, L, "k")}
  ${inputs.map((_, j) => `let base${first + j} = ${keptOffset(first + j, ndim, keptDims)};`).join("\n  ")}
    let start = c * ${CHUNK}u;
    let stop = min(${R}, start + ${CHUNK}u);
    for (var r = start + lid.x; r < stop; r = r + ${WG}u) {
      ${addressing(ndim, nargs, L, "r", redDims)}
      ${inputs.map((_, j) => `let o${first + j} = u32(${redOffset(first + j)});`).join("\n      ")}
      ${em.body.join("\n      ")}
      ${body}
    }
  }`;
  return { L, keptDims, K, chunks, value: v, loop };
}

/**
 * Reduction pass 1: kept dims give one output each (workgroup y/z), reduced dims are cut
 * into chunks of CHUNK elements (workgroup x). Each workgroup folds its chunk through shared
 * memory into one partial: straight into the output when there is a single chunk, else
 * into a partial buffer (accessor 1) laid out [kept][chunk] that pass 2 folds.
 * Accessors: 0 = output (domain view, stride 0 on reduced dims), 1 = partials, 2.. = inputs.
 * Extra meta scalars after the launch's own: R (reduced volume), K (outputs), chunks.
 */
export function reduceKernelWGSL(
  ndim: number,
  op: ReduceOp,
  acc: DTypeName,
  value: Expr,
  inputs: DTypeName[],
  reduced: readonly boolean[],
  nscalars: number,
): string {
  const f = reductionFrame(ndim, value, inputs, reduced, nscalars, 2);
  const { L, keptDims, K, chunks } = f;
  const T = WTYPE[acc]!;
  return `${bindings([acc, acc, ...inputs], 2)}
${HELPERS}
var<workgroup> sh: array<${T}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = wid.y + wid.z * nwg.y;
  let c = wid.x;
  var acc: ${T} = ${identity(op, acc)};
  ${f.loop(`acc = ${combine(op, "acc", f.value, acc)};`)}
  ${treeFold(op, acc)}
  if (lid.x == 0u && k < ${K}) {
    if (${chunks} == 1u) {
      ${keptIndices(keptDims, L, "k")}
      d0[u32(${keptOffset(0, ndim, keptDims)})] = sh[0];
    } else {
      d1[k * ${chunks} + c] = sh[0];
    }
  }
}
`;
}

/** Reduction pass 2: fold each output's partials (accessor 1) into the output (accessor 0). */
export function reducePartialsWGSL(
  ndim: number,
  op: ReduceOp,
  acc: DTypeName,
  reduced: readonly boolean[],
  nscalars: number,
  ninputs: number,
): string {
  const dtypes: DTypeName[] = [acc, acc, ...Array<DTypeName>(ninputs).fill(acc)];
  const L = metaLayout(dtypes.length, ndim, nscalars + 3);
  const keptDims = reduced.map((r, d) => (r ? -1 : d)).filter((d) => d >= 0);
  const T = WTYPE[acc]!;
  const K = `M[${L.scalarsAt + nscalars + 1}]`,
    chunks = `M[${L.scalarsAt + nscalars + 2}]`;
  return `${bindings([acc, acc], 2)}
${HELPERS}
var<workgroup> sh: array<${T}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = wid.y + wid.z * nwg.y;
  var acc: ${T} = ${identity(op, acc)};
  if (k < ${K}) {
    for (var c = lid.x; c < ${chunks}; c = c + ${WG}u) { acc = ${merge(op, "acc", `d1[k * ${chunks} + c]`, acc)}; }
  }
  ${treeFold(op, acc)}
  if (lid.x == 0u && k < ${K}) {
    ${keptIndices(keptDims, L, "k")}
    d0[u32(${keptOffset(0, ndim, keptDims)})] = sh[0];
  }
}
`;
}

/**
 * argmin/argmax: a (value, index) pair per thread, folded like the other reductions. `b`
 * beats `a` when it is a NaN and `a` is not (the first NaN wins), or strictly better, or
 * equal with a smaller index: the fold is then associative and commutative, and the result
 * is NumPy's (first occurrence) whatever the order of the tree. The identity carries index
 * 0xffffffff, so any real element beats it.
 */
function argBetter(op: "argmin" | "argmax", T: string): string {
  const cmp = op === "argmax" ? ">" : "<";
  const nan =
    T === "f32"
      ? `let na = isnan_(va); let nb = isnan_(vb);
  if (na || nb) { return nb && (!na || ib < ia); }
  `
      : "";
  return `fn better(va: ${T}, ia: u32, vb: ${T}, ib: u32) -> bool {
  ${nan}return vb ${cmp} va || (vb == va && ib < ia);
}`;
}

/** Bindings of the arg kernels: value out, index out (int64 as u32 word pairs), partials, inputs. */
function argBindings(acc: DTypeName, inputs: DTypeName[]): string {
  const T = WTYPE[acc]!;
  return [
    `@group(0) @binding(0) var<storage, read_write> d0: array<${T}>;`,
    `@group(0) @binding(1) var<storage, read_write> d1: array<u32>;`,
    `@group(0) @binding(2) var<storage, read_write> d2: array<u32>;`,
    ...inputs.map((d, j) => `@group(0) @binding(${3 + j}) var<storage, read> d${3 + j}: array<${WTYPE[d]}>;`),
    `@group(0) @binding(${3 + inputs.length}) var<storage, read> M: array<u32>;`,
  ].join("\n");
}

function argTreeFold(): string {
  return `sv[lid.x] = acc;
  si[lid.x] = accI;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s && better(sv[lid.x], si[lid.x], sv[lid.x + s], si[lid.x + s])) { sv[lid.x] = sv[lid.x + s]; si[lid.x] = si[lid.x + s]; }
    workgroupBarrier();
  }`;
}

/** Both arg passes up to their loop: bindings, helpers, workgroup memory, output k, the identity pair. */
function argPreamble(op: "argmin" | "argmax", acc: DTypeName, inputs: DTypeName[]): string {
  const T = WTYPE[acc]!;
  return `${argBindings(acc, inputs)}
${HELPERS}
${argBetter(op, T)}
var<workgroup> sv: array<${T}, ${WG}>;
var<workgroup> si: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let k = wid.y + wid.z * nwg.y;
  var acc: ${T} = ${identity(op === "argmax" ? "max" : "min", acc)};
  var accI = 0xffffffffu;`;
}

/** The final (value, index) of output k: the index is written as an int64 (low word, high word 0). */
function argStore(ndim: number, L: MetaLayout, keptDims: number[]): string {
  return `${keptIndices(keptDims, L, "k")}
      d0[u32(${keptOffset(0, ndim, keptDims)})] = sv[0];
      let oi = u32(${keptOffset(1, ndim, keptDims)});
      d1[2u * oi] = si[0];
      d1[2u * oi + 1u] = 0u;`;
}

/**
 * argmin/argmax pass 1, laid out as reduceKernelWGSL: accessors 0 = value out, 1 = index
 * out (an int64 store, the row-major index over the reduced dims), 2 = partials ([kept][chunk]
 * pairs of value bits and index), 3.. = inputs. The flat reduced index `r` is the row-major
 * index over the (coalesced) reduced dims, which is the index NumPy reports.
 */
export function argReduceKernelWGSL(
  ndim: number,
  op: "argmin" | "argmax",
  acc: DTypeName,
  value: Expr,
  inputs: DTypeName[],
  reduced: readonly boolean[],
  nscalars: number,
): string {
  const f = reductionFrame(ndim, value, inputs, reduced, nscalars, 3);
  const { L, keptDims, K, chunks } = f;
  const T = WTYPE[acc]!;
  return `${argPreamble(op, acc, inputs)}
  let c = wid.x;
  ${f.loop(`let v: ${T} = ${f.value};
      if (better(acc, accI, v, r)) { acc = v; accI = r; }`)}
  ${argTreeFold()}
  if (lid.x == 0u && k < ${K}) {
    if (${chunks} == 1u) {
      ${argStore(ndim, L, keptDims)}
    } else {
      let p = 2u * (k * ${chunks} + c);
      d2[p] = bitcast<u32>(sv[0]);
      d2[p + 1u] = si[0];
    }
  }
}
`;
}

/** argmin/argmax pass 2: fold each output's partial pairs into the value and index outputs. */
export function argPartialsWGSL(
  ndim: number,
  op: "argmin" | "argmax",
  acc: DTypeName,
  reduced: readonly boolean[],
  nscalars: number,
  ninputs: number,
): string {
  const L = metaLayout(3 + ninputs, ndim, nscalars + 3);
  const keptDims = reduced.map((r, d) => (r ? -1 : d)).filter((d) => d >= 0);
  const T = WTYPE[acc]!;
  const K = `M[${L.scalarsAt + nscalars + 1}]`,
    chunks = `M[${L.scalarsAt + nscalars + 2}]`;
  return `${argPreamble(op, acc, [])}
  if (k < ${K}) {
    for (var c = lid.x; c < ${chunks}; c = c + ${WG}u) {
      let p = 2u * (k * ${chunks} + c);
      let v = bitcast<${T}>(d2[p]);
      if (better(acc, accI, v, d2[p + 1u])) { acc = v; accI = d2[p + 1u]; }
    }
  }
  ${argTreeFold()}
  if (lid.x == 0u && k < ${K}) {
    ${argStore(ndim, L, keptDims)}
  }
}
`;
}
