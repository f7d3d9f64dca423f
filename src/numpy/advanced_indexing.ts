import { runtime, align, broadcast, type Store, type DType, DTYPES, ir } from "../core/index.js";
import type { Expr, TypedArray } from "../core/index.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { toArray as array, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { WeakScalar } from "./dtypes.js";
import { Slice, checkIndex, isAdvanced } from "./indexing.js";
import type { Entry } from "./indexing.js";
import { IndexError, ValueError } from "./errors.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { assignScalar, astype, copyInto } from "./copy.js";
import { numpyLibrary } from "./tasks/library.js";
import * as uf from "./ufuncs.js";
import { sum } from "./math_sum_prod_diff.js";
import { argmax } from "./sorting_searching.js";

const { cast, load, scalar, where } = ir;

/**
 * Advanced (integer array and boolean) indexing, with NumPy's semantics: index arrays are
 * broadcast together; integers next to them count as advanced indices; the broadcast dims
 * replace the indexed dims in place when all advanced indices are adjacent, and go first
 * otherwise. Reads are a `gather` launch (result and index arrays cut together, the source
 * seen whole by every point); writes are one serial `scatter` launch, walking the values in
 * row-major order, so with repeated indices the last value wins. Boolean masks become
 * integer indices through `nonzero` (a serial launch after a blocking read of the count).
 * Bounds are checked before the launch: on the host for indices given as JS lists, else by
 * a reduction and a blocking read of its flag per index array.
 */

/** One index array of a plan: which axis of the original array it indexes, and whether it came from a mask (always in bounds). */
interface IndexArray {
  a: ndarray;
  axis: number;
  fromMask: boolean;
  host?: readonly unknown[];
}

/** An advanced index resolved against an array. */
interface Plan {
  /** The array with the basic entries applied, then transposed: indexed dims first, kept dims after. */
  indexed: Store;
  arrays: IndexArray[];
  /** Broadcast shape of the index arrays. */
  bshape: number[];
  /** Kept dims' extents (slices, newaxis, ellipsis), in order. */
  kept: number[];
  /** Where the broadcast dims sit in the result. */
  at: number;
  /** Result shape. */
  shape: number[];
}

/** Resolve `entries` (expanded, with at least one advanced entry) against `a`. */
function plan(a: ndarray, entries: readonly Entry[]): Plan {
  let s = a._store;
  let dim = 0,
    axis = 0,
    resultDim = 0;
  // NumPy's rule for where the broadcast dims go: -1 none seen, 0 in the first run of
  // advanced entries, 1 after it, 2 a second run began (then they go first).
  let status = -1,
    at = 0;
  const indexedDims: number[] = [];
  const arrays: IndexArray[] = [];
  const shapes: number[][] = [];
  for (const e of entries) {
    const advanced = typeof e === "number" || isAdvanced(e);
    if (advanced && status === -1) {
      status = 0;
      at = resultDim;
    } else if (advanced && status === 1) status = 2;
    else if (!advanced && status === 0) status = 1;
    if (e === "...") continue;
    if (e === null) {
      s = s.promote(dim, 1);
      dim++;
      resultDim++;
      continue;
    }
    if (e instanceof Slice) {
      const [start, stop, step] = e.indices(a.shape[axis]);
      s = s.slice(dim, start, stop, step);
      dim++;
      axis++;
      resultDim++;
      continue;
    }
    if (typeof e === "number") {
      s = s.project(dim, checkIndex(e, axis, a.shape[axis]));
      axis++;
      continue;
    }
    if (e.adv === "bool0") {
      shapes.push([e.v ? 1 : 0]);
      continue;
    }
    const list = e.adv === "int" ? [e.a] : nonzeroColumns(e.a);
    list.forEach((x) => {
      indexedDims.push(dim++);
      arrays.push({ a: x, axis: axis++, fromMask: e.adv === "mask", host: e.adv === "int" ? e.host : undefined });
      shapes.push(x.shape);
    });
  }
  if (status === 2) at = 0;
  let bshape: number[];
  try {
    bshape = broadcastShapes(...shapes);
  } catch {
    throw new IndexError(`shape mismatch: indexing arrays could not be broadcast together with shapes ${shapes.map(formatShape).join(" ")} `);
  }
  const keptDims = s.shape.map((_, d) => d).filter((d) => !indexedDims.includes(d));
  const kept = keptDims.map((d) => s.shape[d]);
  const shape = [...kept.slice(0, at), ...bshape, ...kept.slice(at)];
  return { indexed: s.transpose([...indexedDims, ...keptDims]), arrays, bshape, kept, at, shape };
}

