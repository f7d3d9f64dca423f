/**
 * Typed scalars: calling a dtype (`np.float64(2)`, `np.int8("12")`, `np.complex64(1, 2)`)
 * converts its argument as NumPy's scalar constructor does and returns a 0-d array of that
 * dtype. NumPy scalars behave like 0-d arrays, and a 0-d array is a strong operand (NEP 50),
 * so `np.full(3, np.float64(2))` is float64 and `np.float32(1).add(1)` stays float32. Given a
 * list or an array, the constructor converts it whole (`np.int32([1.5, 2])`), as NumPy's does.
 */
import { runtime, type DType, DTYPES, laneView, setScalarConstructor, f16round } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { array } from "./creation_from_data.js";
import { intRange, pyRepr } from "./dtypes.js";
import { OverflowError, ValueError } from "./errors.js";
import { isTypedArray, writeElement } from "./values.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";
import type { Scalar } from "./values.js";

type Complex = { re: number; im: number };

const isComplex = (v: unknown): v is Complex =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof ndarray) && "re" in v && "im" in v;

/** Python's type name of a JS value, for conversion errors. */
function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (isComplex(v)) return "complex";
  if (typeof v === "object") return Array.isArray(v) ? "list" : "object";
  return typeof v === "function" ? "type" : typeof v;
}

// ---- Python's int(), float() and complex() on strings -----------------------------------------

const DIGITS = String.raw`\d(?:_?\d)*`;
const INT_RE = new RegExp(String.raw`^\s*[+-]?${DIGITS}\s*$`);
const FLOAT_BODY = String.raw`(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?`;
const FLOAT_RE = new RegExp(String.raw`^\s*[+-]?(?:${FLOAT_BODY}|inf|infinity|nan)\s*$`, "i");
const SIGNED = String.raw`[+-]?(?:${FLOAT_BODY}|inf|infinity|nan)`;
const COMPLEX_RE = new RegExp(String.raw`^(${SIGNED})?(?:([+-](?:${FLOAT_BODY}|inf|infinity|nan)?|${SIGNED})[jJ])?$`, "i");

