/**
 * Shared machinery of the NumPy conformance and fuzz tests: decoding the case encoding of
 * test/fixtures/generate_conformance.py, evaluating an expression tree with the library
 * (each node a NumPy call, np[op](...args, kw), as the generator makes it with NumPy), and
 * comparing the outcome with NumPy's.
 *
 * Tolerances (applied per result dtype):
 *  - exact (bit-for-bit, including the sign of zero; NaN matches NaN) for bool and integer
 *    results, and for float/complex results of exactly-rounded or exactly-specified work:
 *    add, subtract, multiply, divide, sqrt (real), floor_divide, remainder, comparisons,
 *    maximum/minimum, clip, where, rounding, casts, creation, indexing and shape ops;
 *  - relative tolerance for transcendental functions (exp … tanh, arctan2, hypot), power,
 *    the float reductions sum/prod/mean/var/std, linspace/logspace, and complex
 *    multiply/divide/square/reciprocal/absolute/sqrt/sign (whose rounding depends on the
 *    formula used; complex cumprod is exact, each step rounded as NumPy's scalar loop):
 *    rtol = 1e-12 for float64/complex128, 2e-6 for float32/complex64 and 2e-3 for float16
 *    (a few ulp of the type: NumPy's float32 loops are SIMD code with up to 4 ulp error, and
 *    float16 math is float32 math rounded to half);
 *    |actual - expected| <= rtol * |expected| + atol, with atol = rtol for elementwise work
 *    (values near zero are judged on the unit scale) and atol = rtol * max(1, max |expected|)
 *    when the expression contains a reduction (summation error scales with the data); for
 *    complex values the distance is the modulus of the difference;
 *  - cumsum/cumprod are exact on the CPU (sequential, rounded at every step as NumPy's
 *    accumulate); on the GPU long float32 rows are a blocked parallel scan, so there they use
 *    the GPU's float32 tolerance scaled by the largest |expected| (as the reductions);
 *  - in every mode NaN must match NaN and ±inf must match the same infinity exactly.
 *
 * On the WebGPU backend (TESSERA_GPUS=1) float32 transcendentals, division and sqrt follow
 * WGSL's accuracy rules, which are far looser than libm's (e.g. asin within ~2^-11 absolute,
 * division within 2.5 ulp), so those ops use rtol = atol = 2e-3 there; sin/cos/tan of arguments beyond a few periods are not
 * specified by WGSL at all, and those cases are skipped on the GPU with that reason.
 */
export const ON_GPU = process.env.TESSERA_GPUS === "1";
/**
 * Float32 ops that WGSL does not require to be correctly rounded (division within 2.5 ulp,
 * sqrt through inverseSqrt): exact on Mesa lavapipe, a few ulp off on NVIDIA's Vulkan driver.
 */
/** On WebGPU: a few ulp (WGSL's float rules), and modf's zero fractions may lose their sign. */
const GPU_APPROX = new Set(["divide", "true_divide", "sqrt", "round", "around", "mean", "reciprocal", "cumsum", "cumprod", "modf"]);
import assert from "node:assert/strict";
import * as np from "tessera";

// ---- encoding --------------------------------------------------------------------------

export type EncFloat = string;
export type EncValue = boolean | number | string | [EncFloat, EncFloat];
export interface EncArray {
  dtype: string;
  shape: number[];
  data?: EncValue[];
}
export type Leaf = boolean | number | { i: string } | { f: EncFloat } | { c: [EncFloat, EncFloat] } | { s: string };
export type Nested = Leaf | Nested[];
/** An index item: basic items, a 0-d boolean, or an operand giving an index array. */
export type IndexEnc = number | null | boolean | string | { slice: (number | null)[] } | Operand;
export type Operand = { ref: number } | { arr: EncArray } | { scalar: Leaf } | { list: Nested } | { seq: Operand[] } | Expr | null;
export interface Expr {
  op: string;
  args: Operand[];
  kw?: Record<string, unknown>;
}
export type Expect = EncArray | { type: string } | { tuple: EncArray[] } | { error: string; message: string };
export interface Case {
  name: string;
  expr: Expr;
  expect: Expect;
}