/** A result-shaped store seen in the dense order (broadcast dims first, kept dims after). */
function denseView(p: Plan, s: Store): Store {
  const nb = p.bshape.length,
    nd = p.shape.length;
  const perm = [...Array.from({ length: nb }, (_, i) => p.at + i), ...Array.from({ length: nd - nb }, (_, i) => (i < p.at ? i : i + nb))];
  return s.transpose(perm);
}

/** An index array seen in the dense shape: broadcast, then repeated along the kept dims. */
function denseIndex(p: Plan, x: ndarray): Store {
  let s = x._store.broadcast(p.bshape);
  for (const n of p.kept) s = s.promote(s.ndim, n);
  return s;
}

const outOfBounds = (x: ndarray, n: number): ndarray => uf.logical_or(uf.less(x, -n), uf.greater_equal(x, n));

/**
 * Whether an integer index array has any value outside [-n, n), as a 0-d bool array (read
 * later, so the checks of several index arrays run in one flush): one reduction whose value,
 * compared in float64 (exact for the bounds, monotonic for every integer), is one object per
 * dtype with the bounds as scalars, so its kernel is found at once.
 */
function anyOutOfBounds(x: ndarray, n: number): ndarray | boolean {
  const quick = outOfBoundsHere(x, n);
  if (quick !== null) return quick;
  let value = OUT_OF_BOUNDS.get(x.dtype);
  if (!value) {
    const v = cast(load(0, x.dtype.name), "float64");
    value = ir.binary("or", ir.binary("lt", v, scalar(0, "float64")), ir.binary("ge", v, scalar(1, "float64")));
    OUT_OF_BOUNDS.set(x.dtype, value);
  }
  const flag = newStore([], DTYPES.bool);
  if (x.size === 0) copyInto(new ndarray(flag), false);
  else {
    const axes = x.shape.map((_, d) => d);
    runtime().submit({ kind: "reduce", name: "any", op: "any", inputs: [x._store], value, axes, output: flag, scalars: [-n, n] });
  }
  return new ndarray(flag);
}
const OUT_OF_BOUNDS = new Map<DType, Expr>();

/**
 * Up to this many elements a computed index array (or mask) is checked (counted) where it
 * lies, in one plain loop, rather than by a reduction and a read: below it such a reduction
 * runs inline in a JavaScript kernel, slower than the plain loop; beyond it, in compiled code.
 */
const CHECK_HERE_MAX = 1 << 14;

/** The lanes of a small, contiguous array whose values are computed (read without a flush), or null. */
function lanesHere(x: ndarray): TypedArray | null {
  const s = x._store;
  const rt = runtime();
  return s.size <= CHECK_HERE_MAX && s.isContiguous() && rt.computed(s) ? rt.read(s) : null;
}

/**
 * Whether a small, contiguous, computed index array has a value outside [-n, n), read in
 * place (int64 as its two 32-bit words, no BigInt per element); null where a launch must say.
 */
function outOfBoundsHere(x: ndarray, n: number): boolean | null {
  const data = n < 2 ** 31 ? lanesHere(x) : null;
  if (data === null) return null;
  const s = x._store;
  const end = s.offset + s.size;
  if (x.dtype === DTYPES.int64 || x.dtype === DTYPES.uint64) {
    const w = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    const signed = x.dtype === DTYPES.int64;
    for (let i = s.offset; i < end; i++) {
      const lo = w[2 * i] >>> 0,
        hi = w[2 * i + 1];
      // In [0, n): high word 0; in [-n, 0) (int64 only): high word -1 and low word >= 2^32 - n.
      if (!(hi === 0 ? lo < n : signed && hi === -1 && lo >= 2 ** 32 - n)) return true;
    }
    return false;
  }
  if (!x.dtype.isInteger) return null;
  for (let i = s.offset; i < end; i++) {
    const v = data[i] as number;
    if (v < -n || v >= n) return true;
  }
  return false;
}

