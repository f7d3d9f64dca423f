import { ndarray, printSource } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";
import { arrayRepr, arrayStr } from "./printing/arrayprint.js";

/** np.array_repr(a): NumPy's repr, e.g. `array([1., 2.], dtype=float32)`. */
export function array_repr(a: ArrayLike): string { return arrayRepr(printSource(asarray(a))); }
/** np.array_str(a): NumPy's str, e.g. `[1. 2.]`. */
export function array_str(a: ArrayLike): string { return arrayStr(printSource(asarray(a))); }
/** np.copy(a). */
export function copy(a: ArrayLike): ndarray { return asarray(a).copy(); }
/** np.shape / np.ndim / np.size. */
export function shape(a: ArrayLike): number[] { return asarray(a).shape; }
export function ndim(a: ArrayLike): number { return asarray(a).ndim; }
export function size(a: ArrayLike): number { return asarray(a).size; }
