/** np.linalg: NumPy's linear algebra on LAPACK (the system library, or a portable one), batched over leading axes. */
export { LinAlgError } from "../errors.js";
export { cholesky, qr, svd, svdvals } from "./decompositions.js";
export { eig, eigh, eigvals, eigvalsh } from "./eigenvalues.js";
export { norm, matrix_norm, vector_norm, cond, det, slogdet, matrix_rank } from "./norms.js";
export { solve, tensorsolve, lstsq, inv, pinv, tensorinv } from "./solving.js";
export { matmul, outer, cross, vecdot, matrix_transpose, diagonal, trace, matrix_power, multi_dot } from "./matrix_products.js";
export { linalgTensordot as tensordot } from "../tensor_products.js";
