import { DTYPES, Store } from "../core/index.js";
import { def } from "./signature.js";
import { arg, choice, conv, pyType, toIndex, unsupported } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { WeakScalar } from "./dtypes.js";
import type { ArrayLike } from "./creation_from_data.js";
import { IndexError, ValueError, normalizeAxis } from "./errors.js";
import { arange } from "./creation_ranges.js";
import { ones, zeros } from "./creation_shape.js";
import { ravel, broadcast_to as broadcastTo } from "./array_manipulation.js";
import { broadcastShapes, formatShape } from "./broadcast.js";

const canBroadcast = (a: readonly number[], b: readonly number[]): boolean => {
  try {
    broadcastShapes(a, b);
    return true;
  } catch {
    return false;
  }
};
import { resultType } from "./dtypes.js";
import { sum } from "./math_sum_prod_diff.js";
import { astype } from "./copy.js";
import { canCast } from "./dtypes.js";
import { Slice } from "./indexing.js";
import { checkBounds, launchScatter, nonzeroColumns, valueArray } from "./advanced_indexing.js";
import * as uf from "./ufuncs.js";

/**
 * NumPy's indexing routines: take, compress, put, place, take_along_axis, put_along_axis,
 * choose, select, putmask; diag_indices(_from), tril/triu_indices(_from), mask_indices, ix_;
 * unravel_index, ravel_multi_index; diagonal, trace, fill_diagonal (nonzero is in
 * sorting_searching).
 */

export type TakeMode = "raise" | "wrap" | "clip";
const MODES = choice(["raise", "wrap", "clip"] as TakeMode[], "clipmode", ["clip", "raise", "wrap"]);
/** take/put's mode: a name, or NumPy's integer constant (CLIP 0, WRAP 1, RAISE 2). */
export const MODE = conv<TakeMode | 0 | 1 | 2, TakeMode>((v, r): TakeMode => {
  if (typeof v === "number" && Number.isInteger(v)) {
    if (v >= 0 && v <= 2) return (["clip", "wrap", "raise"] as TakeMode[])[v];
    throw new ValueError("integer clipmode must be RAISE, WRAP, or CLIP from 'numpy._core.multiarray'");
  }
  return MODES(v, r);
});
export { put_ as putInto };

/** Indices for take/put: integer arrays as they are, bools as 0/1, lists force-cast to int64. */
function indexArray(ind: ArrayLike): ndarray {
  if (ind instanceof ndarray) {
    if (ind.dtype.isInteger) return ind;
    if (ind.dtype.kind === "b") return ind.astype(DTYPES.int64);
    throw new TypeError(`Cannot cast array data from dtype('${ind.dtype.name}') to dtype('int64') according to the rule 'same_kind'`);
  }
  return asarray(ind).astype(DTYPES.int64);
}

/** Indices over an axis of size n as take/put's `mode` says ("raise" is checked by the caller). */
function applyMode(ind: ndarray, n: number, mode: TakeMode): ndarray {
  if (mode === "raise") return ind;
  if (ind.size > 0 && n === 0) throw new IndexError("cannot do a non-empty take from an empty axes.");
  return mode === "wrap" ? uf.mod(ind, n) : uf.clip(ind, 0, n - 1);
}

/** np.take(a, indices, {axis, mode}): elements along an axis (of the flattened array without one). */
export const take = def(
  "take",
  "a, indices, axis=None, out=None, mode='raise'",
  { a: arg.array, indices: arg.array, axis: arg.axis, out: arg.out, mode: MODE },
  (p): ndarray => withOut(take_(p.a, p.indices, p.axis, p.mode), p.out),
);
function take_(a: ArrayLike, indices: ArrayLike, axisArg: number | null, mode: TakeMode): ndarray {
  let x = asarray(a);
  let axis = axisArg;
  if (axis === null) {
    x = ravel(x);
    axis = 0;
  }
  const ax = normalizeAxis(axis, x.ndim);
  // Out-of-bounds indices raise in the indexing below, with NumPy's message.
  const ind = applyMode(indexArray(indices), x.shape[ax], mode);
  const lead = Array.from({ length: ax }, () => new Slice());
  // A 0-d index is basic indexing (a view): take always copies.
  return ind.ndim === 0 ? x.get(...lead, Number(ind.item())).copy() : x.get(...lead, ind);
}

