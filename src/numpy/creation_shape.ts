import { runtime, ir, type DType, DTYPES, type Expr } from "../core/index.js";

import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { scalarDType, checkWeakInt } from "./dtypes.js";
import { copyInto } from "./copy.js";
import { newStore } from "./alloc.js";
import { def, binding } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { ValueError } from "./errors.js";

const { binary, cast, constant, index, scalar, where } = ir;

export type ShapeLike = number | readonly number[];

export function toShape(shape: ShapeLike): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  for (const n of s) {
    if (!Number.isInteger(n)) throw new TypeError(`'${typeof n === "number" ? "float" : typeof n}' object cannot be interpreted as an integer`);
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
  }
  return s;
}

/** A new array in C order, or in Fortran order (the transpose of the reversed shape's C array). */
function allocate(shape: number[], dt: DType, order: string): ndarray {
  if (order !== "F") return new ndarray(newStore(shape, dt));
  const s = newStore([...shape].reverse(), dt);
  return new ndarray(s.transpose(shape.map((_, i) => shape.length - 1 - i)));
}
const checkOrder = (order: string) => {
  if (order === "A" || order === "K") throw new ValueError(`only 'C' or 'F' order is permitted`);
};

const CREATE_ARGS = { shape: arg.shape, dtype: arg.dtype, order: arg.order, device: arg.device, like: arg.like };
/** np.empty(shape, dtype=None, order='C'): memory is zero-filled on allocation, so this equals zeros. */
export const empty = binding(
  def("empty", "shape, dtype=None, order='C', *, device=None, like=None", CREATE_ARGS, (p): ndarray => {
    checkOrder(p.order);
    return allocate(toShape(p.shape), p.dtype ?? DTYPES.float64, p.order);
  }),
  { style: "npy" },
);
/** np.zeros(shape, dtype=None, order='C'): fresh instances start zeroed, so no task runs. */
export const zeros = binding(
  def("zeros", "shape, dtype=None, order='C', *, device=None, like=None", CREATE_ARGS, (p): ndarray => {
    checkOrder(p.order);
    return allocate(toShape(p.shape), p.dtype ?? DTYPES.float64, p.order);
  }),
  { style: "npy" },
);
/** np.ones(shape, dtype=None, order='C'). */
export const ones = def("ones", "shape, dtype=None, order='C', *, device=None, like=None", CREATE_ARGS, (p): ndarray => {
  checkOrder(p.order);
  return fill(allocate(toShape(p.shape), p.dtype ?? DTYPES.float64, p.order), 1);
});
/** np.full(shape, fill_value, dtype=None, order='C'); dtype defaults to the value's own. */
export const full = def(
  "full",
  "shape, fill_value, dtype=None, order='C', *, device=None, like=None",
  { ...CREATE_ARGS, fill_value: arg.array },
  (p): ndarray => {
    checkOrder(p.order);
    const v = p.fill_value;
    const dt = p.dtype ?? (v instanceof ndarray ? v.dtype : isWeakScalar(v) ? scalarDType(v) : asarray(v).dtype);
    return fill(allocate(toShape(p.shape), dt, p.order), v);
  },
);
/** np.full's fill: NumPy copies with casting='unsafe' (Python ints still range-checked). */
function fill(a: ndarray, v: ArrayLike): ndarray {
  if (!a.size) return a;
  if (isWeakScalar(v)) {
    checkWeakInt(v, a.dtype);
    // A number that the dtype holds as it is (any number for a float array, an integer for an
    // integer one) fills as a constant of that dtype; anything else is cast as NumPy's unsafe
    // copy does (NaN to an integer, complex to real), from a 0-d array.
    const exact = typeof v === "number" && (a.dtype.isFloat || (a.dtype.isInteger && Number.isInteger(v)));
    copyInto(a, exact ? v : asarray(v));
  } else {
    a.set("...", v);
  }
  return a;
}

