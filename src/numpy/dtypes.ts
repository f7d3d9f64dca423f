import { DType, DTYPES, DTypeName } from "../core/dtype.js";
import { OverflowError } from "./errors.js";

export { DType } from "../core/dtype.js";
export type { DTypeName } from "../core/dtype.js";

/** dtype objects, identical to the strings' (`np.dtype("float64") === np.float64`). */
export const bool = DTYPES.bool, int8 = DTYPES.int8, int16 = DTYPES.int16, int32 = DTYPES.int32, int64 = DTYPES.int64;
export const uint8 = DTYPES.uint8, uint16 = DTYPES.uint16, uint32 = DTYPES.uint32, uint64 = DTYPES.uint64;
export const float16 = DTYPES.float16, float32 = DTYPES.float32, float64 = DTYPES.float64;
export const complex64 = DTYPES.complex64, complex128 = DTYPES.complex128;

export type DTypeLike = DType | DTypeName | string;

const ALIASES: Record<string, DTypeName> = {
  bool: "bool", bool_: "bool", "?": "bool", b1: "bool",
  int8: "int8", i1: "int8", byte: "int8", int16: "int16", i2: "int16", short: "int16",
  int32: "int32", i4: "int32", intc: "int32", int64: "int64", i8: "int64", int: "int64", int_: "int64", intp: "int64", long: "int64", longlong: "int64",
  uint8: "uint8", u1: "uint8", ubyte: "uint8", uint16: "uint16", u2: "uint16", ushort: "uint16",
  uint32: "uint32", u4: "uint32", uintc: "uint32", uint64: "uint64", u8: "uint64", uint: "uint64", uintp: "uint64", ulong: "uint64", ulonglong: "uint64",
  float16: "float16", f2: "float16", half: "float16", e: "float16", float32: "float32", f4: "float32", single: "float32", f: "float32",
  float64: "float64", f8: "float64", float: "float64", double: "float64", d: "float64", float_: "float64",
  complex64: "complex64", c8: "complex64", csingle: "complex64", F: "complex64",
  complex128: "complex128", c16: "complex128", complex: "complex128", cdouble: "complex128", D: "complex128", complex_: "complex128",
  b: "int8", h: "int16", i: "int32", l: "int64", q: "int64", B: "uint8", H: "uint16", I: "uint32", L: "uint64", Q: "uint64",
};

/** np.dtype(x): resolve a dtype object or any NumPy spelling ("f8", "<f4", "int"). */
export function dtype(x: DTypeLike): DType {
  if (x instanceof DType) return x;
  if (typeof x === "string") {
    const plain = ALIASES[x]; // the common case, without the regex below
    if (typeof plain === "string") return DTYPES[plain];
    const s = x.replace(/^[<=|]/, "");
    const name = ALIASES[s];
    if (typeof name === "string" && !x.startsWith(">")) return DTYPES[name];
  }
  throw new TypeError(`data type ${typeof x === "string" ? `'${x}'` : String(x)} not understood`);
}

const order: Record<string, number> = { b: 0, u: 1, i: 1, f: 2, c: 3 };
const bits = (d: DType) => d.itemsize * 8;

/** np.promote_types: the smallest dtype both can be safely cast to. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a.kind === "b") return b;
  if (b.kind === "b") return a;
  if (order[a.kind] > order[b.kind]) [a, b] = [b, a];
  // now a.kind "<=" b.kind
  if (a.isInteger && b.isInteger) {
    if (a.kind === b.kind) return a.itemsize >= b.itemsize ? a : b;
    const [s, u] = a.kind === "i" ? [a, b] : [b, a];
    if (s.itemsize > u.itemsize) return s;
    const size = u.itemsize * 2;
    return size > 8 ? float64 : intOfSize(size);
  }
  if (a.isInteger && (b.isFloat || b.isComplex)) {
    // The float must hold every value of the int exactly.
    const need = a.itemsize === 1 ? 16 : a.itemsize === 2 ? 32 : 64;
    const fbits = b.isComplex ? bits(b) / 2 : bits(b);
    const f = Math.max(need, fbits);
    return b.isComplex ? (f <= 32 ? complex64 : complex128) : floatOfBits(f);
  }
  if (a.isFloat && b.isFloat) return a.itemsize >= b.itemsize ? a : b;
  if (a.isFloat && b.isComplex) return bits(a) <= bits(b) / 2 ? b : complex128;
  return a.itemsize >= b.itemsize ? a : b;
}

const intOfSize = (n: number) => (n === 1 ? int8 : n === 2 ? int16 : n === 4 ? int32 : int64);
const floatOfBits = (n: number) => (n <= 16 ? float16 : n <= 32 ? float32 : float64);

/** A Python-like scalar as NEP 50 sees it: weakly typed, adopting the array's precision. */
export type WeakScalar = number | bigint | boolean | { re: number; im: number };

