import { runtime, type DType, type Expr, ir } from "../core/index.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar, toArray, elementFor } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { WeakScalar } from "./dtypes.js";
import { scalarFor } from "./ufunc.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { ValueError } from "./errors.js";

const { scalar, castLoad } = ir;

/** A new C-contiguous array with `a`'s values converted to `to` (NumPy's unsafe cast). */
export function astype(a: ndarray, to: DType): ndarray {
  const out = newStore(a._store.shape, to);
  runtime().submit({
    kind: "map",
    name: `astype(${to.name})`,
    inputs: [a._store],
    outputs: [{ store: out, expr: castLoad(a.dtype.name, to.name) }],
    scalars: [],
  });
  return new ndarray(out);
}

/** A Python scalar (or None, or text) as assignment converts it into dtype `d`, with NumPy's errors. */
export function assignScalar(v: WeakScalar | string | null, d: DType): unknown {
  return scalarFor(elementFor(v, d) as WeakScalar, d);
}

/** The fill expression of each dtype (its scalar), made once so that its kernel is kept with it. */
const FILLS = new Map<DType, Expr>();
function fillExpr(d: DType): Expr {
  let e = FILLS.get(d);
  if (e === undefined) FILLS.set(d, (e = scalar(0, d.name)));
  return e;
}

/** Depth of a nested JS list (along first elements). */
function listDepth(v: unknown): number {
  let n = 0;
  while (Array.isArray(v)) {
    n++;
    v = v[0];
  }
  return n;
}

/**
 * dst[...] = value: broadcast, cast (unsafe, as NumPy's assignment), write in place. Python
 * scalars and lists are converted to dst's dtype as NumPy converts them (their ints range-
 * checked, NaN refused by integers); arrays are cast.
 */
export function copyInto(dst: ndarray, value: ArrayLike | string | null): void {
  const rt = runtime();
  const d = dst._store;
  if (isWeakScalar(value) || value === null || typeof value === "string") {
    rt.submit({
      kind: "map",
      name: "fill",
      inputs: [],
      outputs: [{ store: d, expr: fillExpr(d.dtype) }],
      scalars: [assignScalar(value, d.dtype)],
    });
    return;
  }
  if (Array.isArray(value) && listDepth(value) > d.ndim) {
    throw new ValueError(`setting an array element with a sequence. The requested array would exceed the maximum number of dimension of ${d.ndim}.`);
  }
  let src = Array.isArray(value) ? toArray(value, { dtype: d.dtype }) : asarray(value);
  // Leading length-1 dims of an array value may be dropped, as NumPy's assignment does.
  if (value instanceof ndarray) while (src.ndim > d.ndim && src.shape[0] === 1) src = new ndarray(src._store.project(0, 0));
  let shape: number[];
  try {
    shape = broadcastShapes(src.shape, d.shape);
  } catch {
    shape = [];
  }
  if (shape.join() !== d.shape.join()) {
    throw new ValueError(`could not broadcast input array from shape ${formatShape(src.shape)} into shape ${formatShape(d.shape)}`);
  }
  rt.submit({
    kind: "map",
    name: "copy",
    inputs: [src._store.broadcast(d.shape)],
    outputs: [{ store: d, expr: castLoad(src.dtype.name, d.dtype.name) }],
    scalars: [],
  });
}
