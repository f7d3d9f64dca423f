import { DTYPES } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { resultType } from "./dtypes.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { dot } from "./linalg.js";
import { arange } from "./creation_ranges.js";
import { zeros } from "./creation_shape.js";
import { clip, conjugate, divide, multiply, real, sqrt, subtract } from "./ufuncs.js";
import { mean } from "./stats_avgs_vars.js";
import { warn } from "./warnings.js";

/** NumPy's "Correlating": cov, corrcoef. Both are compositions (the product is np.dot, BLAS for floats). */

/** At least 2-d, as np.array(x, ndmin=2): a 1-d array becomes one row. */
const atLeast2 = (a: ndarray): ndarray => (a.ndim >= 2 ? a : a.reshape([1, a.size]));

function covImpl(
  m: ArrayLike,
  y: ArrayLike | null,
  rowvar: boolean,
  bias: boolean,
  ddofArg: number | null,
  dtypeArg: ndarray["dtype"] | null,
): ndarray {
  if (ddofArg !== null && !Number.isInteger(ddofArg)) throw new ValueError("ddof must be integer");
  const ma = asarray(m);
  if (ma.ndim > 2) throw new ValueError("m has more than 2 dimensions");
  const ya = y === null ? null : asarray(y);
  if (ya && ya.ndim > 2) throw new ValueError("y has more than 2 dimensions");
  const dt = dtypeArg ?? resultType([ma.dtype, ...(ya ? [ya.dtype] : []), DTYPES.float64]);
  let X = atLeast2(ma.astype(dt));
  if (!rowvar && ma.ndim !== 1) X = X.T;
  if (X.shape[0] === 0) return zeros([0, 0]);
  if (ya) {
    let Y = atLeast2(ya.astype(dt));
    if (!rowvar && Y.shape[0] !== 1) Y = Y.T;
    if (Y.shape[1] !== X.shape[1])
      throw new ValueError(
        `all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size ${X.shape[1]} and the array at index 1 has size ${Y.shape[1]}`,
      );
    const both = new ndarray(zeros([X.shape[0] + Y.shape[0], X.shape[1]], { dtype: dt })._store);
    both.set(`:${X.shape[0]}`, X);
    both.set(`${X.shape[0]}:`, Y);
    X = both;
  }
  const ddof = ddofArg ?? (bias ? 0 : 1);
  const avg = mean(X, { axis: 1 });
  let fact = X.shape[1] - ddof;
  if (fact <= 0) {
    warn("Degrees of freedom <= 0 for slice");
    fact = 0;
  }
  const D = subtract(X, avg.reshape([avg.size, 1]));
  const c = dot(D, conjugate(D.T));
  // c *= np.true_divide(1, fact): times a float64 scalar, cast back to c's dtype.
  const r = multiply(c, asarray(1 / fact, { dtype: DTYPES.float64 })).astype(c.dtype);
  return r.squeeze();
}

const DDOF = conv<number | null, number | null>((v, r): number | null => (v === null ? null : arg.float(v, r)));
const NO_WEIGHTS = conv<ArrayLike | null, null>((v, r): null => {
  if (v !== null) unsupported("cov", r.param);
  return null;
});

/** np.cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None): the covariance matrix. */
export const cov = def(
  "cov",
  "m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None",
  { m: arg.array, y: arg.arrayOrNone, rowvar: arg.bool, bias: arg.bool, ddof: DDOF, fweights: NO_WEIGHTS, aweights: NO_WEIGHTS, dtype: arg.dtype },
  (p): ndarray => covImpl(p.m, p.y, p.rowvar, p.bias, p.ddof, p.dtype),
);

/** np.corrcoef(x, y=None, rowvar=True, *, dtype=None): Pearson correlation coefficients, clipped to [-1, 1]. */
export const corrcoef = def(
  "corrcoef",
  "x, y=None, rowvar=True, *, dtype=None",
  { x: arg.array, y: arg.arrayOrNone, rowvar: arg.bool, dtype: arg.dtype },
  (p): ndarray => {
    const c = covImpl(p.x, p.y, p.rowvar, false, null, p.dtype);
    if (c.ndim === 0) return divide(c, c);
    const n = c.shape[0];
    const i = arange(n);
    const d = c.get(i, i);
    const s = sqrt(real(d));
    let r = divide(divide(c, s.reshape([n, 1])), s.reshape([1, n]));
    if (r.dtype.isComplex) unsupported("corrcoef", "complex input");
    r = clip(r, -1, 1);
    return r;
  },
);
