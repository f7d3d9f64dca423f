import { DType, DTYPES } from "../core/index.js";
import type { DTypeName } from "../core/index.js";
import { OverflowError } from "./errors.js";
import type { ndarray } from "./ndarray.js";

export { DType } from "../core/index.js";
export type { DTypeName } from "../core/index.js";

/**
 * The fourteen dtypes. Each is also its scalar type: `np.float64(2)` makes a float64 scalar
 * (a 0-d array), while `a.dtype === np.float64` and `np.dtype("float64") === np.float64` hold.
 */
export interface ScalarType extends DType {
  /** Make a typed scalar (a 0-d array): np.float64(2), np.int8("12"), np.complex128(1, 2). */
  (...args: unknown[]): ndarray;
}
const S = (d: DType) => d as ScalarType;
export const bool = S(DTYPES.bool),
  int8 = S(DTYPES.int8),
  int16 = S(DTYPES.int16),
  int32 = S(DTYPES.int32),
  int64 = S(DTYPES.int64);
export const uint8 = S(DTYPES.uint8),
  uint16 = S(DTYPES.uint16),
  uint32 = S(DTYPES.uint32),
  uint64 = S(DTYPES.uint64);
export const float16 = S(DTYPES.float16),
  float32 = S(DTYPES.float32),
  float64 = S(DTYPES.float64);
export const complex64 = S(DTYPES.complex64),
  complex128 = S(DTYPES.complex128);
/** NumPy's other names for the same types (np.bool_ is np.bool, np.double is np.float64, ...). */
export const bool_ = bool,
  byte = int8,
  short = int16,
  intc = int32,
  int_ = int64,
  intp = int64,
  long = int64,
  longlong = int64;
export const ubyte = uint8,
  ushort = uint16,
  uintc = uint32,
  uint = uint64,
  uintp = uint64,
  ulong = uint64,
  ulonglong = uint64;
export const half = float16,
  single = float32,
  double = float64,
  csingle = complex64,
  cdouble = complex128;

/**
 * NumPy's abstract scalar types (np.generic, np.number, np.integer, np.floating, ...): the
 * inner nodes of the scalar type hierarchy, for np.issubdtype. Like NumPy's, they cannot be
 * instantiated (calling one throws) nor made into a dtype.
 */
export class AbstractScalarType {
  declare readonly name: string;
  /** The next type up the hierarchy (null for np.generic). */
  declare readonly parent: AbstractScalarType | null;
  private constructor() {}
  toString(): string {
    return this.name;
  }
  toJSON(): string {
    return this.name;
  }
  /** NumPy's repr: <class 'numpy.floating'>. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `<class 'numpy.${this.name}'>`;
  }
  /** @internal */
  static make(name: string, parent: AbstractScalarType | null): AbstractScalarType {
    const self = ((..._args: unknown[]) => {
      throw new TypeError(`cannot create 'numpy.${name}' instances`);
    }) as unknown as AbstractScalarType;
    Object.setPrototypeOf(self, AbstractScalarType.prototype);
    const ro = (value: unknown) => ({ value, enumerable: true, writable: false, configurable: false });
    Object.defineProperties(self, { name: ro(name), parent: ro(parent) });
    return Object.freeze(self);
  }
}
Object.setPrototypeOf(AbstractScalarType.prototype, Function.prototype);
export interface AbstractScalarType {
  /** Always throws, as NumPy's abstract types cannot be instantiated. */
  (...args: unknown[]): never;
}

export const generic = AbstractScalarType.make("generic", null);
export const number = AbstractScalarType.make("number", generic);
export const integer = AbstractScalarType.make("integer", number);
export const signedinteger = AbstractScalarType.make("signedinteger", integer);
export const unsignedinteger = AbstractScalarType.make("unsignedinteger", integer);
export const inexact = AbstractScalarType.make("inexact", number);
export const floating = AbstractScalarType.make("floating", inexact);
export const complexfloating = AbstractScalarType.make("complexfloating", inexact);

