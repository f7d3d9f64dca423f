import { def } from "../signature.js";
import { arg, pyStr } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { ValueError } from "../errors.js";
import { warn } from "../warnings.js";
import { swapaxes } from "../array_manipulation.js";
import { absolute, conjugate, divide, less, multiply, where } from "../ufuncs.js";
import { argsort, sort } from "../sorting_searching.js";
import { take_along_axis } from "../indexing_routines.js";
import { flip } from "../array_rearranging.js";
import { type NamedTuple, named } from "../named_tuple.js";
import { assertStacked2d, assertStackedSquare, commonType, gufunc, realType } from "./gufunc.js";
import { eigh_, eigvalsh_ } from "./eigenvalues.js";
import { tileFor, tiledCholesky, useTiled } from "./tiled_cholesky.js";
import { pieces, tsqr, useTsqr } from "./tsqr.js";
import { matmul } from "../products.js";

/** numpy.linalg's decompositions: cholesky, qr, svd, svdvals (LAPACK potrf, geqrf + orgqr, gesdd). */

/** np.linalg.cholesky(a, /, *, upper=False): L with a = L @ L.H (or U with a = U.H @ U). */
export const cholesky = def("cholesky", "a, /, *, upper=False", { a: arg.array, upper: arg.bool }, (p): ndarray => {
  const a = asarray(p.a);
  assertStackedSquare(a);
  const { result } = commonType(a);
  const n = a.shape[a.ndim - 1];
  if (useTiled(a)) return tiledCholesky(a, p.upper, tileFor(n));
  return gufunc("cholesky", [{ a, core: 2 }], [{ core: [n, n], dtype: result }], [p.upper], "Matrix is not positive definite")[0];
});

const QR_ERROR = "Incorrect argument found while performing QR factorization";

/**
 * np.linalg.qr(a, mode='reduced'): Q and R ("reduced", "complete"), R alone ("r"), or
 * LAPACK's Householder form ("raw": h, tau).
 */
export const qr = def("qr", "a, mode='reduced'", { a: arg.array, mode: arg.any }, (p): ndarray | ndarray[] | NamedTuple<"Q" | "R"> => {
  let mode = p.mode as string;
  if (!["reduced", "complete", "r", "raw"].includes(mode)) {
    if (mode === "f" || mode === "full") {
      warn("The 'full' option is deprecated in favor of 'reduced'.\nFor backward compatibility let mode default.", "DeprecationWarning");
      mode = "reduced";
    } else if (mode === "e" || mode === "economic") {
      warn("The 'economic' option is deprecated.", "DeprecationWarning");
      mode = "economic";
    } else throw new ValueError(`Unrecognized mode '${typeof mode === "string" ? mode : pyStr(mode)}'`);
  }
  const a = asarray(p.a);
  assertStacked2d(a);
  const [m, n] = a.shape.slice(-2);
  const { result } = commonType(a);
  const k = Math.min(m, n);
  const input = [{ a, core: 2 }];
  if (mode === "raw" || mode === "economic") {
    const [h, tau] = gufunc(
      "qr",
      input,
      [
        { core: [n, m], dtype: result },
        { core: [k], dtype: result },
      ],
      ["raw"],
      QR_ERROR,
    );
    return mode === "raw" ? [h, tau] : swapaxes(h, -1, -2);
  }
  if ((mode === "reduced" || mode === "r") && useTsqr(a)) {
    const [q, r] = tsqr(a, pieces(m, n), qrReduced);
    return mode === "r" ? r : named(["Q", "R"], [q, r]);
  }
  if (mode === "r") return gufunc("qr", input, [{ core: [k, n], dtype: result }], ["r"], QR_ERROR)[0];
  const mc = mode === "complete" && m > n ? m : k;
  const [q, r] = gufunc(
    "qr",
    input,
    [
      { core: [m, mc], dtype: result },
      { core: [mc, n], dtype: result },
    ],
    [mode],
    QR_ERROR,
  );
  return named(["Q", "R"], [q, r]);
});

/** The reduced QR of each matrix of a stack (LAPACK geqrf + orgqr), as [Q, R]. */
export function qrReduced(a: ndarray): [ndarray, ndarray] {
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const { result } = commonType(a);
  const [q, r] = gufunc(
    "qr",
    [{ a, core: 2 }],
    [
      { core: [m, k], dtype: result },
      { core: [k, n], dtype: result },
    ],
    ["reduced"],
    QR_ERROR,
  );
  return [q, r];
}

/**
 * np.linalg.svd(a, full_matrices=True, compute_uv=True, hermitian=False): a = U @ diag(S) @ Vh,
 * singular values descending (LAPACK gesdd); hermitian uses eigh, as NumPy does.
 */
export const svd = def(
  "svd",
  "a, full_matrices=True, compute_uv=True, hermitian=False",
  { a: arg.array, full_matrices: arg.bool, compute_uv: arg.bool, hermitian: arg.bool },
  (p): ndarray | NamedTuple<"U" | "S" | "Vh"> => svd_(asarray(p.a), p.full_matrices, p.compute_uv, p.hermitian),
);
export function svd_(a: ndarray, full: boolean, uv: boolean, hermitian: boolean): ndarray | NamedTuple<"U" | "S" | "Vh"> {
  if (hermitian) {
    if (uv) {
      const [w, u0] = eigh_(a, "L");
      // sign(s), with -0.0 negative as copysign's
      const sgn = where(less(divide(1, w), 0), -1, 1).astype(w.dtype);
      const s0 = absolute(w);
      const sidx = flip(argsort(s0, -1), -1);
      const sg = take_along_axis(sgn, sidx, -1);
      const s = take_along_axis(s0, sidx, -1);
      const u = take_along_axis(u0, sidx.reshape([...sidx.shape.slice(0, -1), 1, sidx.shape[sidx.ndim - 1]]), -1);
      const vt = conjugate(swapaxes(multiply(u, sg.reshape([...sg.shape.slice(0, -1), 1, sg.shape[sg.ndim - 1]])), -1, -2));
      return named(["U", "S", "Vh"], [u, s, vt]);
    }
    const s = absolute(eigvalsh_(a, "L"));
    return flip(sort(s, -1), -1);
  }
  assertStacked2d(a);
  const { result } = commonType(a);
  const real = realType(result);
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  if ((!full || !uv) && useTsqr(a)) {
    // A tall matrix spread over ranks: the SVD of TSQR's small R, its U taken back through Q.
    const [q, r] = tsqr(a, pieces(m, n), qrReduced);
    if (!uv) return svd_(r, false, false, false);
    const [ur, s, vh] = svd_(r, false, true, false) as ndarray[];
    return named(["U", "S", "Vh"], [matmul(q, ur), s, vh]);
  }
  const input = [{ a, core: 2 }];
  if (!uv) return gufunc("svd", input, [{ core: [k], dtype: real }], ["N"], "SVD did not converge")[0];
  const [uc, vr] = full ? [m, n] : [k, k];
  const [u, s, vh] = gufunc(
    "svd",
    input,
    [
      { core: [m, uc], dtype: result },
      { core: [k], dtype: real },
      { core: [vr, n], dtype: result },
    ],
    [full ? "A" : "S"],
    "SVD did not converge",
  );
  return named(["U", "S", "Vh"], [u, s, vh]);
}

/** np.linalg.svdvals(x, /): the singular values (svd with compute_uv=False). */
export const svdvals = def("svdvals", "x, /", { x: arg.array }, (p): ndarray => svd_(asarray(p.x), true, false, false) as ndarray);