/** np.compress(condition, a, {axis}): the slices of `a` along axis where condition is true. */
export const compress = def(
  "compress",
  "condition, a, axis=None, out=None",
  { condition: arg.array, a: arg.array, axis: arg.axis, out: arg.out },
  (p): ndarray => {
    const c = asarray(p.condition);
    if (c.ndim !== 1) throw new ValueError("condition must be a 1-d array");
    return withOut(take_(p.a, nonzeroColumns(c)[0], p.axis, "raise"), p.out);
  },
);

/** Honour `out=` as NumPy's take does (compress is take): the result's shape, then an unsafe cast. */
export function withOut(r: ndarray, out: ndarray | null): ndarray {
  if (out === null) return r;
  if (out.shape.join() !== r.shape.join()) throw new ValueError("output array does not match result of ndarray.take");
  out.set("...", r);
  return out;
}

/** `values` repeated (or cut) to length n, as put and place use them. */
function cycle(values: ndarray, n: number): ndarray {
  if (values.size === n) return values;
  if (values.size > n) return values.get(new Slice(0, n));
  return take_(values, uf.mod(arange(n), values.size), null, "raise");
}

/** a.flat[ind] = values for in-bounds (possibly negative) flat indices. */
function putFlat(a: ndarray, ind: ndarray, values: ndarray): void {
  let v = cycle(values, ind.size);
  if (v.dtype !== a.dtype || v._store.storage === a._store.storage) v = astype(v, a.dtype);
  const flat = a._store.reshape([a.size]);
  if (flat) {
    launchScatter(a, flat, v._store, [ind._store]);
    return;
  }
  // A strided target: unravel the flat indices into one index array per dim.
  let rem = uf.where(uf.less(ind, 0), uf.add(ind, a.size), ind);
  const per: ndarray[] = new Array(a.ndim);
  for (let d = a.ndim - 1; d >= 0; d--) {
    per[d] = uf.mod(rem, a.shape[d]);
    rem = uf.floor_divide(rem, a.shape[d]);
  }
  launchScatter(
    a,
    a._store,
    v._store,
    per.map((q) => q._store),
  );
}

/** np.put(a, ind, v, {mode}): a.flat[ind] = v in place, v repeated as needed. */
export const put = def("put", "a, ind, v, mode='raise'", { a: arg.any, ind: arg.array, v: arg.array, mode: MODE }, (p): void =>
  put_(p.a as ndarray, p.ind, p.v, p.mode),
);
function put_(a: ndarray, ind: ArrayLike, v: ArrayLike, mode: TakeMode): void {
  if (!(a instanceof ndarray)) throw new TypeError(`argument 1 must be numpy.ndarray, not <class '${pyType(a)}'>`);
  const idx = ravel(indexArray(ind));
  const vals = ravel(valueArray(v, a.dtype));
  if (idx.size === 0 || vals.size === 0) return;
  if (mode === "raise") checkBounds([{ a: idx, axis: 0, size: a.size }]);
  putFlat(a, applyMode(idx, a.size, mode), vals);
}

