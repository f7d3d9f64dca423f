import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import { canCast } from "./dtypes.js";
import { where as whereOf } from "./ufuncs.js";
import type { ArrayLike } from "./creation_from_data.js";
import { AxisError, ValueError, normalizeAxis } from "./errors.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { astype, copyInto } from "./copy.js";
import { def } from "./signature.js";
import { arg, conv, pyType } from "./param_types.js";

/** Resolve one unknown (negative) dimension in a requested shape, with NumPy's errors. */
function resolveShape(size: number, shape: readonly number[]): number[] {
  // NumPy takes any negative length as the unknown one.
  const unknown = shape.filter((n) => n < 0).length;
  if (unknown > 1) throw new ValueError("can only specify one unknown dimension");
  const known = shape.reduce((p, n) => (n < 0 ? p : p * n), 1);
  const out = [...shape];
  if (unknown) {
    if (known === 0 || size % known !== 0)
      throw new ValueError(
        `cannot reshape array of size ${size} into shape (${shape.map((n) => (n < 0 ? "newaxis" : n)).join(",")}${shape.length === 1 ? "," : ""})`,
      );
    out[out.findIndex((n) => n < 0)] = size / known;
  }
  if (out.reduce((p, n) => p * n, 1) !== size) throw new ValueError(`cannot reshape array of size ${size} into shape ${formatShape(shape)}`);
  return out;
}

/** Reshape with NumPy's `order`: 'F' reads and writes the elements in column-major order. */
function reshapeOrder(x: ArrayLike, shape: readonly number[], order: string, copy: boolean | null): ndarray {
  const a = asarray(x);
  if (order === "F") return reverseAxes(reshapeC(reverseAxes(a), [...resolveShape(a.size, shape)].reverse(), copy));
  if (order === "K") throw new ValueError("order 'K' is not permitted for reshaping");
  return reshapeC(a, shape, copy);
}
const reverseAxes = (a: ndarray) => new ndarray(a._store.transpose(a.shape.map((_, i) => a.ndim - 1 - i)));

/** np.reshape: a view when the data is contiguous, else a copy (as NumPy). */
function reshapeC(a: ndarray, shape: readonly number[], copy: boolean | null): ndarray {
  const target = resolveShape(a.size, shape);
  const view = copy === true ? null : a._store.reshape(target);
  if (view) return new ndarray(view);
  if (copy === false) throw new ValueError("Unable to avoid creating a copy while reshaping.");
  return new ndarray(astype(a, a.dtype)._store.reshape(target)!);
}

/** np.shape(a). */
export const shape = def("shape", "a", { a: arg.array }, (p): number[] => asarray(p.a).shape);
/** np.ndim(a). */
export const ndim = def("ndim", "a", { a: arg.array }, (p): number => asarray(p.a).ndim);
/** np.size(a, axis=None). */
export const size = def("size", "a, axis=None", { a: arg.array, axis: arg.axesTuple }, (p): number => {
  const a = asarray(p.a);
  if (p.axis === null) return a.size;
  return (typeof p.axis === "number" ? [p.axis] : p.axis).reduce((n, ax) => n * a.shape[normalizeAxis(ax, a.ndim)], 1);
});

/** reshape's shape; None keeps the array's own. */
const SHAPE_OR_NONE = conv<number | readonly number[] | null, number[] | null>((v, r): number[] | null => (v === null ? null : arg.shape(v, r)));
/** np.reshape(a, /, shape, order='C', *, copy=None). */
export const reshape = def(
  "reshape",
  "a, /, shape, order='C', *, copy=None",
  { a: arg.array, shape: SHAPE_OR_NONE, order: arg.order, copy: arg.boolOrNone },
  (p): ndarray => reshapeOrder(p.a, p.shape ?? asarray(p.a).shape, p.order, p.copy),
);

/** np.transpose(a, axes=None): a view with permuted axes (reversed by default). */
export const transpose = def("transpose", "a, axes=None", { a: arg.array, axes: arg.axes }, (p): ndarray => {
  const a = asarray(p.a);
  const axes = p.axes === null ? null : typeof p.axes === "number" ? [p.axes] : p.axes;
  const perm = axes ? axes.map((ax) => normalizeAxis(ax, a.ndim)) : a.shape.map((_, i) => a.ndim - 1 - i);
  if (perm.length !== a.ndim) throw new ValueError("axes don't match array");
  if (new Set(perm).size !== perm.length) throw new ValueError("repeated axis in transpose");
  return new ndarray(a._store.transpose(perm));
});

/** np.permute_dims(a, axes=None): the array API's name for np.transpose (the same function in NumPy). */
export const permute_dims = transpose;

/** np.swapaxes(a, axis1, axis2): a view. */
export const swapaxes = def("swapaxes", "a, axis1, axis2", { a: arg.array, axis1: arg.int, axis2: arg.int }, (p): ndarray => {
  const a = asarray(p.a);
  const perm = a.shape.map((_, i) => i);
  const i = normalizeAxis(p.axis1, a.ndim, "axis1"),
    j = normalizeAxis(p.axis2, a.ndim, "axis2");
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return new ndarray(a._store.transpose(perm));
});