/** Parse float text from the fixture: float.hex(), "nan"/"inf"/"-inf", or decimal text. */
export function parseFloatText(s: string): number {
  switch (s) {
    case "nan":
    case "NaN":
      return NaN;
    case "inf":
    case "Infinity":
      return Infinity;
    case "-inf":
    case "-Infinity":
      return -Infinity;
  }
  const m = /^(-?)0x([0-9a-f])(?:\.([0-9a-f]*))?p([+-]\d+)$/i.exec(s);
  if (!m) {
    const v = Number(s);
    if (Number.isNaN(v)) throw new Error(`bad float text ${s}`);
    return v;
  }
  const frac = m[3] ?? "";
  let v = Number(BigInt("0x" + m[2] + frac)); // at most 53 significant bits: exact
  let e = Number(m[4]) - 4 * frac.length;
  while (e < -1000) {
    v *= 2 ** -1000;
    e += 1000;
  }
  while (e > 1000) {
    v *= 2 ** 1000;
    e -= 1000;
  }
  v *= 2 ** e;
  return m[1] === "-" ? -v : v;
}

/** Float text as the fixture writes it (decimal shortest round-trip; -0 and specials kept). */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0.0";
  return String(x);
}

type JsScalar = number | bigint | boolean | { re: number; im: number };

