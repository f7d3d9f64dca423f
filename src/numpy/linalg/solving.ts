import { DTYPES } from "../../core/index.js";
import { def } from "../signature.js";
import { arg, pyStr } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { LinAlgError, ValueError } from "../errors.js";
import { empty, zeros } from "../creation_shape.js";
import { swapaxes } from "../array_manipulation.js";
import { conjugate, divide, greater, multiply } from "../ufuncs.js";
import { amax } from "../math_extrema.js";
import { matmul } from "../products.js";
import { finfo } from "../dtype_routines.js";
import { assert2d, assertStackedSquare, commonType, gufunc, realType } from "./gufunc.js";
import { svd } from "./decompositions.js";
import { tileFor, useTiled } from "./tiled_cholesky.js";
import { tiledSolve } from "./tiled_lu.js";

/** numpy.linalg's "Solving equations and inverting matrices": solve, tensorsolve, lstsq, inv, pinv, tensorinv. */

const SINGULAR = "Singular matrix";
const prod = (s: readonly number[]) => s.reduce((p, x) => p * x, 1);

/** np.linalg.solve(a, b): x with a @ x = b for square a (b a vector when 1-D, else a stack of matrices). */
export const solve = def("solve", "a, b", { a: arg.array, b: arg.array }, (p): ndarray => solve_(asarray(p.a), asarray(p.b)));
function solve_(a: ndarray, b: ndarray): ndarray {
  assertStackedSquare(a);
  const { result } = commonType(a, b);
  const n = a.shape[a.ndim - 1];
  const vec = b.ndim === 1;
  // NumPy's solve1 takes b's last dim as the vector; solve its last two as a matrix.
  const bCore = vec ? [b.shape[0]] : b.shape.slice(-2);
  if (bCore[0] !== n) {
    const sig = vec ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)";
    throw new ValueError(
      `solve${vec ? "1" : ""}: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${sig} (size ${bCore[0]} is different from ${n})`,
    );
  }
  // One large real system across ranks: the blocked LU whose tiles run where they lie.
  if (a.ndim === 2 && b.ndim <= 2 && !b.dtype.isComplex && useTiled(a)) return tiledSolve(a, b, tileFor(n), result);
  const [x] = gufunc(
    "solve",
    [
      { a, core: 2 },
      { a: b, core: vec ? 1 : 2 },
    ],
    [{ core: bCore, dtype: result }],
    [],
    SINGULAR,
  );
  return x;
}

/** np.linalg.inv(a): the inverse of each square matrix. */
export const inv = def("inv", "a", { a: arg.array }, (p): ndarray => inv_(asarray(p.a)));
/** The inverses; a singular matrix raises `error` (or, with null, gives NaN as NumPy's gufunc does). */
export function inv_(a: ndarray, error: string | null = SINGULAR): ndarray {
  assertStackedSquare(a);
  const { result } = commonType(a);
  const n = a.shape[a.ndim - 1];
  return gufunc("inv", [{ a, core: 2 }], [{ core: [n, n], dtype: result }], [], error ?? undefined)[0];
}

/** np.linalg.tensorsolve(a, b, axes=None): x with tensordot(a, x, x.ndim) = b. */
export const tensorsolve = def("tensorsolve", "a, b, axes=None", { a: arg.array, b: arg.array, axes: arg.any }, (p): ndarray => {
  let a = asarray(p.a);
  const b = asarray(p.b);
  const an = a.ndim;
  if (p.axes !== null) {
    const all = Array.from({ length: an }, (_, i) => i);
    for (const k of p.axes as number[]) {
      const at = all.indexOf(k);
      if (at < 0) throw new ValueError("list.remove(x): x not in list");
      all.splice(at, 1);
      all.push(k);
    }
    a = a.transpose(all);
  }
  const oldshape = a.shape.slice(an - (an - b.ndim));
  const n = prod(oldshape);
  if (a.size !== n * n)
    throw new LinAlgError("Input arrays must satisfy the requirement             prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])");
  return solve_(a.reshape([n, n]), b.ravel()).reshape(oldshape);
});

