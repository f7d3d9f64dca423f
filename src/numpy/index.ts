/**
 * tessera — a NumPy-compatible array library written only against tessera/core.
 * Function names, arguments and results follow NumPy; keyword arguments go in a trailing
 * options object.
 */
export { ndarray } from "./ndarray.js";
import "./ndarray_methods.js";
export type { Operand } from "./ndarray.js";
import "./scalars.js"; // makes the dtypes callable: np.float64(2)
export {
  bool,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64,
  complex64,
  complex128,
  bool_,
  byte,
  short,
  intc,
  int_,
  intp,
  long,
  longlong,
  ubyte,
  ushort,
  uintc,
  uint,
  uintp,
  ulong,
  ulonglong,
  half,
  single,
  double,
  csingle,
  cdouble,
  generic,
  number,
  integer,
  signedinteger,
  unsignedinteger,
  inexact,
  floating,
  complexfloating,
} from "./dtypes.js";
export type { DType, DTypeName, DTypeLike, Casting, ScalarType, AbstractScalarType } from "./dtypes.js";
export {
  dtype,
  result_type,
  promote_types,
  can_cast,
  min_scalar_type,
  issubdtype,
  finfo,
  iinfo,
  isdtype,
  common_type,
  mintypecode,
  typename,
} from "./dtype_routines.js";
export type { FInfo, IInfo } from "./dtype_routines.js";
export {
  ValueError,
  IndexError,
  AxisError,
  LinAlgError,
  OverflowError,
  UFuncTypeError,
  ZeroDivisionError,
  MemoryError,
  RuntimeError,
  EOFError,
  BadZipFile,
  UnpicklingError,
  AttributeError,
  ModuleNotFoundError,
  FloatingPointError,
  TooHardError,
  KeyError,
} from "./errors.js";
export { NotImplementedError } from "./param_types.js";
export { Signature } from "./signature.js";
export type { Param, ParamKind } from "./signature.js";
export { array, asarrayPublic as asarray, astype, copy, frombuffer, fromiter, fromfunction } from "./creation_from_data.js";
export type { ArrayLike, NestedArray } from "./creation_from_data.js";
export { empty, zeros, ones, full, empty_like, zeros_like, ones_like, full_like, eye, identity } from "./creation_shape.js";
export type { ShapeLike } from "./creation_shape.js";
export { arange, linspace, logspace, geomspace, meshgrid, indices } from "./creation_ranges.js";
export * from "./ufuncs.js";
import "./ufunc_methods.js"; // np.add.reduce, .accumulate, .outer, .at, .reduceat, .nin …
export type { UfuncMethods } from "./ufunc_methods.js";
export type { UfuncKeywords as UfuncOptions } from "./ufunc.js";
export { sum, prod, cumsum, cumprod, cumulative_sum, cumulative_prod } from "./math_sum_prod_diff.js";
export type { ReduceOptions, CumulativeOptions } from "./math_sum_prod_diff.js";
export { min, max, amin, amax } from "./math_extrema.js";
export type { MinMaxOptions } from "./math_extrema.js";
export { all, any } from "./logic_truth.js";
export type { VarOptions } from "./stats_avgs_vars.js";
export { mean, var, std } from "./stats_avgs_vars.js";
export {
  shape,
  ndim,
  size,
  reshape,
  transpose,
  permute_dims,
  swapaxes,
  moveaxis,
  ravel,
  squeeze,
  expand_dims,
  broadcast_to,
  broadcast_shapes,
  atleast_1d,
  atleast_2d,
  atleast_3d,
  rollaxis,
  broadcast_arrays,
  copyto,
} from "./array_manipulation.js";
export { concatenate, concat, stack, hstack, vstack, row_stack, dstack, column_stack, block } from "./array_joining.js";
export { split, array_split, hsplit, vsplit, dsplit, unstack } from "./array_splitting.js";
export { tile, repeat } from "./array_tiling.js";
export { flip, fliplr, flipud, rot90, roll } from "./array_rearranging.js";
export { append, delete_ as delete, insert, resize, trim_zeros } from "./array_adding_removing.js";
export { pad } from "./array_padding.js";
export { asanyarray, ascontiguousarray, asfortranarray, asarray_chkfinite, require } from "./array_kind.js";
export { diag, diagflat, tri, tril, triu, vander } from "./creation_matrices.js";
export { pi, e, inf, nan, euler_gamma } from "./constants.js";
export { isscalar } from "./scalars.js";
export { slice, Slice, newaxis } from "./indexing.js";
export type { IndexItem } from "./indexing.js";
export { array2string, array_str, array_repr, get_printoptions, set_printoptions, printoptions } from "./printing/api.js";
export type { PrintOptions, Formatter, LegacyMode } from "./printing/api.js";
export { format_float_positional, format_float_scientific } from "./printing/format_float.js";
export { binary_repr, base_repr } from "./io_base_n.js";
export { packbits, unpackbits } from "./bitwise_packing.js";
export { matmul, dot, vdot, inner, outer, vecdot, matvec, vecmat, matrix_transpose } from "./products.js";
export { einsum } from "./einsum.js";
export { einsum_path } from "./einsum_path.js";
export { tensordot, kron } from "./tensor_products.js";
export * as random from "./random/index.js";
export { sort, argsort, argmin, argmax, nonzero, flatnonzero, argwhere, count_nonzero } from "./sorting_searching.js";
export type { ArgOptions } from "./sorting_searching.js";
export { take, compress, put, place, iterable, ndindex, ndenumerate, NdIndex, NdEnumerate } from "./indexing_routines.js";
export type { TakeMode } from "./indexing_routines.js";
export { save, savez, savez_compressed, load } from "./io.js";
export { from_arrow, to_arrow_table, save_arrow, read_arrow, read_parquet, save_parquet } from "./arrow/index.js";
export type { ArrowInput, FromArrowOptions, MaskedColumn, ReadParquetOptions, SaveParquetOptions, TableLike } from "./arrow/index.js";
export { loadtxt, savetxt } from "./io_text.js";
export { genfromtxt } from "./io_genfromtxt.js";
export { fromfile, fromstring, FileNotFoundError } from "./io_raw.js";
export * as fft from "./fft/index.js";
export * as linalg from "./linalg/index.js";
export { searchsorted, partition, argpartition, lexsort, sort_complex, extract } from "./sorting_searching.js";
export {
  take_along_axis,
  put_along_axis,
  choose,
  select,
  putmask,
  diag_indices,
  diag_indices_from,
  tril_indices,
  triu_indices,
  tril_indices_from,
  triu_indices_from,
  mask_indices,
  ix_,
  unravel_index,
  ravel_multi_index,
  diagonal,
  trace,
  fill_diagonal,
} from "./indexing_routines.js";
export { unique, unique_all, unique_counts, unique_inverse, unique_values, isin, intersect1d, union1d, setdiff1d, setxor1d } from "./sets.js";
export type { NamedTuple } from "./named_tuple.js";
export { isclose, allclose, array_equal, array_equiv } from "./logic_comparison.js";
export { iscomplex, iscomplexobj, isreal, isrealobj, isneginf, isposinf, isfortran } from "./logic_array_type.js";
export { median, nanmedian, quantile, percentile, nanquantile, nanpercentile, ptp } from "./stats_order.js";
export type { QuantileMethod } from "./stats_order.js";
export {
  nansum,
  nanprod,
  nancumsum,
  nancumprod,
  nanmin,
  nanmax,
  nanargmin,
  nanargmax,
  nanmean,
  nanvar,
  nanstd,
} from "./nanfunctions.js";
export { average } from "./stats_avgs_vars.js";
export { histogram, histogram2d, histogramdd, histogram_bin_edges, bincount, digitize } from "./stats_histograms.js";
export {
  divmod,
  modf,
  frexp,
  fix,
  sinc,
  angle,
  real_if_close,
  nan_to_num,
  diff,
  ediff1d,
  gradient,
  trapezoid,
  interp,
  unwrap,
  cross,
} from "./math_misc.js";
export { i0 } from "./math_special.js";
export { apply_along_axis, apply_over_axes, piecewise, vectorize, frompyfunc } from "./functional.js";
export type { Vectorized, PyUfunc } from "./functional.js";
export { bartlett, blackman, hamming, hanning, kaiser } from "./window.js";
export { seterr, geterr, seterrcall, geterrcall, errstate, ErrState } from "./fp_errors.js";
export type { ErrMode, ErrSettings, ErrCall } from "./fp_errors.js";
export { show_config, show_runtime, getbufsize, setbufsize, get_include } from "./misc_config.js";
export { info } from "./misc_info.js";
export type { InfoOutput } from "./misc_info.js";
export { may_share_memory, shares_memory } from "./misc_memory.js";
export { cov, corrcoef, correlate, convolve } from "./stats_correlating.js";
export { poly, roots, polyval, polyadd, polysub, polymul, polydiv, polyder, polyint, polyfit } from "./polynomial_legacy.js";
export type { PolyLike, PolyfitFull } from "./polynomial_legacy.js";
export { poly1d } from "./poly1d.js";
export type { Poly1d } from "./poly1d.js";