export function decodeLeaf(x: Leaf): JsScalar | string {
  if (typeof x === "boolean" || typeof x === "number") return x;
  if ("i" in x) {
    const b = BigInt(x.i);
    return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  if ("f" in x) return parseFloatText(x.f);
  if ("c" in x) return { re: parseFloatText(x.c[0]), im: parseFloatText(x.c[1]) };
  return x.s;
}

function decodeNested(x: Nested): unknown {
  return Array.isArray(x) ? x.map(decodeNested) : decodeLeaf(x);
}

/** One encoded element of `dtype` as the JS value the library reads and writes. */
export function decodeValue(dtype: string, v: EncValue): JsScalar {
  if (dtype === "bool") return v as boolean;
  if (dtype === "int64" || dtype === "uint64") return BigInt(v as string | number);
  if (dtype.startsWith("complex")) {
    const [re, im] = v as [string, string];
    return { re: parseFloatText(re), im: parseFloatText(im) };
  }
  if (dtype.startsWith("float")) return parseFloatText(v as string);
  return v as number;
}

function nest(flat: unknown[], shape: number[]): unknown {
  let k = 0;
  const build = (d: number): unknown => (d === shape.length ? flat[k++] : Array.from({ length: shape[d] }, () => build(d + 1)));
  return build(0);
}

/** A fresh library array holding exactly the encoded values. */
export function makeArray(enc: EncArray): np.ndarray {
  const flat = (enc.data ?? []).map((v) => decodeValue(enc.dtype, v));
  const size = enc.shape.reduce((p, n) => p * n, 1);
  if (enc.shape.length === 0) return np.array(flat[0] as np.NestedArray, { dtype: enc.dtype });
  if (size === 0) return np.array([], { dtype: enc.dtype }).reshape(enc.shape);
  return np.array(nest(flat, enc.shape) as np.NestedArray, { dtype: enc.dtype });
}

// ---- evaluation ------------------------------------------------------------------------

/** ndarray methods an expression may call; every other op is a NumPy function, np[op]. */
const METHODS = new Set(["astype", "reshape", "flatten"]);

/** Ops whose float results are compared with a tolerance. */
export const APPROX = new Set([
  "exp",
  "expm1",
  "log",
  "log1p",
  "log2",
  "log10",
  "sin",
  "cos",
  "tan",
  "arcsin",
  "arccos",
  "arctan",
  "sinh",
  "cosh",
  "tanh",
  "arctan2",
  "hypot",
  "power",
  "exp2",
  "arcsinh",
  "arccosh",
  "arctanh",
  "acos",
  "asin",
  "atan",
  "acosh",
  "asinh",
  "atanh",
  "atan2",
  "pow",
  "sum",
  "prod",
  "mean",
  "var",
  "std",
  "linspace",
  "logspace",
  // NaN-ignoring and weighted reductions sum like np.sum
  "nansum",
  "nanprod",
  "nanmean",
  "nanvar",
  "nanstd",
  "average",
  // transcendental compositions
  "logaddexp",
  "logaddexp2",
  "cbrt",
  "float_power",
  "sinc",
  "trapezoid",
  "angle",
  "cov",
  "corrcoef",
  "correlate",
  "convolve",
]);
/** Ops that are exactly rounded for real input but formula-dependent for complex input. */
export const COMPLEX_APPROX = new Set(["multiply", "divide", "square", "reciprocal", "absolute", "sqrt", "sign"]);
const SUMMING = new Set([
  "sum",
  "prod",
  "mean",
  "var",
  "std",
  "cumsum",
  "cumprod",
  "nansum",
  "nanprod",
  "nanmean",
  "nanvar",
  "nanstd",
  "nancumsum",
  "nancumprod",
  "average",
]);

/** State of one evaluation: pre-built leaf arrays, and what kind of comparison applies. */
export class Evaluation {
  readonly leaves = new Map<object, np.ndarray>();
  approx = false;
  summing = false;
  constructor(readonly arrays: EncArray[] = []) {}

  /** Build every array operand up front (so they can be checked after an error). */
  prepare(x: Operand): void {
    if (x === null || typeof x !== "object") return;
    if ("ref" in x) this.leaves.set(x, makeArray(this.arrays[x.ref]));
    else if ("arr" in x) this.leaves.set(x, makeArray(x.arr));
    else if ("seq" in x) for (const a of x.seq) this.prepare(a);
    else if ("op" in x) {
      for (const a of x.args) this.prepare(a);
      for (const items of [x.kw?.index, x.kw?.self_index] as IndexEnc[][]) for (const it of items ?? []) if (isOperand(it)) this.prepare(it);
    }
  }

  /** Index items as the library takes them (array operands evaluated). */
  index(items: IndexEnc[]): np.IndexItem[] {
    return items.map((it) => {
      if (isOperand(it)) return this.operand(it) as np.IndexItem;
      if (it !== null && typeof it === "object" && "slice" in it) return np.slice(it.slice[0] ?? null, it.slice[1] ?? null, it.slice[2] ?? null);
      return it as np.IndexItem;
    });
  }

  /** Current values of every leaf array, for the unchanged-after-error check. */
  snapshot(): unknown[][] {
    return [...this.leaves.values()].map((a) => a.flatValues());
  }

  operand(x: Operand): unknown {
    if (x === null) return null;
    if ("ref" in x || "arr" in x) {
      const a = this.leaves.get(x);
      if (!a) throw new Error("operand not prepared");
      return a;
    }
    if ("scalar" in x) return decodeLeaf(x.scalar);
    if ("list" in x) return decodeNested(x.list);
    if ("seq" in x) return x.seq.map((a) => this.operand(a));
    return this.apply(x);
  }

  /**
   * Evaluate a call as generate_conformance.py does: np[op](...args, kw), or a method of
   * args[0] (METHODS); a function that returns nothing (np.put) gives its first argument.
   * Indexing (getitem, setitem) and `.T` are the only other forms.
   */
  apply(e: Expr): unknown {
    const op = e.op;
    const kw = e.kw ?? {};
    if (op === "setitem") {
      const a = this.operand(e.args[0]) as np.ndarray;
      const value = kw.self_index !== undefined ? a.get(...this.index(kw.self_index as IndexEnc[])) : this.operand(e.args[1]);
      a.set(...([...this.index(kw.index as IndexEnc[]), value] as [...np.IndexItem[], np.Operand]));
      return a;
    }
    const args = e.args.map((x) => this.operand(x));
    const isComplex = (v: unknown) => (v instanceof np.ndarray ? v.dtype.kind === "c" : typeof v === "object" && v !== null && "re" in v);
    if (APPROX.has(op) || (ON_GPU && GPU_APPROX.has(op))) this.approx = true;
    if (SUMMING.has(op)) this.summing = true;
    // A ufunc's method ("hypot.outer") is as approximate as the ufunc; add/multiply reductions sum.
    const [ufunc, method] = op.split(".");
    if (method && APPROX.has(ufunc)) this.approx = true;
    if (method && (ufunc === "add" || ufunc === "multiply") && method.startsWith("reduce")) this.approx = this.summing = true;
    if (COMPLEX_APPROX.has(op) && args.some(isComplex)) this.approx = true;
    if (op === "getitem") return (args[0] as np.ndarray).get(...this.index(kw.index as IndexEnc[]));
    if (op === "T") return (args[0] as np.ndarray).T;
    const options = Object.keys(kw).length > 0 ? [{ ...kw }] : [];
    type Fn = (...a: unknown[]) => unknown;
    if (METHODS.has(op)) return (args[0] as unknown as Record<string, Fn>)[op].call(args[0], ...args.slice(1), ...options);
    // A dotted op reaches a ufunc's method: "add.reduce".
    let fn: unknown = np;
    for (const part of op.split(".")) fn = (fn as Record<string, unknown> | undefined)?.[part];
    if (typeof fn !== "function") throw new Error(`unknown op ${op}`);
    const r = (fn as Fn)(...args, ...options);
    return r === undefined ? args[0] : r;
  }
}

function isOperand(it: IndexEnc): it is Exclude<Operand, null> {
  return it !== null && typeof it === "object" && !("slice" in it);
}

// ---- comparison ------------------------------------------------------------------------

export function rtolFor(dtype: string): number {
  if (dtype === "float16" || (ON_GPU && dtype === "float32")) return 2e-3;
  if (dtype === "float32" || dtype === "complex64") return 2e-6;
  return 1e-12;
}

function show(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "object" && v !== null && "re" in v) {
    const c = v as { re: number; im: number };
    return `(${show(c.re)}${c.im < 0 || Object.is(c.im, -0) ? "" : "+"}${show(c.im)}j)`;
  }
  return String(v);
}