/** np.linalg.tensorinv(a, ind=2): the inverse under tensordot over the first `ind` axes. */
export const tensorinv = def("tensorinv", "a, ind=2", { a: arg.array, ind: arg.int }, (p): ndarray => {
  const a = asarray(p.a);
  const ind = p.ind;
  if (ind <= 0) throw new ValueError("Invalid ind argument.");
  const invshape = [...a.shape.slice(ind), ...a.shape.slice(0, ind)];
  const n = prod(a.shape.slice(ind));
  return inv_(a.reshape([n, -1])).reshape(invshape);
});

/**
 * np.linalg.lstsq(a, b, rcond=None): least squares by SVD (LAPACK gelsd), as NumPy:
 * (x, residuals, rank, s); residuals are empty unless a is tall and of full rank.
 */
export const lstsq = def("lstsq", "a, b, rcond=None", { a: arg.array, b: arg.array, rcond: arg.any }, (p): [ndarray, ndarray, ndarray, ndarray] => {
  const a = asarray(p.a);
  let b = asarray(p.b);
  const is1d = b.ndim === 1;
  if (is1d) b = b.reshape([b.shape[0], 1]);
  assert2d(a, b);
  const [m, n] = a.shape;
  const [m2, nrhs] = b.shape;
  if (m !== m2) throw new LinAlgError("Incompatible dimensions");
  const { result } = commonType(a, b);
  const real = realType(result);
  let rcond: number;
  if (p.rcond === null) rcond = 2.220446049250313e-16 * Math.max(n, m);
  else if (typeof p.rcond === "number") rcond = p.rcond;
  else throw new TypeError(`must be real number, not ${pyStr(p.rcond)}`);
  // NumPy solves one zero column when b has none, and drops it again.
  const bb = nrhs === 0 ? zeros([m, 1], { dtype: b.dtype }) : b;
  const k = Math.max(1, nrhs);
  let [x, resid, rank, s] = gufunc(
    "lstsq",
    [
      { a, core: 2 },
      { a: bb, core: 2 },
    ],
    [
      { core: [n, k], dtype: result },
      { core: [k], dtype: real },
      { core: [], dtype: DTYPES.int32 },
      { core: [Math.min(m, n)], dtype: real },
    ],
    [rcond],
    "SVD did not converge in Linear Least Squares",
  );
  if (nrhs === 0) {
    x = x.get(":", ":0");
    resid = resid.get(":0");
  }
  if (is1d) x = x.reshape([n]);
  // rank is NumPy's int32 scalar (a 0-d array here).
  if (Number(rank.item()) !== n || m <= n) resid = empty([0], { dtype: real });
  return [x, resid, rank, s];
});

/**
 * np.linalg.pinv(a, rcond=None, hermitian=False, *, rtol=<no value>): the Moore-Penrose
 * pseudo-inverse from the SVD, singular values ≤ rcond·max(s) dropped.
 */
export const pinv = def(
  "pinv",
  "a, rcond=None, hermitian=False, *, rtol=<no value>",
  { a: arg.array, rcond: arg.any, hermitian: arg.bool, rtol: arg.any },
  (p): ndarray => {
    const a = asarray(p.a);
    let rcond: unknown = p.rcond;
    if (rcond === null) {
      if (p.rtol === undefined) rcond = 1e-15;
      else if (p.rtol === null) rcond = Math.max(...a.shape.slice(-2)) * finfo(a.dtype).eps;
      else rcond = p.rtol;
    } else if (p.rtol !== undefined) throw new ValueError("`rtol` and `rcond` can't be both set.");
    const rc = asarray(rcond as never);
    if (a.size === 0 && prod(a.shape.slice(-2)) === 0) {
      const [m, n] = a.shape.slice(-2);
      return empty([...a.shape.slice(0, -2), n, m], { dtype: a.dtype });
    }
    const [u, s, vt] = svd(conjugate(a), false, true, p.hermitian) as ndarray[];
    const cutoff = multiply(rc.reshape([...rc.shape, 1]), amax(s, -1, null, true));
    const large = greater(s, cutoff);
    // 1/s where s is large, 0 elsewhere (NumPy's divide(1, s, where=large) then s[~large] = 0).
    const sInv = zeros(s.shape, { dtype: s.dtype });
    divide(1, s, { out: sInv, where: large });
    return matmul(swapaxes(vt, -1, -2), multiply(sInv.reshape([...sInv.shape, 1]), swapaxes(u, -1, -2)));
  },
);
