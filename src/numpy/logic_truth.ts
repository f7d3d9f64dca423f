import { DTYPES } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { reduceWith } from "./reduction.js";
import { def } from "./signature.js";
import { arg } from "./param_types.js";

/** NumPy's "Truth value testing": all, any. */

const LOGIC_PARAMS = "a, axis=None, out=None, keepdims=<no value>, *, where=<no value>";
const LOGIC_ARGS = { a: arg.array, axis: arg.axes, out: arg.out, keepdims: arg.bool, where: arg.array };

/** np.all: truth of every element. */
export const all = def("all", LOGIC_PARAMS, LOGIC_ARGS, (p): ndarray => reduceWith("all", () => DTYPES.bool, p));
/** np.any: truth of some element. */
export const any = def("any", LOGIC_PARAMS, LOGIC_ARGS, (p): ndarray => reduceWith("any", () => DTYPES.bool, p));
