import { DTYPES } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { resultType } from "./dtypes.js";
import { broadcastShapes } from "./broadcast.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";
import { absolute, add, bitwise_and, bitwise_or, equal, isfinite, isnan, less_equal, multiply, subtract } from "./ufuncs.js";
import { all } from "./logic_truth.js";
import { quietly } from "./fp_errors.js";

/** NumPy's "Comparison" (the functions; the comparison ufuncs are in ufuncs.ts): isclose, allclose, array_equal, array_equiv. */

/** NumPy's isclose, step by step: Python numbers stay weak scalars, `b` is made inexact. */
function isclose_(a: ArrayLike, b: ArrayLike, rtol: ArrayLike, atol: ArrayLike, equalNan: boolean): ndarray {
  if (typeof b === "string")
    throw new TypeError(
      "The DType <class 'numpy.dtypes.StrDType'> could not be promoted by <class 'numpy.dtypes._PyFloatDType'>. This means that no common DType exists for the given inputs. For example they cannot be stored in a single array unless the dtype is `object`. The full list of DTypes is: (<class 'numpy.dtypes.StrDType'>, <class 'numpy.dtypes._PyFloatDType'>)",
    );
  const x = isWeakScalar(a) ? a : asarray(a);
  let y: ArrayLike = isWeakScalar(b) ? b : asarray(b);
  const tol = (t: ArrayLike): ArrayLike => (isWeakScalar(t) ? t : asarray(t));
  if (!isWeakScalar(y)) {
    const yd = (y as ndarray).dtype;
    y = asarray(y, { dtype: resultType([yd], [0.5]) });
  } else if (typeof y === "boolean" || typeof y === "bigint" || (typeof y === "number" && Number.isInteger(y))) {
    // NumPy makes a Python int a Python float: against an inexact array a weak int acts the
    // same; otherwise (an integer array, or a Python scalar) the arithmetic is float64.
    const inexact = !isWeakScalar(x) && ((x as ndarray).dtype.isFloat || (x as ndarray).dtype.isComplex);
    if (!inexact) y = asarray(Number(y), { dtype: DTYPES.float64 });
  }
  const yArr = y;
  let r = bitwise_or(
    bitwise_and(less_equal(absolute(subtract(x, yArr)), add(tol(atol), multiply(tol(rtol), absolute(yArr)))), isfinite(yArr)),
    equal(x, yArr),
  );
  if (equalNan) r = bitwise_or(r, bitwise_and(isnan(x), isnan(yArr)));
  return r;
}

/** isclose as NumPy runs it: under errstate(invalid='ignore') (inf - inf is not reported). */
const iscloseQuiet = (a: ArrayLike, b: ArrayLike, rtol: ArrayLike, atol: ArrayLike, equalNan: boolean): ndarray =>
  quietly(() => isclose_(a, b, rtol, atol, equalNan));

const CLOSE_PARAMS = "a, b, rtol=1e-05, atol=1e-08, equal_nan=False";
const CLOSE_ARGS = { a: arg.array, b: arg.array, rtol: arg.array, atol: arg.array, equal_nan: arg.bool };

/** np.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False): |a - b| <= atol + rtol * |b|, elementwise. */
export const isclose = def(
  "isclose",
  CLOSE_PARAMS,
  CLOSE_ARGS,
  (p): ndarray => iscloseQuiet(p.a, p.b, p.rtol ?? 1e-5, p.atol ?? 1e-8, p.equal_nan ?? false),
);

/** np.allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False): whether isclose holds everywhere (a JS boolean). */
export const allclose = def("allclose", CLOSE_PARAMS, CLOSE_ARGS, (p): boolean =>
  Boolean(all(iscloseQuiet(p.a, p.b, p.rtol ?? 1e-5, p.atol ?? 1e-8, p.equal_nan ?? false)).item()),
);

/** np.array_equal(a1, a2, equal_nan=False): same shape and elements (a JS boolean). */
export const array_equal = def("array_equal", "a1, a2, equal_nan=False", { a1: arg.array, a2: arg.array, equal_nan: arg.bool }, (p): boolean => {
  const x = asarray(p.a1),
    y = asarray(p.a2);
  if (x.shape.join() !== y.shape.join()) return false;
  if (!p.equal_nan) return Boolean(all(equal(x, y)).item());
  if (x === y) return true;
  const canNaN = (a: ndarray) => a.dtype.isFloat || a.dtype.isComplex;
  if (!canNaN(x) && !canNaN(y)) return Boolean(all(equal(x, y)).item());
  // NaN must face NaN; elsewhere the elements must be equal.
  return Boolean(all(bitwise_or(bitwise_and(isnan(x), isnan(y)), equal(x, y))).item());
});

/** np.array_equiv(a1, a2): shapes broadcast together and the elements are equal (a JS boolean). */
export const array_equiv = def("array_equiv", "a1, a2", { a1: arg.array, a2: arg.array }, (p): boolean => {
  const x = asarray(p.a1),
    y = asarray(p.a2);
  try {
    broadcastShapes(x.shape, y.shape);
  } catch {
    return false;
  }
  return Boolean(all(equal(x, y)).item());
});
