/**
 * ndarray's NumPy methods, each declared with NumPy's signature (`a.sum(0)`, `a.max(1)`,
 * `a.astype('float32')`, `a.reshape(3, 4)`, `a.add(b, out)`), attached to the prototype.
 * Methods that mirror a function (`a.sum` ↔ `np.sum`) are made from its declaration.
 */
import { ndarray, ownStorage } from "./ndarray.js";
import type { Scalar } from "./values.js";
import { method, methodOf, binding } from "./signature.js";
import type { Vector as ArrowVector } from "apache-arrow";
import { toArrow } from "./arrow/to_arrow.js";
import type { Binding } from "./signature.js";
import { arg, choice, conv, CASTINGS, pyType, toIndex, toShapeList, unsupported } from "./param_types.js";
import { AttributeError, IndexError, ValueError } from "./errors.js";
import { byteswap, tobytes, tofile } from "./ndarray_bytes.js";
import { zeros } from "./creation_shape.js";
import { contiguous } from "./ndarray_flags.js";
import { dtype as toDType, canCast } from "./dtypes.js";
import { astype, copyInto } from "./copy.js";
import * as uf from "./ufuncs.js";
import { UFUNC_KWARGS } from "./ufunc.js";
import { sum, prod, cumsum, cumprod } from "./math_sum_prod_diff.js";
import { divmod } from "./math_misc.js";
import { min, max } from "./math_extrema.js";
import { all, any } from "./logic_truth.js";
import * as stats from "./stats_avgs_vars.js";
import * as manip from "./array_manipulation.js";
import * as sorting from "./sorting_searching.js";
import * as routines from "./indexing_routines.js";
import * as products from "./products.js";
import { repeat } from "./array_tiling.js";

/** `reshape(3, 4)`, `reshape([3, 4])`, `transpose(1, 0)`: ints, or one sequence of them. */
const intsOrOne = conv<number | readonly number[], number | number[]>((v): number | number[] => (Array.isArray(v) ? v.map(toIndex) : toIndex(v)));
/** reshape's shape items, checked by the body (NumPy's messages depend on how many there are). */
const shapeItems = conv<number | readonly number[], unknown>((v): unknown => v);
function shapeArgs(xs: unknown[]): number[] {
  if (xs.length === 1) return toShapeList(xs[0]);
  return xs.map((x) => toIndex(x));
}
function oneOrMany(xs: (number | number[])[]): number[] {
  if (xs.length === 1 && Array.isArray(xs[0])) return xs[0];
  return xs.map((x) => {
    if (Array.isArray(x)) throw new TypeError("'list' object cannot be interpreted as an integer");
    return x;
  });
}

/** astype's casting rules: NumPy's five and 'same_value' (a cast that must keep every value). */
const ASTYPE_CASTING = choice([...CASTINGS, "same_value"] as const, "casting", [...CASTINGS, "same_value"], (xs) =>
  xs.map((x) => `'${x}'`).join(", "),
);

/** How NumPy parses a method's arguments (the wording of its TypeErrors; see Binding). */
const NPY: Binding = { style: "npy" };
const CAPI: Binding = { style: "capi" };
/** A method NumPy writes in Python (`ndarray.sum` is `_methods._sum(a, axis, …)`). */
const py = <F extends Parameters<typeof binding>[0]>(f: F, name: string): F => binding(f, { name, self: true });

/**
 * An in-place operator (`a += b` is `a.iadd(b)`): the ufunc written into `a` itself, as
 * NumPy's `__iadd__` does (out=a, casting='same_kind', so `intArray.iadd(1.5)` is NumPy's
 * UFuncTypeError); returns `a`.
 */
function inplace(name: string, f: (a: ndarray, b: never, out: ndarray) => unknown) {
  return method(name, "value, /", { value: arg.any }, (self: ndarray, p): ndarray => {
    f(self, p.value as never, self);
    return self;
  });
}

