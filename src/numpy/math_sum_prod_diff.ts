import { runtime, align, broadcast } from "../core/index.js";
import { newStore } from "./alloc.js";
import { def } from "./signature.js";
import type { OptionsOf } from "./signature.js";
import { arg } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { DType } from "./dtypes.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { astype } from "./copy.js";
import { reduceWith, sumDType } from "./reduction.js";
import { numpyLibrary } from "./tasks/library.js";
import { formatShape } from "./broadcast.js";
import { full } from "./creation_shape.js";
import { Slice } from "./indexing.js";

/** NumPy's "Sums, products, differences": sum, prod, cumsum, cumprod, cumulative_sum, cumulative_prod, (diff, ediff1d, gradient, trapezoid: math_misc.ts). */

const REDUCE_PARAMS = "a, axis=None, dtype=None, out=None, keepdims=<no value>, initial=<no value>, where=<no value>";
const REDUCE_ARGS = { a: arg.array, axis: arg.axes, dtype: arg.dtype, out: arg.out, keepdims: arg.bool, initial: arg.any, where: arg.array };

/** The keywords np.sum / np.prod take. */
export type ReduceOptions = OptionsOf<typeof REDUCE_PARAMS, typeof REDUCE_ARGS>;

/** np.sum(a, axis, dtype, out, keepdims, initial, where). Float sums accumulate in double within rows. */
export const sum = def("sum", REDUCE_PARAMS, REDUCE_ARGS, (p): ndarray => reduceWith("sum", sumDType, p));
/** np.prod(a, axis, dtype, out, keepdims, initial, where). */
export const prod = def("prod", REDUCE_PARAMS, REDUCE_ARGS, (p): ndarray => reduceWith("prod", sumDType, p));

const INTLIKE = "biu";

/**
 * np.cumsum / np.cumprod as the `cumulate` task: the scan axis is never cut, so the rows of
 * the other dims are scanned in parallel (one point per worker, or on the GPU). A single
 * long row is one point: a sequential scan rounds floats exactly as NumPy's (sequential)
 * accumulate does, which a blocked parallel scan would not.
 */
function cumulative(op: "sum" | "prod") {
  return (x: ArrayLike, opts: { axis: number | null; dtype: DType | null; out: ndarray | null }): ndarray => {
    let a = asarray(x);
    let axis: number;
    if (opts.axis === null) {
      a = a.ravel();
      axis = 0;
    } else {
      if (a.ndim === 0) a = a.reshape([1]);
      axis = normalizeAxis(opts.axis, a.ndim);
    }
    const acc = opts.dtype ?? sumDType(a.dtype);
    // The task converts integer and bool inputs itself (modular arithmetic, the same as
    // casting first); anything else is cast first, as NumPy casts the input to the loop's type.
    if (a.dtype !== acc && !(INTLIKE.includes(a.dtype.kind) && INTLIKE.includes(acc.kind))) a = astype(a, acc);
    const rt = runtime();
    const out = newStore(a.shape, acc);
    if (a.size > 0) {
      rt.submit(
        numpyLibrary().launch("cumulate", {
          args: [
            { store: a._store, privilege: "read" },
            { store: out, privilege: "write" },
          ],
          scalars: [op, axis],
          constraints: [align(a._store, out), broadcast(out, [axis])],
          serial: a.size === a.shape[axis],
        }),
      );
    }
    const r = new ndarray(out);
    if (!opts.out) return r;
    if (opts.out.size !== r.size || opts.out.ndim !== r.ndim) throw new ValueError("provided out is the wrong size for the accumulation.");
    if (opts.out.shape.join() !== r.shape.join()) {
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(opts.out.shape)}->${formatShape(opts.out.shape)} ${formatShape(r.shape)}->${formatShape(r.shape)} `,
      );
    }
    opts.out.set("...", r);
    return opts.out;
  };
}

const SCAN_PARAMS = "a, axis=None, dtype=None, out=None";
const SCAN_ARGS = { a: arg.array, axis: arg.axis, dtype: arg.dtype, out: arg.out };

export type CumulativeOptions = OptionsOf<typeof SCAN_PARAMS, typeof SCAN_ARGS>;

/** np.cumsum(a, axis=None, dtype=None, out=None): running sums along `axis` (flattened when axis is null). */
export const cumsum = def("cumsum", SCAN_PARAMS, SCAN_ARGS, (p): ndarray => cumulative("sum")(p.a, p));
/** np.cumprod(a, axis=None, dtype=None, out=None): running products along `axis` (flattened when axis is null). */
export const cumprod = def("cumprod", SCAN_PARAMS, SCAN_ARGS, (p): ndarray => cumulative("prod")(p.a, p));

const CUMULATIVE_PARAMS = "x, /, *, axis=None, dtype=None, out=None, include_initial=False";
const CUMULATIVE_ARGS = { x: arg.array, axis: arg.axis, dtype: arg.dtype, out: arg.out, include_initial: arg.bool };

/**
 * NumPy 2.1's cumulative_sum / cumulative_prod: add.accumulate / multiply.accumulate along
 * `axis` (required past one dimension), with the identity first when `include_initial`.
 */
function cumulativeApi(op: "sum" | "prod") {
  return (p: { x: ArrayLike; axis: number | null; dtype: DType | null; out: ndarray | null; include_initial: boolean }): ndarray => {
    let x = asarray(p.x);
    if (x.ndim === 0) x = x.reshape([1]);
    if (p.axis === null && x.ndim >= 2) throw new ValueError("For arrays which have more than one dimension ``axis`` argument is required.");
    const axis = normalizeAxis(p.axis ?? 0, x.ndim);
    if (!p.include_initial) return cumulative(op)(x, { axis, dtype: p.dtype, out: p.out });
    const r = cumulative(op)(x, { axis, dtype: p.dtype, out: null });
    const shape = r.shape.map((n, d) => (d === axis ? n + 1 : n));
    const res = full(shape, op === "sum" ? 0 : 1, { dtype: r.dtype });
    res.set(...shape.map((_, d) => (d === axis ? new Slice(1, null) : new Slice(null, null))), r);
    if (!p.out) return res;
    if (p.out.shape.join() !== res.shape.join()) throw new ValueError("provided out is the wrong size for the accumulation.");
    p.out.set("...", res);
    return p.out;
  };
}
/** np.cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False). */
export const cumulative_sum = def("cumulative_sum", CUMULATIVE_PARAMS, CUMULATIVE_ARGS, (p): ndarray => cumulativeApi("sum")(p));
/** np.cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False). */
export const cumulative_prod = def("cumulative_prod", CUMULATIVE_PARAMS, CUMULATIVE_ARGS, (p): ndarray => cumulativeApi("prod")(p));
