/**
 * NumPy's "Tiling arrays" section: tile and repeat. A uniform repetition is a broadcast view
 * copied once into the result; per-element repeats gather along the axis.
 */
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { newStore } from "./alloc.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, toIndex } from "./param_types.js";
import { copyPiece, checkCast } from "./array_joining.js";
import { take } from "./indexing_routines.js";
import { ravel } from "./array_manipulation.js";
import { DTYPES } from "../core/index.js";

/** A new array of `shape` holding the broadcast view `view` of `a`: one copy launch. */
function broadcastCopy(a: ndarray, shape: number[], view: ndarray, name: string): ndarray {
  const out = newStore(shape, a.dtype);
  copyPiece(out, view, name);
  return new ndarray(out);
}

/** np.tile(A, reps): `A` repeated `reps` times along each axis (reps padded with ones, or A with leading axes). */
export const tile = def(
  "tile",
  "A, reps",
  { A: arg.array, reps: conv<number | readonly number[], number[]>((v): number[] => (Array.isArray(v) ? v.map(toIndex) : [toIndex(v)])) },
  (p): ndarray => {
    const reps = p.reps;
    let c = asarray(p.A);
    if (c.ndim < reps.length) c = new ndarray(c._store.reshape([...new Array(reps.length - c.ndim).fill(1), ...c.shape])!);
    const tup = [...new Array(c.ndim - reps.length).fill(1), ...reps];
    if (tup.some((r) => r < 0) && c.size > 0) throw new ValueError("negative dimensions are not allowed");
    const outShape = c.shape.map((n, i) => n * tup[i]);
    if (outShape.some((n) => n < 0)) throw new ValueError("negative dimensions are not allowed");
    // (r0, a0, r1, a1, …): each axis of A behind a broadcast axis of its repetitions.
    let s = c._store;
    for (let i = c.ndim - 1; i >= 0; i--) s = s.promote(i, 1);
    const wide = c.shape.flatMap((n, i) => [tup[i], n]);
    const r = broadcastCopy(c, wide, new ndarray(s.broadcast(wide)), "tile");
    return new ndarray(r._store.reshape(outShape)!);
  },
);

/** repeats as NumPy takes them: integers (floats truncated), 'safe' casting from integer arrays. */
const REPEATS = conv<ArrayLike, number[]>((v): number[] => {
  if (typeof v === "number") return [Math.trunc(v)];
  if (typeof v === "boolean" || typeof v === "bigint") return [Number(v)];
  const r = asarray(v as ArrayLike);
  if (r.dtype.isInteger || r.dtype.kind === "b") checkCast(r.dtype, DTYPES.int64, "safe");
  else if (!(v instanceof ndarray) && r.dtype.kind === "f") return (r.flatValues() as number[]).map(Math.trunc);
  else checkCast(r.dtype, DTYPES.int64, "same_kind");
  if (r.ndim > 1)
    throw new ValueError("setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.");
  return r.flatValues().map((x) => Number(x));
});

/** np.repeat's work: each element along `axis` repeated. */
export function repeat_(x: ArrayLike, repeats: number[], axisArg: number | null): ndarray {
  let a = asarray(x);
  if (axisArg === null) a = ravel(a);
  else if (a.ndim === 0) a = new ndarray(a._store.reshape([1])!);
  const axis = axisArg === null ? 0 : normalizeAxis(axisArg, a.ndim);
  const n = a.shape[axis];
  if (repeats.length !== 1 && repeats.length !== n)
    throw new ValueError(`operands could not be broadcast together with shape (${n},) (${repeats.length},)`);
  if (repeats.length === 1) {
    const r = repeats[0];
    if (r < 0) throw new ValueError("negative dimensions are not allowed");
    const wide = [...a.shape];
    wide.splice(axis + 1, 0, r);
    const out = [...a.shape];
    out[axis] = n * r;
    const v = new ndarray(a._store.promote(axis + 1, 1).broadcast(wide));
    return new ndarray(broadcastCopy(a, wide, v, "repeat")._store.reshape(out)!);
  }
  if (repeats.some((r) => r < 0)) throw new ValueError("repeats may not contain negative values.");
  const idx: number[] = [];
  repeats.forEach((r, i) => {
    for (let k = 0; k < r; k++) idx.push(i);
  });
  return take(a, asarray(idx, { dtype: "int64" }), axis);
}

/** np.repeat(a, repeats, axis=None): each element repeated (`repeats` one count or one per element); flattened without an axis. */
export const repeat = def(
  "repeat",
  "a, repeats, axis=None",
  { a: arg.array, repeats: REPEATS, axis: arg.axis },
  (p): ndarray => repeat_(p.a, p.repeats, p.axis),
);