/** The true elements of a small, contiguous, computed bool array, counted where they lie (null where a reduction must). */
function trueCountHere(x: ndarray): number | null {
  const data = x.dtype.kind === "b" ? lanesHere(x) : null;
  if (data === null) return null;
  const s = x._store;
  let count = 0;
  for (let i = s.offset, end = s.offset + s.size; i < end; i++) if (data[i] !== 0) count++;
  return count;
}

/**
 * Raise NumPy's IndexError for the first index out of bounds, walking the index arrays in
 * order, each in row-major order; `memoryOrder`: a Fortran-ordered array is walked in
 * memory order, as NumPy's shortcut for one int64 index into a 1-D array does.
 */
export function checkBounds(arrays: readonly { a: ndarray; axis: number; size: number; host?: readonly unknown[] }[], memoryOrder = false): void {
  // Values known on the host (from JS lists) are checked here; others by a reduction.
  const flags = arrays.map(({ a, size, host }) => (host ? null : anyOutOfBounds(a, size)));
  arrays.forEach(({ a, axis, size, host }, i) => {
    if (host) {
      const bad = host.find((v) => Number(v) < -size || Number(v) >= size);
      if (bad !== undefined)
        throw new IndexError(`index ${typeof bad === "bigint" ? bad : Number(bad)} is out of bounds for axis ${axis} with size ${size}`);
      return;
    }
    const flag = flags[i]!;
    if (!(typeof flag === "boolean" ? flag : flag.item())) return;
    let s = a._store;
    const reversed = s.transpose(s.shape.map((_, d) => s.ndim - 1 - d));
    if (memoryOrder && a.dtype === DTYPES.int64 && !s.isContiguous() && reversed.isContiguous()) s = reversed;
    const walk = new ndarray(s);
    const k = argmax(outOfBounds(walk, size)).item() as number;
    // The exact value (a 64-bit index beyond 2^53 too), from the row-major copy.
    const bad = (walk.toTypedArray() as unknown as (number | bigint)[])[k];
    throw new IndexError(`index ${bad} is out of bounds for axis ${axis} with size ${size}`);
  });
}

function checkPlanBounds(a: ndarray, entries: readonly Entry[], p: Plan): void {
  const single = a.ndim === 1 && entries.length === 1;
  checkBounds(
    p.arrays.filter((x) => !x.fromMask).map((x) => ({ a: x.a, axis: x.axis, size: a.shape[x.axis], host: x.host })),
    single,
  );
}

/**
 * The multi-indices of the nonzero elements of `x` (row-major order) as an int64
 * (count, x.ndim) array: a blocking read of the count, then one serial launch.
 */
export function nonzeroTable(x: ndarray): ndarray {
  const count = trueCountHere(x) ?? Number(sum(x.dtype.kind === "b" ? x : uf.not_equal(x, 0)).item());
  const rt = runtime();
  const out = newStore([count, x.ndim], DTYPES.int64);
  if (count > 0 && x.ndim > 0) {
    rt.submit(
      numpyLibrary().launch("nonzero", {
        args: [
          { store: x._store, privilege: "read" },
          { store: out, privilege: "write" },
        ],
        serial: true,
        cost: x.size,
      }),
    );
  }
  return new ndarray(out);
}

/** np.nonzero's arrays: the columns of the nonzero table (views, as in NumPy). */
export function nonzeroColumns(x: ndarray): ndarray[] {
  const t = nonzeroTable(x);
  return x.shape.map((_, j) => new ndarray(t._store.project(1, j)));
}

/** a[index] with advanced entries: a new array. */
export function gather(a: ndarray, entries: readonly Entry[]): ndarray {
  const p = plan(a, entries);
  checkPlanBounds(a, entries, p);
  const rt = runtime();
  const out = newStore(p.shape, a.dtype);
  if (out.size === 0) return new ndarray(out);
  const dense = denseView(p, out);
  const idx = p.arrays.map((x) => denseIndex(p, x.a));
  rt.submit(
    numpyLibrary().launch("gather", {
      args: [
        { store: p.indexed, privilege: "read" },
        { store: dense, privilege: "write" },
        ...idx.map((store) => ({ store, privilege: "read" as const })),
      ],
      constraints: [broadcast(p.indexed), ...idx.map((s) => align(dense, s))],
      cost: out.size * (1 + idx.length),
    }),
  );
  return new ndarray(out);
}

