/**
 * Converters for declared parameters (see signature.ts): each checks one argument the way
 * NumPy checks it, raises NumPy's error, and hands the body a normalised value.
 */
import type { DType } from "../core/index.js";
import type { Conv, ArgRef } from "./signature.js";
import { ndarray } from "./ndarray.js";
import { dtype as toDType } from "./dtypes.js";
import type { DTypeLike, Casting } from "./dtypes.js";
import type { ArrayLike } from "./creation_from_data.js";
import { RuntimeError, ValueError } from "./errors.js";

/** A converter from a checking function; `I` is the TypeScript type callers may pass. */
export const conv = <I, O = I>(f: (v: unknown, ref: ArgRef) => O): Conv<I, O> => f as Conv<I, O>;

/** Python's name for the type of a JS value, as NumPy's messages print it. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (typeof v === "function") return "function";
  if (Array.isArray(v)) return "list";
  if (v instanceof ndarray) return "numpy.ndarray";
  if (typeof v === "object" && "re" in v && "im" in v) return "complex";
  return "dict";
}

/**
 * Python's operator.index: an integer (JS integral number, bigint, bool or integer 0-d array).
 * A JS array where an integer belongs is, to NumPy, a tuple (`axis: [0, 1]` is `axis=(0, 1)`).
 */
export function toIndex(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof ndarray && v.ndim === 0 && (v.dtype.isInteger || v.dtype.kind === "b")) return Number(v.item());
  throw new TypeError(`'${Array.isArray(v) ? "tuple" : pyType(v)}' object cannot be interpreted as an integer`);
}

/** An integer as C code parsing an "i" argument takes it (np.normalize_axis_index, ndmin=): a float is refused by name. */
export function toCInt(v: unknown): number {
  if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError("integer argument expected, got float");
  return toIndex(v);
}

/** Python's str() of a JS value, for messages that quote it. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
  return String(v);
}

const nullable = <I, O>(c: Conv<I, O>): Conv<I | null, O | null> => conv((v, r) => (v === null ? null : c(v, r)));

const int = conv<number | bigint, number>((v): number => toIndex(v));
/** A shape as NumPy's PyArray_IntpConverter takes it: an integer or a sequence of them. */
const intList = (v: unknown): number[] => {
  if (Array.isArray(v)) return v.map(toIndex);
  if (v instanceof ndarray && v.ndim === 1) return (v.tolist() as unknown[]).map(toIndex);
  if (v === null) throw new TypeError("Use () not None as shape arguments");
  if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError(`expected a sequence of integers or a single integer, got '${pyStr(v)}'`);
  return [toIndex(v)];
};
export { intList as toShapeList };

/** The choices NumPy lists in its message: `'quick', 'heap', or 'stable'`. */
const orList = (xs: readonly string[]) =>
  xs.length <= 2
    ? xs.map((x) => `'${x}'`).join(" or ")
    : `${xs
        .slice(0, -1)
        .map((x) => `'${x}'`)
        .join(", ")}, or '${xs[xs.length - 1]}'`;

/** One of fixed strings, with NumPy's ValueError naming the choices (`what` defaults to the parameter). */
export function choice<const T extends string>(values: readonly T[], what?: string, shown: readonly string[] = values, sep = orList): Conv<T, T> {
  return conv<T, T>((v, r): T => {
    if (typeof v === "string" && (values as readonly string[]).includes(v)) return v as T;
    if (typeof v !== "string") throw new TypeError(`${what ?? r.param} must be str, not ${pyType(v)}`);
    throw new ValueError(`${what ?? r.param} must be one of ${sep(shown)} (got '${v}')`);
  });
}

export const CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"] as const;

