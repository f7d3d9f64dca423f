import { runtime, type DType, DTYPES, MemoryError, allocationMessage } from "../core/index.js";
import type { DTypeName, Store } from "../core/index.js";
import { ValueError } from "./errors.js";

const MAX_INTP = 2n ** 63n - 1n;
/** Below this no machine is asked whether it has the memory (1 GiB). */
const MIN_MACHINE_BYTES = 2 ** 30;

/**
 * A new store for an array of `shape` and `dtype`, checked as NumPy checks a new array:
 * a dimension beyond the index range, or more bytes than the index range can count, is a
 * ValueError; more bytes than the whole machine has (host memory times ranks) is NumPy's
 * MemoryError, raised here rather than when the memory is first touched. Every array the
 * NumPy layer makes is allocated through here.
 */
export function newStore(shape: readonly number[], dtype: DType | DTypeName): Store {
  const dt = typeof dtype === "string" ? DTYPES[dtype] : dtype;
  // The common case in floating point; exact integers only when the count grows past 2^53.
  let bytes = dt.itemsize;
  let empty = false;
  for (const n of shape) {
    if (n === 0) {
      empty = true;
      continue;
    }
    if (n >= 2 ** 63) throw new ValueError("Maximum allowed dimension exceeded");
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
    bytes *= n;
  }
  if (bytes > Number.MAX_SAFE_INTEGER) {
    let exact = BigInt(dt.itemsize);
    for (const n of shape) {
      if (n === 0) continue;
      exact *= BigInt(n);
      if (exact > MAX_INTP) throw new ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
    }
  }
  if (!empty && bytes > MIN_MACHINE_BYTES) {
    const machine = runtime().machine;
    const host = machine.memories.find((m) => m.kind === "host")?.bytes ?? Infinity;
    if (bytes > host * machine.ranks) throw new MemoryError(allocationMessage(bytes, shape, dt.name));
  }
  return runtime().createStore(shape, dt);
}
