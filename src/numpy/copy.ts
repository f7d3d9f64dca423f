import { runtime } from "../core/runtime.js";
import { DType } from "../core/dtype.js";
import { cast, load, scalar } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray, isWeakScalar } from "./creation_from_data.js";
import { WeakScalar } from "./dtypes.js";
import { scalarFor } from "./ufunc.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { ValueError } from "./errors.js";

/** A new C-contiguous array with `a`'s values converted to `to` (NumPy's unsafe cast). */
export function astype(a: ndarray, to: DType): ndarray {
  const out = runtime().createStore(a._store.shape, to);
  runtime().submit({ kind: "map", name: `astype(${to.name})`, inputs: [a._store], outputs: [{ store: out, expr: cast(load(0, a.dtype.name), to.name) }], scalars: [] });
  return new ndarray(out);
}

/** A weak scalar as assignment converts it into dtype `d`: NumPy refuses complex into real. */
export function assignScalar(v: WeakScalar, d: DType): unknown {
  if (typeof v === "object" && d.isInteger) throw new TypeError("int() argument must be a string, a bytes-like object or a real number, not 'complex'");
  if (typeof v === "object" && d.isFloat) throw new TypeError("float() argument must be a string or a real number, not 'complex'");
  return scalarFor(v, d);
}

/** dst[...] = value: broadcast, cast (unsafe, as NumPy's assignment), write in place. */
export function copyInto(dst: ndarray, value: ArrayLike): void {
  const rt = runtime();
  const d = dst._store;
  if (isWeakScalar(value)) {
    rt.submit({ kind: "map", name: "fill", inputs: [], outputs: [{ store: d, expr: scalar(0, d.dtype.name) }], scalars: [assignScalar(value as WeakScalar, d.dtype)] });
    return;
  }
  let src = asarray(value);
  // Leading length-1 dims of an array value may be dropped, as NumPy's assignment does.
  if (value instanceof ndarray) while (src.ndim > d.ndim && src.shape[0] === 1) src = new ndarray(src._store.project(0, 0));
  let shape: number[];
  try { shape = broadcastShapes(src.shape, d.shape); } catch { shape = []; }
  if (shape.join() !== d.shape.join()) {
    throw new ValueError(`could not broadcast input array from shape ${formatShape(src.shape)} into shape ${formatShape(d.shape)}`);
  }
  rt.submit({ kind: "map", name: "copy", inputs: [src._store.broadcast(d.shape)], outputs: [{ store: d, expr: cast(load(0, src.dtype.name), d.dtype.name) }], scalars: [] });
}
