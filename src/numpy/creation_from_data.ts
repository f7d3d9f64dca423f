import { runtime, type DType, DTYPES, laneView } from "../core/index.js";
import type { TypedArray } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { dtype as toDType, scalarDType, resultType, checkWeakInt, promoteTypes } from "./dtypes.js";
import type { DTypeLike, WeakScalar } from "./dtypes.js";
import { AttributeError, ValueError, OverflowError } from "./errors.js";
import { def, binding } from "./signature.js";
import { arg, pyType, unsupported } from "./param_types.js";
import { indices } from "./creation_ranges.js";
import { isTypedArray, typedArrayDType, writeElement } from "./values.js";
import type { Scalar } from "./values.js";

/** Anything np.asarray accepts: arrays, JS scalars, nested arrays of them, typed arrays. */
export type NestedArray = Scalar | ndarray | readonly NestedArray[];
export type ArrayLike = ndarray | NestedArray | TypedArray;

export function isWeakScalar(x: unknown): x is WeakScalar {
  return typeof x === "number" || typeof x === "bigint" || typeof x === "boolean" || isComplexLike(x);
}
function isComplexLike(x: unknown): x is { re: number; im: number } {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof ndarray) && !ArrayBuffer.isView(x) && "re" in x && "im" in x;
}

const fmtShape = (s: number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/** Shape of a nested list, with NumPy's error for ragged input. */
function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let level: unknown[] = [x];
  for (;;) {
    // 0-d arrays (typed scalars like np.float32(1)) are elements, not lists.
    const lists = level.filter((v) => Array.isArray(v) || isTypedArray(v) || (v instanceof ndarray && v.ndim > 0));
    if (lists.length === 0) return shape;
    if (lists.length !== level.length) throw inhomogeneous(shape);
    const lens = lists.map((v) => (v instanceof ndarray ? (v.shape[0] ?? -1) : (v as unknown[]).length));
    if (lens.some((n) => n !== lens[0]) || lens[0] < 0) throw inhomogeneous(shape);
    shape.push(lens[0]);
    level = lists.flatMap((v) => (v instanceof ndarray ? (v.ndim ? rows(v) : [v.item()]) : Array.from(v as Iterable<unknown>)));
    if (level.length === 0) return shape;
  }
}
function rows(a: ndarray): unknown[] {
  return Array.from({ length: a.shape[0] }, (_, i) => (a.ndim === 1 ? a.item(i) : a.get(i)));
}
function inhomogeneous(shape: number[]): ValueError {
  return new ValueError(
    `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${shape.length} dimensions. The detected shape was ${fmtShape(shape)} + inhomogeneous part.`,
  );
}

/**
 * Flatten nested lists into `out`. Elements that are arrays (typed scalars like np.float32(1)
 * included) add their dtype to `strong` and are marked in `fromArray`: NumPy promotes their
 * dtypes with the JS values' default ones and casts their values without range checks.
 */
function flatten(x: unknown, out: unknown[], strong: Set<DType>, fromArray: boolean[]): void {
  if (Array.isArray(x) || isTypedArray(x)) for (const v of x as Iterable<unknown>) flatten(v, out, strong, fromArray);
  else if (x instanceof ndarray) {
    strong.add(x.dtype);
    for (const v of x.flatValues()) {
      fromArray[out.length] = true;
      out.push(v);
    }
  } else out.push(x);
}

function checkElement(v: unknown, dt: DType | null): void {
  if (dt) {
    elementFor(v, dt);
    return;
  }
  if (typeof v === "string") throw new ValueError(`could not convert string to float: '${v}'`);
  if (!isWeakScalar(v)) throw new TypeError(`float() argument must be a string or a real number, not '${v === null ? "NoneType" : typeof v}'`);
}

/**
 * One Python value as NumPy stores it in an array of dtype `d` (np.array with a dtype,
 * a[i] = v, a.fill(v)): Python's int(), float() and complex() with their errors (NaN or an
 * infinity into integers, complex into real, None into integers), ints range-checked as
 * NumPy 2 checks them, None as NaN in floating types and False in bool; numeric text parsed.
 */
