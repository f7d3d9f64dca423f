import { DTYPES } from "../core/index.js";
import { def } from "./signature.js";
import { arg, choice, conv, pyType } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { IndexError, ValueError, normalizeAxis } from "./errors.js";
import { arange } from "./creation_ranges.js";
import { ravel } from "./array_manipulation.js";
import { astype } from "./copy.js";
import { canCast } from "./dtypes.js";
import { Slice } from "./indexing.js";
import { checkBounds, launchScatter, nonzeroColumns, valueArray } from "./advanced_indexing.js";
import * as uf from "./ufuncs.js";

/** NumPy's indexing routines: take, compress, put, place (nonzero is in sorting_searching). */

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
