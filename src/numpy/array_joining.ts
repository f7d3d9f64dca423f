/**
 * NumPy's "Joining arrays" section: concatenate (concat), stack, hstack, vstack (row_stack),
 * dstack, column_stack, block. Every join is one new store and one copy task per piece into
 * its slice of it; the runtime cuts large copies across workers.
 */
import { runtime, ir, broadcast, type DType, type Store } from "../core/index.js";
import { numpyLibrary } from "./tasks/library.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { newStore } from "./alloc.js";
import { resultType, canCast } from "./dtypes.js";
import type { Casting } from "./dtypes.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { def, binding } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { ravel, atleast_1d, atleast_2d, atleast_3d } from "./array_manipulation.js";
import { isTypedArray } from "./values.js";

const { castLoad } = ir;

/**
 * The items of a sequence argument as NumPy iterates it: a list's items, an array's rows.
 * `what` is the TypeError NumPy raises for something it cannot iterate.
 */
export function sequenceItems(v: unknown, what = "dispatcher for __array_function__ did not return an iterable"): ArrayLike[] {
  if (Array.isArray(v)) return v as ArrayLike[];
  if (isTypedArray(v)) return Array.from(v as Iterable<number>);
  if (v instanceof ndarray && v.ndim > 0) return Array.from({ length: v.shape[0] }, (_, i) => v.get(i));
  if (v !== null && typeof v === "object" && Symbol.iterator in v && typeof v !== "string") return [...(v as Iterable<ArrayLike>)];
  throw new TypeError(what);
}

/** Copy `src` (cast to `dst`'s dtype) into the view `dst`: one launch. */
export function copyPiece(dst: Store, src: ndarray, name = "concatenate"): void {
  if (src.size === 0) return;
  runtime().submit({
    kind: "map",
    name,
    inputs: [src._store],
    outputs: [{ store: dst, expr: castLoad(src.dtype.name, dst.dtype.name) }],
    scalars: [],
  });
}

/** The cast check NumPy makes for each piece written into the result. */
export function checkCast(from: DType, to: DType, casting: Casting): void {
  if (!canCast(from, to, casting))
    throw new TypeError(`Cannot cast array data from dtype('${from.name}') to dtype('${to.name}') according to the rule '${casting}'`);
}

/** np.concatenate's work on arrays: checks in NumPy's order, then one copy per piece. */
export function concatenateArrays(xs: readonly ndarray[], axis: number | null, out: ndarray | null, dtype: DType | null, casting: Casting): ndarray {
  if (out !== null && dtype !== null) throw new TypeError("concatenate() only takes `out` or `dtype` as an argument, but both were provided.");
  if (xs.length === 0) throw new ValueError("need at least one array to concatenate");
  let arrays = xs;
  let ax = 0;
  if (axis === null) {
    arrays = xs.map((a) => ravel(a));
  } else {
    const ndim = arrays[0].ndim;
    if (ndim === 0) throw new ValueError("zero-dimensional arrays cannot be concatenated");
    ax = normalizeAxis(axis, ndim);
    arrays.forEach((a, i) => {
      if (a.ndim !== ndim)
        throw new ValueError(
          `all the input arrays must have same number of dimensions, but the array at index 0 has ${ndim} dimension(s) and the array at index ${i} has ${a.ndim} dimension(s)`,
        );
      for (let d = 0; d < ndim; d++)
        if (d !== ax && a.shape[d] !== arrays[0].shape[d])
          throw new ValueError(
            `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${arrays[0].shape[d]} and the array at index ${i} has size ${a.shape[d]}`,
          );
    });
  }
  const shape = [...arrays[0].shape];
  shape[ax] = arrays.reduce((n, a) => n + a.shape[ax], 0);
  let target: Store;
  if (out !== null) {
    if (axis === null && out.ndim !== 1) throw new ValueError("Output array must be 1D");
    if (axis === null ? out.size !== shape[0] : out.shape.join() !== shape.join())
      throw new ValueError(axis === null ? "Output array is the wrong size" : "Output array is the wrong shape");
    target = out._store;
  }
  const dt = out?.dtype ?? dtype ?? resultType(arrays.map((a) => a.dtype));
  for (const a of arrays) checkCast(a.dtype, dt, casting);
  // Pieces already of the result's dtype, into a result none of them aliases: one launch
  // writes the whole result (a fresh one then needs no zero fill). Otherwise one cast copy
  // per piece.
  if (!out && arrays.every((a) => a.dtype === dt) && shape.every((n) => n > 0) && arrays.length > 1) {
    const res = newStore(shape, dt);
    const pieces = arrays.filter((a) => a.size > 0);
    runtime().submit(
      numpyLibrary().launch("concatenate", {
        args: [{ store: res, privilege: "write" }, ...pieces.map((a) => ({ store: a._store, privilege: "read" as const }))],
        scalars: [ax],
        constraints: pieces.map((a) => broadcast(a._store)),
        cost: res.size,
      }),
    );
    return new ndarray(res);
  }
  target ??= newStore(shape, dt);
  let off = 0;
  for (const a of arrays) {
    const n = a.shape[ax];
    copyPiece(target.slice(ax, off, off + n, 1), a);
    off += n;
  }
  return out ?? new ndarray(target);
}