export function elementFor(v: unknown, d: DType): Scalar {
  const kind = d.isInteger ? "int" : d.isComplex ? "complex" : d.kind === "b" ? "bool" : "float";
  if (typeof v === "string") {
    const t = v.trim();
    if (kind === "int" && /^[+-]?\d+$/.test(t)) v = BigInt(t);
    else if (kind !== "int" && t !== "" && /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf(inity)?|nan)$/i.test(t))
      v = t.toLowerCase().includes("nan") ? NaN : t.toLowerCase().includes("inf") ? (t.startsWith("-") ? -Infinity : Infinity) : Number(t);
    else if (kind === "int") throw new ValueError(`invalid literal for int() with base 10: '${v}'`);
    else if (kind === "complex") throw new ValueError("complex() arg is a malformed string");
    else if (kind === "bool") return v !== "";
    else throw new ValueError(`could not convert string to float: '${v}'`);
  }
  if (v === null || v === undefined) {
    if (kind === "int") throw new TypeError("int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    return kind === "bool" ? false : kind === "complex" ? { re: NaN, im: 0 } : NaN;
  }
  if (!isWeakScalar(v))
    throw new TypeError(
      `${kind === "int" ? "int() argument must be a string, a bytes-like object or a real number" : "float() argument must be a string or a real number"}, not '${Array.isArray(v) ? "list" : typeof v}'`,
    );
  if (typeof v === "object") {
    if (kind === "int") throw new TypeError("int() argument must be a string, a bytes-like object or a real number, not 'complex'");
    if (kind === "float") throw new TypeError("float() argument must be a string or a real number, not 'complex'");
    return v;
  }
  if (kind !== "int") return v;
  if (typeof v === "number" && !Number.isInteger(v)) {
    if (Number.isNaN(v)) throw new ValueError("cannot convert float NaN to integer");
    if (!Number.isFinite(v)) throw new OverflowError("cannot convert float infinity to integer");
    v = Math.trunc(v);
  }
  if (typeof v === "number" && !Number.isSafeInteger(v)) v = BigInt(v);
  if (typeof v !== "boolean") checkWeakInt(v as number | bigint, d);
  return v as Scalar;
}

const COPY_ERROR =
  "Unable to avoid copy while creating an array as requested.\nIf using `np.array(obj, copy=False)` replace it with `np.asarray(obj)` to allow a copy when needed (no behavior change in NumPy 1.x).\nFor more details, see https://numpy.org/devdocs/numpy_2_0_migration_guide.html#adapting-to-changes-in-the-copy-keyword.";

/** The array np.array / np.asarray make: `copy` true always copies, false never (or raises), null when needed. */
function fromObject(object: ArrayLike, dt: DType | null, copy: boolean | null, order: string | null): ndarray {
  if (order === "F") unsupported("array", "order='F'");
  if (object instanceof ndarray) {
    if (copy !== true && (!dt || dt === object.dtype)) return object;
    if (copy === false) throw new ValueError(COPY_ERROR);
    return object.astype(dt ?? object.dtype);
  }
  if (copy === false) throw new ValueError(COPY_ERROR);
  return array_(object, { dtype: dt ?? undefined });
}

/** np.array(object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, ndmax=0, like=None). */
export const array = binding(
  def(
    "array",
    "object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, ndmax=0, like=None",
    {
      object: arg.array,
      dtype: arg.dtype,
      copy: arg.boolOrNone,
      order: arg.order,
      subok: arg.bool,
      ndmin: arg.cint,
      ndmax: arg.cint,
      like: arg.like,
    },
    (p): ndarray => {
      if (p.ndmax !== 0) unsupported("array", "ndmax=");
      const a = fromObject(p.object, p.dtype, p.copy, p.order);
      return a.ndim >= p.ndmin ? a : new ndarray(a._store.reshape([...new Array(p.ndmin - a.ndim).fill(1), ...a.shape])!);
    },
  ),
  { style: "npy" },
);

/** np.asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None): the array itself when it already is one. */
export const asarrayPublic = binding(
  def(
    "asarray",
    "a, dtype=None, order=None, *, device=None, copy=None, like=None",
    { a: arg.array, dtype: arg.dtype, order: arg.orderOrNone, device: arg.device, copy: arg.boolOrNone, like: arg.like },
    (p): ndarray => fromObject(p.a, p.dtype, p.copy, p.order),
  ),
  { style: "npy" },
);

/** np.copy(a, order='K', subok=False). */
export const copy = def("copy", "a, order='K', subok=False", { a: arg.array, order: arg.order, subok: arg.bool }, (p): ndarray => {
  if (p.order === "F") unsupported("copy", "order='F'");
  return asarray(p.a).copy();
});