/** np.place(arr, mask, vals): arr.flat[mask.flat] = vals in place, vals repeated as needed. */
export const place = def("place", "arr, mask, vals", { arr: arg.any, mask: arg.array, vals: arg.array }, (p): void =>
  place_(p.arr as ndarray, p.mask, p.vals),
);
function place_(arr: ndarray, mask: ArrayLike, vals: ArrayLike): void {
  if (!(arr instanceof ndarray)) throw new TypeError(`place() argument 1 must be numpy.ndarray, not ${pyType(arr)}`);
  const m = asarray(mask);
  if (m.size !== arr.size) throw new ValueError("place: mask and data must be the same size");
  const pos = nonzeroColumns(ravel(m))[0];
  if (pos.size === 0) return;
  // Arrays must cast safely; lists and scalars are converted as assignment converts them.
  if (vals instanceof ndarray && !canCast(vals.dtype, arr.dtype, "safe"))
    throw new TypeError(`Cannot cast array data from dtype('${vals.dtype.name}') to dtype('${arr.dtype.name}') according to the rule 'safe'`);
  const v = ravel(valueArray(vals, arr.dtype));
  if (v.size === 0) throw new ValueError("Cannot insert from an empty array!");
  putFlat(arr, pos, v);
}

// ---- along an axis

/**
 * The index tuple that pairs `indices` (along `axis`) with the positions of every other
 * dim, broadcast as NumPy's _make_along_axis_idx builds it.
 */
function alongAxisIndex(shape: readonly number[], indices: ndarray, axis: number): ndarray[] {
  return shape.map((n, d) => {
    if (d === axis) return indices;
    const s = shape.map(() => 1);
    s[d] = n;
    return arange(n).reshape(s);
  });
}

function alongAxisChecks(arr: ndarray, indices: ndarray, axis: number | null): { a: ndarray; axis: number } {
  if (!indices.dtype.isInteger) throw new IndexError("`indices` must be an integer array");
  if (axis === null) {
    if (indices.ndim !== 1) throw new ValueError("when axis=None, `indices` must have a single dimension.");
    return { a: ravel(arr), axis: 0 };
  }
  const ax = normalizeAxis(axis, arr.ndim);
  if (indices.ndim !== arr.ndim) throw new ValueError("`indices` and `arr` must have the same number of dimensions");
  return { a: arr, axis: ax };
}

/** arr's elements at `indices` along `axis` (internal: both arrays, axis normalised). */
export function takeAlong(arr: ndarray, indices: ndarray, axis: number): ndarray {
  return arr.get(...alongAxisIndex(arr.shape, indices, axis));
}

/** np.take_along_axis(arr, indices, axis=-1): arr's elements picked by `indices` along `axis` (flattened when null). */
export const take_along_axis = def(
  "take_along_axis",
  "arr, indices, axis=-1",
  { arr: arg.array, indices: arg.array, axis: arg.axisC },
  (p): ndarray => {
    const { a, axis } = alongAxisChecks(asarray(p.arr), asarray(p.indices), p.axis);
    return takeAlong(a, asarray(p.indices), axis);
  },
);

/** np.put_along_axis(arr, indices, values, axis): arr[indices along axis] = values, in place. */
export const put_along_axis = def(
  "put_along_axis",
  "arr, indices, values, axis",
  { arr: arg.ndarray, indices: arg.array, values: arg.array, axis: arg.axisC },
  (p): void => {
    const ind = asarray(p.indices);
    const { a, axis } = alongAxisChecks(p.arr, ind, p.axis);
    if (p.axis === null) {
      // arr.flat[indices] = values: values broadcast to the indices, bounds as for put.
      const v = valueArray(p.values, p.arr.dtype);
      put_(p.arr, ind, v.ndim === 0 ? v : broadcastTo(v, ind.shape), "raise");
      return;
    }
    a.set(...alongAxisIndex(a.shape, ind, axis), p.values as ndarray);
  },
);

// ---- choosing among arrays

/** The choices as a list: a sequence of arrays, or the sub-arrays of an array's first axis. */
function choiceList(choices: unknown): ArrayLike[] {
  if (choices instanceof ndarray) return choices.ndim === 0 ? [choices] : Array.from({ length: choices.shape[0] }, (_, i) => choices.get(i));
  if (Array.isArray(choices)) return choices as ArrayLike[];
  return [choices as ArrayLike];
}

/**
 * np.choose(a, choices, out=None, mode='raise'): choices[a[i]][i] for every i, all operands
 * broadcast together. Composed as one `where` per choice.
 */
