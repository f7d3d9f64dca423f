import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { astype } from "./copy.js";

/** Resolve one -1 in a requested shape, with NumPy's errors. */
function resolveShape(size: number, shape: readonly number[]): number[] {
  const unknown = shape.filter((n) => n === -1).length;
  if (unknown > 1) throw new ValueError("can only specify one unknown dimension");
  for (const n of shape) if (!Number.isInteger(n) || n < -1) throw new ValueError("negative dimensions not allowed");
  const known = shape.reduce((p, n) => (n === -1 ? p : p * n), 1);
  const out = [...shape];
  if (unknown) {
    if (known === 0 || size % known !== 0) throw new ValueError(`cannot reshape array of size ${size} into shape ${formatShape(shape.map((n) => n))}`);
    out[out.indexOf(-1)] = size / known;
  }
  if (out.reduce((p, n) => p * n, 1) !== size) throw new ValueError(`cannot reshape array of size ${size} into shape ${formatShape(shape)}`);
  return out;
}

/** np.reshape: a view when the data is contiguous, else a copy (as NumPy). */
export function reshape(x: ArrayLike, shape: readonly number[] | number): ndarray {
  const a = asarray(x);
  const target = resolveShape(a.size, typeof shape === "number" ? [shape] : shape);
  const view = a._store.reshape(target);
  if (view) return new ndarray(view);
  return new ndarray(astype(a, a.dtype)._store.reshape(target)!);
}

/** np.transpose(a, axes): a view with permuted axes (reversed by default). */
export function transpose(x: ArrayLike, axes?: readonly number[]): ndarray {
  const a = asarray(x);
  const perm = axes ? axes.map((ax) => normalizeAxis(ax, a.ndim)) : a.shape.map((_, i) => a.ndim - 1 - i);
  if (perm.length !== a.ndim) throw new ValueError("axes don't match array");
  if (new Set(perm).size !== perm.length) throw new ValueError("repeated axis in transpose");
  return new ndarray(a._store.transpose(perm));
}

export function swapaxes(x: ArrayLike, a1: number, a2: number): ndarray {
  const a = asarray(x);
  const perm = a.shape.map((_, i) => i);
  const i = normalizeAxis(a1, a.ndim, "axis1"), j = normalizeAxis(a2, a.ndim, "axis2");
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return new ndarray(a._store.transpose(perm));
}

/** np.moveaxis(a, source, destination) for single axes. */
export function moveaxis(x: ArrayLike, source: number, destination: number): ndarray {
  const a = asarray(x);
  const s = normalizeAxis(source, a.ndim), d = normalizeAxis(destination, a.ndim);
  const order = a.shape.map((_, i) => i).filter((i) => i !== s);
  order.splice(d, 0, s);
  return new ndarray(a._store.transpose(order));
}

/** np.ravel: a 1-D view when contiguous, else a copy. */
export function ravel(x: ArrayLike): ndarray { return reshape(x, [-1]); }

/** ndarray.flatten: always a copy. */
export function flatten(x: ArrayLike): ndarray {
  const a = asarray(x);
  return new ndarray(astype(a, a.dtype)._store.reshape([a.size])!);
}

/** np.squeeze(a, axis): drop length-1 axes (all, or the given ones). */
export function squeeze(x: ArrayLike, axis?: number | readonly number[]): ndarray {
  const a = asarray(x);
  const axes = axis === undefined ? a.shape.map((n, i) => (n === 1 ? i : -1)).filter((i) => i >= 0) : (typeof axis === "number" ? [axis] : axis).map((ax) => normalizeAxis(ax, a.ndim));
  for (const ax of axes) if (a.shape[ax] !== 1) throw new ValueError("cannot select an axis to squeeze out which has size not equal to one");
  let s = a._store;
  for (const ax of [...axes].sort((p, q) => q - p)) s = s.project(ax, 0);
  return new ndarray(s);
}

/** np.expand_dims(a, axis): insert length-1 axes (a view). */
export function expand_dims(x: ArrayLike, axis: number | readonly number[]): ndarray {
  const a = asarray(x);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const ndim = a.ndim + list.length;
  const axes = list.map((ax) => normalizeAxis(ax, ndim)).sort((p, q) => p - q);
  if (new Set(axes).size !== axes.length) throw new ValueError("repeated axis");
  let s = a._store;
  for (const ax of axes) s = s.promote(ax, 1);
  return new ndarray(s);
}

/** np.broadcast_to(a, shape): a read-only-in-spirit view with stride-0 axes. */
export function broadcast_to(x: ArrayLike, shape: readonly number[]): ndarray {
  const a = asarray(x);
  let out: number[] = [];
  try { out = broadcastShapes(a.shape, shape); } catch { /* reported below */ }
  if (out.join() !== shape.join()) throw new ValueError(`operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(a.shape)}  and requested shape ${formatShape(shape)}`);
  return new ndarray(a._store.broadcast(shape));
}

/** np.atleast_1d / 2d for single arrays. */
export function atleast_1d(x: ArrayLike): ndarray { const a = asarray(x); return a.ndim >= 1 ? a : reshape(a, [1]); }
export function atleast_2d(x: ArrayLike): ndarray { const a = asarray(x); return a.ndim >= 2 ? a : reshape(a, a.ndim === 0 ? [1, 1] : [1, a.size]); }