/** np.moveaxis(a, source, destination): one axis or several, a view. */
export const moveaxis = def(
  "moveaxis",
  "a, source, destination",
  { a: arg.array, source: arg.axesTuple, destination: arg.axesTuple },
  (p): ndarray => {
    const a = asarray(p.a);
    const list = (v: number | number[] | null, what: string) =>
      (typeof v === "number" ? [v] : (v ?? [])).map((ax) => normalizeAxis(ax, a.ndim, what));
    const src = list(p.source, "source"),
      dst = list(p.destination, "destination");
    if (new Set(src).size !== src.length) throw new ValueError("repeated axis in `source` argument");
    if (new Set(dst).size !== dst.length) throw new ValueError("repeated axis in `destination` argument");
    if (src.length !== dst.length) throw new ValueError("`source` and `destination` arguments must have the same number of elements");
    const order = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
    [...dst.map((d, k) => [d, src[k]])].sort((x, y) => x[0] - y[0]).forEach(([d, s]) => order.splice(d, 0, s));
    return new ndarray(a._store.transpose(order));
  },
);

/** np.ravel(a, order='C'): a 1-D view when contiguous, else a copy. */
export const ravel = def("ravel", "a, order='C'", { a: arg.array, order: arg.order }, (p): ndarray => {
  const a = asarray(p.a);
  return p.order === "F" ? reshapeC(reverseAxes(a), [-1], null) : reshapeC(a, [-1], null);
});

/** ndarray.flatten(order='C'): always a copy. */
export function flatten(x: ArrayLike, order = "C"): ndarray {
  const a = order === "F" ? reverseAxes(asarray(x)) : asarray(x);
  return new ndarray(astype(a, a.dtype)._store.reshape([a.size])!);
}

