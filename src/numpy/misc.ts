import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";

/** np.copy(a). */
export function copy(a: ArrayLike): ndarray { return asarray(a).copy(); }
/** np.shape / np.ndim / np.size. */
export function shape(a: ArrayLike): number[] { return asarray(a).shape; }
export function ndim(a: ArrayLike): number { return asarray(a).ndim; }
export function size(a: ArrayLike): number { return asarray(a).size; }
