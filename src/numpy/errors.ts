import { ValueError, MemoryError } from "../core/errors.js";

/** NumPy's exception classes. TypeError is JavaScript's own, as NumPy's is Python's. */
export { ValueError, MemoryError };
export class IndexError extends Error { override name = "IndexError"; }
/** Raised for an axis out of range; like NumPy's, it is also a ValueError. */
export class AxisError extends ValueError {
  override name = "AxisError";
  constructor(axis: number, ndim: number, prefix?: string) { super(`${prefix ? `${prefix}: ` : ""}axis ${axis} is out of bounds for array of dimension ${ndim}`); }
}
/** NumPy's UFuncTypeError: a ufunc's type or casting rule refused its operands (a TypeError). */
export class UFuncTypeError extends TypeError { override name = "UFuncTypeError"; }
/** Python's ZeroDivisionError (np.arange with a zero step). */
export class ZeroDivisionError extends Error { override name = "ZeroDivisionError"; }
export class LinAlgError extends Error { override name = "LinAlgError"; }
/** Python's OverflowError, for weak integer scalars that do not fit the array's dtype. */
export class OverflowError extends Error { override name = "OverflowError"; }

/** Normalise a possibly negative axis, raising AxisError as NumPy does. */
export function normalizeAxis(axis: number, ndim: number, prefix?: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new AxisError(axis, ndim, prefix);
  return axis < 0 ? axis + ndim : axis;
}