/** The converters, by what the parameter is. */
export const arg = {
  /** Anything (checked by the body). */
  any: conv<unknown>((v): unknown => v),
  /** array_like: checked when the body makes it an array. */
  array: conv<ArrayLike>((v): ArrayLike => v as ArrayLike),
  arrayOrNone: conv<ArrayLike | null>((v): ArrayLike | null => v as ArrayLike | null),
  /** An existing ndarray (functions that write in place). */
  ndarray: conv<ndarray>((v): ndarray => {
    if (!(v instanceof ndarray)) throw new TypeError(`argument must be a numpy.ndarray, not ${pyType(v)}`);
    return v;
  }),
  int,
  intOrNone: nullable(int),
  /** An integer C code parses (a float is "integer argument expected, got float"). */
  cint: conv<number | bigint, number>((v): number => toCInt(v)),
  /** A real number (Python float()). */
  float: conv<number, number>((v): number => {
    if (typeof v === "number") return v;
    if (typeof v === "bigint" || typeof v === "boolean") return Number(v);
    if (v instanceof ndarray && v.size === 1 && !v.dtype.isComplex) return Number(v.item());
    throw new TypeError(`must be real number, not ${pyType(v)}`);
  }),
  /** A Python bool argument (NumPy takes it through operator.index). */
  bool: conv<boolean, boolean>((v): boolean => (typeof v === "boolean" ? v : toIndex(v) !== 0)),
  boolOrNone: conv<boolean | null, boolean | null>((v): boolean | null => (v === null ? null : typeof v === "boolean" ? v : toIndex(v) !== 0)),
  /** One axis or None. */
  axis: nullable(int),
  /** One axis or None, where NumPy passes it to C's normalize_axis_index (a float named as such). */
  axisC: nullable(conv<number | bigint, number>((v): number => toCInt(v))),
  /** An axis, a list of axes, or None (all). */
  axes: conv<number | readonly number[] | null, number | number[] | null>((v): number | number[] | null =>
    v === null ? null : Array.isArray(v) ? v.map(toIndex) : toIndex(v),
  ),
  /** Axes NumPy passes to normalize_axis_index one by one (np.mean, np.expand_dims). */
  axesC: conv<number | readonly number[] | null, number | number[] | null>((v): number | number[] | null =>
    v === null ? null : Array.isArray(v) ? v.map(toCInt) : toCInt(v),
  ),
  /** Axes as np.normalize_axis_tuple takes them: an integer, else something it iterates. */
  axesTuple: conv<number | readonly number[] | null, number | number[] | null>((v): number | number[] | null => {
    if (v === null || Array.isArray(v)) return v === null ? null : v.map(toCInt);
    if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError("'float' object is not iterable");
    return toIndex(v);
  }),
  /** A shape: an int or a sequence of ints (negative sizes are the body's concern). */
  shape: conv<number | readonly number[], number[]>((v): number[] => intList(v)),
  dtype: nullable(
    conv<DTypeLike, DType>((v): DType => {
      if (typeof v === "string" || typeof v === "object" || typeof v === "function") return toDType(v as DTypeLike);
      throw new TypeError(`Cannot interpret '${String(v)}' as a data type`);
    }),
  ),
  /** An output array (ufuncs also take a one-element tuple). */
  out: conv<ndarray | [ndarray] | null, ndarray | null>((v): ndarray | null => {
    if (v === null) return null;
    if (Array.isArray(v) && v.length === 1) v = v[0];
    if (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof ndarray))
      throw new ValueError("The 'out' tuple must have exactly one entry per ufunc output");
    if (!(v instanceof ndarray)) throw new TypeError("return arrays must be of ArrayType");
    return v;
  }),
  /** A dict (plain object) argument, e.g. printing's `formatter`. */
  dict: Object.assign(
    conv<Record<string, unknown> | null>((v, r): Record<string, unknown> | null => {
      if (v !== null && (typeof v !== "object" || Array.isArray(v))) throw new TypeError(`${r.param} must be a dict, not ${pyType(v)}`);
      return v as Record<string, unknown> | null;
    }),
    { takesObject: true },
  ),
  str: conv<string>((v, r): string => {
    if (typeof v !== "string") throw new TypeError(`${r.param} must be a str, not ${pyType(v)}`);
    return v;
  }),
  strOrNone: conv<string | null>((v, r): string | null => {
    if (v !== null && typeof v !== "string") throw new TypeError(`${r.param} must be a str, not ${pyType(v)}`);
    return v as string | null;
  }),
  order: choice(["C", "F", "A", "K"], "order"),
  orderOrNone: nullable(choice(["C", "F", "A", "K"], "order")),
  casting: choice(CASTINGS as unknown as Casting[], "casting", CASTINGS, (xs) => xs.map((x) => `'${x}'`).join(", ")),
  /** NumPy's `device=`: only "cpu" (or None) is a NumPy device; placement is the mapper's. */
  device: conv<"cpu" | null, null>((v): null => {
    if (v === null || v === "cpu") return null;
    throw new ValueError(`Device not understood. Only "cpu" is allowed, but received: ${String(v)}`);
  }),
  /** NumPy's `like=`: only ndarrays exist here, so it cannot change the result's type. */
  like: conv<ndarray | null, null>((v): null => {
    if (v !== null && !(v instanceof ndarray))
      throw new TypeError("The `like` argument must be an array-like that implements the `__array_function__` protocol.");
    return null;
  }),
};

/** A feature NumPy has and Tessera does not yet: never silently ignored. */
export class NotImplementedError extends RuntimeError {
  override name = "NotImplementedError";
}

/** Refuse a value the body does not implement (e.g. `order='F'` where only C order exists). */
export function unsupported(fn: string, what: string): never {
  throw new NotImplementedError(`${fn}(): ${what} is not supported`);
}
