import { type DType, DTYPES, ir } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { normalizeAxes, reduction, checkReduceOut, checkReduceWhere } from "./reduction.js";
import { sum } from "./math_sum_prod_diff.js";
import { canCast } from "./dtypes.js";
import { divide, subtract, sqrt, maximum, multiply } from "./ufuncs.js";
import { full } from "./creation_shape.js";
import { any as any_ } from "./logic_truth.js";
import { partType, resultType } from "./dtypes.js";
import { broadcast_to } from "./array_manipulation.js";
import { AxisError, ValueError, UFuncTypeError, ZeroDivisionError } from "./errors.js";
import { def } from "./signature.js";
import type { OptionsOf } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { type UfuncDef, applyUfunc } from "./ufunc.js";

const { unary, binary, castLoad } = ir;

/** NumPy's mean dtype: ints and bool average in float64; floats keep their precision. */
function meanDType(d: DType): DType {
  return d.kind === "b" || d.isInteger ? DTYPES.float64 : d;
}

function count(a: ndarray, axes: number[]): number {
  return axes.reduce((p, d) => p * a.shape[d], 1);
}

function reshapeKeep(r: ndarray, a: ndarray, axes: number[], keepdims?: boolean): ndarray {
  return keepdims ? r.reshape(a.shape.map((n, d) => (axes.includes(d) ? 1 : n))) : r;
}

interface StatArgs {
  a: ArrayLike;
  axis: number | number[] | null;
  dtype: DType | null;
  out: ndarray | null;
  keepdims?: boolean;
  where?: ArrayLike;
}
interface VarArgs extends StatArgs {
  ddof: number;
  mean?: ArrayLike;
  correction?: number;
}

/** The mean over `axes` in dtype `dt`; a `where` mask averages only the selected elements. */
function meanOf(a: ndarray, axes: number[], dt: DType, where: ArrayLike | undefined): ndarray {
  // An integer dtype sums in it, then NumPy divides in float64 and casts back.
  const inexact = dt.isFloat || dt.isComplex;
  const over = (s: ndarray, n: ArrayLike) => (inexact ? divide(s, n, { dtype: dt }) : divide(s, n).astype(dt));
  if (where === undefined || where === true) {
    const s = reduction("sum", a, axes, dt, castLoad(a.dtype.name, dt.name));
    return over(s, count(a, axes));
  }
  const s = sum(a, { axis: axes, dtype: dt, where });
  const n = sum(broadcast_to(where, a.shape), { axis: axes, dtype: "int64" });
  return over(s, n);
}

function finishStat(r: ndarray, a: ndarray, axes: number[], keepdims: boolean | undefined, out: ndarray | null): ndarray {
  const shaped = reshapeKeep(r, a, axes, keepdims);
  if (out) {
    out.set("...", shaped);
    return out;
  }
  return shaped;
}

/** mean/var/std check `out` and `where` as their sum (NumPy's add reduction) does. */
function checkStatArgs(a: ndarray, axes: number[], p: StatArgs): void {
  if (p.out) checkReduceOut(a.shape, axes, !!p.keepdims, p.out, "add");
  if (p.where !== undefined && p.where !== true) checkReduceWhere(a.shape, p.where);
}

function meanImpl(p: StatArgs): ndarray {
  const a = asarray(p.a);
  const axes = normalizeAxes(p.axis, a.ndim);
  const dt = p.dtype ?? meanDType(a.dtype);
  checkStatArgs(a, axes, p);
  return finishStat(meanOf(a, axes, dt, p.where), a, axes, p.keepdims, p.out);
}

/** |d|² into `real`, without a sqrt for complex (re² + im²): one ufunc per real dtype, so its plans are kept. */
const ABS2 = new Map<DType, UfuncDef>();
function abs2(real: DType): UfuncDef {
  let def = ABS2.get(real);
  if (!def)
    ABS2.set(
      real,
      (def = {
        name: "abs2",
        loop: (c) => ({ in: c, out: real }),
        build: ([v], i) =>
          i.isComplex
            ? binary(
                "add",
                binary("mul", unary("real", v, real.name), unary("real", v, real.name)),
                binary("mul", unary("imag", v, real.name), unary("imag", v, real.name)),
              )
            : binary("mul", v, v),
      }),
    );
  return def;
}

/** np.var's body: mean of |x - mean(x)|², over n - ddof (or - correction). */
function varImpl(p: VarArgs): ndarray {
  const a = asarray(p.a);
  const axes = normalizeAxes(p.axis, a.ndim);
  const dt = p.dtype ?? meanDType(a.dtype);
  checkStatArgs(a, axes, p);
  if (p.correction !== undefined && p.ddof !== 0) throw new ValueError("ddof and correction can't be provided simultaneously.");
  const ddof = p.correction ?? p.ddof;
  const masked = p.where !== undefined && p.where !== true;
  const m = p.mean !== undefined ? asarray(p.mean) : reshapeKeep(meanOf(a, axes, dt, p.where), a, axes, true);
  const d = subtract(a, m, { dtype: dt });
  const real = partType(dt);
  const sq = applyUfunc(abs2(real), [d]);
  const s = masked ? sum(sq, { axis: axes, where: p.where }) : reduction("sum", sq, axes, real, castLoad(real.name, real.name));
  const n = masked ? subtract(sum(broadcast_to(p.where!, a.shape), { axis: axes, dtype: "int64" }), ddof) : Math.max(count(a, axes) - ddof, 0);
  const r = divide(s, masked ? maximum(n, 0) : n, { dtype: real });
  return finishStat(r, a, axes, p.keepdims, p.out);
}