export const choose = def(
  "choose",
  "a, choices, out=None, mode='raise'",
  { a: arg.array, choices: arg.any, out: arg.out, mode: MODE },
  (p): ndarray => choose_(p.a, choiceList(p.choices), p.out, p.mode),
);
export function choose_(a: ArrayLike, choices: ArrayLike[], out: ndarray | null, mode: TakeMode): ndarray {
  let idx = asarray(a);
  if (!idx.dtype.isInteger && idx.dtype.kind !== "b" && !canCast(idx.dtype, DTYPES.int64, "safe"))
    throw new TypeError(`Cannot cast array data from dtype('${idx.dtype.name}') to dtype('int64') according to the rule 'safe'`);
  const n = choices.length;
  if (n === 0) throw new ValueError("0-length sequence.");
  if (mode === "raise") {
    if (idx.size > 0 && Boolean(uf.logical_or(uf.less(idx, 0), uf.greater_equal(idx, n)).any().item()))
      throw new ValueError("invalid entry in choice array");
  } else idx = mode === "wrap" ? uf.mod(idx, n) : uf.clip(idx, 0, n - 1);
  // NumPy broadcasts the choices and then `a` together, naming the first pair that clashes.
  const shapes = [...choices.map((c) => (isWeakScalar(c) ? [] : asarray(c).shape)), idx.shape];
  for (let i = 1; i < shapes.length; i++) {
    try {
      broadcastShapes(...shapes.slice(0, i + 1));
    } catch {
      const j = shapes.slice(0, i).findIndex((s) => !canBroadcast(s, shapes[i]));
      throw new ValueError(
        `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${j} with shape ${formatShape(shapes[j])} and arg ${i} with shape ${formatShape(shapes[i])}.`,
      );
    }
  }
  let r = uf.where(uf.equal(idx, n - 1), choices[n - 1], choices[n - 1]) as ndarray;
  for (let j = n - 2; j >= 0; j--) r = uf.where(uf.equal(idx, j), choices[j], r) as ndarray;
  if (!out) return r;
  if (out.shape.join() !== r.shape.join()) throw new TypeError("choose: invalid shape for output array.");
  out.set("...", r);
  return out;
}

/**
 * np.select(condlist, choicelist, default=0): from the first choice whose condition holds,
 * else `default`; the result type is that of all choices and the default as arrays.
 */
export const select = def(
  "select",
  "condlist, choicelist, default=0",
  { condlist: arg.any, choicelist: arg.any, default: arg.array },
  (p): ndarray => {
    const conds = choiceList(p.condlist),
      choices = choiceList(p.choicelist);
    if (conds.length !== choices.length) throw new ValueError("list of cases must be same length as list of conditions");
    if (conds.length === 0) throw new ValueError("select with an empty condition list is not possible");
    const cs = choices.map((c) => asarray(c));
    const def_ = asarray(p.default);
    // A Python scalar default takes part as a weak scalar (NEP 50), an array by its dtype.
    const weak = isWeakScalar(p.default);
    const dt = resultType([...cs.map((c) => c.dtype), ...(weak ? [] : [def_.dtype])], weak ? [p.default as WeakScalar] : []);
    const masks = conds.map((c, i) => {
      const m = asarray(c);
      if (m.dtype.kind !== "b") throw new TypeError(`invalid entry ${i} in condlist: should be boolean ndarray`);
      return m;
    });
    let r = astype(def_, dt);
    for (let i = cs.length - 1; i >= 0; i--) r = uf.where(masks[i], astype(cs[i], dt), r) as ndarray;
    const shape = broadcastShapes(...masks.map((m) => m.shape), ...cs.map((c) => c.shape), def_.shape);
    return r.shape.join() === shape.join() ? r : astype(broadcastTo(r, shape), dt);
  },
);