/** `out=`: NumPy's concatenate names the argument in its message. */
const OUT = conv<ndarray | null, ndarray | null>((v): ndarray | null => {
  if (v === null) return null;
  if (!(v instanceof ndarray)) throw new TypeError("'out' must be an array");
  return v;
});
const CONCAT_ARGS = { arrays: arg.any, axis: arg.axis, out: OUT, dtype: arg.dtype, casting: arg.casting };
const CONCAT_PARAMS = "arrays, /, axis=0, out=None, *, dtype=None, casting='same_kind'";
type ConcatP = { arrays: unknown; axis: number | null; out: ndarray | null; dtype: DType | null; casting: Casting };
const concatBody = (p: ConcatP): ndarray =>
  concatenateArrays(
    sequenceItems(p.arrays).map((x) => asarray(x)),
    p.axis,
    p.out,
    p.dtype,
    p.casting,
  );

/** np.concatenate((a1, a2, ...), axis=0, out=None, dtype=None, casting='same_kind'): join along an existing axis (None: flattened). */
export const concatenate = binding(def("concatenate", CONCAT_PARAMS, CONCAT_ARGS, concatBody), { style: "npy" });
/** np.concat: the Array API name of np.concatenate. */
export const concat = binding(def("concat", CONCAT_PARAMS, CONCAT_ARGS, concatBody), { style: "npy", name: "concatenate" });

/** The arrays of a *stack function's `tup`: a sequence, never a generator (NumPy's TypeError). */
function stackItems(tup: unknown): ndarray[] {
  const isGenerator = tup !== null && typeof tup === "object" && !Array.isArray(tup) && !(tup instanceof ndarray) && Symbol.iterator in tup;
  if (isGenerator && !isTypedArray(tup)) throw new TypeError('arrays to stack must be passed as a "sequence" type such as list or tuple.');
  return sequenceItems(tup).map((x) => asarray(x));
}
/** The atleast_Nd functions give one array for one argument and a list for several. */
const each = (r: ndarray | ndarray[]): ndarray[] => (Array.isArray(r) ? r : [r]);

const STACK_KW = { dtype: arg.dtype, casting: arg.casting };

/** np.stack(arrays, axis=0, out=None, *, dtype=None, casting='same_kind'): join along a new axis. */
export const stack = def(
  "stack",
  "arrays, axis=0, out=None, *, dtype=None, casting='same_kind'",
  { arrays: arg.any, axis: arg.cint, out: OUT, ...STACK_KW },
  (p): ndarray => {
    const arrays = stackItems(p.arrays);
    if (arrays.length === 0) throw new ValueError("need at least one array to stack");
    if (arrays.some((a) => a.shape.join() !== arrays[0].shape.join()) || arrays.some((a) => a.ndim !== arrays[0].ndim))
      throw new ValueError("all input arrays must have the same shape");
    const axis = normalizeAxis(p.axis, arrays[0].ndim + 1);
    return concatenateArrays(
      arrays.map((a) => new ndarray(a._store.promote(axis, 1))),
      axis,
      p.out,
      p.dtype,
      p.casting,
    );
  },
);

/** np.hstack(tup, *, dtype=None, casting='same_kind'): along axis 1 (axis 0 for 1-D arrays). */
export const hstack = def("hstack", "tup, *, dtype=None, casting='same_kind'", { tup: arg.any, ...STACK_KW }, (p): ndarray => {
  const arrs = stackItems(p.tup).flatMap((a) => each(atleast_1d(a)));
  return concatenateArrays(arrs, arrs.length && arrs[0].ndim === 1 ? 0 : 1, null, p.dtype, p.casting);
});