/** The abstract type directly above a dtype in NumPy's scalar hierarchy. */
export function abstractParent(d: DType): AbstractScalarType {
  switch (d.kind) {
    case "b":
      return generic;
    case "i":
      return signedinteger;
    case "u":
      return unsignedinteger;
    case "f":
      return floating;
    default:
      return complexfloating;
  }
}

/** issubclass(a, b) over the scalar type hierarchy (a dtype is a subclass of itself only). */
export function isSubtype(a: DType | AbstractScalarType, b: DType | AbstractScalarType): boolean {
  if (a === b) return true;
  if (b instanceof DType) return false;
  for (let t: AbstractScalarType | null = a instanceof DType ? abstractParent(a) : a.parent; t; t = t.parent) if (t === b) return true;
  return false;
}

/** What np.dtype() accepts: a dtype, any NumPy spelling of one, or null (float64). */
export type DTypeLike = DType | DTypeName | string;

const ALIASES: Record<string, DTypeName> = {
  bool: "bool",
  bool_: "bool",
  "?": "bool",
  b1: "bool",
  int8: "int8",
  i1: "int8",
  byte: "int8",
  int16: "int16",
  i2: "int16",
  short: "int16",
  int32: "int32",
  i4: "int32",
  intc: "int32",
  int64: "int64",
  i8: "int64",
  int: "int64",
  int_: "int64",
  intp: "int64",
  long: "int64",
  longlong: "int64",
  uint8: "uint8",
  u1: "uint8",
  ubyte: "uint8",
  uint16: "uint16",
  u2: "uint16",
  ushort: "uint16",
  uint32: "uint32",
  u4: "uint32",
  uintc: "uint32",
  uint64: "uint64",
  u8: "uint64",
  uint: "uint64",
  uintp: "uint64",
  ulong: "uint64",
  ulonglong: "uint64",
  float16: "float16",
  f2: "float16",
  half: "float16",
  e: "float16",
  float32: "float32",
  f4: "float32",
  single: "float32",
  f: "float32",
  float64: "float64",
  f8: "float64",
  float: "float64",
  double: "float64",
  d: "float64",
  complex64: "complex64",
  c8: "complex64",
  csingle: "complex64",
  F: "complex64",
  complex128: "complex128",
  c16: "complex128",
  complex: "complex128",
  cdouble: "complex128",
  D: "complex128",
  b: "int8",
  h: "int16",
  i: "int32",
  l: "int64",
  q: "int64",
  p: "int64",
  B: "uint8",
  H: "uint16",
  I: "uint32",
  L: "uint64",
  Q: "uint64",
  P: "uint64",
};

/** NumPy dtypes tessera does not have. */
const UNSUPPORTED = new Set([
  "g",
  "G",
  "longdouble",
  "clongdouble",
  "O",
  "object",
  "U",
  "S",
  "a",
  "str",
  "bytes",
  "V",
  "void",
  "M",
  "m",
  "datetime64",
  "timedelta64",
]);

/** Python's repr of a JS value, for error messages. */
export function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "string") return `'${x}'`;
  if (typeof x === "number") {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    return Object.is(x, -0) ? "-0.0" : String(x);
  }
  if (typeof x === "bigint") return String(x);
  if (typeof x === "object" && "re" in x && "im" in x) {
    const c = x as { re: number; im: number };
    return c.re === 0 && !Object.is(c.re, -0) ? `${c.im}j` : `(${c.re}${c.im < 0 || Object.is(c.im, -0) ? "-" : "+"}${Math.abs(c.im)}j)`;
  }
  return String(x);
}

/** JS constructors standing for Python's types: Number ~ float, Boolean ~ bool, BigInt ~ int. */
const JS_TYPES = new Map<unknown, DType>([
  [Number, DTYPES.float64],
  [Boolean, DTYPES.bool],
  [BigInt, DTYPES.int64],
]);