/** np.putmask(a, mask, values): a.flat[i] = values.flat[i % len(values)] wherever mask.flat[i], in place. */
export const putmask = def("putmask", "a, /, mask, values", { a: arg.any, mask: arg.array, values: arg.array }, (p): void => {
  if (!(p.a instanceof ndarray)) throw new TypeError("putmask: first argument must be an array");
  const a = p.a;
  const m = asarray(p.mask);
  if (m.size !== a.size) throw new ValueError("putmask: mask and data must be the same size");
  const v = ravel(valueArray(p.values, a.dtype));
  if (v.size === 0 || a.size === 0) return;
  const rep = v.size === a.size ? v : take_(v, uf.mod(arange(a.size), v.size), null, "raise");
  const full = astype(rep, a.dtype).reshape(a.shape);
  a.set("...", uf.where(m.reshape(a.shape), full, a) as ndarray);
});

// ---- index arrays of common patterns

/** np.diag_indices(n, ndim=2): the indices of the main diagonal of an (n, …, n) array. */
export const diag_indices = def("diag_indices", "n, ndim=2", { n: arg.float, ndim: arg.int }, (p): ndarray[] => {
  // A float n gives float indices, as NumPy's arange(n) does.
  const idx = Number.isInteger(p.n) ? arange(p.n) : arange(p.n, { dtype: "float64" });
  return Array.from({ length: p.ndim }, () => idx);
});

/** np.diag_indices_from(arr): diag_indices for an array whose dims are all equal. */
export const diag_indices_from = def("diag_indices_from", "arr", { arr: arg.array }, (p): ndarray[] => {
  const a = asarray(p.arr);
  if (a.ndim < 2) throw new ValueError("input array must be at least 2-d");
  if (a.shape.some((n) => n !== a.shape[0])) throw new ValueError("All dimensions of input must be of equal length");
  return diag_indices(a.shape[0], a.ndim);
});

/** The (row, col) indices of the (n, m) positions with col - row <= k (lower) or >= k (upper). */
function triangle(n: number, k: number, m: number | null, lower: boolean): ndarray[] {
  // NumPy takes a float k through an integer arange of its own; only integers are taken here.
  if (!Number.isInteger(k)) unsupported(lower ? "tril_indices" : "triu_indices", "a non-integer k");
  const cols = m ?? n;
  const rows = arange(n).reshape([n, 1]),
    c = arange(cols).reshape([1, cols]);
  const d = uf.subtract(c, rows);
  return nonzeroColumns(lower ? uf.less_equal(d, k) : uf.greater_equal(d, k));
}

/** np.tril_indices(n, k=0, m=None): indices of the lower triangle of an (n, m) array. */
export const tril_indices = def("tril_indices", "n, k=0, m=None", { n: arg.int, k: arg.float, m: arg.intOrNone }, (p): ndarray[] =>
  triangle(p.n, p.k, p.m, true),
);
/** np.triu_indices(n, k=0, m=None): indices of the upper triangle of an (n, m) array. */
export const triu_indices = def("triu_indices", "n, k=0, m=None", { n: arg.int, k: arg.float, m: arg.intOrNone }, (p): ndarray[] =>
  triangle(p.n, p.k, p.m, false),
);
function square2d(arr: ArrayLike): ndarray {
  const a = asarray(arr);
  if (a.ndim !== 2) throw new ValueError("input array must be 2-d");
  return a;
}
/** np.tril_indices_from(arr, k=0): tril_indices for a 2-D array's shape. */
export const tril_indices_from = def("tril_indices_from", "arr, k=0", { arr: arg.array, k: arg.float }, (p): ndarray[] => {
  const a = square2d(p.arr);
  return triangle(a.shape[0], p.k, a.shape[1], true);
});
/** np.triu_indices_from(arr, k=0): triu_indices for a 2-D array's shape. */
export const triu_indices_from = def("triu_indices_from", "arr, k=0", { arr: arg.array, k: arg.float }, (p): ndarray[] => {
  const a = square2d(p.arr);
  return triangle(a.shape[0], p.k, a.shape[1], false);
});

