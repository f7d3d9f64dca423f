import { DTYPES } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { zeros } from "./creation_shape.js";
import { AttributeError } from "./errors.js";
import { def } from "./signature.js";
import { arg, pyType } from "./param_types.js";
import { equal, greater, imag, isinf, less, logical_and, not_equal } from "./ufuncs.js";

/**
 * NumPy's "Array contents" and "Array type testing" beyond the ufuncs: isneginf, isposinf,
 * iscomplex, iscomplexobj, isreal, isrealobj, isfortran.
 */

/** np.iscomplexobj(x): whether x's dtype is complex (a JS boolean). */
export const iscomplexobj = def("iscomplexobj", "x", { x: arg.array }, (p): boolean => asarray(p.x).dtype.isComplex);
/** np.isrealobj(x): whether x's dtype is not complex (a JS boolean). */
export const isrealobj = def("isrealobj", "x", { x: arg.array }, (p): boolean => !asarray(p.x).dtype.isComplex);

/** np.iscomplex(x): imaginary part nonzero, elementwise (all false for a real dtype). */
export const iscomplex = def("iscomplex", "x", { x: arg.array }, (p): ndarray => {
  const a = asarray(p.x);
  return a.dtype.isComplex ? not_equal(imag(a), 0) : zeros(a.shape, { dtype: DTYPES.bool });
});
/** np.isreal(x): imaginary part zero, elementwise. */
export const isreal = def("isreal", "x", { x: arg.array }, (p): ndarray => equal(imag(p.x), 0));

/** isneginf / isposinf: NumPy refuses complex input (signbit has no complex loop). */
function signedInf(x: ArrayLike, negative: boolean, out: ndarray | null): ndarray {
  const a = asarray(x);
  if (a.dtype.isComplex) throw new TypeError(`This operation is not supported for ${a.dtype.name} values because it would be ambiguous.`);
  const sign = negative ? less(a, 0) : greater(a, 0);
  return out ? logical_and(isinf(a), sign, out) : logical_and(isinf(a), sign);
}
/** np.isneginf(x, out=None): x is -inf, elementwise. */
export const isneginf = def("isneginf", "x, out=None", { x: arg.array, out: arg.out }, (p): ndarray => signedInf(p.x, true, p.out));
/** np.isposinf(x, out=None): x is +inf, elementwise. */
export const isposinf = def("isposinf", "x, out=None", { x: arg.array, out: arg.out }, (p): ndarray => signedInf(p.x, false, p.out));

/** Contiguity as NumPy's flags compute it: dims of length 1 do not count, empty arrays are both. */
function contiguous(shape: readonly number[], strides: readonly number[], fortran: boolean): boolean {
  if (shape.includes(0)) return true;
  let expect = 1;
  const dims = shape.map((_, i) => i);
  if (!fortran) dims.reverse();
  for (const d of dims) {
    if (shape[d] === 1) continue;
    if (strides[d] !== expect) return false;
    expect *= shape[d];
  }
  return true;
}

/** np.isfortran(a): Fortran-contiguous and not C-contiguous (a JS boolean). */
export const isfortran = def("isfortran", "a", { a: arg.any }, (p): boolean => {
  if (!(p.a instanceof ndarray)) throw new AttributeError(`'${pyType(p.a)}' object has no attribute 'flags'`);
  const s = p.a._store;
  return contiguous(s.shape, s.strides, true) && !contiguous(s.shape, s.strides, false);
});