function parseIntStr(s: string): bigint {
  if (!INT_RE.test(s)) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(s)}`);
  return BigInt(s.trim().replace(/_/g, ""));
}

function parseFloatText(t: string): number {
  const x = t
    .replace(/_/g, "")
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, "$1Infinity");
  return /nan$/.test(x) ? NaN : Number(x);
}

function parseFloatStr(s: string): number {
  if (!FLOAT_RE.test(s)) throw new ValueError(`could not convert string to float: ${pyRepr(s)}`);
  return parseFloatText(s.trim());
}

function parseComplexStr(s: string): Complex {
  let t = s.trim();
  if (t.startsWith("(") && t.endsWith(")")) t = t.slice(1, -1).trim();
  const m = t === "" ? null : COMPLEX_RE.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new ValueError("complex() arg is a malformed string");
  // "1.5" is all real; "2j" all imaginary; "1+2j" both.
  if (m[2] === undefined) return { re: parseFloatText(m[1]), im: 0 };
  const im = m[2] === "+" || m[2] === "-" ? (m[2] === "-" ? -1 : 1) : parseFloatText(m[2]);
  return { re: m[1] === undefined ? 0 : parseFloatText(m[1]), im };
}

// ---- conversions ------------------------------------------------------------------------------

/** A Python int as a NumPy integer type takes it: bounds-checked, with NumPy 2's messages. */
function intFromPyInt(v: bigint, d: DType): bigint {
  const wide = d === DTYPES.uint32 || d === DTYPES.uint64;
  if (v < -(2n ** 63n) || v > (wide ? 2n ** 64n - 1n : 2n ** 63n - 1n)) throw new OverflowError("Python int too large to convert to C long");
  const [lo, hi] = intRange(d);
  if (v < lo || v > hi) throw new OverflowError(`Python integer ${v} out of bounds for ${d.name}`);
  return v;
}

function intFromFloat(x: number, d: DType): bigint {
  if (Number.isNaN(x)) throw new ValueError("cannot convert float NaN to integer");
  if (!Number.isFinite(x)) throw new OverflowError("cannot convert float infinity to integer");
  return intFromPyInt(BigInt(Math.trunc(x)), d);
}

const roundFloat = (x: number, d: DType): number =>
  d === DTYPES.float32 || d === DTYPES.complex64 ? Math.fround(x) : d === DTYPES.float16 ? f16round(x) : x;

function floatFromBigInt(v: bigint): number {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new OverflowError("int too large to convert to float");
  return x;
}

/** The element value NumPy's scalar constructor for `d` makes from one JS value. */
export function scalarValue(d: DType, v: unknown): Scalar {
  const kind = d.kind;
  if (kind === "b") {
    if (v === null || v === undefined) return false;
    if (typeof v === "string") return v.length > 0;
    if (isComplex(v)) return v.re !== 0 || v.im !== 0;
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean")
      return typeof v === "number" ? v !== 0 : typeof v === "bigint" ? v !== 0n : v;
    throw new TypeError(`bool() argument must be a real number, not '${typeName(v)}'`);
  }
  if (kind === "i" || kind === "u") {
    let i: bigint;
    if (typeof v === "boolean") i = v ? 1n : 0n;
    else if (typeof v === "bigint") i = intFromPyInt(v, d);
    else if (typeof v === "number") i = Number.isInteger(v) ? intFromPyInt(BigInt(v), d) : intFromFloat(v, d);
    else if (typeof v === "string") i = intFromPyInt(parseIntStr(v), d);
    else throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
    return d.isBig ? i : Number(i);
  }
  if (kind === "f") {
    if (v === null || v === undefined) return NaN;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "bigint") return roundFloat(floatFromBigInt(v), d);
    if (typeof v === "number") return roundFloat(v, d);
    if (typeof v === "string") return roundFloat(parseFloatStr(v), d);
    throw new TypeError(`float() argument must be a string or a real number, not '${typeName(v)}'`);
  }
  // complex
  if (v === null || v === undefined) return { re: NaN, im: NaN };
  let c: Complex;
  if (isComplex(v)) c = { re: Number(v.re), im: Number(v.im) };
  else if (typeof v === "boolean") c = { re: v ? 1 : 0, im: 0 };
  else if (typeof v === "bigint") c = { re: floatFromBigInt(v), im: 0 };
  else if (typeof v === "number") c = { re: v, im: 0 };
  else if (typeof v === "string") c = parseComplexStr(v);
  else throw new TypeError(`complex() first argument must be a string or a number, not '${typeName(v)}'`);
  return { re: roundFloat(c.re, d), im: roundFloat(c.im, d) };
}

function tooMany(d: DType, n: number): TypeError {
  if (d === DTYPES.float64) return new TypeError(`float expected at most 1 argument, got ${n}`);
  if (d === DTYPES.bool) return new TypeError(`bool_() takes at most 1 argument (${n} given)`);
  if (d.isComplex) return new TypeError(`function takes at most 2 arguments (${n} given)`);
  return new TypeError(`function takes at most 1 argument (${n} given)`);
}

const isReal = (v: unknown): v is number | bigint | boolean => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";

function scalarArray(d: DType, value: Scalar): ndarray {
  const data = laneView(d, new ArrayBuffer(d.itemsize), 0, 1);
  writeElement(data, 0, d, value);
  return new ndarray(runtime().attach([], d, data));
}

/**
 * np.<dtype>(...args): no argument gives zero; one scalar converts as NumPy does (range
 * checked for integers: np.int8(300) is an OverflowError; floats truncate: np.int32(2.7) is 2;
 * strings parse); complex types also take (real, imag). Arrays and lists convert elementwise.
 */
export function makeScalar(d: DType, args: readonly unknown[]): ndarray {
  if (args.length > (d.isComplex ? 2 : 1)) throw tooMany(d, args.length);
  if (args.length === 0) return scalarArray(d, d.isComplex ? { re: 0, im: 0 } : d.kind === "b" ? false : d.isBig ? 0n : 0);
  if (args.length === 2) {
    const [re, im] = args;
    if (!isReal(re) || !isReal(im)) throw new TypeError(`Could not convert arguments into a complex scalar. '(${pyRepr(re)}, ${pyRepr(im)})' given.`);
    const num = (x: number | bigint | boolean) => (typeof x === "bigint" ? floatFromBigInt(x) : Number(x));
    return scalarArray(d, { re: roundFloat(num(re), d), im: roundFloat(num(im), d) });
  }
  const v = args[0];
  if (v instanceof ndarray) return v.astype(d);
  if (Array.isArray(v) || isTypedArray(v)) return array(v as never, { dtype: d });
  return scalarArray(d, scalarValue(d, v));
}

setScalarConstructor(makeScalar);

/**
 * np.isscalar(element): true for JS numbers, bigints, booleans, strings and complex values
 * `{ re, im }`; false for arrays and lists. NumPy's own scalars (np.float64(1)) are 0-d arrays
 * here, and 0-d arrays are not scalars to NumPy either, so they give false.
 */
export const isscalar = def("isscalar", "element", { element: arg.any }, (p): boolean => {
  const v = p.element;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || typeof v === "string") return true;
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof ndarray) && Object.keys(v).length === 2 && "re" in v && "im" in v;
});
