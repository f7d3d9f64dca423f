import { DTYPES } from "../../core/index.js";
import { def } from "../signature.js";
import { arg } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { LinAlgError, ValueError, normalizeAxis } from "../errors.js";
import { absolute, add, equal, conjugate, divide, isnan, logical_and, logical_not, multiply, not_equal, power, sqrt, greater } from "../ufuncs.js";
import { sum } from "../math_sum_prod_diff.js";
import { amax, amin } from "../math_extrema.js";
import { all, any } from "../logic_truth.js";
import { count_nonzero } from "../sorting_searching.js";
import { moveaxis, ravel, transpose } from "../array_manipulation.js";
import { dot } from "../products.js";
import { finfo } from "../dtype_routines.js";
import { type NamedTuple, named } from "../named_tuple.js";
import { assertStackedSquare, commonType, gufunc, realType } from "./gufunc.js";
import { svd_ } from "./decompositions.js";
import { inv_ } from "./solving.js";

/** numpy.linalg's norms and other numbers: norm, matrix_norm, vector_norm, cond, det, slogdet, matrix_rank. */

type Ord = number | string | null;

function isOrd(ord: unknown, v: number): boolean {
  return typeof ord === "number" && ord === v;
}

/** The singular values of x with (row, col) moved last, reduced by `op` (NumPy's _multi_svd_norm). */
function multiSvdNorm(x: ndarray, row: number, col: number, op: "max" | "min" | "sum"): ndarray {
  const s = svd_(moveaxis(x, [row, col], [-2, -1]), true, false, false) as ndarray;
  if (op === "max") return amax(s, -1, null, false, 0);
  if (op === "min") return amin(s, -1);
  return sum(s, -1, null, null, false, 0);
}

/** Python's int(axis) for norm's axis, or its TypeError. */
function axisInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return Number(v);
  throw new TypeError("'axis' must be None, an integer or a tuple of integers");
}

/** np.linalg.norm(x, ord=None, axis=None, keepdims=False): vector or matrix norms, as NumPy's. */
export const norm = def(
  "norm",
  "x, ord=None, axis=None, keepdims=False",
  { x: arg.array, ord: arg.any, axis: arg.any, keepdims: arg.bool },
  (p): ndarray => norm_(asarray(p.x), p.ord as Ord, p.axis, p.keepdims),
);
function norm_(x0: ndarray, ord: Ord, axisArg: unknown, keepdims: boolean): ndarray {
  let x = x0;
  if (!x.dtype.isFloat && !x.dtype.isComplex) x = x.astype(DTYPES.float64);
  if (axisArg === null) {
    const nd = x.ndim;
    if (ord === null || ((ord === "f" || ord === "fro") && nd === 2) || (isOrd(ord, 2) && nd === 1)) {
      x = ravel(x);
      const sq = x.dtype.isComplex ? add(dot(x.real, x.real), dot(x.imag, x.imag)) : dot(x, x);
      const ret = sqrt(sq);
      return keepdims ? ret.reshape(Array(nd).fill(1)) : ret;
    }
  }
  const nd = x.ndim;
  const axis: number[] =
    axisArg === null ? Array.from({ length: nd }, (_, i) => i) : Array.isArray(axisArg) ? (axisArg as unknown[]).map(axisInt) : [axisInt(axisArg)];
  if (axis.length === 1) {
    const kw = { axis: axis[0], keepdims };
    if (ord === Infinity) return amax(absolute(x), { ...kw, initial: 0 });
    if (ord === -Infinity) return amin(absolute(x), kw);
    if (isOrd(ord, 0)) return sum(not_equal(x, 0).astype(realType(x.dtype)), kw);
    if (isOrd(ord, 1)) return sum(absolute(x), kw);
    if (ord === null || isOrd(ord, 2)) return sqrt(sum(multiply(conjugate(x), x).real, kw));
    if (typeof ord === "string") throw new ValueError(`Invalid norm order '${ord}' for vectors`);
    if (typeof ord !== "number") throw new TypeError(`'${typeof ord}' is not a valid norm order`);
    const ret = sum(power(absolute(x), ord), kw);
    const r = ret.dtype.name === "float32" ? Math.fround(1 / Math.fround(ord)) : 1 / ord;
    return power(ret, r);
  }
  if (axis.length === 2) {
    let row = normalizeAxis(axis[0], nd),
      col = normalizeAxis(axis[1], nd);
    if (row === col) throw new ValueError("Duplicate axes given.");
    let ret: ndarray;
    if (isOrd(ord, 2)) ret = multiSvdNorm(x, row, col, "max");
    else if (isOrd(ord, -2)) ret = multiSvdNorm(x, row, col, "min");
    else if (isOrd(ord, 1)) {
      if (col > row) col -= 1;
      ret = amax(sum(absolute(x), { axis: row }), { axis: col, initial: 0 });
    } else if (ord === Infinity) {
      if (row > col) row -= 1;
      ret = amax(sum(absolute(x), { axis: col }), { axis: row, initial: 0 });
    } else if (isOrd(ord, -1)) {
      if (col > row) col -= 1;
      ret = amin(sum(absolute(x), { axis: row }), { axis: col });
    } else if (ord === -Infinity) {
      if (row > col) row -= 1;
      ret = amin(sum(absolute(x), { axis: col }), { axis: row });
    } else if (ord === null || ord === "fro" || ord === "f") ret = sqrt(sum(multiply(conjugate(x), x).real, { axis }));
    else if (ord === "nuc") ret = multiSvdNorm(x, row, col, "sum");
    else throw new ValueError("Invalid norm order for matrices.");
    if (keepdims) {
      const shape = [...x.shape];
      shape[normalizeAxis(axis[0], nd)] = 1;
      shape[normalizeAxis(axis[1], nd)] = 1;
      ret = ret.reshape(shape);
    }
    return ret;
  }
  throw new ValueError("Improper number of dimensions to norm.");
}