const LIKE_KW = {
  dtype: arg.dtype,
  order: arg.order,
  subok: arg.bool,
  shape: conv<ShapeLike | null, number[] | null>((v): number[] | null => (v === null ? null : arg.shape(v, { fn: "", param: "shape" }))),
  device: arg.device,
};
const LIKE_ARGS = { a: arg.array, ...LIKE_KW };
type LikeArgs = { a: ArrayLike; dtype: DType | null; order: string; shape: number[] | null };
/** The new array a *_like function makes: `a`'s shape and dtype unless given; its layout for order 'K'/'A' when F-ordered. */
function like(p: LikeArgs): ndarray {
  const x = asarray(p.a);
  const shape = p.shape ?? x.shape;
  const fortran = p.order === "F" || ((p.order === "K" || p.order === "A") && p.shape === null && x.ndim > 1 && isFortran(x));
  return allocate(toShape(shape), p.dtype ?? x.dtype, fortran ? "F" : "C");
}
function isFortran(x: ndarray): boolean {
  const st = x._store.strides;
  return !x._store.isContiguous() && st.every((s, i) => i === 0 || s >= st[i - 1]);
}
/** np.empty_like(prototype, /, dtype=None, order='K', subok=True, shape=None). */
export const empty_like = binding(
  def(
    "empty_like",
    "prototype, /, dtype=None, order='K', subok=True, shape=None, *, device=None",
    { prototype: arg.array, ...LIKE_KW },
    (p): ndarray => like({ ...p, a: p.prototype }),
  ),
  { style: "npy", byName: true },
);
/** np.zeros_like(a, dtype=None, order='K', subok=True, shape=None). */
export const zeros_like = def("zeros_like", "a, dtype=None, order='K', subok=True, shape=None, *, device=None", LIKE_ARGS, (p): ndarray => like(p));
/** np.ones_like(a, dtype=None, order='K', subok=True, shape=None). */
export const ones_like = def(
  "ones_like",
  "a, dtype=None, order='K', subok=True, shape=None, *, device=None",
  LIKE_ARGS,
  (p): ndarray => fill(like(p), 1),
);
/** np.full_like(a, fill_value, dtype=None, order='K', subok=True, shape=None). */
export const full_like = def(
  "full_like",
  "a, fill_value, dtype=None, order='K', subok=True, shape=None, *, device=None",
  { ...LIKE_ARGS, fill_value: arg.array },
  (p): ndarray => fill(like(p), p.fill_value),
);

/** np.eye(N, M=None, k=0, dtype=float, order='C'): ones on the k-th diagonal, computed from indices in one task. */
export const eye = def(
  "eye",
  "N, M=None, k=0, dtype=<class 'float'>, order='C', *, device=None, like=None",
  { N: arg.int, M: arg.intOrNone, k: arg.int, dtype: arg.dtype, order: arg.order, device: arg.device, like: arg.like },
  (p): ndarray => {
    checkOrder(p.order);
    const dt = p.dtype ?? DTYPES.float64;
    const shape = toShape([p.N, p.M ?? p.N]);
    const a = allocate(shape, dt, p.order);
    // int32 index arithmetic where it is exact (a GPU has no float64), float64 beyond.
    const it = Math.max(...shape) < 2 ** 30 && Math.abs(p.k) < 2 ** 30 ? "int32" : "float64";
    const key = `${it}|${dt.name}`;
    let expr = EYES.get(key);
    if (!expr) {
      const diag = binary("eq", binary("sub", index(1, it), index(0, it)), scalar(0, it));
      EYES.set(key, (expr = cast(where(diag, constant(1, it), constant(0, it)), dt.name)));
    }
    runtime().submit({ kind: "map", name: "eye", inputs: [], outputs: [{ store: a._store, expr }], scalars: [p.k] });
    return a;
  },
);
/** np.eye's expression by index type and dtype, with the diagonal k as its scalar: made once, so its kernel is kept. */
const EYES = new Map<string, Expr>();
/** np.identity(n, dtype=None). */
export const identity = def(
  "identity",
  "n, dtype=None, *, like=None",
  { n: arg.int, dtype: arg.dtype, like: arg.like },
  (p): ndarray => eye(p.n, null, 0, p.dtype),
);
