/**
 * NumPy's data type routines: np.result_type, np.promote_types, np.can_cast,
 * np.min_scalar_type, np.issubdtype, np.finfo and np.iinfo, with NumPy 2 (NEP 50) answers.
 *
 * Each public function binds NumPy's parameters and hands normalised arguments to an internal
 * function (`…Of`), which the rest of the library may call directly.
 */
import { DType, DTYPES, f16round } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { AbstractScalarType, dtype as toDType, canCast, isSubtype, promoteTypes, pyRepr, resultType, scalarKind } from "./dtypes.js";
import type { Casting, WeakScalar } from "./dtypes.js";
import { AttributeError, KeyError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, pyType, unsupported } from "./param_types.js";
import { formatScalar } from "./printing/arrayprint.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const CASTINGS: readonly Casting[] = ["no", "equiv", "safe", "same_kind", "unsafe"];

// ---- result_type / promote_types / can_cast --------------------------------------------------

/**
 * np.result_type(*arrays_and_dtypes). Arrays (0-d ones and typed scalars like np.float32(1)
 * included) and dtypes are strong; JS scalars are NumPy 2's weak Python scalars: an integral
 * number or a bigint is a Python int, any other number a Python float, a boolean a Python bool,
 * `{re, im}` a Python complex. They only raise the kind (`result_type(np.int8, 1.5)` is float64,
 * `result_type(np.float32, 1.5)` float32).
 */
export const result_type = def(
  "result_type",
  "*arrays_and_dtypes",
  { arrays_and_dtypes: arg.any },
  (p): DType => resultTypePublic(p.arrays_and_dtypes),
);
function resultTypePublic(arrays_and_dtypes: unknown[]): DType {
  const dtypes: DType[] = [];
  const weak: WeakScalar[] = [];
  for (const x of arrays_and_dtypes) {
    if (x instanceof ndarray) dtypes.push(x.dtype);
    else if (isWeakScalar(x)) weak.push(x);
    else if (Array.isArray(x)) throw new TypeError(`Field elements must be 2- or 3-tuples, got '${pyRepr(x[0])}'`);
    else dtypes.push(toDType(x));
  }
  return resultTypeOf(dtypes, weak);
}

/** result_type over normalised arguments: NumPy's error when there are none. */
export function resultTypeOf(dtypes: readonly DType[], weak: readonly WeakScalar[]): DType {
  if (dtypes.length === 0 && weak.length === 0) throw new ValueError("at least one array or dtype is required");
  return resultType(dtypes, weak);
}

/** np.promote_types(type1, type2): the smallest dtype both cast to safely. */
export const promote_types = def(
  "promote_types",
  "type1, type2, /",
  { type1: arg.any, type2: arg.any },
  (p): DType => promoteTypes(toDType(p.type1), toDType(p.type2)),
);

const CAN_CAST_SCALAR =
  "can_cast() does not support Python ints, floats, and complex because the result used to depend on the value.\n" +
  "This change was part of adopting NEP 50, we may explicitly allow them again in the future.";

/**
 * np.can_cast(from_, to, casting='safe'): `from_` is a dtype, an array or a typed scalar
 * (np.float64(1)); JS numbers are refused as NumPy 2 refuses Python scalars.
 */
export const can_cast = def("can_cast", "from_, to, casting='safe'", { from_: arg.any, to: arg.any, casting: arg.any }, (p): boolean =>
  canCastOf(p.from_, p.to, p.casting),
);

export function canCastOf(from: unknown, to: unknown, casting: unknown): boolean {
  if (typeof casting !== "string" || !(CASTINGS as readonly string[]).includes(casting)) {
    throw new ValueError(`casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got ${pyRepr(casting)})`);
  }
  if (isWeakScalar(from)) throw new TypeError(CAN_CAST_SCALAR);
  if (from instanceof AbstractScalarType || to instanceof AbstractScalarType)
    throw new TypeError("did not understand one of the types; 'None' not accepted");
  const f = from instanceof ndarray ? from.dtype : toDType(from);
  return canCast(f, toDType(to), casting as Casting);
}

// ---- min_scalar_type ------------------------------------------------------------------------

const U_LADDER: [bigint, DType][] = [
  [255n, DTYPES.uint8],
  [65535n, DTYPES.uint16],
  [4294967295n, DTYPES.uint32],
  [18446744073709551615n, DTYPES.uint64],
];
const I_LADDER: [bigint, DType][] = [
  [-128n, DTYPES.int8],
  [-32768n, DTYPES.int16],
  [-2147483648n, DTYPES.int32],
  [-9223372036854775808n, DTYPES.int64],
];