/** Internal np.array: always a new array. */
function array_(object: ArrayLike, opts: { dtype?: DTypeLike; copy?: boolean } = {}): ndarray {
  const want = opts.dtype !== undefined ? toDType(opts.dtype) : null;
  if (object instanceof ndarray) return opts.copy === false && (!want || want === object.dtype) ? object : object.astype(want ?? object.dtype);
  // NumPy's __array__ protocol, for array-like objects such as np.poly1d (its coefficients).
  const proto = (object as { __array__?: unknown } | null)?.__array__;
  if (typeof proto === "function") return array_((proto as () => ndarray).call(object), opts);
  const rt = runtime();
  if (isTypedArray(object)) {
    const src = typedArrayDType(object);
    const a = new ndarray(rt.attach([object.length], src, object));
    return want && want !== src ? a.astype(want) : a;
  }
  if (want === null || want === DTYPES.float64) {
    const floats = plainFloats(object, want !== null);
    if (floats) return new ndarray(rt.attach(floats.shape, DTYPES.float64, floats.data));
  }
  const shape = nestedShape(object);
  const flat: unknown[] = [];
  const strong = new Set<DType>();
  const fromArray: boolean[] = [];
  flatten(object, flat, strong, fromArray);
  // Each element as NumPy converts it to a requested dtype (with its errors); elements of
  // arrays (typed scalars included) are cast as arrays are.
  const values = want
    ? flat.map((v, i) => (fromArray[i] ? (v as Scalar) : elementFor(v, want)))
    : (flat.forEach((v) => checkElement(v, null)), flat as Scalar[]);
  const dt = want ?? inferDType(strong.size ? values.filter((_, i) => !fromArray[i]) : values, strong);
  // Built on the host, then attached (across ranks, attached data joins the control check).
  const data = laneView(dt, new ArrayBuffer(values.length * dt.itemsize), 0, values.length);
  if (dt === DTYPES.float64 && values.every((v) => typeof v === "number")) (data as Float64Array).set(values as number[]);
  else values.forEach((v, i) => writeElement(data, i, dt, v));
  return new ndarray(rt.attach(shape, dt, data));
}

/**
 * The common case of np.array, a list (or a list of equal-length lists) of JS numbers that
 * gives float64 (`asFloat`: float64 was asked for; else some number has a fraction), as its
 * shape and values without the general walk; null for anything else.
 */
function plainFloats(object: unknown, asFloat: boolean): { shape: number[]; data: Float64Array } | null {
  if (!Array.isArray(object)) return null;
  const rows = object.length;
  const nested = rows > 0 && Array.isArray(object[0]);
  const cols = nested ? (object[0] as unknown[]).length : 1;
  const data = new Float64Array(rows * cols);
  let fraction = asFloat;
  for (let i = 0; i < rows; i++) {
    const row: unknown = object[i];
    if (!nested) {
      if (typeof row !== "number") return null;
      fraction ||= !Number.isInteger(row);
      data[i] = row;
      continue;
    }
    if (!Array.isArray(row) || row.length !== cols) return null;
    for (let j = 0; j < cols; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number") return null;
      fraction ||= !Number.isInteger(v);
      data[i * cols + j] = v;
    }
  }
  return fraction && (!nested || cols > 0) ? { shape: nested ? [rows, cols] : [rows], data } : null;
}

/** dtype NumPy infers for a list of Python-like scalars and elements of the `strong` dtypes. */
function inferDType(values: readonly Scalar[], strong: ReadonlySet<DType> = new Set()): DType {
  let d: DType | null = null;
  for (const s of strong) d = d ? promoteTypes(d, s) : s;
  if (values.length === 0) return d ?? DTYPES.float64;
  for (const v of values) {
    const s = scalarDType(v);
    if (typeof v === "bigint" && v > 2n ** 63n - 1n) d = d ? resultType([d, DTYPES.uint64]) : DTYPES.uint64;
    else d = d ? resultType([d, s]) : s;
  }
  return d!;
}

/** Internal np.asarray (no argument checks): the array itself when it already is one (and dtype matches). */
export function asarray(a: ArrayLike, opts: { dtype?: DTypeLike } = {}): ndarray {
  if (a instanceof ndarray) return opts.dtype === undefined || toDType(opts.dtype) === a.dtype ? a : a.astype(opts.dtype);
  return array_(a, opts);
}
export { array_ as toArray };

/** np.frombuffer-like: wrap raw lanes (copied into runtime memory). */
export function fromTypedArray(data: TypedArray, shape: readonly number[], dt: DTypeLike): ndarray {
  return new ndarray(runtime().attach(shape, toDType(dt), data));
}

// ---- from buffers, iterables and functions -----------------------------------------------------

/** The bytes of a buffer-like object (ArrayBuffer, typed array, Buffer, DataView, ndarray). */
function bufferBytes(b: unknown): Uint8Array {
  if (b instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && b instanceof SharedArrayBuffer)) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ndarray) {
    const t = b.toTypedArray();
    return new Uint8Array(t.buffer, t.byteOffset, b.size * b.itemsize);
  }
  throw new TypeError(`a bytes-like object is required, not '${pyType(b)}'`);
}