type VStackP = { tup: unknown; dtype: DType | null; casting: Casting };
const vstackBody = (p: VStackP): ndarray =>
  concatenateArrays(
    stackItems(p.tup).flatMap((a) => each(atleast_2d(a))),
    0,
    null,
    p.dtype,
    p.casting,
  );
/** np.vstack(tup, *, dtype=None, casting='same_kind'): along axis 0, 1-D arrays as rows. */
export const vstack = def("vstack", "tup, *, dtype=None, casting='same_kind'", { tup: arg.any, ...STACK_KW }, vstackBody);
/** np.row_stack: NumPy 2's deprecated alias of vstack. */
export const row_stack = def("row_stack", "tup, *, dtype=None, casting='same_kind'", { tup: arg.any, ...STACK_KW }, vstackBody);

/** np.dstack(tup): along axis 2 (depth), arrays made at least 3-D. */
export const dstack = def(
  "dstack",
  "tup",
  { tup: arg.any },
  (p): ndarray =>
    concatenateArrays(
      stackItems(p.tup).flatMap((a) => each(atleast_3d(a))),
      2,
      null,
      null,
      "same_kind",
    ),
);

/** np.column_stack(tup): 1-D arrays as columns, then along axis 1. */
export const column_stack = def(
  "column_stack",
  "tup",
  { tup: arg.any },
  (p): ndarray =>
    concatenateArrays(
      stackItems(p.tup).map((a) => (a.ndim < 2 ? new ndarray(a._store.reshape([1, a.size])!.transpose([1, 0])) : a)),
      1,
      null,
      null,
      "same_kind",
    ),
);

// ---- np.block ------------------------------------------------------------------------------

/** NumPy's path text for an element of the nested lists: `arrays[1][0]`. */
const pathText = (path: readonly number[]) => `arrays${path.map((i) => `[${i}]`).join("")}`;

/** Depth of the nested lists (checked equal everywhere) and the largest ndim of the arrays in them. */
function blockDepths(x: unknown, path: number[]): { first: number[]; depth: number; ndim: number } {
  if (Array.isArray(x)) {
    if (x.length === 0) throw new ValueError(`List at ${pathText(path)} cannot be empty`);
    let first: number[] | null = null;
    let depth = 0,
      ndim = 0;
    x.forEach((item, i) => {
      const r = blockDepths(item, [...path, i]);
      if (first === null) {
        first = r.first;
        depth = r.depth;
      } else if (r.depth !== depth)
        throw new ValueError(
          `List depths are mismatched. First element was at depth ${depth}, but there is an element at depth ${r.depth} (${pathText(r.first)})`,
        );
      ndim = Math.max(ndim, r.ndim);
    });
    return { first: first!, depth: depth, ndim };
  }
  if (x !== null && typeof x === "object" && !(x instanceof ndarray) && !isWeakScalar(x) && !isTypedArray(x))
    throw new TypeError(
      `${pathText(path)} is a tuple. Only lists can be used to arrange blocks, and np.block does not allow implicit conversion from tuple to ndarray.`,
    );
  return { first: path, depth: path.length, ndim: asarray(x as ArrayLike).ndim };
}

/** np.block(arrays): assemble nested lists of blocks, the innermost lists along the last axis. */
export const block = def("block", "arrays", { arrays: arg.any }, (p): ndarray => {
  const { depth, ndim } = blockDepths(p.arrays, []);
  const resultNdim = Math.max(depth, ndim);
  const atleast = (a: ndarray) =>
    a.ndim >= resultNdim ? a : new ndarray(a._store.reshape([...new Array(resultNdim - a.ndim).fill(1), ...a.shape])!);
  const build = (x: unknown, level: number): ndarray => {
    if (level === depth) return atleast(asarray(x as ArrayLike));
    return concatenateArrays(
      (x as unknown[]).map((item) => build(item, level + 1)),
      -(depth - level),
      null,
      null,
      "same_kind",
    );
  };
  const r = build(p.arrays, 0);
  // A single array at depth 0 is returned as a copy, as NumPy does.
  return depth === 0 ? r.copy() : r;
});
