// How RandomState turns its arguments into draws (NumPy's _common.pyx: cont, disc and
// check_constraint): scalar parameters with no size give one JS number; otherwise the
// parameters broadcast to the output shape, which `size` fixes when given, and values are
// drawn in C order of the output.

import type { ArrayLike } from "../creation_from_data.js";
import { asarray, fromTypedArray } from "../creation_from_data.js";
import { ValueError } from "../errors.js";
import { pyType } from "../param_types.js";
import type { ndarray } from "../ndarray.js";

/** NumPy's constraint_type, as the legacy functions use them. */
export type Cons =
  | "none"
  | "nonneg"
  | "pos"
  | "posNotNan"
  | "bounded01"
  | "boundedGt01"
  | "boundedLt01"
  | "gt1"
  | "gte1"
  | "legacyPoisson"
  | "nonnegLong";

/** float(np.iinfo('l').max) - sqrt(np.iinfo('l').max) * 10. */
const LEGACY_POISSON_LAM_MAX = 9223372036854775807 - Math.sqrt(9223372036854775807) * 10;
const LONG_MAX = 9223372036854775807;

/** A parameter on the host: its float64 values and shape. */
export interface HostParam {
  data: Float64Array;
  shape: number[];
}

export const pyTuple = (s: readonly number[]): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/** An argument as float64 values (NumPy's PyArray_FROM_OTF(x, NPY_DOUBLE)). */
export function hostParam(v: unknown, dtype: "float64" | "int64" = "float64"): HostParam {
  if (typeof v === "number") return { data: Float64Array.of(v), shape: [] };
  if (typeof v === "boolean" || typeof v === "bigint") return { data: Float64Array.of(Number(v)), shape: [] };
  let a = asarray(v as ArrayLike);
  if (a.dtype.isComplex) throw new TypeError("Cannot cast array data from dtype('complex128') to dtype('float64') according to the rule 'unsafe'");
  if (dtype === "int64" && a.dtype.kind !== "i" && a.dtype.kind !== "u" && a.dtype.kind !== "b") a = a.astype("int64");
  const d = a.dtype.name === "float64" ? (a.toTypedArray() as Float64Array) : Float64Array.from(a.astype("float64").toTypedArray() as Float64Array);
  return { data: d, shape: a.shape };
}

/** check_constraint (scalar) and check_array_constraint (arrays), with NumPy's messages. */
export function checkConstraint(p: HostParam, name: string, cons: Cons): void {
  if (cons === "none") return;
  const scalar = p.shape.length === 0;
  const d = p.data;
  const any = (f: (x: number) => boolean): boolean => {
    for (let i = 0; i < d.length; i++) if (f(d[i]!)) return true;
    return false;
  };
  const fail = (scalarMsg: string, arrayMsg = scalarMsg): never => {
    throw new ValueError(scalar ? scalarMsg : arrayMsg);
  };
  switch (cons) {
    case "nonneg":
      if (any((x) => !Number.isNaN(x) && (x < 0 || Object.is(x, -0)))) fail(`${name} < 0`);
      return;
    case "pos":
      if (any((x) => x <= 0)) fail(`${name} <= 0`);
      return;
    case "posNotNan":
      if (any((x) => Number.isNaN(x))) fail(`${name} must not be NaN`);
      if (any((x) => x <= 0)) fail(`${name} <= 0`);
      return;
    case "bounded01":
      if (any((x) => !(x >= 0) || !(x <= 1))) fail(`${name} < 0, ${name} > 1 or ${name} is NaN`, `${name} < 0, ${name} > 1 or ${name} contains NaNs`);
      return;
    case "boundedGt01":
      if (any((x) => !(x > 0) || !(x <= 1))) fail(`${name} <= 0, ${name} > 1 or ${name} contains NaNs`);
      return;
    case "boundedLt01":
      if (any((x) => !(x >= 0) || !(x < 1)))
        fail(`${name} < 0, ${name} >= 1 or ${name} is NaN`, `${name} < 0, ${name} >= 1 or ${name} contains NaNs`);
      return;
    case "gt1":
      if (any((x) => !(x > 1))) fail(`${name} <= 1 or ${name} is NaN`, `${name} <= 1 or ${name} contains NaNs`);
      return;
    case "gte1":
      if (any((x) => !(x >= 1))) fail(`${name} < 1 or ${name} is NaN`, `${name} < 1 or ${name} contains NaNs`);
      return;
    case "legacyPoisson":
      if (scalar) {
        if (!(d[0]! >= 0)) fail(`${name} < 0 or ${name} is NaN`);
        if (!(d[0]! <= LEGACY_POISSON_LAM_MAX)) fail(`${name} value too large`);
      } else {
        if (any((x) => !(x <= LEGACY_POISSON_LAM_MAX))) fail("", `${name} value too large`);
        if (any((x) => !(x >= 0))) fail("", `${name} < 0 or ${name} contains NaNs`);
      }
      return;
    case "nonnegLong":
      if (any((x) => x < 0)) fail(`${name} < 0`);
      if (any((x) => x > LONG_MAX)) fail(`${name} is out of bounds for long, consider using the new generator API for 64bit integers.`);
      return;
  }
}