/**
 * A ufunc as a method: `a.add(b)` is `np.add(a, b)`. Given just its operands it calls the
 * ufunc itself (its direct path for arrays and numbers); anything more binds as declared.
 */
function ufuncMethod<F extends Parameters<typeof methodOf>[0]>(f: F, name?: string): ReturnType<typeof methodOf<F>> {
  const declared = methodOf(f, name) as unknown as (...args: unknown[]) => unknown;
  const operands = f.signature.params.filter((p) => p.kind === "POSITIONAL_ONLY").length - 1;
  const call = f as unknown as (...args: unknown[]) => unknown;
  const m = function (this: ndarray, x: unknown) {
    if (arguments.length === operands) return operands === 0 ? call(this) : call(this, x);
    return declared.apply(this, arguments as unknown as unknown[]);
  };
  return sameFace(m, declared) as unknown as ReturnType<typeof methodOf<F>>;
}

/** A method's direct path `m` shown as its declared form (its name and signature). */
function sameFace(m: object, declared: object): object {
  for (const key of ["name", "signature"]) Object.defineProperty(m, key, Object.getOwnPropertyDescriptor(declared, key)!);
  return m;
}

/**
 * ndarray.item's most common calls, `a.item()` and `a.item(i)` with an integer index, straight
 * to the read (loops read one element per step); anything else binds as declared.
 */
function itemDirect<F extends (...args: never[]) => unknown>(declared: F): F {
  const bound = declared as unknown as (...args: unknown[]) => unknown;
  const m = function (this: ndarray, i?: unknown) {
    const n = arguments.length;
    if (n === 0 || (n === 1 && typeof i === "number" && Number.isInteger(i))) return this._item(i as number | undefined, false);
    return bound.apply(this, arguments as unknown as unknown[]);
  };
  return sameFace(m, declared) as F;
}

