import { def } from "../signature.js";
import { arg } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { LinAlgError, ValueError } from "../errors.js";
import { equal, isfinite } from "../ufuncs.js";
import { all } from "../logic_truth.js";
import { type NamedTuple, named } from "../named_tuple.js";
import { assertStackedSquare, commonType, complexType, gufunc, realType } from "./gufunc.js";

/** numpy.linalg's eigenvalues: eig, eigh, eigvals, eigvalsh (LAPACK geev, syevd / heevd). */

const NO_CONVERGENCE = "Eigenvalues did not converge";

function assertFinite(a: ndarray): void {
  if (!all(isfinite(a)).item()) throw new LinAlgError("Array must not contain infs or NaNs");
}

/** UPLO as NumPy reads it (upper-cased; 'L' or 'U'). */
function uplo(v: unknown): "L" | "U" {
  const u = String(v).toUpperCase();
  if (u !== "L" && u !== "U") throw new ValueError("UPLO argument must be 'L' or 'U'");
  return u;
}

/** w, and v when `vectors`, of a general matrix; real when every eigenvalue of a real input is real. */
function eig_(a: ndarray, vectors: boolean): ndarray[] {
  assertStackedSquare(a);
  assertFinite(a);
  const { complex, result } = commonType(a);
  const n = a.shape[a.ndim - 1];
  const ct = complexType(result);
  const outs = gufunc(
    "eig",
    [{ a, core: 2 }],
    vectors
      ? [
          { core: [n], dtype: ct },
          { core: [n, n], dtype: ct },
        ]
      : [{ core: [n], dtype: ct }],
    [vectors],
    NO_CONVERGENCE,
  );
  if (!complex && all(equal(outs[0].imag, 0)).item()) return outs.map((x) => x.real.astype(realType(result)));
  return outs;
}

/** np.linalg.eig(a): eigenvalues and right eigenvectors (columns) of square matrices. */
export const eig = def(
  "eig",
  "a",
  { a: arg.array },
  (p): NamedTuple<"eigenvalues" | "eigenvectors"> => named(["eigenvalues", "eigenvectors"], eig_(asarray(p.a), true)),
);

/** np.linalg.eigvals(a): the eigenvalues of square matrices. */
export const eigvals = def("eigvals", "a", { a: arg.array }, (p): ndarray => eig_(asarray(p.a), false)[0]);

/** Eigenvalues (ascending) and eigenvectors of Hermitian matrices, from the `side` triangle. */
export function eigh_(a: ndarray, side: "L" | "U"): ndarray[] {
  assertStackedSquare(a);
  const { result } = commonType(a);
  const n = a.shape[a.ndim - 1];
  return gufunc(
    "eigh",
    [{ a, core: 2 }],
    [
      { core: [n], dtype: realType(result) },
      { core: [n, n], dtype: result },
    ],
    ["V", side],
    NO_CONVERGENCE,
  );
}
/** Eigenvalues (ascending) of Hermitian matrices. */
export function eigvalsh_(a: ndarray, side: "L" | "U"): ndarray {
  assertStackedSquare(a);
  const { result } = commonType(a);
  const n = a.shape[a.ndim - 1];
  return gufunc("eigh", [{ a, core: 2 }], [{ core: [n], dtype: realType(result) }], ["N", side], NO_CONVERGENCE)[0];
}

/** np.linalg.eigh(a, UPLO='L'): eigenvalues (ascending) and orthonormal eigenvectors of Hermitian matrices. */
export const eigh = def("eigh", "a, UPLO='L'", { a: arg.array, UPLO: arg.any }, (p): NamedTuple<"eigenvalues" | "eigenvectors"> => {
  const side = uplo(p.UPLO);
  return named(["eigenvalues", "eigenvectors"], eigh_(asarray(p.a), side));
});

/** np.linalg.eigvalsh(a, UPLO='L'): eigenvalues (ascending) of Hermitian matrices. */
export const eigvalsh = def("eigvalsh", "a, UPLO='L'", { a: arg.array, UPLO: arg.any }, (p): ndarray => {
  const side = uplo(p.UPLO);
  return eigvalsh_(asarray(p.a), side);
});