/** np.mask_indices(n, mask_func, k=0): the indices where mask_func(ones((n, n)), k) is nonzero. */
export const mask_indices = def("mask_indices", "n, mask_func, k=0", { n: arg.int, mask_func: arg.any, k: arg.any }, (p): ndarray[] => {
  if (typeof p.mask_func !== "function") throw new TypeError(`'${pyType(p.mask_func)}' object is not callable`);
  const m = ones([p.n, p.n], { dtype: "int64" });
  const a = asarray((p.mask_func as (a: ndarray, k: unknown) => ArrayLike)(m, p.k));
  return nonzeroColumns(uf.not_equal(a, 0));
});

/** np.ix_(*args): open-mesh index arrays, the k-th shaped (1, …, n_k, …, 1); booleans become their nonzero positions. */
export const ix_ = def("ix_", "*args", { args: arg.array }, (p): ndarray[] => {
  const nd = p.args.length;
  return p.args.map((seq, k) => {
    let x = Array.isArray(seq) && seq.length === 0 ? asarray([]).astype(DTYPES.int64) : asarray(seq);
    if (x.ndim !== 1) throw new ValueError("Cross index must be 1 dimensional");
    if (x.dtype.kind === "b") x = nonzeroColumns(x)[0];
    const shape = Array.from({ length: nd }, (_, d) => (d === k ? x.size : 1));
    return x.reshape(shape);
  });
});

// ---- flat and multi-dimensional indices

/** 'C' or 'F' (the other orders are refused with NumPy's messages). */
const ORDER_CF = conv<"C" | "F", "C" | "F">((v, r): "C" | "F" => {
  const o = arg.order(v, r);
  if (o !== "C" && o !== "F") throw new ValueError("only 'C' or 'F' order is permitted");
  return o;
});

/** An integer index array (NumPy's "only int indices permitted" for anything else). */
function intIndices(v: ArrayLike): ndarray {
  const x = asarray(v);
  if (!x.dtype.isInteger) throw new TypeError("only int indices permitted");
  return x;
}

/** The dims' strides in elements for C or F order. */
function flatStrides(dims: readonly number[], order: "C" | "F"): number[] {
  const st = new Array<number>(dims.length);
  let s = 1;
  const ds = dims.map((_, i) => i);
  for (const d of order === "C" ? ds.reverse() : ds) {
    st[d] = s;
    s *= dims[d];
  }
  return st;
}

/** np.unravel_index(indices, shape, order='C'): flat indices into a tuple of coordinate arrays. */
export const unravel_index = def(
  "unravel_index",
  "indices, shape, order='C'",
  { indices: arg.array, shape: arg.shape, order: ORDER_CF },
  (p): ndarray[] => {
    if (Array.isArray(p.indices) && p.indices.flat(Infinity).length === 0)
      throw new TypeError(
        "indices must be integral: the provided empty sequence was inferred as float. Wrap it with 'np.array(indices, dtype=np.intp)'",
      );
    const ind = intIndices(p.indices);
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (ind.size > 0) {
      const bad = uf.logical_or(uf.less(ind, 0), uf.greater_equal(ind, size));
      if (Boolean(bad.any().item())) {
        const k = Number(nonzeroColumns(ravel(bad))[0].item(0));
        throw new ValueError(`index ${ravel(ind).item(k)} is out of bounds for array with size ${size}`);
      }
    }
    const st = flatStrides(p.shape, p.order as "C" | "F");
    const i64 = astype(ind, DTYPES.int64);
    return p.shape.map((n, d) => astype(uf.mod(uf.floor_divide(i64, st[d]), n), DTYPES.int64));
  },
);

const MODE_LIST = conv<TakeMode | readonly TakeMode[], TakeMode | TakeMode[]>((v, r): TakeMode | TakeMode[] =>
  Array.isArray(v) ? v.map((m) => MODE(m, r)) : MODE(v, r),
);

