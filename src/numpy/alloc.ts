import { runtime } from "../core/runtime.js";
import { DType, DTYPES, DTypeName } from "../core/dtype.js";
import { MemoryError, allocationMessage } from "../core/errors.js";
import type { Store } from "../core/store.js";
import { ValueError } from "./errors.js";

const MAX_INTP = 2n ** 63n - 1n;

/**
 * A new store for an array of `shape` and `dtype`, checked as NumPy checks a new array:
 * a dimension beyond the index range, or more bytes than the index range can count, is a
 * ValueError; more bytes than the whole machine has (host memory times ranks) is NumPy's
 * MemoryError, raised here rather than when the memory is first touched. Every array the
 * NumPy layer makes is allocated through here.
 */
export function newStore(shape: readonly number[], dtype: DType | DTypeName): Store {
  const dt = typeof dtype === "string" ? DTYPES[dtype] : dtype;
  let bytes = BigInt(dt.itemsize);
  let empty = false;
  for (const n of shape) {
    if (n >= 2 ** 63) throw new ValueError("Maximum allowed dimension exceeded");
    if (n === 0) { empty = true; continue; }
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
    bytes *= BigInt(n);
    if (bytes > MAX_INTP) throw new ValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
  }
  const machine = runtime().machine;
  const host = machine.memories.find((m) => m.kind === "host")?.bytes ?? Infinity;
  if (!empty && Number(bytes) > host * machine.ranks) throw new MemoryError(allocationMessage(Number(bytes), shape, dt.name));
  return runtime().createStore(shape, dt);
}
