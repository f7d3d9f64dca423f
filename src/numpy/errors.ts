import { ValueError, MemoryError } from "../core/index.js";

/** NumPy's exception classes. TypeError is JavaScript's own, as NumPy's is Python's. */
export { ValueError, MemoryError };
export class IndexError extends Error {
  override name = "IndexError";
}
/** Raised for an axis out of range; like NumPy's, it is also a ValueError. */
export class AxisError extends ValueError {
  override name = "AxisError";
  constructor(axis: number, ndim: number, prefix?: string) {
    super(`${prefix ? `${prefix}: ` : ""}axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
}
/** NumPy's UFuncTypeError: a ufunc's type or casting rule refused its operands (a TypeError). */
export class UFuncTypeError extends TypeError {
  override name = "UFuncTypeError";
}
/** Python's ZeroDivisionError (np.arange with a zero step). */
export class ZeroDivisionError extends Error {
  override name = "ZeroDivisionError";
}
/** numpy.linalg's error (singular or non-positive-definite input, no convergence); a ValueError as NumPy's. */
export class LinAlgError extends ValueError {
  override name = "LinAlgError";
}
/** Python's OverflowError, for weak integer scalars that do not fit the array's dtype. */
export class OverflowError extends Error {
  override name = "OverflowError";
}
/** Python's RuntimeError (NotImplementedError is one). */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}
/** NumPy's numpy.exceptions.TooHardError: np.shares_memory ran out of its max_work. */
export class TooHardError extends RuntimeError {
  override name = "TooHardError";
}
/** Python's EOFError: np.load of an empty file, a zip entry whose data ends early. */
export class EOFError extends Error {
  override name = "EOFError";
}
/** Python's zipfile.BadZipFile: a damaged .npz archive (bad directory, CRC, sizes). */
export class BadZipFile extends Error {
  override name = "BadZipFile";
}
/** Python's pickle.UnpicklingError: a file np.load(allow_pickle=True) cannot read as a pickle. */
export class UnpicklingError extends Error {
  override name = "UnpicklingError";
}
/** Python's AttributeError (np.isfortran of something that is not an ndarray). */
export class AttributeError extends Error {
  override name = "AttributeError";
}
/** Python's ModuleNotFoundError (np.info with a `toplevel` that names no module). */
export class ModuleNotFoundError extends Error {
  override name = "ModuleNotFoundError";
}
/** Python's KeyError (np.typename of an unknown code); the message is the key's repr. */
export class KeyError extends Error {
  override name = "KeyError";
}
/** NumPy's FloatingPointError: a floating-point error under np.seterr(...='raise'). */
export class FloatingPointError extends Error {
  override name = "FloatingPointError";
}

/** Normalise a possibly negative axis, raising AxisError as NumPy does. */
export function normalizeAxis(axis: number, ndim: number, prefix?: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new AxisError(axis, ndim, prefix);
  return axis < 0 ? axis + ndim : axis;
}

/** Python's FileNotFoundError (a missing file given to np.fromfile, np.read_parquet …). */
export class FileNotFoundError extends Error {
  override name = "FileNotFoundError";
}

/** A file system error as Python raises it: FileNotFoundError for a missing file, others as they are. */
export function fileError(file: string, e: unknown): unknown {
  return (e as { code?: string }).code === "ENOENT" ? new FileNotFoundError(`[Errno 2] No such file or directory: '${file}'`) : e;
}