function closeReal(a: number, e: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (!Number.isFinite(a)) return false;
  return Math.abs(a - e) <= rtol * Math.abs(e) + atol;
}

function equalExact(a: unknown, e: JsScalar): boolean {
  if (typeof e === "object") {
    const c = a as { re: number; im: number };
    return typeof a === "object" && a !== null && Object.is(c.re, e.re) && Object.is(c.im, e.im);
  }
  if (typeof e === "number") return typeof a === "number" && Object.is(a, e);
  return a === e;
}

function equalApprox(a: unknown, e: JsScalar, rtol: number, atol: number): boolean {
  if (typeof e === "object") {
    if (typeof a !== "object" || a === null) return false;
    const c = a as { re: number; im: number };
    if (!Number.isFinite(e.re) || !Number.isFinite(e.im) || !Number.isFinite(c.re) || !Number.isFinite(c.im)) {
      return closeReal(c.re, e.re, rtol, atol) && closeReal(c.im, e.im, rtol, atol);
    }
    return Math.hypot(c.re - e.re, c.im - e.im) <= rtol * Math.hypot(e.re, e.im) + atol;
  }
  if (typeof e === "number") return typeof a === "number" && closeReal(a, e, rtol, atol);
  return a === e;
}

/** Compare a library result with NumPy's; throws an AssertionError describing the difference. */
export function checkResult(actual: unknown, expect: EncArray | { type: string } | { tuple: EncArray[] }, ev: Evaluation): void {
  if ("tuple" in expect) {
    assert.ok(Array.isArray(actual), `expected a tuple of ${expect.tuple.length} arrays, got ${show(actual)}`);
    assert.equal(actual.length, expect.tuple.length, "tuple length");
    expect.tuple.forEach((e, i) => checkResult(actual[i], e, ev));
    return;
  }
  if ("type" in expect) {
    assert.ok(actual instanceof np.dtype(expect.type).constructor, `expected a dtype, got ${show(actual)}`);
    assert.equal((actual as np.DType).name, expect.type, "dtype");
    return;
  }
  assert.ok(actual instanceof np.ndarray, `expected an ndarray, got ${typeof actual}: ${show(actual)}`);
  assert.equal(actual.dtype.name, expect.dtype, `dtype: got ${actual.dtype.name}, NumPy ${expect.dtype}`);
  assert.deepEqual(actual.shape, expect.shape, `shape: got (${actual.shape}), NumPy (${expect.shape})`);
  if (!expect.data) return;
  const got = actual.flatValues();
  const want = expect.data.map((v) => decodeValue(expect.dtype, v));
  assert.equal(got.length, want.length, "element count");
  const floaty = expect.dtype.startsWith("float") || expect.dtype.startsWith("complex");
  const approx = floaty && ev.approx;
  const rtol = rtolFor(expect.dtype);
  let scale = 1;
  if (approx && ev.summing) {
    for (const w of want) {
      const m = typeof w === "object" ? Math.hypot((w as { re: number }).re, (w as { im: number }).im) : Math.abs(w as number);
      if (Number.isFinite(m)) scale = Math.max(scale, m);
    }
  }
  const atol = rtol * scale;
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const ok = approx ? equalApprox(got[i], want[i], rtol, atol) : equalExact(got[i], want[i]);
    if (!ok) bad.push(`[${i}] got ${show(got[i])}, NumPy ${show(want[i])}`);
  }
  if (bad.length) {
    const mode = approx ? `rtol ${rtol}, atol ${atol}` : "exact";
    assert.fail(`${bad.length} of ${want.length} values differ (${mode}): ${bad.slice(0, 6).join("; ")}${bad.length > 6 ? "; …" : ""}`);
  }
}

