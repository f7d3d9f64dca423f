/**
 * Errors of bad *data* raised inside tasks (not bugs in a task): they keep their class across
 * threads, so a program sees the same error whether a kernel ran inline or on a worker.
 * Libraries build on it (NumPy's ValueError is this class).
 */
export class ValueError extends Error {
  override name = "ValueError";
}

/**
 * Python's MemoryError: memory for a store could not be had (the request exceeds the
 * machine, or the allocation itself failed). Libraries build on it (NumPy's MemoryError is
 * this class), so that a failure at any point names the same class.
 */
export class MemoryError extends Error {
  override name = "MemoryError";
}

/** A task failed on a worker thread for a reason that is not bad data (the worker died, a bug in a task). */
export class TaskError extends Error {
  override name = "TaskError";
}

/** The GPU could not run what was asked of it, or was lost while it held the only copy of some values. */
export class GpuError extends Error {
  override name = "GpuError";
}

/** MPI ranks took different paths through the program (control replication needs one path). */
export class DivergenceError extends Error {
  override name = "DivergenceError";
}

/** A byte count as NumPy prints it: binary units, three significant digits ("7.28 TiB"). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  const bitLength = bytes <= 0 ? 0 : Math.floor(Math.log2(bytes)) + 1;
  let unit = Math.floor(Math.max(bitLength - 1, 1) / 10);
  let n = bytes / 2 ** (unit * 10);
  if (Math.round(n) === 1024) {
    unit++;
    n /= 1024;
  }
  if (unit >= units.length) {
    n *= 2 ** ((unit - units.length + 1) * 10);
    unit = units.length - 1;
  }
  if (unit === 0) return `${n.toFixed(0)} ${units[0]}`;
  // Python's '{:#.3g}' and '{:#.0f}': the decimal point always shown.
  const text = Math.round(n) < 1000 ? n.toPrecision(3) : n.toFixed(0);
  return `${text.includes(".") ? text : `${text}.`} ${units[unit]}`;
}

/** The message of a failed allocation, as NumPy words it. */
export function allocationMessage(bytes: number, shape: readonly number[], dtype: string): string {
  const dims = shape.map((n) => (Number.isInteger(n) ? BigInt(n).toString() : String(n)));
  const tuple = `(${dims.join(", ")}${shape.length === 1 ? "," : ""})`;
  return `Unable to allocate ${formatBytes(bytes)} for an array with shape ${tuple} and data type ${dtype}`;
}