/** Kind of a JS value when it acts as a weak scalar. */
export function scalarKind(v: WeakScalar): "b" | "i" | "f" | "c" {
  if (typeof v === "boolean") return "b";
  if (typeof v === "bigint") return "i";
  if (typeof v === "object") return "c";
  return Number.isInteger(v) && !Object.is(v, -0) ? "i" : "f";
}

/** Default dtype of a scalar standing alone (np.asarray(3) → int64, 3.5 → float64). */
export function scalarDType(v: WeakScalar): DType {
  const k = scalarKind(v);
  if (k === "i" && typeof v === "number" && !Number.isSafeInteger(v)) return float64;
  return k === "b" ? bool : k === "i" ? int64 : k === "f" ? float64 : complex128;
}

/**
 * np.result_type with NEP 50: arrays' dtypes promote normally; weak scalars only raise the
 * *kind* (int → float → complex), taking the default precision for a new kind.
 */
export function resultType(dtypes: readonly DType[], scalars: readonly WeakScalar[] = []): DType {
  // The common cases: one or two arrays of one dtype and no scalars.
  if (scalars.length === 0 && dtypes.length > 0 && dtypes.every((d) => d === dtypes[0])) return dtypes[0];
  let r: DType | null = null;
  // Floats and complex first: NumPy promotes each integer against the inexact type, so
  // (int8, uint8, float16) is float16, not promote(int16, float16).
  const rank = (d: DType) => (d.kind === "c" ? 0 : d.kind === "f" ? 1 : 2);
  for (const d of [...dtypes].sort((x, y) => rank(x) - rank(y))) r = r ? promoteTypes(r, d) : d;
  for (const s of scalars) {
    const k = scalarKind(s);
    if (!r) { r = scalarDType(s); continue; }
    if (k === "b") continue;
    if (k === "i") { if (r.kind === "b") r = int64; continue; }
    if (k === "f") { if (r.kind === "b" || r.isInteger) r = float64; continue; }
    if (r.kind === "c") continue;
    r = r === float32 || r === float16 ? complex64 : complex128;
  }
  return r ?? float64;
}

const RANGES: Partial<Record<DTypeName, [bigint, bigint]>> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n], uint16: [0n, 65535n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/** NumPy 2 refuses a weak integer that does not fit the integer dtype it meets. */
export function checkWeakInt(v: WeakScalar, d: DType): void {
  if (!d.isInteger || scalarKind(v) !== "i") return;
  const big = BigInt(v as number | bigint);
  const [lo, hi] = RANGES[d.name]!;
  if (big >= lo && big <= hi) return;
  // NumPy reads the int as a C long first (an unsigned one for uint64).
  const [clo, chi] = d === uint64 ? [-(2n ** 63n), hi] : RANGES.int64!;
  if (big < clo || big > chi) throw new OverflowError("Python int too large to convert to C long");
  throw new OverflowError(`Python integer ${big} out of bounds for ${d.name}`);
}

export function intRange(d: DType): [bigint, bigint] { return RANGES[d.name]!; }

/** np.can_cast(from, to, casting) for "no" | "equiv" | "safe" | "same_kind" | "unsafe". */
export type Casting = "no" | "equiv" | "safe" | "same_kind" | "unsafe";
export function canCast(from: DType, to: DType, casting: Casting = "safe"): boolean {
  if (casting === "unsafe") return true;
  if (casting === "no" || casting === "equiv") return from === to;
  if (promoteTypes(from, to) === to) return true;
  if (casting === "safe") return false;
  const rank = (d: DType) => (d.kind === "b" ? 0 : d.kind === "u" || d.kind === "i" ? 1 : d.kind === "f" ? 2 : 3);
  if (from.kind === "u" && to.kind === "i") return true;
  if (from.kind === "i" && to.kind === "u") return false;
  return rank(from) <= rank(to);
}