const MEAN_PARAMS = "a, axis=None, dtype=None, out=None, keepdims=<no value>, *, where=<no value>";
const MEAN_ARGS = { a: arg.array, axis: arg.axesC, dtype: arg.dtype, out: arg.out, keepdims: arg.bool, where: arg.array };
const VAR_PARAMS = "a, axis=None, dtype=None, out=None, ddof=0, keepdims=<no value>, *, where=<no value>, mean=<no value>, correction=<no value>";
/** ddof: NumPy compares it with the count first (`ddof <= n`), so text fails there. */
const DDOF = conv<number, number>((v, r): number => {
  if (typeof v === "string")
    throw new UFuncTypeError(
      "ufunc 'less_equal' did not contain a loop with signature matching types (<class 'numpy.dtypes.Int64DType'>, <class 'numpy.dtypes.StrDType'>) -> None",
    );
  return arg.float(v, r);
});
const VAR_ARGS = { ...MEAN_ARGS, ddof: DDOF, mean: arg.array, correction: arg.float };

export type VarOptions = OptionsOf<typeof VAR_PARAMS, typeof VAR_ARGS>;

/** np.mean(a, axis, dtype, out, keepdims, *, where). */
export const mean = def("mean", MEAN_PARAMS, MEAN_ARGS, meanImpl);
/** np.var(a, axis, dtype, out, ddof, keepdims, *, where, mean, correction). */
export const var_ = def("var", VAR_PARAMS, VAR_ARGS, varImpl);
/** np.std(…) = sqrt(np.var(…)), with np.var's parameters. */
export const std = def("std", VAR_PARAMS, VAR_ARGS, (p): ndarray => {
  const r = sqrt(varImpl({ ...p, out: null }));
  if (p.out) {
    const a = asarray(p.a);
    checkStatArgs(a, normalizeAxes(p.axis, a.ndim), p);
    // NumPy takes the square root in place in `out`.
    if (!canCast(r.dtype, p.out.dtype, "same_kind"))
      throw new UFuncTypeError(
        `Cannot cast ufunc 'sqrt' output from dtype('${r.dtype.name}') to dtype('${p.out.dtype.name}') with casting rule 'same_kind'`,
      );
    p.out.set("...", r);
    return p.out;
  }
  return r;
});
export { var_ as var };

/** NumPy's _weights_are_valid: weights of a's shape, or of the reduced axes' shape (then broadcast along them). */
function weightsFor(a: ndarray, weights: ArrayLike, axes: number[] | null): ndarray {
  let w = asarray(weights);
  if (w.shape.join() === a.shape.join()) return w;
  if (axes === null) throw new TypeError("Axis must be specified when shapes of a and weights differ.");
  if (w.shape.join() !== axes.map((d) => a.shape[d]).join())
    throw new ValueError("Shape of weights must be consistent with shape of a along specified axis.");
  // The weights' dims follow `axes` as given; order them as a's dims.
  const order = axes.map((_, i) => i).sort((i, j) => axes[i] - axes[j]);
  w = w.transpose(order);
  return w.reshape(a.shape.map((n, d) => (axes.includes(d) ? n : 1)));
}

/** np.average's axis: normalize_axis_tuple (order kept, duplicates refused). */
function axisTuple(axis: number | number[] | null, ndim: number): number[] | null {
  if (axis === null) return null;
  const list = (typeof axis === "number" ? [axis] : axis).map((d) => normalizeAxisIn(d, ndim));
  if (new Set(list).size !== list.length) throw new ValueError("repeated axis in `axis` argument");
  return list;
}
function normalizeAxisIn(d: number, ndim: number): number {
  if (d < -ndim || d >= ndim) throw new AxisError(d, ndim, "axis");
  return d < 0 ? d + ndim : d;
}

/**
 * np.average(a, axis=None, weights=None, returned=False, *, keepdims): the (weighted) mean;
 * with `returned`, [average, sum of weights].
 */
export const average = def(
  "average",
  "a, axis=None, weights=None, returned=False, *, keepdims=<no value>",
  { a: arg.array, axis: arg.axesTuple, weights: arg.arrayOrNone, returned: arg.bool, keepdims: arg.bool },
  (p): ndarray | [ndarray, ndarray] => {
    const a = asarray(p.a);
    const axes = axisTuple(p.axis, a.ndim);
    let avg: ndarray, scl: ndarray;
    if (p.weights === null) {
      avg = meanImpl({ a, axis: axes, dtype: null, out: null, keepdims: p.keepdims });
      if (avg.size === 0) throw new ZeroDivisionError("division by zero");
      scl = full([], a.size / avg.size, { dtype: avg.dtype });
    } else {
      const w = weightsFor(a, p.weights, axes);
      const rd = a.dtype.isInteger || a.dtype.kind === "b" ? resultType([a.dtype, w.dtype, DTYPES.float64]) : resultType([a.dtype, w.dtype]);
      scl = sum(w, { axis: axes, dtype: rd, keepdims: p.keepdims });
      if (Boolean(any_(scl.eq(0)).item())) throw new ZeroDivisionError("Weights sum to zero, can't be normalized");
      avg = divide(sum(multiply(a, w, { dtype: rd }), { axis: axes, keepdims: p.keepdims }), scl);
    }
    if (!p.returned) return avg;
    if (scl.shape.join() !== avg.shape.join()) scl = broadcast_to(scl, avg.shape).copy();
    return [avg, scl];
  },
);
