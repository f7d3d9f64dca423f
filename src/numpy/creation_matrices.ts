/**
 * NumPy's "Building matrices" section: diag, diagflat, tri, tril, triu, vander. A diagonal is
 * a strided slice of the flattened matrix; tri is one index expression; tril/triu are NumPy's
 * `where` of a tri mask; vander is a running product along the rows.
 */
import { runtime, ir, DTYPES } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { newStore } from "./alloc.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv } from "./param_types.js";
import type { Conv } from "./signature.js";
import { promoteTypes } from "./dtypes.js";
import { copyPiece } from "./array_joining.js";
import { ravel } from "./array_manipulation.js";
import { where } from "./ufuncs.js";
import { cumprod } from "./math_sum_prod_diff.js";
import { toShape } from "./creation_shape.js";

const { binary, cast, constant, index, where: select } = ir;

/** The k-th diagonal of a 2-D array: a strided view of its flattened elements (a copy when they are not contiguous). */
function diagonalOf(v: ndarray, k: number): ndarray {
  const [rows, cols] = v.shape;
  const len = Math.max(0, k >= 0 ? Math.min(rows, cols - k) : Math.min(rows + k, cols));
  const flat = ravel(v)._store;
  if (len === 0) return new ndarray(flat.slice(0, 0, 0, 1));
  const start = k >= 0 ? k : -k * cols;
  return new ndarray(flat.slice(0, start, start + (len - 1) * (cols + 1) + 1, cols + 1));
}

/** A square matrix with `v` on its k-th diagonal. */
function withDiagonal(v: ndarray, k: number): ndarray {
  const n = v.shape[0] + Math.abs(k);
  const out = newStore([n, n], v.dtype);
  if (v.size) {
    const start = k >= 0 ? k : -k * n;
    copyPiece(out.reshape([n * n])!.slice(0, start, start + (v.size - 1) * (n + 1) + 1, n + 1), v, "diag");
  }
  return new ndarray(out);
}

/** np.diag(v, k=0): the k-th diagonal of a 2-D array (a view), or a 2-D array with the 1-D `v` on it. */
export const diag = def("diag", "v, k=0", { v: arg.array, k: arg.int }, (p): ndarray => {
  const v = asarray(p.v);
  if (v.ndim === 1) return withDiagonal(v, p.k);
  if (v.ndim === 2) return diagonalOf(v, p.k);
  throw new ValueError("Input must be 1- or 2-d.");
});

/** np.diagflat(v, k=0): a 2-D array with the flattened `v` on its k-th diagonal. */
export const diagflat = def("diagflat", "v, k=0", { v: arg.array, k: arg.int }, (p): ndarray => withDiagonal(ravel(asarray(p.v)), p.k));

/** tri as a launch: ones where column - row <= k. */
function triMask(n: number, m: number, k: number, dt: ndarray["dtype"]): ndarray {
  const out = newStore(toShape([Math.max(0, n), Math.max(0, m)]), dt);
  if (out.size) {
    const below = binary("le", binary("sub", index(1, "float64"), index(0, "float64")), constant(k, "float64"));
    const expr = cast(select(below, constant(1, "float64"), constant(0, "float64")), dt.name);
    runtime().submit({ kind: "map", name: "tri", inputs: [], outputs: [{ store: out, expr }], scalars: [] });
  }
  return new ndarray(out);
}

/** tri's N and M: NumPy takes the length of arange(N), so a float counts up to its ceiling. */
const COUNT = conv<number, number>((v, r): number => (typeof v === "number" && !Number.isInteger(v) ? Math.ceil(v) : arg.int(v, r)));
/** tri's k: NumPy's integer arange from -k truncates a float k. */
const OFFSET = conv<number, number>((v, r): number => Math.trunc(arg.float(v, r)));
const nullable = <I, O>(c: Conv<I, O>): Conv<I | null, O | null> => conv((v, r) => (v === null ? null : c(v, r)));

/** np.tri(N, M=None, k=0, dtype=float): ones at and below the k-th diagonal. */
export const tri = def(
  "tri",
  "N, M=None, k=0, dtype=<class 'float'>, *, like=None",
  { N: COUNT, M: nullable(COUNT), k: OFFSET, dtype: arg.dtype, like: arg.like },
  (p): ndarray => triMask(p.N, p.M ?? p.N, p.k, p.dtype ?? DTYPES.float64),
);

/** np.tril(m, k=0): zeros above the k-th diagonal of the last two axes. */
export const tril = def("tril", "m, k=0", { m: arg.array, k: arg.float }, (p): ndarray => {
  const m = asarray(p.m);
  const [n, cols] = m.shape.slice(-2);
  if (m.ndim === 0) return tri();
  const mask = triMask(n, cols ?? n, Math.trunc(p.k), DTYPES.bool);
  return where(mask, m, new ndarray(newStore([1], m.dtype))) as ndarray;
});
/** np.triu(m, k=0): zeros below the k-th diagonal of the last two axes. */
export const triu = def("triu", "m, k=0", { m: arg.array, k: arg.float }, (p): ndarray => {
  const m = asarray(p.m);
  const [n, cols] = m.shape.slice(-2);
  if (m.ndim === 0) return tri();
  const mask = triMask(n, cols ?? n, Math.trunc(p.k - 1), DTYPES.bool);
  return where(mask, new ndarray(newStore([1], m.dtype)), m) as ndarray;
});

/** np.vander(x, N=None, increasing=False): columns are powers of x (decreasing by default). */
export const vander = def("vander", "x, N=None, increasing=False", { x: arg.array, N: arg.intOrNone, increasing: arg.bool }, (p): ndarray => {
  const x = asarray(p.x);
  if (x.ndim !== 1) throw new ValueError("x must be a one-dimensional array or sequence.");
  const n = p.N ?? x.shape[0];
  const dt = promoteTypes(x.dtype, DTYPES.int64);
  const out = newStore(toShape([x.shape[0], n]), dt);
  if (n > 0 && x.shape[0] > 0) {
    // tmp: the columns in increasing powers (a reversed view for the decreasing order).
    const tmp = p.increasing ? out : out.slice(1, n - 1, -1, -1);
    runtime().submit({
      kind: "map",
      name: "vander",
      inputs: [],
      outputs: [{ store: tmp.slice(1, 0, 1, 1), expr: cast(constant(1, "int64"), dt.name) }],
      scalars: [],
    });
    if (n > 1) {
      // NumPy's multiply.accumulate of x repeated along the row, in the result dtype; its
      // first column is x itself (copied, so that the sign of a zero survives).
      const xs = new ndarray(x._store.promote(1, 1).broadcast([x.shape[0], n - 1]));
      copyPiece(tmp.slice(1, 1, 2, 1), new ndarray(x._store.promote(1, 1)), "vander");
      if (n > 2) copyPiece(tmp.slice(1, 2, n, 1), new ndarray(cumprod(xs, 1, dt)._store.slice(1, 1, n - 1, 1)), "vander");
    }
  }
  return new ndarray(out);
});
