import { def } from "../signature.js";
import { arg, toIndex } from "../param_types.js";
import type { ndarray } from "../ndarray.js";
import { asarray } from "../creation_from_data.js";
import { IndexError, ValueError } from "../errors.js";
import { matmul as coreMatmul, dot, outer as coreOuter, matrix_transpose as coreMatrixTranspose, vecdot as coreVecdot } from "../products.js";
import { cross as coreCross } from "../math_misc.js";
import { diagonal as coreDiagonal, trace as coreTrace } from "../indexing_routines.js";
import { empty_like, eye } from "../creation_shape.js";
import { copyInto } from "../copy.js";
import { atleast_2d } from "../array_manipulation.js";
import { assert2d, assertStackedSquare } from "./gufunc.js";
import { inv_ } from "./solving.js";

/** numpy.linalg's matrix and vector products: the array-API forms and matrix_power, multi_dot. */

/** np.linalg.matmul(x1, x2, /): np.matmul without its ufunc keywords. */
export const matmul = def("matmul", "x1, x2, /", { x1: arg.array, x2: arg.array }, (p): ndarray => coreMatmul(p.x1, p.x2));

/** np.linalg.outer(x1, x2, /): the outer product of two 1-D arrays. */
export const outer = def("outer", "x1, x2, /", { x1: arg.array, x2: arg.array }, (p): ndarray => {
  const a = asarray(p.x1),
    b = asarray(p.x2);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ValueError(`Input arrays must be one-dimensional, but they are x1.ndim=${a.ndim} and x2.ndim=${b.ndim}.`);
  return coreOuter(a, b);
});

/** np.linalg.cross(x1, x2, /, *, axis=-1): cross products of 3-vectors only. */
export const cross = def("cross", "x1, x2, /, *, axis=-1", { x1: arg.array, x2: arg.array, axis: arg.int }, (p): ndarray => {
  const a = asarray(p.x1),
    b = asarray(p.x2);
  // Python's x.shape[axis]
  const dim = (x: ndarray): number => {
    if (p.axis < -x.ndim || p.axis >= x.ndim) throw new IndexError("tuple index out of range");
    return x.shape[p.axis < 0 ? p.axis + x.ndim : p.axis];
  };
  const da = dim(a),
    db = dim(b);
  if (da !== 3 || db !== 3)
    throw new ValueError(`Both input arrays must be (arrays of) 3-dimensional vectors, but they are ${da} and ${db} dimensional instead.`);
  return coreCross(a, b, { axis: p.axis });
});

/** np.linalg.vecdot(x1, x2, /, *, axis=-1): np.vecdot over `axis`. */
export const vecdot = def(
  "vecdot",
  "x1, x2, /, *, axis=-1",
  { x1: arg.array, x2: arg.array, axis: arg.int },
  (p): ndarray => coreVecdot(p.x1, p.x2, { axis: p.axis }),
);

/** np.linalg.matrix_transpose(x, /): swaps the last two axes. */
export const matrix_transpose = def("matrix_transpose", "x, /", { x: arg.array }, (p): ndarray => coreMatrixTranspose(p.x));

/** np.linalg.diagonal(x, /, *, offset=0): the diagonals of the last two axes. */
export const diagonal = def("diagonal", "x, /, *, offset=0", { x: arg.array, offset: arg.int }, (p): ndarray => coreDiagonal(p.x, p.offset, -2, -1));

/** np.linalg.trace(x, /, *, offset=0, dtype=None): sums of the diagonals of the last two axes. */
export const trace = def(
  "trace",
  "x, /, *, offset=0, dtype=None",
  { x: arg.array, offset: arg.int, dtype: arg.dtype },
  (p): ndarray => coreTrace(p.x, p.offset, -2, -1, p.dtype),
);

/** np.linalg.matrix_power(a, n): a raised to the integer power n by repeated squaring (inverse first for n < 0). */
export const matrix_power = def("matrix_power", "a, n", { a: arg.array, n: arg.any }, (p): ndarray => {
  let a = asarray(p.a);
  assertStackedSquare(a);
  let n: number;
  try {
    n = toIndex(p.n);
  } catch {
    throw new TypeError("exponent must be an integer");
  }
  if (n === 0) {
    const r = empty_like(a);
    copyInto(r, eye(a.shape[a.ndim - 2], { dtype: a.dtype }));
    return r;
  }
  if (n < 0) {
    a = inv_(a);
    n = -n;
  }
  if (n === 1) return a;
  if (n === 2) return coreMatmul(a, a);
  if (n === 3) return coreMatmul(coreMatmul(a, a), a);
  let z: ndarray | null = null,
    result: ndarray | null = null;
  while (n > 0) {
    z = z === null ? a : coreMatmul(z, z);
    const bit = n % 2;
    n = Math.floor(n / 2);
    if (bit) result = result === null ? z : coreMatmul(result, z);
  }
  return result as ndarray;
});

/** np.linalg.multi_dot(arrays, *, out=None): a chain of dot products in the cheapest order (NumPy's matrix-chain search). */
export const multi_dot = def("multi_dot", "arrays, *, out=None", { arrays: arg.any, out: arg.out }, (p): ndarray => {
  const list = [...(p.arrays as Iterable<unknown>)];
  const n = list.length;
  if (n < 2) throw new ValueError("Expecting at least two arrays.");
  if (n === 2) return dot(list[0] as never, list[1] as never, p.out);
  const arrays = list.map((x) => asarray(x as never));
  const ndFirst = arrays[0].ndim,
    ndLast = arrays[n - 1].ndim;
  if (ndFirst === 1) arrays[0] = atleast_2d(arrays[0]) as ndarray;
  if (ndLast === 1) arrays[n - 1] = (atleast_2d(arrays[n - 1]) as ndarray).T;
  assert2d(...arrays);
  let result: ndarray;
  if (n === 3) {
    const [A, B, C] = arrays;
    const [a0, a1b0] = A.shape;
    const [b1c0, c1] = C.shape;
    const cost1 = a0 * b1c0 * (a1b0 + c1),
      cost2 = a1b0 * c1 * (a0 + b1c0);
    result = cost1 < cost2 ? dot(dot(A, B), C, p.out) : dot(A, dot(B, C), p.out);
  } else {
    const order = chainOrder(arrays);
    const run = (i: number, j: number, out: ndarray | null): ndarray =>
      i === j ? arrays[i] : dot(run(i, order[i][j], null), run(order[i][j] + 1, j, null), out);
    result = run(0, n - 1, p.out);
  }
  if (ndFirst === 1 && ndLast === 1) return result.get(0, 0);
  if (ndFirst === 1 || ndLast === 1) return result.ravel();
  return result;
});

/** The optimal split of every sub-chain (the classic matrix-chain dynamic programme, as NumPy's). */
function chainOrder(arrays: readonly ndarray[]): number[][] {
  const n = arrays.length;
  const dims = [...arrays.map((a) => a.shape[0]), arrays[n - 1].shape[1]];
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let l = 1; l < n; l++)
    for (let i = 0; i < n - l; i++) {
      const j = i + l;
      m[i][j] = Infinity;
      for (let k = i; k < j; k++) {
        const q = m[i][k] + m[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1];
        if (q < m[i][j]) {
          m[i][j] = q;
          s[i][j] = k;
        }
      }
    }
  return s;
}