/** np.ravel_multi_index(multi_index, dims, mode='raise', order='C'): coordinate arrays into flat indices (mode per dim or for all). */
export const ravel_multi_index = def(
  "ravel_multi_index",
  "multi_index, dims, mode='raise', order='C'",
  { multi_index: arg.any, dims: arg.shape, mode: MODE_LIST, order: ORDER_CF },
  (p): ndarray => {
    const coords = choiceList(p.multi_index).map(intIndices);
    const nd = p.dims.length;
    if (coords.length !== nd) throw new ValueError(`parameter multi_index must be a sequence of length ${nd}`);
    const modes = Array.isArray(p.mode) ? p.mode : p.dims.map(() => p.mode as TakeMode);
    if (modes.length !== nd) throw new ValueError(`list of clipmodes has wrong length (${modes.length} instead of ${nd})`);
    const st = flatStrides(p.dims, p.order as "C" | "F");
    let r: ndarray | null = null;
    coords.forEach((c, d) => {
      const n = p.dims[d];
      let x = astype(c, DTYPES.int64);
      if (modes[d] === "raise") {
        if (x.size > 0 && Boolean(uf.logical_or(uf.less(x, 0), uf.greater_equal(x, n)).any().item()))
          throw new ValueError("invalid entry in coordinates array");
      } else x = modes[d] === "wrap" ? uf.mod(x, n) : uf.clip(x, 0, n - 1);
      const term = uf.multiply(x, st[d]);
      r = r === null ? term : uf.add(r, term);
    });
    return r ?? zeros([], { dtype: "int64" });
  },
);

// ---- diagonals

/** The diagonal as the last axis of a copy: a gather with (row, col) index arrays. */
function diagonal_(a: ArrayLike, offset: number, axis1: number, axis2: number): ndarray {
  const x = asarray(a);
  if (x.ndim < 2) throw new ValueError("diag requires an array of at least two dimensions");
  const a1 = normalizeAxis(axis1, x.ndim, "axis1"),
    a2 = normalizeAxis(axis2, x.ndim, "axis2");
  if (a1 === a2) throw new ValueError("axis1 and axis2 cannot be the same");
  const rest = x.shape.map((_, d) => d).filter((d) => d !== a1 && d !== a2);
  const n1 = x.shape[a1],
    n2 = x.shape[a2];
  const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  // The diagonal is a strided view (one step along both axes at once), copied.
  const s = x._store;
  const first = len === 0 ? 0 : offset >= 0 ? offset * s.strides[a2] : -offset * s.strides[a1];
  const view = new Store(
    s.storage,
    [...rest.map((d) => s.shape[d]), len],
    [...rest.map((d) => s.strides[d]), s.strides[a1] + s.strides[a2]],
    s.offset + first,
  );
  return astype(new ndarray(view), x.dtype);
}

/** np.diagonal(a, offset=0, axis1=0, axis2=1): the diagonal as the last axis (a copy, where NumPy returns a read-only view). */
export const diagonal = def(
  "diagonal",
  "a, offset=0, axis1=0, axis2=1",
  { a: arg.array, offset: arg.int, axis1: arg.int, axis2: arg.int },
  (p): ndarray => diagonal_(p.a, p.offset, p.axis1, p.axis2),
);

/** np.trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None): sums along the diagonal. */
export const trace = def(
  "trace",
  "a, offset=0, axis1=0, axis2=1, dtype=None, out=None",
  { a: arg.array, offset: arg.int, axis1: arg.int, axis2: arg.int, dtype: arg.dtype, out: arg.out },
  (p): ndarray => sum(diagonal_(p.a, p.offset, p.axis1, p.axis2), { axis: -1, dtype: p.dtype, out: p.out }),
);

