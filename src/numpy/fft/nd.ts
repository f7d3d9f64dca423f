import type { ndarray } from "../ndarray.js";
import { IndexError, ValueError } from "../errors.js";
import { pyType, toIndex } from "../param_types.js";
import { ndarray as NdArray } from "../ndarray.js";
import { pyIndex } from "./raw.js";

/**
 * NumPy's _cook_nd_args and _raw_fftnd: the sizes and axes of an n-D transform, which is
 * then one 1-D transform per axis, the last axis first.
 */

/** A 1-D transform as the n-D loop calls it: n null means the input's length along `axis`. */
export type Transform1D = (a: ndarray, n: number | null, axis: number, norm: unknown, out: ndarray | null) => ndarray;

/** A sequence argument (list or 1-D array) as a JS list, else Python's TypeError from `what`. */
function sequence(v: unknown, error: (type: string) => string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof NdArray && v.ndim === 1) return v.tolist() as unknown[];
  throw new TypeError(error(typeof v === "number" || typeof v === "bigint" ? "int" : pyType(v)));
}

/**
 * The sizes (null: the input's length) and axes of an n-D transform. `s` without `axes` means
 * the last len(s) axes; `invreal` (irfftn) makes the last size default to 2·(m-1).
 */
export function cookNdArgs(a: ndarray, s: unknown, axes: unknown, invreal = false): [(number | null)[], number[]] {
  const shapeless = s === null;
  let sizes: (number | null)[];
  if (s === null) {
    if (axes === null) sizes = [...a.shape];
    else {
      // np.take(a.shape, axes)
      const take = (i: number) => {
        if (a.ndim === 0) throw new IndexError("cannot do a non-empty take from an empty axes.");
        if (i < -a.ndim || i >= a.ndim) throw new IndexError(`index ${i} is out of bounds for axis 0 with size ${a.ndim}`);
        return a.shape[i < 0 ? i + a.ndim : i];
      };
      if (!Array.isArray(axes) && !(axes instanceof NdArray)) {
        take(toIndex(axes));
        throw new TypeError("'numpy.int64' object is not iterable");
      }
      sizes = sequence(axes, () => "").map((i) => take(toIndex(i)));
    }
  } else sizes = sequence(s, (t) => `'${t}' object is not iterable`).map((v) => (v === null ? null : toIndex(v)));
  const ax = axes === null ? sizes.map((_, i) => i - sizes.length) : sequence(axes, (t) => `object of type '${t}' has no len()`).map(toIndex);
  if (sizes.length !== ax.length) throw new ValueError("Shape and axes have different lengths.");
  if (invreal && shapeless) {
    // axes[-1] of the caller's axes (a tuple to Python) or of the computed list.
    if (sizes.length === 0) throw new IndexError(`${axes === null ? "list" : "tuple"} index out of range`);
    sizes[sizes.length - 1] = (pyIndex(a.shape, ax[ax.length - 1]) - 1) * 2;
  }
  sizes = sizes.map((v, i) => (v === -1 ? pyIndex(a.shape, ax[i]) : v));
  return [sizes, ax];
}

/**
 * NumPy's _raw_fftnd: `transform` along each axis, the last first (each writing `out` if
 * given). Without `out`, a pass that keeps its axis's length transforms the previous pass's
 * result in place (NumPy allocates a new array per axis).
 */
export function rawFftNd(a: ndarray, s: unknown, axes: unknown, transform: Transform1D, norm: unknown, out: ndarray | null): ndarray {
  const [sizes, ax] = cookNdArgs(a, s, axes);
  for (let i = ax.length - 1; i >= 0; i--) {
    const own = out === null && i < ax.length - 1 && (sizes[i] === null || sizes[i] === pyIndex(a.shape, ax[i]));
    a = transform(a, sizes[i], ax[i], norm, own ? a : out);
  }
  return a;
}