/** np.linalg.matrix_norm(x, /, *, keepdims=False, ord='fro'): norm over the last two axes. */
export const matrix_norm = def(
  "matrix_norm",
  "x, /, *, keepdims=False, ord='fro'",
  { x: arg.array, keepdims: arg.bool, ord: arg.any },
  (p): ndarray => norm_(asarray(p.x), p.ord as Ord, [-2, -1], p.keepdims),
);

/** np.linalg.vector_norm(x, /, *, axis=None, keepdims=False, ord=2): the vector norm over `axis` (all axes flattened by default). */
export const vector_norm = def(
  "vector_norm",
  "x, /, *, axis=None, keepdims=False, ord=2",
  { x: arg.array, axis: arg.any, keepdims: arg.bool, ord: arg.any },
  (p): ndarray => {
    let x = asarray(p.x);
    const shape = [...x.shape];
    let ax: number;
    const axes = p.axis === null ? null : Array.isArray(p.axis) ? (p.axis as unknown[]).map(axisInt) : [axisInt(p.axis)];
    if (axes === null) {
      x = ravel(x);
      ax = 0;
    } else if (Array.isArray(p.axis)) {
      const norm = axes.map((a) => normalizeAxis(a, x.ndim));
      const rest = x.shape.map((_, i) => i).filter((i) => !norm.includes(i));
      const lead = norm.reduce((q, i) => q * x.shape[i], 1);
      x = transpose(x, [...norm, ...rest]).reshape([lead, ...rest.map((i) => x.shape[i])]);
      ax = 0;
    } else ax = axes[0];
    let res = norm_(x, p.ord as Ord, ax, false);
    if (p.keepdims) {
      const all = axes === null ? shape.map((_, i) => i) : axes.map((a) => normalizeAxis(a, shape.length));
      for (const i of all) shape[i] = 1;
      res = res.reshape(shape);
    }
    return res;
  },
);

/** np.linalg.det(a): determinants, as NumPy computes them (sign · exp(log|det|) from an LU). */
export const det = def("det", "a", { a: arg.array }, (p): ndarray => {
  const a = asarray(p.a);
  assertStackedSquare(a);
  const { result } = commonType(a);
  return gufunc("det", [{ a, core: 2 }], [{ core: [], dtype: result }], [])[0];
});

/** np.linalg.slogdet(a): (sign, logabsdet) of each determinant. */
export const slogdet = def("slogdet", "a", { a: arg.array }, (p): NamedTuple<"sign" | "logabsdet"> => {
  const a = asarray(p.a);
  assertStackedSquare(a);
  const { result } = commonType(a);
  const out = gufunc(
    "slogdet",
    [{ a, core: 2 }],
    [
      { core: [], dtype: result },
      { core: [], dtype: realType(result) },
    ],
    [],
  );
  return named(["sign", "logabsdet"], out);
});

/** np.linalg.cond(x, p=None): the condition number in norm p (2-norm by the singular values). */
export const cond = def("cond", "x, p=None", { x: arg.array, p: arg.any }, (q): ndarray => {
  const x = asarray(q.x);
  const p = q.p as Ord;
  if (x.size === 0 && x.shape.slice(-2).reduce((a, b) => a * b, 1) === 0) throw new LinAlgError("cond is not defined on empty arrays");
  let r: ndarray;
  if (p === null || isOrd(p, 2) || isOrd(p, -2)) {
    const s = svd_(x, true, false, false) as ndarray;
    const first = s.get("...", 0),
      last = s.get("...", -1);
    r = isOrd(p, -2) ? divide(last, first) : divide(first, last);
  } else {
    assertStackedSquare(x);
    const { result } = commonType(x);
    const invx = inv_(x, null);
    r = multiply(norm_(x, p, [-2, -1], false), norm_(invx, p, [-2, -1], false)).astype(realType(result));
  }
  // NaN from a singular matrix (not from NaN input) means an infinite condition number.
  const nan = isnan(r);
  if (any(nan).item()) {
    const mask = logical_and(nan, logical_not(any(isnan(x), { axis: [-2, -1] })));
    if (r.ndim > 0) {
      r = r.copy();
      r.set(mask, Infinity);
    } else if (mask.item()) r = asarray(Infinity).astype(r.dtype);
  }
  return r;
});

/** np.linalg.matrix_rank(A, tol=None, hermitian=False, *, rtol=None): the number of singular values above tol. */
export const matrix_rank = def(
  "matrix_rank",
  "A, tol=None, hermitian=False, *, rtol=None",
  { A: arg.array, tol: arg.any, hermitian: arg.bool, rtol: arg.any },
  (p): ndarray | number => {
    if (p.rtol !== null && p.tol !== null) throw new ValueError("`tol` and `rtol` can't be both set.");
    const A = asarray(p.A);
    if (A.ndim < 2) return Number(!all(equal(A, 0)).item());
    const S = svd_(A, true, false, p.hermitian) as ndarray;
    let tol: ndarray;
    if (p.tol === null) {
      const rtol = p.rtol === null ? asarray(Math.max(...A.shape.slice(-2)) * finfo(S.dtype).eps) : asarray(p.rtol as never).get("...", null);
      tol = multiply(amax(S, { axis: -1, keepdims: true, initial: 0 }), rtol);
    } else tol = asarray(p.tol as never).get("...", null);
    return count_nonzero(greater(S, tol), { axis: -1 });
  },
);