/** np.fill_diagonal(a, val, wrap=False): the main diagonal set to val (repeated), in place; `wrap` continues past a tall matrix's square part. */
export const fill_diagonal = def("fill_diagonal", "a, val, wrap=False", { a: arg.ndarray, val: arg.array, wrap: arg.bool }, (p): void => {
  const a = p.a;
  if (a.ndim < 2) throw new ValueError("array must be at least 2-d");
  let step: number;
  let end = a.size;
  if (a.ndim === 2) {
    step = a.shape[1] + 1;
    if (!p.wrap) end = Math.min(a.size, a.shape[1] * a.shape[1]);
  } else {
    if (a.shape.some((n) => n !== a.shape[0])) throw new ValueError("All dimensions of input must be of equal length");
    let prod = 1;
    step = 1;
    for (const n of a.shape.slice(0, -1)) {
      prod *= n;
      step += prod;
    }
  }
  const idx = arange(0, end, step);
  if (idx.size === 0) return;
  put_(a, idx, p.val, "raise");
});

/** np.iterable(y): whether `y` can be iterated over (lists, strings, arrays of at least one dim). */
export const iterable = def("iterable", "y", { y: arg.any }, (p): boolean => {
  const y = p.y;
  if (y instanceof ndarray) return y.ndim > 0;
  return y !== null && y !== undefined && typeof (y as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
});

/** NumPy's ndindex iterator: every index of a shape, last dimension fastest. */
export class NdIndex implements IterableIterator<number[]> {
  readonly shape: readonly number[];
  private readonly idx: number[];
  private left: number;
  constructor(shape: readonly number[]) {
    this.shape = shape;
    this.idx = shape.map(() => 0);
    this.left = shape.reduce((a, b) => a * b, 1);
  }
  [Symbol.iterator](): NdIndex {
    return this;
  }
  /** The next index as an array of numbers (NumPy's tuple). */
  next(): IteratorResult<number[]> {
    if (this.left === 0) return { done: true, value: undefined };
    const value = [...this.idx];
    this.left--;
    for (let d = this.shape.length - 1; d >= 0 && ++this.idx[d] === this.shape[d]; d--) this.idx[d] = 0;
    return { done: false, value };
  }
}

/**
 * np.ndindex(*shape): an iterator over every index of `shape` (`np.ndindex(2, 3)` or
 * `np.ndindex([2, 3])`, the JS array standing for NumPy's tuple), yielding number arrays in C
 * order. Runs on the host; nothing is allocated per shape.
 */
export const ndindex = def("ndindex", "*shape", { shape: arg.any }, (p): NdIndex => {
  let shape = p.shape as unknown[];
  if (shape.length === 1 && Array.isArray(shape[0])) shape = shape[0] as unknown[];
  const dims = shape.map((v) => toIndex(v));
  if (dims.some((n) => n < 0)) throw new ValueError("negative dimensions are not allowed");
  return new NdIndex(dims);
});
Object.defineProperty(ndindex, "prototype", { value: NdIndex.prototype });

/** NumPy's ndenumerate iterator: [index, value] pairs of an array in C order. */
export class NdEnumerate implements IterableIterator<[number[], unknown]> {
  private readonly index: NdIndex;
  private values: unknown[] | null = null;
  private k = 0;
  constructor(private readonly arr: ndarray) {
    this.index = new NdIndex(arr.shape);
  }
  [Symbol.iterator](): NdEnumerate {
    return this;
  }
  /** The next [index, value]; the value as `item()` gives it (a JS number, boolean or `{ re, im }`). */
  next(): IteratorResult<[number[], unknown]> {
    const i = this.index.next();
    if (i.done) return { done: true, value: undefined };
    // The values are read once, at the first step (NumPy's flat iterator reads the array as it goes).
    this.values ??= this.arr.ndim === 0 ? [this.arr.item()] : (this.arr.ravel().tolist() as unknown[]);
    return { done: false, value: [i.value, this.values[this.k++]] };
  }
}

/** np.ndenumerate(arr): an iterator of [index, value] pairs over `arr` in C order (on the host). */
export const ndenumerate = def("ndenumerate", "arr", { arr: arg.array }, (p): NdEnumerate => new NdEnumerate(asarray(p.arr)));
Object.defineProperty(ndenumerate, "prototype", { value: NdEnumerate.prototype });