/**
 * np.frombuffer(buffer, dtype=float, count=-1, offset=0): the buffer's bytes read as `dtype`
 * (little-endian). The values are copied into runtime memory, not shared with the buffer.
 */
export const frombuffer = binding(
  def(
    "frombuffer",
    "buffer, dtype=None, count=-1, offset=0, *, like=None",
    { buffer: arg.any, dtype: arg.dtype, count: arg.int, offset: arg.int, like: arg.like },
    (p): ndarray => {
      const bytes = bufferBytes(p.buffer);
      const dt = p.dtype ?? DTYPES.float64;
      const total = bytes.length;
      if (p.offset < 0 || p.offset > total) throw new ValueError(`offset must be non-negative and no greater than buffer length (${total})`);
      const avail = total - p.offset;
      let n = p.count;
      if (n < 0) {
        if (avail % dt.itemsize !== 0) throw new ValueError("buffer size must be a multiple of element size");
        n = avail / dt.itemsize;
      } else if (avail < n * dt.itemsize) throw new ValueError("buffer is smaller than requested size");
      const copy = new ArrayBuffer(Math.max(1, n) * dt.itemsize);
      new Uint8Array(copy).set(bytes.subarray(p.offset, p.offset + n * dt.itemsize));
      return new ndarray(runtime().attach([n], dt, laneView(dt, copy, 0, n)));
    },
  ),
  { style: "capi" },
);

/** np.fromiter(iter, dtype, count=-1): a 1-D array of the first `count` items (all by default) of a JS iterable. */
export const fromiter = binding(
  def("fromiter", "iter, dtype, count=-1, *, like=None", { iter: arg.any, dtype: arg.dtype, count: arg.int, like: arg.like }, (p): ndarray => {
    const it = p.iter as Iterable<unknown> | null;
    if (it === null || typeof it !== "object" || !(Symbol.iterator in it)) throw new TypeError(`'${pyType(it)}' object is not iterable`);
    const items: unknown[] = [];
    if (p.count !== 0)
      for (const v of it) {
        if (Array.isArray(v) || isTypedArray(v) || (v instanceof ndarray && v.ndim > 0))
          throw new ValueError("setting an array element with a sequence.");
        items.push(v);
        if (p.count > 0 && items.length >= p.count) break;
      }
    if (p.count > 0 && items.length < p.count)
      throw new ValueError(`iterator too short: Expected ${p.count} but iterator had only ${items.length} items.`);
    const dt = p.dtype ?? DTYPES.float64;
    return items.length ? array_(items as NestedArray[], { dtype: dt }) : new ndarray(runtime().createStore([0], dt));
  }),
  { style: "capi" },
);

/** np.fromfunction(function, shape, *, dtype=float, **kwargs): `function` called once with the index arrays of `shape` (np.indices). */
export const fromfunction = def(
  "fromfunction",
  "function, shape, *, dtype=<class 'float'>, like=None, **kwargs",
  { function: arg.any, shape: arg.shape, dtype: arg.dtype, like: arg.like, kwargs: arg.any },
  (p): unknown => {
    if (typeof p.function !== "function") throw new TypeError(`'${pyType(p.function)}' object is not callable`);
    // NumPy unpacks the (N, *shape) index array along its first axis.
    const grid = indices(p.shape, p.dtype ?? DTYPES.float64) as ndarray;
    const args = Array.from({ length: grid.shape[0] }, (_, i) => grid.get(i));
    const kw = p.kwargs as Record<string, unknown>;
    return (p.function as (...a: unknown[]) => unknown)(...args, ...(Object.keys(kw).length ? [kw] : []));
  },
);

/**
 * np.astype(x, dtype, /, *, copy=True, device=None): the array API's ndarray.astype: `x`
 * itself when the dtype is already `dtype` and copy=False, else a new array. Array-likes
 * are refused, as in NumPy; a JS scalar is a Python scalar, which has no astype.
 */
export const astype = def(
  "astype",
  "x, dtype, /, *, copy=True, device=None",
  { x: arg.any, dtype: arg.dtype, copy: arg.bool, device: arg.device },
  (p): ndarray => {
    const x = p.x;
    if (x instanceof ndarray) return x.astype(p.dtype, { copy: p.copy });
    const t = pyType(x);
    if (["int", "float", "bool", "str", "complex"].includes(t)) throw new AttributeError(`'${t}' object has no attribute 'astype'`);
    throw new TypeError(`Input should be a NumPy array or scalar. It is a <class '${t}'> instead.`);
  },
);
