/**
 * NumPy's "Rearranging elements" section: flip, fliplr, flipud, rot90 (views with reversed
 * steps and permuted axes) and roll (a new array written in at most 2^ndim slice copies).
 */
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, toIndex } from "./param_types.js";
import { newStore } from "./alloc.js";
import { copyPiece } from "./array_joining.js";
import { broadcast_shapes, ravel } from "./array_manipulation.js";
import type { Store } from "../core/index.js";

/** Axes as np.normalize_axis_tuple checks them (duplicates refused unless allowed). */
function axisTuple(axis: number | number[], ndim: number, allowDuplicate = false): number[] {
  const axes = (typeof axis === "number" ? [axis] : axis).map((ax) => normalizeAxis(ax, ndim));
  if (!allowDuplicate && new Set(axes).size !== axes.length) throw new ValueError("repeated axis");
  return axes;
}

/** A view of `a` with the given axes reversed. */
function flipAxes(a: ndarray, axes: readonly number[]): ndarray {
  let s = a._store;
  for (const ax of axes) s = s.slice(ax, s.shape[ax] - 1, -1, -1);
  return new ndarray(s);
}

/** np.flip(m, axis=None): a view with the order of elements reversed along the axes (all by default). */
export const flip = def("flip", "m, axis=None", { m: arg.array, axis: arg.axesTuple }, (p): ndarray => {
  const m = asarray(p.m);
  return flipAxes(m, p.axis === null ? m.shape.map((_, i) => i) : axisTuple(p.axis, m.ndim));
});
/** np.fliplr(m): columns reversed (axis 1), a view. */
export const fliplr = def("fliplr", "m", { m: arg.array }, (p): ndarray => {
  const m = asarray(p.m);
  if (m.ndim < 2) throw new ValueError("Input must be >= 2-d.");
  return flipAxes(m, [1]);
});
/** np.flipud(m): rows reversed (axis 0), a view. */
export const flipud = def("flipud", "m", { m: arg.array }, (p): ndarray => {
  const m = asarray(p.m);
  if (m.ndim < 1) throw new ValueError("Input must be >= 1-d.");
  return flipAxes(m, [0]);
});

/** rot90's axes: a sequence of two integers. */
const AXES_PAIR = conv<readonly number[], number[]>((v): number[] => {
  if (!Array.isArray(v))
    throw new TypeError(`'${typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v}' object is not iterable`);
  return v.map(toIndex);
});

/** np.rot90(m, k=1, axes=(0, 1)): rotated by 90 degrees k times from the first axis towards the second (a view). */
export const rot90 = def("rot90", "m, k=1, axes=(0, 1)", { m: arg.array, k: arg.float, axes: AXES_PAIR }, (p): ndarray => {
  const axes = p.axes;
  if (axes.length !== 2) throw new ValueError("len(axes) must be 2.");
  const m = asarray(p.m);
  if (axes[0] === axes[1] || Math.abs(axes[0] - axes[1]) === m.ndim) throw new ValueError("Axes must be different.");
  if (axes.some((ax) => ax >= m.ndim || ax < -m.ndim)) throw new ValueError(`Axes=(${axes.join(", ")}) out of range for array of ndim=${m.ndim}.`);
  const [a0, a1] = axes.map((ax) => (ax < 0 ? ax + m.ndim : ax));
  // Python's k % 4; a k that is none of 0, 1, 2 rotates as 3 does (NumPy's else branch).
  const k = ((p.k % 4) + 4) % 4;
  if (k === 0) return new ndarray(m._store);
  if (k === 2) return flipAxes(m, [a0, a1]);
  const perm = m.shape.map((_, i) => i);
  [perm[a0], perm[a1]] = [perm[a1], perm[a0]];
  if (k === 1) return new ndarray(flipAxes(m, [a1])._store.transpose(perm));
  return flipAxes(new ndarray(m._store.transpose(perm)), [a1]);
});

/** shift for np.roll: an integer or a sequence of them. */
/** NumPy adds int(shift) per axis: floats are truncated. */
const shiftInt = (v: unknown): number => (typeof v === "number" ? Math.trunc(v) : toIndex(v));
const SHIFT = conv<number | readonly number[], number | number[]>((v): number | number[] => (Array.isArray(v) ? v.map(shiftInt) : shiftInt(v)));

/** np.roll(a, shift, axis=None): elements shifted cyclically along the axes (the flattened array without one). */
export const roll = def("roll", "a, shift, axis=None", { a: arg.array, shift: SHIFT, axis: arg.axesTuple }, (p): ndarray => {
  const a = asarray(p.a);
  if (p.axis === null) return new ndarray(rollAxes(ravel(a), p.shift, 0)._store.reshape(a.shape)!);
  return rollAxes(a, p.shift, p.axis);
});

function rollAxes(a: ndarray, shift: number | number[], axis: number | number[]): ndarray {
  const axes = axisTuple(axis, a.ndim, true);
  const shifts = typeof shift === "number" ? [shift] : shift;
  const both = broadcast_shapes(typeof shift === "number" ? [] : [shifts.length], typeof axis === "number" ? [] : [axes.length]);
  if (both.length > 1) throw new ValueError("'shift' and 'axis' should be scalars or 1D sequences");
  const n = both.length ? both[0] : 1;
  const total = new Array<number>(a.ndim).fill(0);
  for (let i = 0; i < n; i++) total[axes.length === 1 ? axes[0] : axes[i]] += shifts.length === 1 ? shifts[0] : shifts[i];
  // Per axis: [source start, source stop, destination start] of each piece.
  const pieces = a.shape.map((len, ax) => {
    const off = ((total[ax] % (len || 1)) + (len || 1)) % (len || 1);
    return off ? [[0, len - off, off] as const, [len - off, len, 0] as const] : [[0, len, 0] as const];
  });
  const out = newStore(a.shape, a.dtype);
  const visit = (ax: number, src: Store, dst: Store) => {
    if (ax === a.ndim) {
      copyPiece(dst, new ndarray(src), "roll");
      return;
    }
    for (const [s0, s1, d0] of pieces[ax]) visit(ax + 1, src.slice(ax, s0, s1, 1), dst.slice(ax, d0, d0 + s1 - s0, 1));
  };
  visit(0, a._store, out);
  return new ndarray(out);
}