/** np.squeeze(a, axis=None): drop length-1 axes (all, or the given ones). */
export const squeeze = def("squeeze", "a, axis=None", { a: arg.array, axis: arg.axes }, (p): ndarray => {
  const a = asarray(p.a);
  const axes =
    p.axis === null
      ? a.shape.map((n, i) => (n === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof p.axis === "number" ? [p.axis] : p.axis).map((ax) => normalizeAxis(ax, a.ndim));
  for (const ax of axes) if (a.shape[ax] !== 1) throw new ValueError("cannot select an axis to squeeze out which has size not equal to one");
  let s = a._store;
  for (const ax of [...axes].sort((x, y) => y - x)) s = s.project(ax, 0);
  return new ndarray(s);
});

/** np.expand_dims(a, axis): insert length-1 axes (a view). */
export const expand_dims = def("expand_dims", "a, axis", { a: arg.array, axis: arg.axesC }, (p): ndarray => {
  const a = asarray(p.a);
  const list = typeof p.axis === "number" ? [p.axis] : [...(p.axis ?? [])];
  const ndim = a.ndim + list.length;
  const axes = list.map((ax) => normalizeAxis(ax, ndim)).sort((x, y) => x - y);
  if (new Set(axes).size !== axes.length) throw new ValueError("repeated axis");
  let s = a._store;
  for (const ax of axes) s = s.promote(ax, 1);
  return new ndarray(s);
});

/** np.broadcast_to(array, shape, subok=False): a view with stride-0 axes. */
/** broadcast_to's shape: NumPy compares each item with 0 before anything else. */
const BROADCAST_SHAPE = conv<number | readonly number[], number[]>((v, r): number[] => {
  const items = Array.isArray(v) ? v : [v];
  for (const n of items)
    if (typeof n !== "number" && typeof n !== "bigint") throw new TypeError(`'<' not supported between instances of '${pyType(n)}' and 'int'`);
  return arg.shape(v, r);
});
export const broadcast_to = def(
  "broadcast_to",
  "array, shape, subok=False",
  { array: arg.array, shape: BROADCAST_SHAPE, subok: arg.bool },
  (p): ndarray => {
    const a = asarray(p.array),
      shape = p.shape;
    if (shape.some((n) => n < 0)) throw new ValueError("all elements of broadcast shape must be non-negative");
    if (a.ndim > shape.length) throw new ValueError("input operand has more dimensions than allowed by the axis remapping");
    let out: number[] = [];
    try {
      out = broadcastShapes(a.shape, shape);
    } catch {
      /* reported below */
    }
    if (out.join() !== shape.join())
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(a.shape)}  and requested shape ${formatShape(shape)}`,
      );
    return new ndarray(a._store.broadcast(shape));
  },
);

/** np.atleast_1d(*arys): one array for one argument, a list for several. */
export const atleast_1d = def(
  "atleast_1d",
  "*arys",
  { arys: arg.array },
  (p): ndarray => several(p.arys, (a) => (a.ndim >= 1 ? a : reshapeC(a, [1], null))),
);
/** np.atleast_2d(*arys). */
export const atleast_2d = def(
  "atleast_2d",
  "*arys",
  { arys: arg.array },
  (p): ndarray => several(p.arys, (a) => (a.ndim >= 2 ? a : reshapeC(a, a.ndim === 0 ? [1, 1] : [1, a.size], null))),
);
/** np.atleast_3d(*arys): 1-D (N,) as (1, N, 1), 2-D (M, N) as (M, N, 1). */
export const atleast_3d = def(
  "atleast_3d",
  "*arys",
  { arys: arg.array },
  (p): ndarray =>
    several(p.arys, (a) => (a.ndim >= 3 ? a : reshapeC(a, a.ndim === 0 ? [1, 1, 1] : a.ndim === 1 ? [1, a.size, 1] : [...a.shape, 1], null))),
);
function several(xs: ArrayLike[], f: (a: ndarray) => ndarray): ndarray & ndarray[] {
  const r = xs.map((x) => f(asarray(x)));
  return (r.length === 1 ? r[0] : r) as ndarray & ndarray[];
}

/** A shape as Python prints a tuple: `(1, 3)`, `(2,)`. */
const pyTuple = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/**
 * np.broadcast_shapes(*args): the shape the given shapes broadcast to, with NumPy's error
 * naming the first two arguments that disagree.
 */
export const broadcast_shapes = def("broadcast_shapes", "*args", { args: arg.shape }, (p): number[] => {
  const shapes = p.args;
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  const owner = new Array<number>(ndim).fill(0);
  shapes.forEach((s, k) => {
    for (let i = 0; i < s.length; i++) {
      const d = ndim - s.length + i,
        n = s[i];
      if (n === 1 || n === out[d]) continue;
      if (out[d] === 1) {
        out[d] = n;
        owner[d] = k;
        continue;
      }
      const j = owner[d];
      throw new ValueError(
        `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${j} with shape ${pyTuple(shapes[j])} and arg ${k} with shape ${pyTuple(s)}.`,
      );
    }
  });
  return out;
});

/** np.rollaxis(a, axis, start=0): move `axis` to before `start` (a view). */
export const rollaxis = def("rollaxis", "a, axis, start=0", { a: arg.array, axis: arg.cint, start: arg.int }, (p): ndarray => {
  const a = asarray(p.a);
  const n = a.ndim;
  const axis = normalizeAxis(p.axis, n);
  let start = p.start < 0 ? p.start + n : p.start;
  if (!(start >= 0 && start < n + 1)) {
    const e = new AxisError(0, 0);
    e.message = `'start' arg requires ${-n} <= start < ${n + 1}, but ${start} was passed in`;
    throw e;
  }
  if (axis < start) start--;
  const axes = a.shape.map((_, i) => i).filter((i) => i !== axis);
  axes.splice(start, 0, axis);
  return new ndarray(a._store.transpose(axes));
});

/** np.broadcast_arrays(*args, subok=False): views of the arguments broadcast against each other. */
export const broadcast_arrays = def("broadcast_arrays", "*args, subok=False", { args: arg.array, subok: arg.bool }, (p): ndarray[] => {
  const arrays = p.args.map((x) => asarray(x));
  const shape = broadcast_shapes(...arrays.map((a) => a.shape));
  return arrays.map((a) => (a.shape.join() === shape.join() ? a : new ndarray(a._store.broadcast(shape))));
});

/**
 * np.copyto(dst, src, casting='same_kind', where=True): src broadcast into dst in place, if
 * `casting` allows its dtype (NumPy's TypeError otherwise), only where `where` is true.
 */
export const copyto = def(
  "copyto",
  "dst, src, casting='same_kind', where=True",
  { dst: arg.any, src: arg.any, casting: arg.casting, where: arg.any },
  (p): void => {
    if (!(p.dst instanceof ndarray)) throw new TypeError(`copyto() argument 1 must be a numpy.ndarray, not ${pyType(p.dst)}`);
    const dst = p.dst;
    let value: ArrayLike;
    if (isWeakScalar(p.src)) {
      // A Python float into an integer array: refused unless casting is unsafe (ints are range-checked on assignment).
      const x = p.src;
      if (
        typeof x === "number" &&
        !Number.isInteger(x) &&
        (dst.dtype.kind === "i" || dst.dtype.kind === "u" || dst.dtype.kind === "b") &&
        p.casting !== "unsafe"
      )
        throw new TypeError(`Cannot cast scalar from dtype('float64') to dtype('${dst.dtype.name}') according to the rule '${p.casting}'`);
      value = x as ArrayLike;
    } else {
      const src = asarray(p.src as ArrayLike);
      if (!canCast(src.dtype, dst.dtype, p.casting))
        throw new TypeError(
          `Cannot cast array data from dtype('${src.dtype.name}') to dtype('${dst.dtype.name}') according to the rule '${p.casting}'`,
        );
      value = src;
    }
    if (p.where === true) copyInto(dst, value);
    else copyInto(dst, whereOf(asarray(p.where as ArrayLike, { dtype: "bool" }), value, dst) as ndarray);
  },
);