function minIntType(v: bigint, unsigned: boolean): DType {
  if (v >= 0n) {
    for (const [max, d] of U_LADDER) if (v <= max) return d;
    throw new TypeError(`min_scalar_type: Python integer ${v} needs NumPy's object dtype, which tessera does not have`);
  }
  if (unsigned) return DTYPES.uint64; // unreachable: an unsigned value is never negative
  for (const [min, d] of I_LADDER) if (v >= min) return d;
  throw new TypeError(`min_scalar_type: Python integer ${v} needs NumPy's object dtype, which tessera does not have`);
}

function minFloatType(v: number, from: DType): DType {
  if (from === DTYPES.float16) return from;
  if ((v > -65000 && v < 65000) || !Number.isFinite(v)) return DTYPES.float16;
  if (from === DTYPES.float32) return from;
  return v > -3.4e38 && v < 3.4e38 ? DTYPES.float32 : DTYPES.float64;
}

function minComplexType(c: { re: number; im: number }, from: DType): DType {
  if (from === DTYPES.complex64) return from;
  const fits = (x: number) => x > -3.4e38 && x < 3.4e38;
  return fits(c.re) && fits(c.im) ? DTYPES.complex64 : DTYPES.complex128;
}

/** The smallest dtype holding `value` of dtype `d` (NumPy's value-based min_scalar_type). */
function minScalarTypeOfValue(value: unknown, d: DType): DType {
  switch (d.kind) {
    case "b":
      return DTYPES.bool;
    case "i":
    case "u":
      return minIntType(BigInt(value as number | bigint), d.kind === "u");
    case "f":
      return minFloatType(value as number, d);
    default:
      return minComplexType(value as { re: number; im: number }, d);
  }
}

/**
 * np.min_scalar_type(a): for a scalar (a JS scalar, or a 0-d array such as np.int16(5)) the
 * smallest dtype that holds its value, preferring unsigned integers (10 → uint8, -1 → int8,
 * 1.5 → float16); for an array of one or more dimensions its dtype.
 */
export const min_scalar_type = def("min_scalar_type", "a, /", { a: arg.any }, (p): DType => minScalarType(p.a));
function minScalarType(a: unknown): DType {
  if (a instanceof ndarray) return a.ndim > 0 ? a.dtype : minScalarTypeOfValue(a.item({ bigint: true }), a.dtype);
  if (typeof a === "boolean") return DTYPES.bool;
  if (typeof a === "bigint") return minIntType(a, false);
  if (typeof a === "number") return scalarKind(a) === "i" ? minIntType(BigInt(a), false) : minFloatType(a, DTYPES.float64);
  if (isWeakScalar(a)) return minComplexType(a as { re: number; im: number }, DTYPES.complex128);
  throw new TypeError(`min_scalar_type: tessera has no dtype for ${pyRepr(a)}`);
}

// ---- issubdtype -------------------------------------------------------------------------------

/** np.issubdtype(arg1, arg2): is arg1 below arg2 in NumPy's scalar type hierarchy? */
export const issubdtype = def("issubdtype", "arg1, arg2", { arg1: arg.any, arg2: arg.any }, (p): boolean =>
  isSubtype(scalarTypeOf(p.arg1), scalarTypeOf(p.arg2)),
);

/** An abstract scalar type stays itself; anything else becomes its dtype. */
function scalarTypeOf(x: unknown): DType | AbstractScalarType {
  return x instanceof AbstractScalarType ? x : toDType(x);
}

// ---- finfo / iinfo ------------------------------------------------------------------------------

/** NumPy's name for the type of a value that is not a dtype (as finfo/iinfo see it). */
type Fallback = DType | "str_" | "object_";

/** np.dtype(x), or, where that fails, the dtype of x's type (finfo(1.5) is finfo(float64)). */
function infoDType(x: unknown): Fallback {
  try {
    return toDType(x);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    if (x instanceof ndarray) return x.ndim === 0 ? x.dtype : "object_";
    if (typeof x === "string") return "str_";
    if (isWeakScalar(x))
      return DTYPES[typeof x === "boolean" ? "bool" : scalarKind(x) === "i" ? "int64" : scalarKind(x) === "f" ? "float64" : "complex128"];
    return "object_";
  }
}