/**
 * np.dtype(x): a dtype object, any NumPy spelling ("f8", "<f4", "int", "double"), null
 * (NumPy's default, float64), or the JS constructors Number / Boolean / BigInt (Python's float,
 * bool, int). Everything else raises NumPy's TypeError.
 */
export function dtype(x: DTypeLike | null | unknown): DType {
  if (x instanceof DType) return x;
  if (typeof x === "string") {
    const plain = ALIASES[x]; // the common case, without the regex below
    if (typeof plain === "string") return DTYPES[plain];
    const s = x.replace(/^[<=|]/, "");
    const name = ALIASES[s];
    if (typeof name === "string" && !x.startsWith(">")) return DTYPES[name];
    if (UNSUPPORTED.has(s.replace(/\d+$/, ""))) throw new TypeError(`data type '${x}' is not supported by tessera`);
    if (x.startsWith(">") && ALIASES[x.slice(1)]) throw new TypeError(`data type '${x}' is not supported by tessera (only native byte order is)`);
    throw new TypeError(`data type '${x}' not understood`);
  }
  if (x === null || x === undefined) return DTYPES.float64;
  if (x instanceof AbstractScalarType) throw abstractToDType(x);
  const js = JS_TYPES.get(x);
  if (js) return js;
  if (typeof x === "object" && "_store" in x) throw new TypeError("Cannot construct a dtype from an array");
  throw new TypeError(`Cannot interpret '${pyRepr(x)}' as a data type`);
}
// `x instanceof np.dtype` holds for every dtype, as isinstance(x, np.dtype) does in NumPy.
(dtype as unknown as { prototype: object }).prototype = DType.prototype;

function abstractToDType(t: AbstractScalarType): TypeError {
  switch (t) {
    case generic:
      return new TypeError("Converting `np.generic` to a dtype is not allowed.");
    case number:
    case inexact:
    case floating:
      return new TypeError("Converting `np.inexact` or `np.floating` to a dtype not allowed");
    case complexfloating:
      return new TypeError("Converting `np.complex` to a dtype is not allowed.");
    case integer:
    case signedinteger:
      return new TypeError("Converting 'np.integer' or 'np.signedinteger' to a dtype is not allowed");
    case unsignedinteger:
      return new TypeError("Converting `np.unsignedinteger` to a dtype is not allowed");
    default:
      return new TypeError(`Converting 'np.${t.name}' to a dtype is not allowed`); // unreachable
  }
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
  if (typeof v === "bigint" && v > 2n ** 63n - 1n) return uint64;
  return k === "b" ? bool : k === "i" ? int64 : k === "f" ? float64 : complex128;
}

/** The real dtype of a complex one, whose parts and magnitude it holds (other dtypes are their own). */
export function partType(d: DType): DType {
  return d === DTYPES.complex64 ? DTYPES.float32 : d.isComplex ? DTYPES.float64 : d;
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
  if (!r && scalars.length > 0) {
    // Only weak scalars: one alone takes its own dtype (2**63 is uint64); several take the
    // default dtype of the highest kind among them.
    if (scalars.length === 1) return scalarDType(scalars[0]);
    const kinds = scalars.map(scalarKind);
    return kinds.includes("c") ? complex128 : kinds.includes("f") ? float64 : kinds.includes("i") ? int64 : bool;
  }
  for (const s of scalars) {
    const k = scalarKind(s);
    if (!r) {
      r = scalarDType(s);
      continue;
    }
    if (k === "b") continue;
    if (k === "i") {
      if (r.kind === "b") r = int64;
      continue;
    }
    if (k === "f") {
      if (r.kind === "b" || r.isInteger) r = float64;
      continue;
    }
    if (r.kind === "c") continue;
    r = r === float32 || r === float16 ? complex64 : complex128;
  }
  return r ?? float64;
}

const RANGES: Partial<Record<DTypeName, [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
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

export function intRange(d: DType): [bigint, bigint] {
  return RANGES[d.name]!;
}

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
