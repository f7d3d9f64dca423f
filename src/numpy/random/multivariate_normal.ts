import { DTYPES } from "../../core/index.js";
import type { ndarray } from "../ndarray.js";
import { array } from "../creation_from_data.js";
import { ValueError } from "../errors.js";
import { warn } from "../warnings.js";
import { absolute, add, less, multiply, sqrt } from "../ufuncs.js";
import { any } from "../logic_truth.js";
import { allclose } from "../logic_comparison.js";
import { dot, matmul } from "../products.js";
import { svd_ } from "../linalg/decompositions.js";
import { eigh_ } from "../linalg/eigenvalues.js";
import { cholesky } from "../linalg/decompositions.js";

/**
 * Generator.multivariate_normal and the legacy RandomState.multivariate_normal, as NumPy's:
 * standard normal draws times a factor of the covariance (from its SVD, eigh or Cholesky),
 * plus the mean, with NumPy's checks that the covariance is positive semi-definite.
 */

export type MvnMethod = "svd" | "eigh" | "cholesky";

export function multivariateNormal(
  standardNormal: (shape: number[]) => ndarray,
  meanArg: unknown,
  covArg: unknown,
  size: readonly number[] | null,
  checkValid: unknown,
  tol: number,
  method: unknown,
  legacy: boolean,
): ndarray {
  if (method !== "svd" && method !== "eigh" && method !== "cholesky") throw new ValueError("method must be one of {'eigh', 'svd', 'cholesky'}");
  const mean = array(meanArg as never);
  let cov = array(covArg as never);
  if (!legacy && (mean.dtype.isComplex || cov.dtype.isComplex)) throw new TypeError("mean and cov must not be complex");
  const shape = size === null ? [] : [...size];
  if (mean.ndim !== 1) throw new ValueError("mean must be 1 dimensional");
  if (cov.ndim !== 2 || cov.shape[0] !== cov.shape[1]) throw new ValueError("cov must be 2 dimensional and square");
  if (mean.shape[0] !== cov.shape[0]) throw new ValueError("mean and cov must have same length");
  const finalShape = [...shape, mean.shape[0]];
  const x = standardNormal(finalShape).reshape([-1, mean.shape[0]]);
  cov = cov.astype(DTYPES.float64);
  let u: ndarray | null = null,
    s: ndarray | null = null,
    vh: ndarray | null = null,
    l: ndarray | null = null;
  if (method === "svd") [u, s, vh] = svd_(cov, true, true, false) as ndarray[];
  else if (method === "eigh") [s, u] = eigh_(cov, "L");
  else l = cholesky(cov);
  // The Cholesky factorisation itself fails for an invalid covariance.
  if (checkValid !== "ignore" && method !== "cholesky") {
    if (checkValid !== "warn" && checkValid !== "raise") throw new ValueError("check_valid must equal 'warn', 'raise', or 'ignore'");
    const psd = method === "svd" ? allclose(dot(multiply(vh!.T, s!), vh!), cov, tol, tol) : !any(less(s!, -tol)).item();
    if (!psd) {
      const msg = "covariance is not symmetric positive-semidefinite.";
      if (checkValid === "warn") warn(msg, "RuntimeWarning");
      else throw new ValueError(msg);
    }
  }
  let r: ndarray;
  if (legacy) {
    // RandomState: x · (√s[:, None] · v), then + mean.
    r = add(dot(x, multiply(sqrt(s!).reshape([-1, 1]), vh!)), mean);
  } else {
    const factor = method === "cholesky" ? l! : multiply(u!, sqrt(method === "eigh" ? absolute(s!) : s!));
    r = add(mean, matmul(x, factor.T));
  }
  return r.reshape(finalShape);
}
