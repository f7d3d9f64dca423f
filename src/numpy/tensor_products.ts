import { def } from "./signature.js";
import { arg, pyType, toIndex } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { IndexError, ValueError } from "./errors.js";
import { multiply } from "./ufuncs.js";
import { dot } from "./products.js";
import { astype } from "./copy.js";

/** Tensor products: np.tensordot (one matrix product after a transpose and reshape) and np.kron. */

const prod = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

/** Python's len() of an axes argument, or null where it has none (a single axis). */
function asAxisList(v: unknown): number[] | null {
  if (Array.isArray(v)) return v.map(toIndex);
  if (v instanceof ndarray) return v.ndim === 0 ? null : (v.tolist() as unknown[]).map(toIndex);
  return null;
}

/** tensordot's two axis lists from `axes` (an int N: a's last N with b's first N). */
function tensordotAxes(axes: unknown): [number[], number[]] {
  const iterable = Array.isArray(axes) || (axes instanceof ndarray && axes.ndim > 0);
  if (!iterable) {
    if (typeof axes === "number" && !Number.isInteger(axes)) throw new TypeError("'float' object cannot be interpreted as an integer");
    const n = toIndex(axes);
    const a: number[] = [],
      b: number[] = [];
    for (let i = -n; i < 0; i++) a.push(i);
    for (let i = 0; i < n; i++) b.push(i);
    return [a, b];
  }
  const pair = Array.isArray(axes) ? axes : ((axes as ndarray).tolist() as unknown[]);
  if (pair.length > 2) throw new ValueError("too many values to unpack (expected 2)");
  if (pair.length < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${pair.length})`);
  const one = (v: unknown): number[] => {
    const l = asAxisList(v);
    if (l !== null) return l;
    if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
    return [toIndex(v)];
  };
  return [one(pair[0]), one(pair[1])];
}

function tensordot_(x1: ArrayLike, x2: ArrayLike, axes: unknown): ndarray {
  const [axesA, axesB] = tensordotAxes(axes);
  if (new Set(axesA).size !== axesA.length || new Set(axesB).size !== axesB.length)
    throw new ValueError("duplicate axes are not allowed in tensordot");
  const a = asarray(x1),
    b = asarray(x2);
  const as = a.shape,
    bs = b.shape;
  const dim = (shape: readonly number[], ax: number) => {
    const i = ax < 0 ? ax + shape.length : ax;
    if (i < 0 || i >= shape.length) throw new IndexError("tuple index out of range");
    return shape[i];
  };
  let equal = axesA.length === axesB.length;
  if (equal) {
    for (let k = 0; k < axesA.length; k++) {
      if (dim(as, axesA[k]) !== dim(bs, axesB[k])) {
        equal = false;
        break;
      }
      if (axesA[k] < 0) axesA[k] += a.ndim;
      if (axesB[k] < 0) axesB[k] += b.ndim;
    }
  }
  if (!equal) throw new ValueError("shape-mismatch for sum");
  // a's summed axes last, b's first: then one (m, k) @ (k, n) product.
  const notinA = as.map((_, k) => k).filter((k) => !axesA.includes(k));
  const notinB = bs.map((_, k) => k).filter((k) => !axesB.includes(k));
  const k = prod(axesA.map((ax) => as[ax]));
  const at = reshape2(a.transpose([...notinA, ...axesA]), [prod(notinA.map((ax) => as[ax])), k]);
  const bt = reshape2(b.transpose([...axesB, ...notinB]), [k, prod(notinB.map((ax) => bs[ax]))]);
  return reshape2(dot(at, bt), [...notinA.map((ax) => as[ax]), ...notinB.map((ax) => bs[ax])]);
}

/** A reshape that copies only when the view cannot be reshaped in place. */
function reshape2(a: ndarray, shape: number[]): ndarray {
  if (a.shape.join() === shape.join()) return a;
  const v = a._store.reshape(shape);
  return new ndarray(v ?? astype(a, a.dtype)._store.reshape(shape)!);
}

/** np.tensordot(a, b, axes=2): sums products over `axes` (an int N, or a pair of axis lists). */
export const tensordot = def(
  "tensordot",
  "a, b, axes=2",
  { a: arg.array, b: arg.array, axes: arg.any },
  (p): ndarray => tensordot_(p.a, p.b, p.axes),
);

/** np.linalg.tensordot(x1, x2, /, *, axes=2): the array-API spelling of np.tensordot. */
export const linalgTensordot = def(
  "tensordot",
  "x1, x2, /, *, axes=2",
  { x1: arg.array, x2: arg.array, axes: arg.any },
  (p): ndarray => tensordot_(p.x1, p.x2, p.axes),
);

/** np.kron(a, b): the Kronecker product (blocks a[i, j] * b), for any number of dims. */
export const kron = def("kron", "a, b", { a: arg.array, b: arg.array }, (p): ndarray => {
  const b = asarray(p.b);
  let a = asarray(p.a);
  if (a.ndim < b.ndim) a = new ndarray(lead(a, b.ndim));
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const nd = Math.max(a.ndim, b.ndim);
  let as = a._store,
    bs = b._store;
  while (bs.ndim < nd) bs = bs.promote(0, 1);
  // a's dims at even places, b's at odd: (a0, b0, a1, b1, …), then adjacent pairs merged.
  for (let d = 0; d < nd; d++) {
    as = as.promote(2 * d + 1, 1);
    bs = bs.promote(2 * d, 1);
  }
  const r = multiply(new ndarray(as), new ndarray(bs));
  return reshape2(
    r,
    a.shape.map((n, d) => n * bs.shape[2 * d + 1]),
  );
});

/** `a` with leading unit dims up to `nd` (a view: unit dims need no strides). */
const lead = (a: ndarray, nd: number) => {
  let s = a._store;
  while (s.ndim < nd) s = s.promote(0, 1);
  return s;
};