const METHODS = {
  // ---- reads and conversion
  /** ndarray.tolist(): nested JS arrays; 64-bit ints as numbers unless `{ bigint: true }`. */
  tolist: binding(
    method("tolist", "*, bigint=False", { bigint: arg.bool }, (self: ndarray, p): unknown => self._tolist(p.bigint)),
    { style: "tuple", name: null },
  ),
  /** ndarray.item(*args): one element, by flat index or by one index per dimension. */
  item: itemDirect(
    binding(
      method("item", "*args, bigint=False", { args: intsOrOne, bigint: arg.bool }, (self: ndarray, p): Scalar => {
        const idx = p.args.length === 1 && Array.isArray(p.args[0]) ? p.args[0] : (p.args as number[]);
        if (idx.length <= 1) return self._item(idx[0], p.bigint);
        if (idx.length !== self.ndim) throw new ValueError("incorrect number of indices for array");
        let flat = 0;
        idx.forEach((i, d) => {
          const n = self.shape[d];
          if (i < -n || i >= n) throw new IndexError(`index ${i} is out of bounds for axis ${d} with size ${n}`);
          flat = flat * n + (i < 0 ? i + n : i);
        });
        return self._item(flat, p.bigint);
      }),
      { style: "tuple" },
    ),
  ),
  /** ndarray.astype(dtype, order='K', casting='unsafe', subok=True, copy=True). */
  astype: binding(
    method(
      "astype",
      "dtype, order='K', casting='unsafe', subok=True, copy=True",
      { dtype: arg.dtype, order: arg.order, casting: ASTYPE_CASTING, subok: arg.bool, copy: arg.bool },
      (self: ndarray, p): ndarray => {
        const to = p.dtype ?? toDType("float64");
        if (p.casting === "same_value") unsupported("astype", "casting='same_value'");
        if (!canCast(self.dtype, to, p.casting))
          throw new TypeError(`Cannot cast array data from dtype('${self.dtype.name}') to dtype('${to.name}') according to the rule '${p.casting}'`);
        if (p.order === "F") unsupported("astype", "order='F'");
        if (to === self.dtype && !p.copy) return self;
        return astype(self, to);
      },
    ),
    NPY,
  ),
  /** ndarray.copy(order='C'). */
  copy: binding(
    method("copy", "order='C'", { order: arg.order }, (self: ndarray, p): ndarray => {
      if (p.order === "F") unsupported("copy", "order='F'");
      return astype(self, self.dtype);
    }),
    NPY,
  ),
  /** ndarray.fill(value): every element, in place. */
  fill: binding(
    method("fill", "value", { value: arg.any }, (self: ndarray, p): void => {
      if (Array.isArray(p.value) || (p.value instanceof ndarray && p.value.ndim > 0))
        throw new ValueError("setting an array element with a sequence.");
      copyInto(self, p.value as never);
    }),
    { style: "tuple" },
  ),

  // ---- shape
  /** ndarray.reshape(*shape, order='C', copy=None): `reshape(3, 4)` or `reshape([3, 4])`. */
  reshape: binding(
    method("reshape", "*shape, order='C', copy=None", { shape: shapeItems, order: arg.order, copy: arg.boolOrNone }, (self: ndarray, p): ndarray => {
      if (p.shape.length === 0) throw new TypeError("reshape() takes exactly 1 argument (0 given)");
      return manip.reshape(self, shapeArgs(p.shape), p.order, { copy: p.copy });
    }),
    { style: "capi", name: null },
  ),
  /** ndarray.transpose(*axes): `transpose()`, `transpose(1, 0)` or `transpose([1, 0])`. */
  transpose: binding(
    method(
      "transpose",
      "*axes",
      { axes: intsOrOne },
      (self: ndarray, p): ndarray =>
        manip.transpose(self, p.axes.length === 0 || (p.axes.length === 1 && p.axes[0] === null) ? null : oneOrMany(p.axes)),
    ),
    { style: "tuple" },
  ),
  ravel: binding(
    method("ravel", "order='C'", { order: arg.order }, (self: ndarray, p): ndarray => manip.ravel(self, p.order)),
    NPY,
  ),
  /** ndarray.flatten(order='C'): always a copy. */
  flatten: binding(
    method("flatten", "order='C'", { order: arg.order }, (self: ndarray, p): ndarray => manip.flatten(self, p.order)),
    NPY,
  ),
  squeeze: binding(methodOf(manip.squeeze), NPY),
  swapaxes: binding(
    method("swapaxes", "axis1, axis2, /", { axis1: arg.int, axis2: arg.int }, (self: ndarray, p): ndarray => manip.swapaxes(self, p.axis1, p.axis2)),
    { style: "tuple" },
  ),

  // ---- ufuncs under their names and short forms
  add: ufuncMethod(uf.add),
  subtract: ufuncMethod(uf.subtract),
  sub: ufuncMethod(uf.subtract, "sub"),
  multiply: ufuncMethod(uf.multiply),
  mul: ufuncMethod(uf.multiply, "mul"),
  divide: ufuncMethod(uf.divide),
  div: ufuncMethod(uf.divide, "div"),
  floor_divide: ufuncMethod(uf.floor_divide),
  mod: ufuncMethod(uf.remainder, "mod"),
  power: ufuncMethod(uf.power),
  pow: ufuncMethod(uf.power, "pow"),
  neg: ufuncMethod(uf.negative, "neg"),
  abs: ufuncMethod(uf.absolute, "abs"),
  eq: ufuncMethod(uf.equal, "eq"),
  ne: ufuncMethod(uf.not_equal, "ne"),
  lt: ufuncMethod(uf.less, "lt"),
  le: ufuncMethod(uf.less_equal, "le"),
  gt: ufuncMethod(uf.greater, "gt"),
  ge: ufuncMethod(uf.greater_equal, "ge"),
  and: ufuncMethod(uf.bitwise_and, "and"),
  or: ufuncMethod(uf.bitwise_or, "or"),
  xor: ufuncMethod(uf.bitwise_xor, "xor"),
  not: ufuncMethod(uf.invert, "not"),
  // Python's ~, <<, >>, unary + and divmod(): a.invert(), a.left_shift(b) / a.lshift(b), …
  invert: ufuncMethod(uf.invert),
  left_shift: ufuncMethod(uf.left_shift),
  lshift: ufuncMethod(uf.left_shift, "lshift"),
  right_shift: ufuncMethod(uf.right_shift),
  rshift: ufuncMethod(uf.right_shift, "rshift"),
  positive: ufuncMethod(uf.positive),
  pos: ufuncMethod(uf.positive, "pos"),
  divmod: methodOf(divmod),

  // ---- in-place operators: a.iadd(b) is Python's `a += b`
  iadd: inplace("__iadd__", uf.add),
  isub: inplace("__isub__", uf.subtract),
  imul: inplace("__imul__", uf.multiply),
  itruediv: inplace("__itruediv__", uf.divide),
  ifloordiv: inplace("__ifloordiv__", uf.floor_divide),
  imod: inplace("__imod__", uf.remainder),
  ipow: inplace("__ipow__", uf.power),
  iand: inplace("__iand__", uf.bitwise_and),
  ior: inplace("__ior__", uf.bitwise_or),
  ixor: inplace("__ixor__", uf.bitwise_xor),
  ilshift: inplace("__ilshift__", uf.left_shift),
  irshift: inplace("__irshift__", uf.right_shift),
  imatmul: inplace("__imatmul__", products.matmul),
  /** ndarray.clip(min=None, max=None, out=None, **kwargs). */
  clip: binding(
    method(
      "clip",
      "min=None, max=None, out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None",
      { min: arg.arrayOrNone, max: arg.arrayOrNone, ...UFUNC_KWARGS },
      (self: ndarray, p): ndarray => uf.clip(self, p.min, p.max, p.out, { where: p.where, casting: p.casting, order: p.order, dtype: p.dtype }),
    ),
    { name: "_clip", self: true, keywordName: "clip" },
  ),
  round: binding(methodOf(uf.round), { style: "capi" }),
  /** ndarray.conj(out=None) and ndarray.conjugate(out=None). */
  conj: binding(
    method("conj", "out=None, /", { out: arg.out }, (self: ndarray, p): ndarray => uf.conjugate(self, p.out)),
    { style: "tuple", name: "conjugate", keywordName: "conj" },
  ),
  conjugate: binding(
    method("conjugate", "out=None, /", { out: arg.out }, (self: ndarray, p): ndarray => uf.conjugate(self, p.out)),
    { style: "tuple" },
  ),

  // ---- reductions and scans
  sum: py(methodOf(sum), "_sum"),
  prod: py(methodOf(prod), "_prod"),
  min: py(methodOf(min), "_amin"),
  max: py(methodOf(max), "_amax"),
  all: binding(methodOf(all), { name: "_all", self: true, positional: 5 }),
  any: binding(methodOf(any), { name: "_any", self: true, positional: 5 }),
  argmin: binding(methodOf(sorting.argmin), NPY),
  argmax: binding(methodOf(sorting.argmax), NPY),
  mean: py(methodOf(stats.mean), "_mean"),
  var: py(methodOf(stats.var_), "_var"),
  std: py(methodOf(stats.std), "_std"),
  cumsum: binding(methodOf(cumsum), CAPI),
  cumprod: binding(methodOf(cumprod), CAPI),

  // ---- sorting and indexing routines
  argsort: binding(methodOf(sorting.argsort), NPY),
  /** ndarray.sort(axis=-1, kind=None, order=None, *, stable=None): in place. */
  sort: binding(
    method("sort", "axis=-1, kind=None, order=None, *, stable=None", { ...sorting.SORT_ARGS, axis: arg.int }, (self: ndarray, p): void => {
      copyInto(self, sorting.sort_(self, p.axis));
    }),
    NPY,
  ),
  nonzero: binding(
    method("nonzero", "", {}, (self: ndarray): ndarray[] => sorting.nonzero(self)),
    { style: "tuple", name: null },
  ),
  take: binding(methodOf(routines.take, "take", "indices, /, axis=None, out=None, mode='raise'"), NPY),
  /** ndarray.searchsorted(v, /, side='left', sorter=None). */
  searchsorted: binding(methodOf(sorting.searchsorted, "searchsorted", "v, /, side='left', sorter=None"), NPY),
  /** ndarray.partition(kth, /, axis=-1, kind='introselect', order=None): in place. */
  partition: binding(
    method(
      "partition",
      "kth, /, axis=-1, kind='introselect', order=None",
      { ...sorting.PARTITION_ARGS, axis: arg.cint },
      (self: ndarray, p): void => {
        copyInto(self, sorting.partition(self, p.kth, p.axis, p.kind, p.order));
      },
    ),
    NPY,
  ),
  argpartition: binding(methodOf(sorting.argpartition, "argpartition", "kth, /, axis=-1, kind='introselect', order=None"), NPY),
  diagonal: binding(methodOf(routines.diagonal), CAPI),
  trace: binding(methodOf(routines.trace), NPY),
  /** ndarray.choose(choices, out=None, mode='raise'). */
  choose: binding(methodOf(routines.choose), { style: "capi", name: null }),

  /** ndarray.put(indices, values, /, mode='raise'): a.flat[indices] = values. */
  put: binding(
    method("put", "indices, values, /, mode='raise'", { indices: arg.array, values: arg.array, mode: routines.MODE }, (self: ndarray, p): void =>
      routines.put(self, p.indices, p.values, p.mode),
    ),
    { style: "capi", byName: true },
  ),
  /** ndarray.compress(condition, axis=None, out=None). */
  compress: binding(
    method(
      "compress",
      "condition, axis=None, out=None",
      { condition: arg.array, axis: arg.axis, out: arg.out },
      (self: ndarray, p): ndarray => routines.compress(p.condition, self, p.axis, p.out),
    ),
    CAPI,
  ),

  // ---- tiling
  /** ndarray.repeat(repeats, /, axis=None). */
  repeat: binding(methodOf(repeat, "repeat", "repeats, /, axis=None"), { style: "npy", byName: true }),

  // ---- Arrow
  /** a.to_arrow(): an Arrow Vector over the array's memory (n-d: nested FixedSizeLists); see arrow/to_arrow.ts. */
  to_arrow: method("to_arrow", "", {}, (self: ndarray): ArrowVector => toArrow(self)),

  // ---- products
  /** a @ b (np.matmul). */
  matmul: methodOf(products.matmul),
  /** ndarray.dot(other, /, out=None). */
  dot: binding(
    method("dot", "other, /, out=None", { other: arg.array, out: arg.out }, (self: ndarray, p): ndarray => products.dot(self, p.other, p.out)),
    { style: "npy", byName: true },
  ),

  // ---- memory
  /** ndarray.view(dtype=None, type=None): a new array object on the same memory (another dtype raises NotImplementedError). */
  view: binding(
    method("view", "*args, **kwargs", { args: arg.any, kwargs: arg.any }, (self: ndarray, p): ndarray => {
      const args = p.args as unknown[];
      const kw = p.kwargs as Record<string, unknown>;
      if (args.length > 2) throw new TypeError(`view() takes at most 2 arguments (${args.length} given)`);
      let dt = args[0] ?? kw.dtype ?? null;
      let type = args[1] ?? kw.type ?? null;
      // view(np.ndarray): the one argument is the type.
      if (dt === ndarray) [dt, type] = [null, dt];
      if (type !== null && type !== ndarray) unsupported("view", "type= (ndarray subclasses)");
      if (dt !== null && toDType(dt as never) !== self.dtype) unsupported("view", "a different dtype (reinterpreting the bytes)");
      return new ndarray(self._store);
    }),
    { style: "tuple" },
  ),
  /** ndarray.tobytes(order='C'): the elements' bytes (little-endian) in C or Fortran order, as a Uint8Array. */
  tobytes: binding(
    method("tobytes", "order='C'", { order: arg.order }, (self: ndarray, p): Uint8Array => tobytes(self, p.order)),
    NPY,
  ),
  /** ndarray.tofile(fid, /, sep='', format='%s'): binary (C order) or text into the file at the path `fid`. */
  tofile: binding(
    method("tofile", "fid, /, sep='', format='%s'", { fid: arg.any, sep: arg.str, format: arg.str }, (self: ndarray, p): void => {
      if (typeof p.fid !== "string") throw new AttributeError(`'${pyType(p.fid)}' object has no attribute 'flush'`);
      tofile(self, p.fid, p.sep, p.format);
    }),
    NPY,
  ),
  /** ndarray.byteswap(inplace=False): every element's bytes reversed. */
  byteswap: binding(
    method("byteswap", "inplace=False", { inplace: arg.bool }, (self: ndarray, p): ndarray => byteswap(self, p.inplace)),
    NPY,
  ),
  /**
   * ndarray.resize(*new_shape, refcheck=True): the array itself given the new shape, its
   * elements in C order kept and new ones zero. Only the array that owns its memory can be
   * resized (NumPy's error otherwise); `refcheck` is not checked: views made before keep the
   * old memory.
   */
  resize: binding(
    method("resize", "*new_shape, refcheck=True", { new_shape: shapeItems, refcheck: arg.bool }, (self: ndarray, p): void => {
      if (p.new_shape.length === 0) return;
      const shape = shapeArgs(p.new_shape);
      if (shape.some((n) => n < 0)) throw new ValueError("negative dimensions not allowed");
      if (!contiguous(self, false) && !contiguous(self, true)) throw new ValueError("resize only works on single-segment arrays");
      if (self.base !== null) throw new ValueError("cannot resize this array: it does not own its data");
      const out = zeros(shape, self.dtype);
      const k = Math.min(out.size, self.size);
      if (k > 0) copyInto(manip.ravel(out).get(`:${k}`), manip.ravel(self).get(`:${k}`));
      ownStorage(self, out._store);
    }),
    { style: "capi" },
  ),
  /** ndarray.to_device(device, /, *, stream=None): the array itself for "cpu" (placement is the runtime's). */
  to_device: binding(
    method("to_device", "device, /, *, stream=None", { device: arg.any, stream: arg.any }, (self: ndarray, p): ndarray => {
      if (typeof p.device !== "string")
        throw new TypeError(`to_device() argument 1 must be str, not ${p.device === null ? "None" : pyType(p.device)}`);
      if (p.stream !== null) throw new ValueError("The stream argument in to_device() is not supported");
      if (p.device !== "cpu") throw new ValueError(`Unsupported device: ${p.device}. Only 'cpu' is accepted.`);
      return self;
    }),
    { style: "capi" },
  ),
  /**
   * ndarray.setflags(*, write=None, align=None, uic=None): what every array already is
   * (writeable, aligned, no write-back) is accepted; write=False and align=False raise
   * NotImplementedError; uic=True is NumPy's ValueError.
   */
  setflags: binding(
    method(
      "setflags",
      "*, write=None, align=None, uic=None",
      { write: arg.boolOrNone, align: arg.boolOrNone, uic: arg.boolOrNone },
      (self: ndarray, p): void => {
        const f = self.flags;
        if (p.write !== null) f.writeable = p.write;
        if (p.align !== null) f.aligned = p.align;
        if (p.uic !== null) f.writebackifcopy = p.uic;
      },
    ),
    NPY,
  ),
  /** `value in a` (Python's ndarray.__contains__): whether any element equals `value`. */
  includes: method("includes", "key, /", { key: arg.any }, (self: ndarray, p): boolean => Boolean(any(uf.equal(self, p.key as never)).item())),
};

export type NdarrayMethods = typeof METHODS;
for (const [name, fn] of Object.entries(METHODS)) Object.defineProperty(ndarray.prototype, name, { value: fn, writable: true, configurable: true });
