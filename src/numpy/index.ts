/**
 * tessera — a NumPy-compatible array library written only against tessera/core.
 * Function names, arguments and results follow NumPy; keyword arguments go in a trailing
 * options object.
 */
export { ndarray } from "./ndarray.js";
import "./ndarray_methods.js";
export type { Operand } from "./ndarray.js";
export {
  dtype, promoteTypes as promote_types, resultType as result_type, canCast as can_cast,
  bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, complex64, complex128,
} from "./dtypes.js";
export type { DType, DTypeName, DTypeLike, Casting } from "./dtypes.js";
export { ValueError, IndexError, AxisError, LinAlgError, OverflowError, UFuncTypeError, ZeroDivisionError, MemoryError } from "./errors.js";
export { NotImplementedError } from "./param_types.js";
export { Signature } from "./signature.js";
export type { Param, ParamKind } from "./signature.js";
export { array, asarrayPublic as asarray } from "./creation_from_data.js";
export type { ArrayLike, NestedArray } from "./creation_from_data.js";
export { empty, zeros, ones, full, empty_like, zeros_like, ones_like, full_like, eye, identity } from "./creation_shape.js";
export type { ShapeLike } from "./creation_shape.js";
export { arange, linspace, logspace } from "./creation_ranges.js";
export * from "./ufuncs.js";
export type { UfuncKeywords as UfuncOptions } from "./ufunc.js";
export { sum, prod, min, max, amin, amax, all, any, argmin, argmax } from "./reductions.js";
export type { ReduceOptions, MinMaxOptions, ArgOptions } from "./reductions.js";
export type { VarOptions } from "./stats_avgs_vars.js";
export { mean, var, std } from "./stats_avgs_vars.js";
export { reshape, transpose, swapaxes, moveaxis, ravel, squeeze, expand_dims, broadcast_to, broadcast_shapes, atleast_1d, atleast_2d } from "./array_manipulation.js";
export { slice, Slice, newaxis } from "./indexing.js";
export type { IndexItem } from "./indexing.js";
export { array2string, get_printoptions, set_printoptions } from "./printing/arrayprint.js";
export { array_repr, array_str, copy, shape, ndim, size } from "./misc.js";
export { matmul, dot, vdot, inner, outer } from "./linalg.js";
export * as random from "./random/index.js";
export { sort, argsort } from "./sorting.js";
export { nonzero, flatnonzero, argwhere, count_nonzero, take, compress, put, place } from "./indexing_routines.js";
export type { TakeMode } from "./indexing_routines.js";
export { cumsum, cumprod } from "./cumulative.js";
export type { CumulativeOptions } from "./cumulative.js";
export { save, savez, savez_compressed, load } from "./io.js";
