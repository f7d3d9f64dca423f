import type { ndarray } from "./ndarray.js";
import { reduceWith } from "./reduction.js";
import { def } from "./signature.js";
import type { OptionsOf } from "./signature.js";
import { arg } from "./param_types.js";

/** NumPy's "Extrema finding" (the reductions; maximum and minimum are ufuncs): min, max, amin, amax. */

const MINMAX_PARAMS = "a, axis=None, out=None, keepdims=<no value>, initial=<no value>, where=<no value>";
const MINMAX_ARGS = { a: arg.array, axis: arg.axes, out: arg.out, keepdims: arg.bool, initial: arg.any, where: arg.array };

/** The keywords np.min / np.max take. */
export type MinMaxOptions = OptionsOf<typeof MINMAX_PARAMS, typeof MINMAX_ARGS>;

/** np.min (np.amin): NaN propagates; complex values order lexicographically. */
export const min = def("min", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => reduceWith("min", (d) => d, p));
/** np.max (np.amax): NaN propagates; complex values order lexicographically. */
export const max = def("max", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => reduceWith("max", (d) => d, p));
export const amin = def("amin", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => reduceWith("min", (d) => d, p));
export const amax = def("amax", MINMAX_PARAMS, MINMAX_ARGS, (p): ndarray => reduceWith("max", (d) => d, p));