interface FloatParams {
  bits: number;
  nmant: number;
  nexp: number;
  minexp: number;
  maxexp: number;
  precision: number;
  dtype: DType;
  round: (x: number) => number;
  fmt: number;
}
const FLOAT_PARAMS: Record<"float16" | "float32" | "float64", FloatParams> = {
  float16: { bits: 16, nmant: 10, nexp: 5, minexp: -14, maxexp: 16, precision: 3, dtype: DTYPES.float16, round: f16round, fmt: 5 },
  float32: { bits: 32, nmant: 23, nexp: 8, minexp: -126, maxexp: 128, precision: 6, dtype: DTYPES.float32, round: Math.fround, fmt: 7 },
  float64: { bits: 64, nmant: 52, nexp: 11, minexp: -1022, maxexp: 1024, precision: 15, dtype: DTYPES.float64, round: (x) => x, fmt: 16 },
};

/** Python's '%.Ne' formatting: at least two exponent digits. */
function pyExp(x: number, digits: number): string {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * Machine limits of a floating type (np.finfo). Values are JS numbers holding the exact value
 * of the type (eps of float32 is 2**-23); `dtype` is the float dtype (a complex type's real
 * part). String() gives NumPy's str() table, util.inspect NumPy's repr.
 */
export class FInfo {
  readonly bits: number;
  /** 2**-nmant: the gap between 1 and the next larger float. */
  readonly eps: number;
  /** 2**-(nmant+1): the gap between 1 and the next smaller float. */
  readonly epsneg: number;
  readonly max: number;
  readonly min: number;
  /** The smallest positive normal number (same as smallest_normal). */
  readonly tiny: number;
  readonly smallest_normal: number;
  readonly smallest_subnormal: number;
  /** 10**-precision, rounded to the type. */
  readonly resolution: number;
  /** Decimal digits of precision. */
  readonly precision: number;
  readonly dtype: DType;
  readonly maxexp: number;
  readonly minexp: number;
  readonly nmant: number;
  readonly nexp: number;
  readonly machep: number;
  readonly negep: number;
  readonly iexp: number;

  /** @internal use np.finfo(dtype) */
  constructor(d: DType) {
    const p = FLOAT_PARAMS[d === DTYPES.complex64 ? "float32" : d === DTYPES.complex128 ? "float64" : (d.name as "float16" | "float32" | "float64")];
    this.bits = p.bits;
    this.eps = 2 ** -p.nmant;
    this.epsneg = 2 ** -(p.nmant + 1);
    this.max = (2 - 2 ** -p.nmant) * 2 ** (p.maxexp - 1);
    this.min = -this.max;
    this.tiny = this.smallest_normal = 2 ** p.minexp;
    this.smallest_subnormal = 2 ** (p.minexp - p.nmant);
    this.resolution = p.round(10 ** -p.precision);
    this.precision = p.precision;
    this.dtype = p.dtype;
    this.maxexp = p.maxexp;
    this.minexp = p.minexp;
    this.nmant = p.nmant;
    this.nexp = p.nexp;
    this.machep = -p.nmant;
    this.negep = -(p.nmant + 1);
    this.iexp = p.nexp;
    Object.freeze(this);
  }

  /** NumPy's str(): the table of machine parameters. */
  toString(): string {
    const s = (x: number) => formatScalar(x, this.dtype.name);
    const line = "---------------------------------------------------------------\n";
    // (NumPy's code means to pad the left column but drops the padding; so does this.)
    return (
      `Machine parameters for ${this.dtype.name}\n${line}` +
      `precision = ${this.precision}   resolution = ${s(this.resolution)}\n` +
      `machep = ${this.machep}   eps =        ${s(this.eps)}\n` +
      `negep =  ${this.negep}   epsneg =     ${s(this.epsneg)}\n` +
      `minexp = ${this.minexp}   tiny =       ${s(this.tiny)}\n` +
      `maxexp = ${this.maxexp}   max =        ${s(this.max)}\n` +
      `nexp =   ${this.nexp}   min =        -max\n` +
      `smallest_normal = ${s(this.smallest_normal)}   smallest_subnormal = ${s(this.smallest_subnormal)}\n${line}`
    );
  }

  /** NumPy's repr, e.g. finfo(resolution=1e-06, min=-3.4028235e+38, max=3.4028235e+38, dtype=float32). */
  repr(): string {
    const digits = FLOAT_PARAMS[this.dtype.name as "float16" | "float32" | "float64"].fmt;
    return `finfo(resolution=${formatScalar(this.resolution, this.dtype.name)}, min=${pyExp(this.min, digits)}, max=${pyExp(this.max, digits)}, dtype=${this.dtype.name})`;
  }
  [INSPECT](): string {
    return this.repr();
  }
}
const FINFO_CACHE = new Map<DType, FInfo>();

/**
 * np.finfo(dtype): machine limits of a float or complex dtype (given as a dtype, a typed
 * scalar such as np.float32(1), or a JS float). `x instanceof np.finfo` holds for the result.
 */
export const finfo = def("finfo", "dtype", { dtype: arg.any }, ({ dtype }): FInfo => {
  return finfoOf(dtype);
});
finfo.prototype = FInfo.prototype;

export function finfoOf(dtype: unknown): FInfo {
  const d = infoDType(dtype);
  if (typeof d === "string" || (d.kind !== "f" && d.kind !== "c")) {
    throw new ValueError(`data type <class 'numpy.${typeof d === "string" ? d : d.name}'> not inexact`);
  }
  let info = FINFO_CACHE.get(d);
  if (!info) FINFO_CACHE.set(d, (info = new FInfo(d)));
  return info;
}

/**
 * Machine limits of an integer type (np.iinfo). `min` and `max` are numbers up to 32 bits and
 * bigints for int64 and uint64 (both bounds), so they are exact.
 */
export class IInfo {
  readonly bits: number;
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly dtype: DType;
  /** 'i' or 'u'. */
  readonly kind: "i" | "u";

  /** @internal use np.iinfo(int_type) */
  constructor(t: DType) {
    const kind = t.kind as "i" | "u";
    this.bits = t.itemsize * 8;
    this.dtype = t;
    this.kind = kind;
    const lo = kind === "u" ? 0n : -(1n << BigInt(this.bits - 1));
    const hi = kind === "u" ? (1n << BigInt(this.bits)) - 1n : (1n << BigInt(this.bits - 1)) - 1n;
    this.min = t.isBig ? lo : Number(lo);
    this.max = t.isBig ? hi : Number(hi);
    Object.freeze(this);
  }

  /** NumPy's str(). */
  toString(): string {
    const line = "---------------------------------------------------------------\n";
    return `Machine parameters for ${this.dtype.name}\n${line}min = ${this.min}\nmax = ${this.max}\n${line}`;
  }

  /** NumPy's repr, e.g. iinfo(min=-128, max=127, dtype=int8). */
  repr(): string {
    return `iinfo(min=${this.min}, max=${this.max}, dtype=${this.dtype.name})`;
  }
  [INSPECT](): string {
    return this.repr();
  }
}
const IINFO_CACHE = new Map<DType, IInfo>();

/**
 * np.iinfo(int_type): machine limits of an integer dtype (given as a dtype, a typed scalar
 * such as np.int16(1), or a JS integer). `x instanceof np.iinfo` holds for the result.
 */
export const iinfo = def("iinfo", "int_type", { int_type: arg.any }, ({ int_type }): IInfo => {
  return iinfoOf(int_type);
});
iinfo.prototype = IInfo.prototype;

export function iinfoOf(int_type: unknown): IInfo {
  const d = infoDType(int_type);
  const kind = d === "str_" ? "U" : d === "object_" ? "O" : d.kind;
  if (kind !== "i" && kind !== "u") throw new ValueError(`Invalid integer data type '${kind}'.`);
  let info = IINFO_CACHE.get(d as DType);
  if (!info) IINFO_CACHE.set(d as DType, (info = new IInfo(d as DType)));
  return info;
}

/** np.dtype(dtype, align=False, copy=False): a dtype from any NumPy spelling (`"f8"`, `"<f4"`, `np.float32`, `null`). */
export const dtype = def(
  "dtype",
  "dtype, align=False, copy=False, **kwargs",
  { dtype: arg.any, align: arg.bool, copy: arg.bool, kwargs: arg.any },
  (p): DType => {
    for (const k of Object.keys(p.kwargs)) {
      if (k !== "metadata") throw new TypeError(`dtype() got an unexpected keyword argument '${k}'`);
      unsupported("dtype", "metadata=");
    }
    return toDType(p.dtype);
  },
);
// `np.float64 instanceof np.dtype`, as in NumPy.
Object.defineProperty(dtype, "prototype", { value: DType.prototype });

// ---- isdtype, common_type, mintypecode, typename ---------------------------------------------

const KINDS: Record<string, (d: DType) => boolean> = {
  bool: (d) => d.kind === "b",
  "signed integer": (d) => d.kind === "i",
  "unsigned integer": (d) => d.kind === "u",
  integral: (d) => d.kind === "i" || d.kind === "u",
  "real floating": (d) => d.kind === "f",
  "complex floating": (d) => d.kind === "c",
  numeric: (d) => d.kind !== "b",
};

/** np.isdtype(dtype, kind): whether the scalar type `dtype` is of `kind` (a name such as "integral", a type, or a tuple of them). */
export const isdtype = def("isdtype", "dtype, kind", { dtype: arg.any, kind: arg.any }, (p): boolean => {
  const pyClass = (v: unknown) => `<class '${Array.isArray(v) ? "tuple" : pyType(v)}'>`;
  if (!(p.dtype instanceof DType)) throw new TypeError(`dtype argument must be a NumPy dtype, but it is a ${pyClass(p.dtype)}.`);
  const d = p.dtype;
  const kinds = Array.isArray(p.kind) ? p.kind : [p.kind];
  let hit = false;
  for (const k of kinds) {
    if (typeof k === "string") {
      const test = KINDS[k];
      if (!test) throw new ValueError(`kind argument is a string, but '${k}' is not a known kind name.`);
      hit ||= test(d);
    } else if (k instanceof DType) hit ||= k === d;
    else throw new TypeError(`kind argument must be comprised of NumPy dtypes or strings only, but is a ${pyClass(k)}.`);
  }
  return hit;
});

/** np.common_type(*arrays): the inexact scalar type every array converts to (integers count as float64). */
export const common_type = def("common_type", "*arrays", { arrays: arg.any }, (p): DType => {
  let complex = false,
    precision = 0;
  for (const a of p.arrays as unknown[]) {
    if (!(a instanceof ndarray)) throw new AttributeError(`'${pyType(a)}' object has no attribute 'dtype'`);
    const d = a.dtype;
    if (d.isComplex) complex = true;
    let prec: number;
    if (d.isInteger) prec = 2;
    else if (d.isFloat || d.isComplex) prec = { 2: 0, 4: 1, 8: 2, 16: 2 }[d.isComplex ? d.itemsize / 2 : d.itemsize] ?? 2;
    else throw new TypeError("can't get common type for non-numeric array");
    precision = Math.max(precision, prec);
  }
  if (complex) return [DTYPES.complex64, DTYPES.complex64, DTYPES.complex128][precision];
  return [DTYPES.float16, DTYPES.float32, DTYPES.float64][precision];
});

/** NumPy's one-character type codes (Linux: int64 is 'l'). */
export const TYPE_CHARS: Record<string, string> = {
  bool: "?",
  int8: "b",
  uint8: "B",
  int16: "h",
  uint16: "H",
  int32: "i",
  uint32: "I",
  int64: "l",
  uint64: "L",
  float16: "e",
  float32: "f",
  float64: "d",
  complex64: "F",
  complex128: "D",
};
const BY_SIZE = "GDFgdfQqLlIiHhBb?";

/** np.mintypecode(typechars, typeset='GDFgdf', default='d'): the smallest-size code of typeset that the given codes (or arrays) fit. */
export const mintypecode = def(
  "mintypecode",
  "typechars, typeset='GDFgdf', default='d'",
  { typechars: arg.any, typeset: arg.any, default: arg.any },
  (p): string => {
    const items: unknown[] = typeof p.typechars === "string" ? [...p.typechars] : (p.typechars as unknown[]);
    const set = String(p.typeset);
    const codes = items.map((t) => (typeof t === "string" && t ? t : TYPE_CHARS[asarray(t as ArrayLike).dtype.name]));
    const hit = new Set(codes.filter((c) => set.includes(c)));
    if (hit.size === 0) return p.default as string;
    if (hit.has("F") && hit.has("d")) return "D";
    return [...hit].sort((a, b) => BY_SIZE.indexOf(a) - BY_SIZE.indexOf(b))[0];
  },
);

const TYPE_NAMES: Record<string, string> = {
  S1: "character",
  "?": "bool",
  b: "signed char",
  B: "unsigned char",
  h: "short",
  H: "unsigned short",
  i: "integer",
  I: "unsigned integer",
  l: "long integer",
  L: "unsigned long integer",
  q: "long long integer",
  Q: "unsigned long long integer",
  f: "single precision",
  d: "double precision",
  g: "long precision",
  F: "complex single precision",
  D: "complex double precision",
  G: "complex long double precision",
  S: "string",
  U: "unicode",
  V: "void",
  O: "object",
};
/** np.typename(char): the description of a type code ('d' is 'double precision'). */
export const typename = def("typename", "char", { char: arg.any }, (p): string => {
  const name = typeof p.char === "string" ? TYPE_NAMES[p.char] : undefined;
  if (name === undefined) throw new KeyError(typeof p.char === "string" ? `'${p.char}'` : String(p.char));
  return name;
});
