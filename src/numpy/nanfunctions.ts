import { DTYPES } from "../core/index.js";
import type { DType } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";
import { cumprod, cumsum, prod, sum } from "./math_sum_prod_diff.js";
import { max, min } from "./math_extrema.js";
import { all, any } from "./logic_truth.js";
import { argmax, argmin } from "./sorting_searching.js";
import { mean, std, var_ } from "./stats_avgs_vars.js";
import { conjugate, divide, isnan, less_equal, logical_not, multiply, real, sqrt, subtract, where } from "./ufuncs.js";
import { warn } from "./warnings.js";
import { quietly } from "./fp_errors.js";

/**
 * NumPy's NaN-ignoring functions (numpy/lib/_nanfunctions_impl.py): nansum, nanprod,
 * nancumsum, nancumprod, nanmin, nanmax, nanargmin, nanargmax, nanmean, nanvar, nanstd
 * (nanmedian, nanquantile and nanpercentile are with the order statistics). Each replaces
 * NaN as NumPy does and calls the plain function; arrays without NaN (integers, bool) go
 * straight to it. NumPy's RuntimeWarnings go to stderr.
 */

const inexact = (a: ndarray): boolean => a.dtype.isFloat || a.dtype.isComplex;

/** NumPy's _replace_nan: a copy with NaN replaced by `val` (and the mask), or the array itself. */
function replaceNan(x: ArrayLike, val: number): [ndarray, ndarray | null] {
  const a = asarray(x);
  if (!inexact(a)) return [a, null];
  const mask = isnan(a);
  return [where(mask, val, a), mask];
}

const SUM_PARAMS = "a, axis=None, dtype=None, out=None, keepdims=<no value>, initial=<no value>, where=<no value>";
const SUM_ARGS = { a: arg.array, axis: arg.axes, dtype: arg.dtype, out: arg.out, keepdims: arg.bool, initial: arg.any, where: arg.array };

/** np.nansum: the sum with NaN taken as zero. */
export const nansum = def("nansum", SUM_PARAMS, SUM_ARGS, (p): ndarray => sum(replaceNan(p.a, 0)[0], { ...p, a: undefined } as never));
/** np.nanprod: the product with NaN taken as one. */
export const nanprod = def("nanprod", SUM_PARAMS, SUM_ARGS, (p): ndarray => prod(replaceNan(p.a, 1)[0], { ...p, a: undefined } as never));

const SCAN_PARAMS = "a, axis=None, dtype=None, out=None";
const SCAN_ARGS = { a: arg.array, axis: arg.axis, dtype: arg.dtype, out: arg.out };
/** np.nancumsum: running sums with NaN taken as zero. */
export const nancumsum = def(
  "nancumsum",
  SCAN_PARAMS,
  SCAN_ARGS,
  (p): ndarray => cumsum(replaceNan(p.a, 0)[0], { axis: p.axis, dtype: p.dtype, out: p.out }),
);
/** np.nancumprod: running products with NaN taken as one. */
export const nancumprod = def(
  "nancumprod",
  SCAN_PARAMS,
  SCAN_ARGS,
  (p): ndarray => cumprod(replaceNan(p.a, 1)[0], { axis: p.axis, dtype: p.dtype, out: p.out }),
);

const MINMAX_PARAMS = "a, axis=None, out=None, keepdims=<no value>, initial=<no value>, where=<no value>";
const MINMAX_ARGS = { a: arg.array, axis: arg.axes, out: arg.out, keepdims: arg.bool, initial: arg.any, where: arg.array };
interface MinMaxArgs {
  a: ArrayLike;
  axis: number | number[] | null;
  out: ndarray | null;
  keepdims?: boolean;
  initial?: unknown;
  where?: ArrayLike;
}

/** NumPy's fmin/fmax reduction: NaN ignored; an all-NaN slice gives NaN and a RuntimeWarning. */
function nanExtreme(isMin: boolean, p: MinMaxArgs): ndarray {
  const a = asarray(p.a);
  const reduce = isMin ? min : max;
  const opts = { axis: p.axis, keepdims: p.keepdims, initial: p.initial, where: p.where };
  if (!inexact(a)) return reduce(a, { ...opts, out: p.out });
  const nan = isnan(a);
  let r = reduce(where(nan, isMin ? Infinity : -Infinity, a), opts);
  // With `initial`, an all-NaN slice folds to it, as fmin.reduce does.
  if (p.initial === undefined) r = where(all(nan, { axis: p.axis, keepdims: p.keepdims }), NaN, r).astype(r.dtype);
  if (any(isnan(r)).item()) warn("All-NaN slice encountered");
  if (!p.out) return r;
  p.out.set("...", r);
  return p.out;
}
/** np.nanmin: the minimum ignoring NaN. */
export const nanmin = def("nanmin", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => nanExtreme(true, p));
/** np.nanmax: the maximum ignoring NaN. */
export const nanmax = def("nanmax", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => nanExtreme(false, p));

