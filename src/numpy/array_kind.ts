/**
 * NumPy's "Changing kind of array" section: asanyarray, ascontiguousarray, asfortranarray,
 * require. Only ndarrays exist here, so asanyarray is asarray; layouts are C or Fortran
 * order of the same values (a copy only when the array is not already in that layout).
 */
import type { DType } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, asarrayPublic } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { ValueError } from "./errors.js";
import { binding, def } from "./signature.js";
import { arg, pyStr } from "./param_types.js";
import { empty } from "./creation_shape.js";
import { copyPiece } from "./array_joining.js";
import { contiguous } from "./ndarray_flags.js";
import { isfinite } from "./ufuncs.js";
import { all } from "./logic_truth.js";

/** np.asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None): asarray (no ndarray subclasses exist here). */
export const asanyarray = binding(
  def(
    "asanyarray",
    "a, dtype=None, order=None, *, device=None, copy=None, like=None",
    { a: arg.array, dtype: arg.dtype, order: arg.orderOrNone, device: arg.device, copy: arg.boolOrNone, like: arg.like },
    (p): ndarray => asarrayPublic(p.a, p.dtype, p.order, { copy: p.copy }),
  ),
  { style: "npy" },
);

/** The values of `a` (at least 1-D) in a new array of the given order and dtype, unless already so. */
function inOrder(x: ArrayLike, dtype: DType | null, fortran: boolean, force = false): ndarray {
  let a = asarray(x);
  if (dtype !== null && dtype !== a.dtype) a = a.astype(dtype);
  if (a.ndim === 0) a = new ndarray(a._store.reshape([1])!);
  if (!force && contiguous(a, fortran)) return a;
  const out = empty(a.shape, a.dtype, fortran ? "F" : "C");
  copyPiece(out._store, a, "copy");
  return out;
}

/** np.ascontiguousarray(a, dtype=None): `a` in C order (at least 1-D), copied only when it is not. */
export const ascontiguousarray = binding(
  def(
    "ascontiguousarray",
    "a, dtype=None, *, like=None",
    { a: arg.array, dtype: arg.dtype, like: arg.like },
    (p): ndarray => inOrder(p.a, p.dtype, false),
  ),
  { style: "npy" },
);
/** np.asfortranarray(a, dtype=None): `a` in Fortran order (at least 1-D), copied only when it is not. */
export const asfortranarray = binding(
  def(
    "asfortranarray",
    "a, dtype=None, *, like=None",
    { a: arg.array, dtype: arg.dtype, like: arg.like },
    (p): ndarray => inOrder(p.a, p.dtype, true),
  ),
  { style: "npy" },
);

const FLAGS: Record<string, string> = {
  C: "C",
  C_CONTIGUOUS: "C",
  CONTIGUOUS: "C",
  F: "F",
  F_CONTIGUOUS: "F",
  FORTRAN: "F",
  A: "A",
  ALIGNED: "A",
  W: "W",
  WRITEABLE: "W",
  O: "O",
  OWNDATA: "O",
  E: "E",
  ENSUREARRAY: "E",
};

/** Python's KeyError (np.require's unknown flag). */
class KeyError extends Error {
  override name = "KeyError";
}

/**
 * np.require(a, dtype=None, requirements=None): `a` as an array of `dtype` meeting the flags
 * ('C', 'F', 'A', 'W', 'O', 'E' and their long names), copied only when needed. Every array
 * here is aligned and writeable.
 */
export const require = def(
  "require",
  "a, dtype=None, requirements=None, *, like=None",
  { a: arg.array, dtype: arg.dtype, requirements: arg.any, like: arg.like },
  (p): ndarray => {
    const req = p.requirements as string | string[] | null;
    if (req === null || req.length === 0) return asarray(p.a, p.dtype === null ? {} : { dtype: p.dtype });
    const flags = new Set(
      [...req].map((x) => {
        const f = FLAGS[String(x).toUpperCase()];
        if (f === undefined) throw new KeyError(`'${pyStr(x)}'`);
        return f;
      }),
    );
    if (flags.has("C") && flags.has("F")) throw new ValueError('Cannot specify both "C" and "F" order');
    const order = flags.has("C") ? "C" : flags.has("F") ? "F" : "A";
    let a = asarray(p.a, p.dtype === null ? {} : { dtype: p.dtype });
    if (order !== "A" && a.ndim > 0 && !contiguous(a, order === "F")) a = inOrder(a, null, order === "F", true);
    if (flags.has("O") && !a._store.isWhole())
      a = inOrder(a, null, order === "F" || (order === "A" && contiguous(a, true) && !contiguous(a, false)), true);
    return a;
  },
);

/** np.asarray_chkfinite(a, dtype=None, order=None): asarray, refusing float or complex arrays that hold a NaN or an infinity. */
export const asarray_chkfinite = def(
  "asarray_chkfinite",
  "a, dtype=None, order=None",
  { a: arg.array, dtype: arg.dtype, order: arg.orderOrNone },
  (p): ndarray => {
    const a = asarrayPublic(p.a, p.dtype, p.order);
    if ((a.dtype.isFloat || a.dtype.isComplex) && !all(isfinite(a)).item()) throw new ValueError("array must not contain infs or NaNs");
    return a;
  },
);