const ERROR_CLASSES: Record<string, unknown> = {
  ValueError: np.ValueError,
  IndexError: np.IndexError,
  AxisError: np.AxisError,
  OverflowError: np.OverflowError,
  TypeError: TypeError,
  UFuncTypeError: np.UFuncTypeError,
};

/** Run one case (expression + NumPy's outcome) against the library, asserting agreement. */
export function runCase(expr: Expr, expect: Expect, arrays: EncArray[] = []): void {
  const ev = new Evaluation(arrays);
  ev.prepare(expr);
  if ("error" in expect) {
    const before = ev.snapshot();
    let result: unknown;
    try {
      // The library defers work until values are read, so a data-dependent error may only
      // surface then: reading the result is part of the operation here.
      result = ev.apply(expr);
      if (result instanceof np.ndarray) result.flatValues();
    } catch (err) {
      const e = err as Error;
      assert.equal(e?.name, expect.error, `error class: got ${e?.name}: ${e?.message}; NumPy ${expect.error}: ${expect.message}`);
      const cls = ERROR_CLASSES[expect.error] as (new (...a: never[]) => Error) | undefined;
      if (cls) assert.ok(e instanceof cls, `error is not an instance of ${expect.error}`);
      assert.equal(e.message, expect.message, "error message");
      assert.deepEqual(ev.snapshot(), before, "operands changed by the failed operation");
      return;
    }
    let desc: string = typeof result;
    if (result instanceof np.ndarray)
      desc = `${result.dtype.name} array of shape (${result.shape}) ${result.size <= 8 ? `[${result.flatValues().map(show).join(", ")}]` : ""}`;
    assert.fail(`expected ${expect.error}: ${expect.message}; got ${desc}`);
  }
  checkResult(ev.apply(expr), expect, ev);
}

/** Cases grouped by the part of their name before ":" ("binary add", "reduce sum", "astype", …), in order. */
export function groupByPrefix<C extends { name: string }>(cases: readonly C[]): Map<string, C[]> {
  const groups = new Map<string, C[]>();
  for (const c of cases) {
    const g = c.name.slice(0, c.name.indexOf(":"));
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(c);
  }
  return groups;
}
