/**
 * NumPy's "Adding and removing elements" section: append, delete, insert, resize, trim_zeros.
 * Index bookkeeping (which positions survive, where inserted values go) is done on the host
 * from the small index arguments; the data moves in slice copies and gathers.
 */
import { DTYPES } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, toArray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { newStore } from "./alloc.js";
import { AttributeError, IndexError, ValueError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, pyType, toIndex } from "./param_types.js";
import { Slice } from "./indexing.js";
import { concatenateArrays, copyPiece } from "./array_joining.js";
import { ravel, moveaxis } from "./array_manipulation.js";
import { take } from "./indexing_routines.js";
import { copyInto } from "./copy.js";

/** np.append(arr, values, axis=None): `values` joined after `arr` (both flattened without an axis). */
export const append = def("append", "arr, values, axis=None", { arr: arg.array, values: arg.array, axis: arg.axis }, (p): ndarray => {
  let a = asarray(p.arr);
  let v = asarray(p.values);
  let axis = p.axis;
  if (axis === null) {
    if (a.ndim !== 1) a = ravel(a);
    v = ravel(v);
    axis = 0;
  }
  return concatenateArrays([a, v], axis, null, null, "same_kind");
});

/** `arr` and `axis` as delete and insert take them: flattened without an axis. */
function alongAxis(x: ArrayLike, axisArg: number | null): { a: ndarray; axis: number } {
  let a = asarray(x);
  if (axisArg === null) {
    if (a.ndim !== 1) a = ravel(a);
    return { a, axis: a.ndim - 1 };
  }
  return { a, axis: normalizeAxis(axisArg, a.ndim) };
}

/** The positions a Python slice selects along an axis of length n. */
function sliceRange(s: Slice, n: number): number[] {
  const [start, stop, step] = s.indices(n);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** An index array's values on the host (after NumPy's conversion of `obj`). */
function hostIndex(obj: ndarray): number[] {
  return obj.flatValues().map((v) => Number(v));
}

/** np.delete(arr, obj, axis=None): a new array without the sub-arrays at `obj` (an int, a slice, indices or a mask). */
export const delete_ = def("delete", "arr, obj, axis=None", { arr: arg.array, obj: arg.any, axis: arg.axisC }, (p): ndarray => {
  const { a, axis } = alongAxis(p.arr, p.axis);
  const n = a.shape[axis];
  const keep = new Array<boolean>(n).fill(true);
  const obj = p.obj;
  if (obj instanceof Slice) {
    for (const i of sliceRange(obj, n)) keep[i] = false;
  } else {
    let single: number | null = null;
    let ind: ndarray | null = null;
    if ((typeof obj === "number" && Number.isInteger(obj)) || typeof obj === "bigint") single = Number(obj);
    else {
      ind = asarray(obj as ArrayLike);
      if (ind.size === 0 && !(obj instanceof ndarray)) ind = ind.astype(DTYPES.int64);
      else if (ind.size === 1 && ind.dtype.isInteger) single = Number(ind.flatValues()[0]);
    }
    if (single !== null) {
      if (single < -n || single >= n) throw new IndexError(`index ${single} is out of bounds for axis ${axis} with size ${n}`);
      keep[single < 0 ? single + n : single] = false;
    } else if (ind!.dtype.kind === "b") {
      if (ind!.ndim !== 1 || ind!.shape[0] !== n)
        throw new ValueError(`boolean array argument obj to delete must be one dimensional and match the axis length of ${n}`);
      ind!.flatValues().forEach((v, i) => {
        if (v) keep[i] = false;
      });
    } else {
      if (!ind!.dtype.isInteger) throw new IndexError("arrays used as indices must be of integer (or boolean) type");
      for (const i of hostIndex(ind!)) {
        if (i < -n || i >= n) throw new IndexError(`index ${i} is out of bounds for axis 0 with size ${n}`);
        keep[i < 0 ? i + n : i] = false;
      }
    }
  }
  const idx = keep.flatMap((k, i) => (k ? [i] : []));
  if (idx.length === n) return a.copy();
  return take(a, toArray(idx, { dtype: "int64" }), axis);
});