/** `indexed[idx...] = dense` as one serial scatter launch (index arrays already checked). */
export function launchScatter(target: ndarray, indexed: Store, dense: Store, idx: readonly Store[]): void {
  // Index arrays that alias the target are read before any write: copy them.
  const own = idx.map((s) => (s.storage === target._store.storage ? astype(new ndarray(s), s.dtype)._store : s));
  runtime().submit(
    numpyLibrary().launch("scatter", {
      args: [
        { store: indexed, privilege: "readwrite" },
        { store: dense, privilege: "read" },
        ...own.map((store) => ({ store, privilege: "read" as const })),
      ],
      serial: true,
      cost: dense.size * (1 + idx.length),
    }),
  );
}

/** The value of an assignment as an array of the target's dtype (NumPy casts lists to it). */
export function valueArray(value: ArrayLike, dt: DType): ndarray {
  if (isWeakScalar(value)) {
    const v = new ndarray(newStore([], dt));
    copyInto(v, value);
    return v;
  }
  return value instanceof ndarray ? value : array(value, { dtype: dt });
}

/** a[mask] = scalar for a mask over leading dims: one elementwise `where` launch, no count. */
function maskedFill(a: ndarray, mask: ndarray, value: WeakScalar | ndarray): void {
  let m = mask._store;
  for (let d = mask.ndim; d < a.ndim; d++) m = m.promote(d, a.shape[d]);
  const dt = a.dtype.name;
  const inputs = [m, a._store];
  const scalars: unknown[] = [];
  let v: Expr;
  if (value instanceof ndarray) {
    inputs.push(value._store.reshape([])!.broadcast(a.shape));
    v = cast(load(2, value.dtype.name), dt);
  } else {
    scalars.push(assignScalar(value, a.dtype));
    v = scalar(0, dt);
  }
  runtime().submit({
    kind: "map",
    name: "masked_fill",
    inputs,
    outputs: [{ store: a._store, expr: where(load(0, "bool"), v, load(1, dt)) }],
    scalars,
  });
}

/** a[index] = value with advanced entries, in place. */
export function scatter(a: ndarray, entries: readonly Entry[], value: ArrayLike): void {
  const only = entries.length === 1 && isAdvanced(entries[0]) && entries[0].adv === "mask" ? entries[0].a : null;
  // A single mask of the array's own shape: NumPy's boolean assignment, with its own rules.
  const wholeMask = only !== null && only.ndim === a.ndim;
  let v: ndarray | null = isWeakScalar(value) ? null : valueArray(value, a.dtype);
  if (wholeMask && v && v.ndim > 1)
    throw new TypeError(`NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has ${v.ndim} dimensions`);
  if (only && (v === null ? true : wholeMask && v.size === 1)) {
    maskedFill(a, only, v ?? (value as WeakScalar));
    return;
  }
  const p = plan(a, entries);
  v ??= valueArray(value, a.dtype);
  if (wholeMask && v.ndim === 1 && v.shape[0] !== p.shape[0] && v.shape[0] !== 1) {
    throw new ValueError(
      `NumPy boolean array indexing assignment cannot assign ${v.shape[0]} input values to the ${p.shape[0]} output values where the mask is true`,
    );
  }
  const given = v.shape;
  // Leading length-1 dims of the value may be dropped, as NumPy's assignment does.
  while (v.ndim > p.shape.length && v.shape[0] === 1) v = new ndarray(v._store.project(0, 0));
  let ok = true;
  try {
    ok = broadcastShapes(v.shape, p.shape).join() === p.shape.join();
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ValueError(
      `shape mismatch: value array of shape ${formatShape(given)} could not be broadcast to indexing result of shape ${formatShape(p.shape)}`,
    );
  checkPlanBounds(a, entries, p);
  if (p.shape.includes(0)) return;
  if (v.dtype !== a.dtype || v._store.storage === a._store.storage) v = astype(v, a.dtype);
  const dense = denseView(p, v._store.broadcast(p.shape));
  launchScatter(
    a,
    p.indexed,
    dense,
    p.arrays.map((x) => denseIndex(p, x.a)),
  );
}
