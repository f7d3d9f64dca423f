import { DTYPES, runtime } from "../core/index.js";
import { newStore } from "./alloc.js";
import { numpyLibrary } from "./tasks/library.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { resultType } from "./dtypes.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { dot } from "./products.js";
import { arange } from "./creation_ranges.js";
import { zeros } from "./creation_shape.js";
import { clip, conjugate, divide, multiply, real, sqrt, subtract } from "./ufuncs.js";
import { mean } from "./stats_avgs_vars.js";
import { warn } from "./warnings.js";

/**
 * NumPy's "Correlating": cov, corrcoef (compositions: the product is np.dot, BLAS for floats),
 * correlate, and convolve (Discrete linear convolution, under "Miscellaneous"), over the
 * `correlate` task.
 */

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

const MODES: Record<string, number> = { valid: 0, same: 1, full: 2 };
/** convolve/correlate's mode: 'valid', 'same', 'full' (or their first letters), or 0, 1, 2. */
const MODE = conv<"valid" | "same" | "full" | 0 | 1 | 2, number>((v): number => {
  if (typeof v === "number") {
    if (v === 0 || v === 1 || v === 2) return v;
    throw new ValueError("integer convolve/correlate mode must be 0, 1, or 2");
  }
  if (typeof v === "string") {
    if (v in MODES) return MODES[v];
    const first = v[0]?.toLowerCase();
    if (first === "v" || first === "s" || first === "f") throw new ValueError("Use one of 'valid', 'same', or 'full' for convolve/correlate mode");
    throw new ValueError(`mode must be one of 'valid', 'same', or 'full' (got ${`'${v}'`})`);
  }
  throw new TypeError(`mode must be a str or int, not ${typeof v}`);
});

/** One 1-D operand of correlate (NumPy's depth errors). */
function oneD(x: ArrayLike): ndarray {
  const a = asarray(x);
  if (a.ndim === 0) throw new ValueError("object of too small depth for desired array");
  if (a.ndim > 1)
    throw new ValueError(
      x instanceof ndarray
        ? "object too deep for desired array"
        : "setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.",
    );
  return a;
}

/** NumPy's _pyarray_correlate: the longer operand first (the result reversed when swapped), then the dot products. */
function correlateImpl(a: ndarray, v: ndarray, mode: number): ndarray {
  const dt = resultType([a.dtype, v.dtype]);
  if (a.size === 0) throw new ValueError("first array argument cannot be empty");
  if (v.size === 0) throw new ValueError("second array argument cannot be empty");
  // float16 works in float32 (NumPy's half dot accumulates in float).
  const work = dt === DTYPES.float16 ? DTYPES.float32 : dt;
  let a1 = a.astype(work),
    a2 = dt.isComplex ? conjugate(v.astype(work)) : v.astype(work);
  const inverted = a1.size < a2.size;
  if (inverted) [a1, a2] = [a2, a1];
  const n1 = a1.size,
    n = a2.size;
  const nLeft = mode === 0 ? 0 : mode === 1 ? Math.floor(n / 2) : n - 1;
  const length = mode === 0 ? n1 - n + 1 : mode === 1 ? n1 : n1 + n - 1;
  const out = newStore([length], work);
  runtime().submit(
    numpyLibrary().launch("correlate", {
      args: [
        { store: a1._store, privilege: "read" },
        { store: a2._store, privilege: "read" },
        { store: out, privilege: "write" },
      ],
      scalars: [nLeft],
      cost: length * n * (work.isInteger ? 40 : 2),
    }),
  );
  let r = new ndarray(out);
  if (inverted) r = r.get("::-1").copy();
  return work === dt ? r : r.astype(dt);
}

/** np.correlate(a, v, mode='valid'): cross-correlation of two 1-D sequences (v conjugated). */
export const correlate = def(
  "correlate",
  "a, v, mode='valid'",
  { a: arg.array, v: arg.array, mode: MODE },
  (p): ndarray => correlateImpl(oneD(p.a), oneD(p.v), p.mode),
);

/** np.convolve(a, v, mode='full'): discrete linear convolution of two 1-D sequences. */
export const convolve = def("convolve", "a, v, mode='full'", { a: arg.array, v: arg.array, mode: MODE }, (p): ndarray => {
  let a = asarray(p.a),
    v = asarray(p.v);
  if (a.ndim === 0) a = a.reshape([1]);
  if (v.ndim === 0) v = v.reshape([1]);
  if (a.size === 0) throw new ValueError("a cannot be empty");
  if (v.size === 0) throw new ValueError("v cannot be empty");
  if (v.size > a.size) [a, v] = [v, a];
  // correlate(a, v[::-1]) with NumPy's correlate (not correlate2: v is not conjugated).
  const vr = v.get("::-1").copy();
  const c = correlateImpl(oneD(a), oneD(vr.dtype.isComplex ? conjugate(vr) : vr), p.mode);
  return c;
});