/** np.insert(arr, obj, values, axis=None): `values` inserted before the positions `obj` along the axis. */
export const insert = def(
  "insert",
  "arr, obj, values, axis=None",
  { arr: arg.array, obj: arg.any, values: arg.array, axis: arg.axisC },
  (p): ndarray => {
    const { a, axis } = alongAxis(p.arr, p.axis);
    const n = a.shape[axis];
    let indices: ndarray;
    let scalarIndex = false;
    if (p.obj instanceof Slice) indices = toArray(sliceRange(p.obj, n), { dtype: "int64" });
    else {
      indices = toArray(p.obj as ArrayLike);
      if (indices.dtype.kind === "b") {
        if (indices.ndim !== 1) throw new ValueError("boolean array argument obj to insert must be one dimensional");
        indices = toArray(
          indices.flatValues().flatMap((v, i) => (v ? [i] : [])),
          { dtype: "int64" },
        );
      } else if (indices.ndim > 1) throw new ValueError("index array argument obj to insert must be one dimensional or scalar");
      scalarIndex = indices.ndim === 0;
    }
    const values0 = asarray(p.values as ArrayLike, { dtype: a.dtype });
    const values =
      values0.ndim >= a.ndim ? values0 : new ndarray(values0._store.reshape([...new Array(a.ndim - values0.ndim).fill(1), ...values0.shape])!);
    if (indices.size === 1) {
      let index = Number(indices.flatValues()[0]);
      if (index < -n || index > n)
        throw new IndexError(`index ${scalarIndex ? index : `[${index}]`} is out of bounds for axis ${axis} with size ${n}`);
      if (index < 0) index += n;
      const vals = scalarIndex ? moveaxis(values, 0, axis) : values;
      const numnew = vals.shape[axis];
      const shape = [...a.shape];
      shape[axis] += numnew;
      const out = newStore(shape, a.dtype);
      copyPiece(out.slice(axis, 0, index, 1), new ndarray(a._store.slice(axis, 0, index, 1)), "insert");
      copyInto(new ndarray(out.slice(axis, index, index + numnew, 1)), vals);
      copyPiece(out.slice(axis, index + numnew, shape[axis], 1), new ndarray(a._store.slice(axis, index, n, 1)), "insert");
      return new ndarray(out);
    }
    if (indices.size === 0 && !(p.obj instanceof ndarray)) indices = indices.astype(DTYPES.int64);
    if (!indices.dtype.isInteger) throw new IndexError("arrays used as indices must be of integer (or boolean) type");
    const idx = hostIndex(indices).map((i) => (i < 0 ? i + n : i));
    const numnew = idx.length;
    // Stable order of the positions; each moves right by the number of insertions before it.
    const order = idx.map((_, i) => i).sort((x, y) => idx[x] - idx[y] || x - y);
    order.forEach((o, k) => {
      idx[o] += k;
    });
    const total = n + numnew;
    for (const i of idx) if (i < -total || i >= total) throw new IndexError(`index ${i} is out of bounds for axis 0 with size ${total}`);
    const oldMask = new Array<boolean>(total).fill(true);
    for (const i of idx) oldMask[i < 0 ? i + total : i] = false;
    const shape = [...a.shape];
    shape[axis] = total;
    const out = new ndarray(newStore(shape, a.dtype));
    const lead = new Array(axis).fill(new Slice());
    out.set(...lead, toArray(idx, { dtype: "int64" }), values);
    out.set(...lead, toArray(oldMask, { dtype: "bool" }), a);
    return out;
  },
);

/** new_shape for np.resize: an int or a sequence of ints. */
const NEW_SHAPE = conv<number | readonly number[], number[]>((v): number[] => {
  if (Array.isArray(v)) return v.map(toIndex);
  if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError("'float' object is not iterable");
  return [toIndex(v)];
});

/** np.resize(a, new_shape): the flattened `a` repeated cyclically to fill `new_shape`. */
export const resize = def("resize", "a, new_shape", { a: arg.array, new_shape: NEW_SHAPE }, (p): ndarray => {
  const a = ravel(asarray(p.a));
  const shape = p.new_shape;
  let size = 1;
  for (const n of shape) {
    size *= n;
    if (n < 0) throw new ValueError("all elements of `new_shape` must be non-negative");
  }
  if (a.size === 0 || size === 0) return new ndarray(newStore(shape, a.dtype));
  const repeats = Math.ceil(size / a.size);
  // One broadcast copy of the (repeats, a.size) repetition, then the first `size` elements.
  const full = newStore([repeats, a.size], a.dtype);
  copyPiece(full, new ndarray(a._store.promote(0, 1).broadcast([repeats, a.size])), "resize");
  const flat = full.reshape([repeats * a.size])!.slice(0, 0, size, 1);
  return new ndarray(flat.reshape(shape) ?? newStoreCopy(flat, shape));
});

function newStoreCopy(flat: ndarray["_store"], shape: number[]): ndarray["_store"] {
  const out = newStore([flat.shape[0]], flat.dtype);
  copyPiece(out, new ndarray(flat), "resize");
  return out.reshape(shape)!;
}

const TRIM = conv<string, string>((v): string => {
  if (typeof v !== "string") throw new AttributeError(`'${pyType(v)}' object has no attribute 'lower'`);
  return v.toLowerCase();
});

/** np.trim_zeros(filt, trim='fb', axis=None): a view without the leading and/or trailing zeros (along the given axes). */
export const trim_zeros = def("trim_zeros", "filt, trim='fb', axis=None", { filt: arg.array, trim: TRIM, axis: arg.axesTuple }, (p): ndarray => {
  const a = asarray(p.filt);
  const trim = p.trim;
  if (!["fb", "bf", "f", "b"].includes(trim)) throw new ValueError(`unexpected character(s) in \`trim\`: '${trim}'`);
  const axes =
    p.axis === null ? a.shape.map((_, i) => i) : (typeof p.axis === "number" ? [p.axis] : p.axis).map((ax) => normalizeAxis(ax, a.ndim, "axis"));
  if (axes.length === 0) return a;
  // First and last nonzero position along every axis (one blocking read of the values).
  const start = new Array<number>(a.ndim).fill(Infinity),
    stop = new Array<number>(a.ndim).fill(-1);
  const vals = a.flatValues();
  const shape = a.shape;
  vals.forEach((v, k) => {
    const nz = typeof v === "object" ? v.re !== 0 || v.im !== 0 : v !== 0 && v !== 0n && v !== false;
    if (!nz) return;
    for (let d = a.ndim - 1; d >= 0; d--) {
      const i = k % shape[d];
      k = Math.floor(k / shape[d]);
      start[d] = Math.min(start[d], i);
      stop[d] = Math.max(stop[d], i + 1);
    }
  });
  const empty = stop[0] === -1 || a.ndim === 0;
  let s = a._store;
  for (const ax of axes) {
    if (empty) s = s.slice(ax, 0, 0, 1);
    else s = s.slice(ax, trim.includes("f") ? start[ax] : 0, trim.includes("b") ? stop[ax] : shape[ax], 1);
  }
  return new ndarray(s);
});
