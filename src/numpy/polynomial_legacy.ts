/**
 * NumPy's legacy polynomial routines ("Polynomials", the np.poly* functions of
 * numpy/lib/_polynomial_impl.py): poly, roots, polyval, polyadd, polysub, polymul, polydiv,
 * polyder, polyint, polyfit. Each follows NumPy's Python implementation step by step,
 * composed from library operations (convolve, eigvals, lstsq, vander), so dtypes, values,
 * warnings and errors are NumPy's. The poly1d class is in poly1d.ts.
 */
import { DTYPES, type DType } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, type ArrayLike } from "./creation_from_data.js";
import { ones, zeros, zeros_like, full } from "./creation_shape.js";
import { arange } from "./creation_ranges.js";
import { ravel, transpose } from "./array_manipulation.js";
import { concatenate, hstack } from "./array_joining.js";
import { diag, vander } from "./creation_matrices.js";
import { convolve } from "./stats_correlating.js";
import { add, conjugate, divide, equal, multiply, negative, real, sqrt, subtract } from "./ufuncs.js";
import { all } from "./logic_truth.js";
import { allclose } from "./logic_comparison.js";
import { sort, nonzero } from "./sorting_searching.js";
import { sum } from "./math_sum_prod_diff.js";
import { dot, outer } from "./products.js";
import { finfoOf } from "./dtype_routines.js";
import { eigvals } from "./linalg/eigenvalues.js";
import { inv, lstsq } from "./linalg/solving.js";
import { newaxis } from "./indexing.js";
import { OverflowError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { warn } from "./warnings.js";
import { Poly1d, makePoly1d } from "./poly1d.js";

/** An array-like or a poly1d (whose coefficients are its array, as NumPy's `__array__`). */
export type PolyLike = ArrayLike | Poly1d;
const polyArg = conv<PolyLike>((v): PolyLike => v as PolyLike);

/** NumPy's asarray of an array-like or a poly1d (its coefficients). */
export function polyArray(x: unknown): ndarray {
  return x instanceof Poly1d ? x.coeffs : asarray(x as ArrayLike);
}

/** np.poly and np.roots dispatch on their argument itself, which must be iterable. */
function iterableArg(x: unknown): void {
  const scalar = x === null || typeof x === "number" || typeof x === "bigint" || typeof x === "boolean";
  if (scalar || (x instanceof ndarray && x.ndim === 0) || (typeof x === "object" && !Array.isArray(x) && "re" in x && "im" in x))
    throw new TypeError("dispatcher for __array_function__ did not return an iterable");
}

const atleast1 = (x: unknown): ndarray => {
  const a = polyArray(x);
  return a.ndim === 0 ? a.reshape([1]) : a;
};

/** Python's int() of a number (NumPy calls `int(m)`, `int(deg)`): floats truncate. */
export function pyInt(v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof ndarray && v.size === 1) return pyInt(v.dtype.isComplex ? v.item() : Number(v.item()));
  if (typeof v === "number") {
    if (Number.isNaN(v)) throw new ValueError("cannot convert float NaN to integer");
    if (!Number.isFinite(v)) throw new OverflowError("cannot convert float infinity to integer");
    return Math.trunc(v);
  }
  if (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  if (typeof v === "string") throw new ValueError(`invalid literal for int() with base 10: '${v}'`);
  const what = v === null || v === undefined ? "NoneType" : Array.isArray(v) ? "list" : typeof v === "object" && "re" in v ? "complex" : typeof v;
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${what}'`);
}

/** `a + 0.0` (a Python float): integers and bools become float64, and -0.0 becomes 0.0, as in NumPy. */
function plusZero(a: ndarray): ndarray {
  const dt = a.dtype.isFloat || a.dtype.isComplex ? a.dtype : DTYPES.float64;
  return add(a.astype(dt), zeros([], dt));
}

/** NumPy's `mintypecode(dt.char)`: float32, complex64 and complex128 stay, everything else is float64. */
function minType(dt: DType): DType {
  return dt === DTYPES.float32 || dt === DTYPES.complex64 || dt === DTYPES.complex128 ? dt : DTYPES.float64;
}

/**
 * np.poly(seq_of_zeros): the monic polynomial with the given roots (a square matrix: its
 * characteristic polynomial, from its eigenvalues); real when complex roots pair with their
 * conjugates. No roots give 1.0 (a 0-d float64 array here).
 */
export const poly = def("poly", "seq_of_zeros", { seq_of_zeros: polyArg }, (p): ndarray => {
  iterableArg(p.seq_of_zeros);
  let zs = atleast1(p.seq_of_zeros);
  const sh = zs.shape;
  if (sh.length === 2 && sh[0] === sh[1] && sh[0] !== 0) zs = eigvals(zs);
  else if (sh.length === 1) zs = zs.astype(minType(zs.dtype));
  else throw new ValueError("input must be 1d or non-empty square 2d array.");
  if (zs.shape[0] === 0) return full([], 1, DTYPES.float64);
  const dt = zs.dtype;
  let a = ones([1], dt);
  const one = ones([1], dt);
  for (let i = 0; i < zs.shape[0]; i++) a = convolve(a, concatenate([one, negative(zs.get(`${i}:${i + 1}`))]), "full");
  if (a.dtype.isComplex) {
    // Roots that are all complex-conjugate pairs give a real polynomial.
    const r = asarray(zs, { dtype: DTYPES.complex128 });
    if (all(equal(sort(r), sort(conjugate(r)))).item()) a = real(a).copy();
  }
  return a;
});

/** np.roots(p): the roots of the polynomial with coefficients p (the companion matrix's eigenvalues). */
export const roots = def("roots", "p", { p: polyArg }, (q): ndarray => {
  iterableArg(q.p);
  let p = atleast1(q.p);
  if (p.ndim !== 1) throw new ValueError("Input must be a rank-1 array.");
  const nz = (nonzero(ravel(p))[0].tolist() as number[]).map(Number);
  if (nz.length === 0) return asarray([]);
  // Trailing zeros are roots at 0; leading zeros lower the degree.
  const trailing = p.shape[0] - nz[nz.length - 1] - 1;
  p = p.get(`${nz[0]}:${nz[nz.length - 1] + 1}`);
  if (!(p.dtype.isFloat || p.dtype.isComplex)) p = p.astype(DTYPES.float64);
  const N = p.shape[0];
  let r: ndarray;
  if (N > 1) {
    const A = diag(ones([N - 2], p.dtype), -1);
    A.set(0, ":", negative(divide(p.get("1:"), p.get(0))));
    r = eigvals(A);
  } else r = asarray([]);
  return hstack([r, zeros([trailing], r.dtype)]);
});

/** The `m` of polyint/polyder: Python's int(m), which must not be negative. */
const order = conv<number | bigint | boolean, number>((v): number => pyInt(v));

function polyintArray(p: ndarray, m: number, k: ndarray): ndarray {
  if (m === 0) return p;
  if (p.ndim === 0) throw new TypeError("len() of unsized object");
  // Coefficients divided by their new powers, then the integration constant.
  const y = concatenate([divide(p, arange(p.shape[0], 0, -1)), k.get("0:1")]);
  return polyintArray(y, m - 1, k.get("1:"));
}

/**
 * np.polyint(p, m=1, k=None): the m-th antiderivative of p; `k` gives the integration
 * constants (highest-order term first; one scalar for all). A poly1d gives a poly1d.
 */
export const polyint = def("polyint", "p, m=1, k=None", { p: polyArg, m: order, k: arg.any }, (q): ndarray | Poly1d => {
  const m = q.m;
  if (m < 0) throw new ValueError("Order of integral must be positive (see polyder)");
  let k = q.k === null ? zeros([m], DTYPES.float64) : atleast1(q.k);
  if (k.shape[0] === 1 && m > 1) k = multiply(k.get(0), ones([m], DTYPES.float64));
  if (k.shape[0] < m) throw new ValueError("k must be a scalar or a rank-1 array of length 1 or >m.");
  const truepoly = q.p instanceof Poly1d;
  const val = polyintArray(polyArray(q.p), m, k);
  return truepoly ? makePoly1d(val) : val;
});

function polyderArray(p: ndarray, m: number): ndarray {
  if (p.ndim === 0) throw new TypeError("len() of unsized object");
  const n = p.shape[0] - 1;
  const y = multiply(p.get(":-1"), arange(n, 0, -1));
  return m === 0 ? p : polyderArray(y, m - 1);
}

/** np.polyder(p, m=1): the m-th derivative of p. A poly1d gives a poly1d. */
export const polyder = def("polyder", "p, m=1", { p: polyArg, m: order }, (q): ndarray | Poly1d => {
  if (q.m < 0) throw new ValueError("Order of derivative must be positive (see polyint)");
  const val = polyderArray(polyArray(q.p), q.m);
  return q.p instanceof Poly1d ? makePoly1d(val) : val;
});

/**
 * np.polyval(p, x): p evaluated at x by Horner's scheme (x of any shape); x a poly1d gives
 * the composition p(x(t)) as a poly1d.
 */
export const polyval = def("polyval", "p, x", { p: polyArg, x: polyArg }, (q): ndarray | Poly1d => {
  const p = polyArray(q.p);
  if (p.ndim === 0) throw new TypeError("iteration over a 0-d array");
  const n = p.shape[0];
  if (q.x instanceof Poly1d) {
    const x = q.x;
    if (n === 0) return asarray(0);
    let y: Poly1d | null = null;
    for (let i = 0; i < n; i++) y = (y === null ? x.rmul(0) : y.mul(x)).add(p.get(i));
    return y!;
  }
  const x = asarray(q.x);
  let y = zeros_like(x);
  for (let i = 0; i < n; i++) y = add(multiply(y, x), p.get(i));
  return y;
});

/** polyadd/polysub: the shorter operand padded with leading zeros. */
function addOrSub(a1: unknown, a2: unknown, op: typeof add): ndarray | Poly1d {
  const truepoly = a1 instanceof Poly1d || a2 instanceof Poly1d;
  let a = atleast1(a1),
    b = atleast1(a2);
  const diff = b.shape[0] - a.shape[0];
  if (diff > 0) a = concatenate([zeros([diff], a.dtype), a]);
  else if (diff < 0) b = concatenate([zeros([-diff], b.dtype), b]);
  const val = op(a, b);
  return truepoly ? makePoly1d(val) : val;
}

/** np.polyadd(a1, a2): the sum of two polynomials (a poly1d if either is one). */
export const polyadd = def("polyadd", "a1, a2", { a1: polyArg, a2: polyArg }, (p): ndarray | Poly1d => addOrSub(p.a1, p.a2, add));

/** np.polysub(a1, a2): a1 - a2 (a poly1d if either is one). */
export const polysub = def("polysub", "a1, a2", { a1: polyArg, a2: polyArg }, (p): ndarray | Poly1d => addOrSub(p.a1, p.a2, subtract));

/** np.polymul(a1, a2): the product of two polynomials, by convolution (a poly1d if either is one). */
export const polymul = def("polymul", "a1, a2", { a1: polyArg, a2: polyArg }, (p): ndarray | Poly1d => {
  const truepoly = p.a1 instanceof Poly1d || p.a2 instanceof Poly1d;
  // As NumPy, both go through poly1d first (leading zeros trimmed, 2-D refused).
  const val = convolve(makePoly1d(p.a1).coeffs, makePoly1d(p.a2).coeffs);
  return truepoly ? makePoly1d(val) : val;
});

/**
 * np.polydiv(u, v): quotient and remainder of u / v, by NumPy's long division; leading
 * remainder terms within NumPy's tolerance of zero (allclose, rtol=1e-14) are dropped.
 */
export const polydiv = def("polydiv", "u, v", { u: polyArg, v: polyArg }, (p): [ndarray, ndarray] | [Poly1d, Poly1d] => {
  const truepoly = p.u instanceof Poly1d || p.v instanceof Poly1d;
  const u = plusZero(atleast1(p.u)),
    v = plusZero(atleast1(p.v));
  const w = add(u.get(0), v.get(0));
  const m = u.shape[0] - 1,
    n = v.shape[0] - 1;
  const scale = divide(1, v.get(0));
  const q = zeros([Math.max(m - n + 1, 1)], w.dtype);
  let r = u.astype(w.dtype);
  for (let k = 0; k < m - n + 1; k++) {
    const d = multiply(scale, r.get(k));
    q.set(k, d);
    r.get(`${k}:${k + n + 1}`).isub(multiply(d, v));
  }
  while (r.shape[r.ndim - 1] > 1 && allclose(r.get(0), 0, { rtol: 1e-14 })) r = r.get("1:");
  return truepoly ? [makePoly1d(q), makePoly1d(r)] : [q, r];
});

/** polyfit's `full=True` result: coefficients, residuals, rank, singular values, rcond. */
export type PolyfitFull = [ndarray, ndarray, ndarray, ndarray, number];

/**
 * np.polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False): least-squares fit of a
 * degree-`deg` polynomial by NumPy's column-scaled Vandermonde matrix and lstsq. `full` gives
 * [p, residuals, rank, singular_values, rcond]; `cov` (true or 'unscaled') gives [p, V].
 * A rank-deficient fit warns `RankWarning: Polyfit may be poorly conditioned` (not with full).
 */
export const polyfit = def(
  "polyfit",
  "x, y, deg, rcond=None, full=False, w=None, cov=False",
  { x: arg.array, y: arg.array, deg: arg.any, rcond: arg.any, full: arg.bool, w: arg.arrayOrNone, cov: arg.any },
  (p): ndarray | PolyfitFull | [ndarray, ndarray] => {
    const order = pyInt(p.deg) + 1;
    const x = plusZero(asarray(p.x));
    const y = plusZero(asarray(p.y));
    if (Number(p.deg) < 0) throw new ValueError("expected deg >= 0");
    if (x.ndim !== 1) throw new TypeError("expected 1D vector for x");
    if (x.size === 0) throw new TypeError("expected non-empty vector for x");
    if (y.ndim < 1 || y.ndim > 2) throw new TypeError("expected 1D or 2D array for y");
    if (x.shape[0] !== y.shape[0]) throw new TypeError("expected x and y to have same length");
    const M = x.shape[0];
    let rcond: number;
    if (p.rcond === null) {
      // len(x) * finfo(x.dtype).eps, in that float type.
      const eps = finfoOf(x.dtype).eps;
      rcond = x.dtype === DTYPES.float32 || x.dtype === DTYPES.complex64 ? Math.fround(M * eps) : M * eps;
    } else rcond = Number(p.rcond);
    let lhs = vander(x, order);
    if (p.w !== null) {
      const w = plusZero(asarray(p.w));
      if (w.ndim !== 1) throw new TypeError("expected a 1-d array for weights");
      if (w.shape[0] !== y.shape[0]) throw new TypeError("expected w and y to have the same length");
      lhs.imul(w.get(":", newaxis));
      if (y.ndim === 2) y.imul(w.get(":", newaxis));
      else y.imul(w);
    }
    const scale = sqrt(sum(multiply(lhs, lhs), 0));
    lhs.itruediv(scale);
    const [c0, resids, rank, s] = lstsq(lhs, y, rcond);
    const c = transpose(divide(transpose(c0), scale));
    if (Number(rank.item()) !== order && !p.full) warn("Polyfit may be poorly conditioned", "RankWarning", true);
    if (p.full) return [c, resids, rank, s, rcond];
    if (p.cov !== false && p.cov !== null && p.cov !== 0 && p.cov !== "" && p.cov !== undefined) {
      const Vbase = inv(dot(transpose(lhs), lhs));
      Vbase.itruediv(outer(scale, scale));
      let fac: ndarray | number;
      if (p.cov === "unscaled") fac = 1;
      else {
        if (M <= order) throw new ValueError("the number of data points must exceed order to scale the covariance matrix");
        fac = divide(resids, M - order);
      }
      lhs = y.ndim === 1 ? multiply(Vbase, fac) : multiply(Vbase.get(":", ":", newaxis), fac);
      return [c, lhs];
    }
    return c;
  },
);