const ARG_PARAMS = "a, axis=None, out=None, *, keepdims=<no value>";
const ARG_ARGS = { a: arg.array, axis: arg.axis, out: arg.out, keepdims: arg.bool };
function nanArg(isMin: boolean, p: { a: ArrayLike; axis: number | null; out: ndarray | null; keepdims?: boolean }): ndarray {
  const [a, mask] = replaceNan(p.a, isMin ? Infinity : -Infinity);
  if (mask !== null && mask.size > 0 && any(all(mask, { axis: p.axis })).item()) throw new ValueError("All-NaN slice encountered");
  return (isMin ? argmin : argmax)(a, { axis: p.axis, out: p.out, keepdims: p.keepdims });
}
/** np.nanargmin: index of the minimum ignoring NaN (ValueError for an all-NaN slice). */
export const nanargmin = def("nanargmin", ARG_PARAMS, ARG_ARGS, (p): ndarray => nanArg(true, p));
/** np.nanargmax: index of the maximum ignoring NaN (ValueError for an all-NaN slice). */
export const nanargmax = def("nanargmax", ARG_PARAMS, ARG_ARGS, (p): ndarray => nanArg(false, p));

/** NumPy's _divide_by_count: divide, then cast back to the numerator's dtype (unsafe). */
const divideByCount = (a: ndarray, b: ArrayLike): ndarray => quietly(() => divide(a, b)).astype(a.dtype);

function checkInexact(dtype: DType | null, out: ndarray | null): void {
  if (dtype !== null && !(dtype.isFloat || dtype.isComplex)) throw new TypeError("If a is inexact, then dtype must be inexact");
  if (out !== null && !(out.dtype.isFloat || out.dtype.isComplex)) throw new TypeError("If a is inexact, then out must be inexact");
}

const MEAN_PARAMS = "a, axis=None, dtype=None, out=None, keepdims=<no value>, *, where=<no value>";
const MEAN_ARGS = { a: arg.array, axis: arg.axesC, dtype: arg.dtype, out: arg.out, keepdims: arg.bool, where: arg.array };
/** np.nanmean: the mean of the non-NaN values ("Mean of empty slice" and NaN where there are none). */
export const nanmean = def("nanmean", MEAN_PARAMS, MEAN_ARGS, (p): ndarray => {
  const [arr, mask] = replaceNan(p.a, 0);
  if (mask === null) return mean(arr, { ...p, a: undefined } as never);
  checkInexact(p.dtype, p.out);
  const cnt = sum(logical_not(mask), { axis: p.axis, dtype: DTYPES.int64, keepdims: p.keepdims, where: p.where });
  const tot = sum(arr, { axis: p.axis, dtype: p.dtype, keepdims: p.keepdims, where: p.where });
  let avg = divideByCount(tot, cnt);
  if (any(cnt.eq(0)).item()) warn("Mean of empty slice");
  if (p.out) {
    p.out.set("...", avg);
    avg = p.out;
  }
  return avg;
});

const VAR_PARAMS = "a, axis=None, dtype=None, out=None, ddof=0, keepdims=<no value>, *, where=<no value>, mean=<no value>, correction=<no value>";
const VAR_ARGS = { ...MEAN_ARGS, ddof: arg.float, mean: arg.array, correction: arg.float };
interface VarArgs {
  a: ArrayLike;
  axis: number | number[] | null;
  dtype: DType | null;
  out: ndarray | null;
  ddof: number;
  keepdims?: boolean;
  where?: ArrayLike;
  mean?: ArrayLike;
  correction?: number;
}

/** NumPy's nanvar, step by step (its dtypes and casts included). */
function nanvarImpl(p: VarArgs, root: boolean): ndarray {
  const [arr, mask] = replaceNan(p.a, 0);
  if (mask === null) return (root ? std : var_)(arr, { ...p, a: undefined } as never);
  checkInexact(p.dtype, p.out);
  let ddof = p.ddof;
  if (p.correction !== undefined) {
    if (ddof !== 0) throw new ValueError("ddof and correction can't be provided simultaneously.");
    ddof = p.correction;
  }
  const cnt = sum(logical_not(mask), { axis: p.axis, dtype: DTYPES.int64, keepdims: true, where: p.where });
  const avg = p.mean !== undefined ? p.mean : divideByCount(sum(arr, { axis: p.axis, dtype: p.dtype, keepdims: true, where: p.where }), cnt);
  let d = subtract(arr, avg).astype(arr.dtype);
  d = where(mask, 0, d);
  const sqr = arr.dtype.isComplex ? real(multiply(d, conjugate(d))) : multiply(d, d);
  let v = sum(sqr, { axis: p.axis, dtype: p.dtype, keepdims: p.keepdims, where: p.where });
  const dof = subtract(p.keepdims ? cnt : cnt.reshape(v.shape), ddof);
  v = divideByCount(v, dof);
  const bad = less_equal(dof, 0);
  if (any(bad).item()) {
    warn("Degrees of freedom <= 0 for slice.");
    v = where(bad, NaN, v).astype(v.dtype);
  }
  if (root) v = sqrt(v);
  if (!p.out) return v;
  p.out.set("...", v);
  return p.out;
}
/** np.nanvar: the variance of the non-NaN values. */
export const nanvar = def("nanvar", VAR_PARAMS, VAR_ARGS, (p): ndarray => nanvarImpl(p, false));
/** np.nanstd: the standard deviation of the non-NaN values. */
export const nanstd = def("nanstd", VAR_PARAMS, VAR_ARGS, (p): ndarray => nanvarImpl(p, true));