/** For each output element (C order), the flat index of the parameter value it uses. */
export function indexMap(s: readonly number[], o: readonly number[]): Int32Array | null {
  const n = o.reduce((a, b) => a * b, 1);
  if (s.reduce((a, b) => a * b, 1) === 1) return null; // one value for all
  const nd = o.length;
  const st = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let d = s.length - 1; d >= 0; d--) {
    st[nd - s.length + d] = s[d] === 1 ? 0 : acc;
    acc *= s[d]!;
  }
  const map = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  let cur = 0;
  for (let k = 0; k < n; k++) {
    map[k] = cur;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      cur += st[d]!;
      if (idx[d]! < o[d]!) break;
      cur -= st[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

/** The broadcast shape of several, with NumPy's MultiIter message naming the two arguments that disagree. */
export function multiIterShape(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  const owner = new Array<number>(nd).fill(-1);
  shapes.forEach((s, k) => {
    for (let i = 0; i < s.length; i++) {
      const d = nd - s.length + i;
      const n = s[i]!;
      if (n === 1 || n === out[d]) continue;
      if (out[d] === 1) {
        out[d] = n;
        owner[d] = k;
        continue;
      }
      const j = owner[d]!;
      throw new ValueError(
        `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${j} with shape ${pyTuple(shapes[j]!)} and arg ${k} with shape ${pyTuple(s)}.`,
      );
    }
  });
  return out;
}

/** The output shape: `size`, or the parameters' broadcast shape; NumPy's errors when they disagree. */
export function outputShape(size: number[] | null, shapes: readonly (readonly number[])[]): number[] {
  const out = size ?? multiIterShape(shapes);
  const it = multiIterShape([out, ...shapes]);
  if (it.join() !== out.join() || it.length !== out.length)
    throw new ValueError(`Output size ${pyTuple(out)} is not compatible with broadcast dimensions of inputs ${pyTuple(it)}.`);
  return out;
}

/** A parameter as declared by a distribution: value, name (for messages) and constraint. */
export type ParamSpec = [value: unknown, name: string, cons: Cons];

/**
 * NumPy's cont/disc: check the parameters, then draw `f(a, b, c)` per output element.
 * Scalars and no size give a number; `dtype` is the array's (float64, or int64 for counts).
 */
export function drawEach(
  size: number[] | null,
  specs: ParamSpec[],
  f: (a: number, b: number, c: number) => number,
  dtype: "float64" | "int64" = "float64",
  kind: "float64" | "int64" = "float64",
): ndarray | number {
  const ps = specs.map(([v]) => hostParam(v, kind));
  const scalar = ps.every((p) => p.shape.length === 0);
  specs.forEach(([, name, cons], i) => checkConstraint(ps[i]!, name, cons));
  const v = (i: number): number => ps[i]?.data[0] ?? 0;
  if (scalar && size === null) return f(v(0), v(1), v(2));
  const shape = scalar
    ? size!
    : outputShape(
        size,
        ps.map((p) => p.shape),
      );
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  if (scalar) {
    const a = v(0),
      b = v(1),
      c = v(2);
    for (let i = 0; i < n; i++) out[i] = f(a, b, c);
  } else {
    const maps = ps.map((p) => indexMap(p.shape, shape));
    const at = (j: number, i: number): number => {
      const p = ps[j];
      if (p === undefined) return 0;
      const m = maps[j];
      return p.data[m === null || m === undefined ? 0 : m[i]!]!;
    };
    for (let i = 0; i < n; i++) out[i] = f(at(0, i), at(1, i), at(2, i));
  }
  return toArray(out, shape, dtype);
}

/** Host values as a new array of `dtype`. */
export function toArray(values: Float64Array, shape: readonly number[], dtype: "float64" | "int64"): ndarray {
  if (dtype === "float64") return fromTypedArray(values, shape, "float64");
  return fromTypedArray(int64FromNumbers(values), shape, "int64");
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Safe integers as int64 words, without a BigInt per element. */
export function int64FromNumbers(values: Float64Array | Int32Array): BigInt64Array {
  const n = values.length;
  const out = new BigInt64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[i] = BigInt(values[i]!);
    return out;
  }
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / 4294967296);
    words[2 * i] = v - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  return out;
}

/** Integer draws as the typed array of integer dtype `name` (wrapped to its width, as a C cast). */
export function packInts(
  vals: bigint[],
  name: string,
): BigInt64Array | BigUint64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array {
  const n = vals.length;
  switch (name) {
    case "int64":
      return BigInt64Array.from(vals, (v) => BigInt.asIntN(64, v));
    case "uint64":
      return BigUint64Array.from(vals, (v) => BigInt.asUintN(64, v));
    default: {
      const T = {
        int32: Int32Array,
        uint32: Uint32Array,
        int16: Int16Array,
        uint16: Uint16Array,
        int8: Int8Array,
        uint8: Uint8Array,
        bool: Uint8Array,
      }[name]!;
      const out = new T(n);
      for (let i = 0; i < n; i++) out[i] = Number(vals[i]!);
      return out;
    }
  }
}

/** dirichlet's `alpha` as a 1-d sequence, with NumPy's errors for a scalar or more dimensions. */
export function dirichletAlpha(alpha: unknown): HostParam {
  if (typeof alpha === "number" || typeof alpha === "bigint" || typeof alpha === "boolean")
    throw new TypeError(`object of type '${pyType(alpha)}' has no len()`);
  const a = hostParam(alpha);
  if (a.shape.length === 0) throw new TypeError("len() of unsized object");
  if (a.shape.length > 1)
    throw new ValueError("setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.");
  return a;
}
