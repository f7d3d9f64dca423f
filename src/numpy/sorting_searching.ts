import { runtime, align, broadcast, DTYPES, ir } from "../core/index.js";
import type { Store } from "../core/index.js";
import { def } from "./signature.js";
import type { OptionsOf } from "./signature.js";
import { arg, conv, pyType, toIndex } from "./param_types.js";
import { AxisError, ValueError, normalizeAxis } from "./errors.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { moveaxis, ravel } from "./array_manipulation.js";
import { zeros } from "./creation_shape.js";
import { astype } from "./copy.js";
import { canCast, resultType } from "./dtypes.js";
import { keepShape, normalizeAxes } from "./reduction.js";
import { sum } from "./math_sum_prod_diff.js";
import { greater_equal, less, logical_or, not_equal } from "./ufuncs.js";
import { any } from "./logic_truth.js";
import { take, takeAlong } from "./indexing_routines.js";
import { nonzeroColumns, nonzeroTable } from "./advanced_indexing.js";
import { numpyLibrary } from "./tasks/library.js";
import { SAMPLE_SORT_DTYPES } from "./tasks/sort/cpu.js";
import { SELECT_DTYPES } from "./tasks/select/cpu.js";
import { MAX_KTH, isLongRow, partitionLong, selectRowsOf } from "./selection.js";

const { castLoad } = ir;

/**
 * NumPy's "Sorting, searching, and counting": sort, argsort; argmax, argmin, nonzero,
 * flatnonzero, argwhere; count_nonzero.
 */

// ---- sorting

const KINDS = ["quicksort", "quick", "mergesort", "merge", "heapsort", "heap", "stable"];
/** sort/argsort's parameters: every kind sorts stably here (a valid order for each kind). */
export const SORT_PARAMS = "a, axis=-1, kind=None, order=None, *, stable=None";
export const SORT_ARGS = {
  axis: arg.axis,
  kind: conv<string | null, string | null>((v): string | null => {
    if (v === null) return null;
    if (typeof v !== "string") throw new TypeError(`sort kind must be str, not ${pyType(v)}`);
    if (!KINDS.includes(v.toLowerCase())) throw new ValueError(`sort kind must be one of 'quick', 'heap', or 'stable' (got '${v}')`);
    return v;
  }),
  order: conv<null, null>((v): null => {
    if (v !== null) throw new ValueError("Cannot specify order when the array has no fields.");
    return null;
  }),
  stable: arg.boolOrNone,
};

/**
 * np.sort(a, {axis}): a sorted copy (NaN last). Rows are sorted in parallel; a single long
 * row is cut into blocks sorted in parallel, whose sorted runs are then merged.
 * `axis: null` sorts the flattened array.
 */
export const sort = def("sort", SORT_PARAMS, { a: arg.array, ...SORT_ARGS, axis: arg.axisC }, (p): ndarray => sort_(p.a, p.axis));
/** A single row of at most this many elements is sorted in one point (no merge of runs). */
const SORT_WHOLE_MAX = 4096;
export function sort_(a: ArrayLike, axisArg: number | null): ndarray {
  let x = asarray(a);
  let axis = axisArg;
  if (axis === null) {
    x = x.ravel();
    axis = 0;
  }
  const ax = normalizeAxis(axis, x.ndim);
  // Work on a C-contiguous copy with the sorted axis last, viewed as (rows, n).
  const moved = ax === x.ndim - 1 ? x : moveaxis(x, ax, -1);
  const work = astype(moved, x.dtype);
  const n = work.shape[work.ndim - 1];
  const rows = work.size / Math.max(1, n);
  if (work.size > 1) {
    const rt = runtime();
    const lib = numpyLibrary();
    if (rows === 1 && rt.machine.ranks > 1 && SAMPLE_SORT_DTYPES.has(x.dtype.name)) {
      // Across ranks: a sample sort moves each element once, instead of every run to one rank.
      const merged = newStore([n], x.dtype);
      rt.submit(
        lib.launch("sample_sort", {
          args: [
            { store: work._store.reshape([n])!, privilege: "read" },
            { store: merged, privilege: "write" },
          ],
          collective: true,
        }),
      );
      const out = new ndarray(merged.reshape(work.shape)!);
      return ax === x.ndim - 1 ? out : moveaxis(out, -1, ax);
    }
    if (rows === 1 && rt.machine.gpus === 0 && rt.machine.cpus > 1 && n >= 2 * MIN_RUN && SAMPLE_SORT_DTYPES.has(x.dtype.name)) {
      const out = new ndarray(blockSortMerge(work._store.reshape([n])!, rt.machine.cpus).reshape(work.shape)!);
      return ax === x.ndim - 1 ? out : moveaxis(out, -1, ax);
    }
    if (rows === 1) {
      const flat = work._store.reshape([n])!;
      // A short row is sorted as one piece, so there are no runs to merge.
      const whole = n <= SORT_WHOLE_MAX;
      rt.submit(lib.launch("sort_rows", { args: [{ store: flat, privilege: "readwrite" }], cost: n * Math.log2(n), serial: whole }));
      if (whole) return ax === x.ndim - 1 ? work : moveaxis(work, -1, ax);
      const merged = newStore([n], x.dtype);
      rt.submit(
        lib.launch("merge_runs", {
          args: [
            { store: flat, privilege: "read" },
            { store: merged, privilege: "write" },
          ],
          serial: true,
        }),
      );
      const out = new ndarray(merged.reshape(work.shape)!);
      return ax === x.ndim - 1 ? out : moveaxis(out, -1, ax);
    }
    const table = work._store.reshape([rows, n])!;
    rt.submit(
      lib.launch("sort_rows", {
        args: [{ store: table, privilege: "readwrite" }],
        constraints: [broadcast(table, [1])],
        cost: work.size * Math.log2(n),
      }),
    );
  }
  return ax === x.ndim - 1 ? work : moveaxis(work, -1, ax);
}

/** The shortest run a long row is cut into for the parallel block sort. */
const MIN_RUN = 1 << 15;

/**
 * Sort a long contiguous 1-D store (in place) on every worker, and return the sorted copy:
 * the row is cut into one run per worker (sort_rows, one row each), then pairs of runs are
 * merged level by level (merge_pairs), each level writing its output in parallel blocks.
 * The run bounds are chosen here, so every merge knows them without scanning.
 */
function blockSortMerge(flat: Store, cpus: number): Store {
  const rt = runtime(),
    lib = numpyLibrary();
  const n = flat.size;
  const pieces = Math.max(2, Math.min(cpus, Math.floor(n / MIN_RUN)));
  const m = Math.ceil(n / pieces);
  const whole = Math.floor(n / m);
  const body = flat.slice(0, 0, whole * m, 1).reshape([whole, m])!;
  rt.submit(
    lib.launch("sort_rows", { args: [{ store: body, privilege: "readwrite" }], constraints: [broadcast(body, [1])], cost: n * Math.log2(m) }),
  );
  const bounds = Array.from({ length: whole + 1 }, (_, i) => i * m);
  if (whole * m < n) {
    const tail = flat.slice(0, whole * m, n, 1).reshape([1, n - whole * m])!;
    rt.submit(
      lib.launch("sort_rows", {
        args: [{ store: tail, privilege: "readwrite" }],
        constraints: [broadcast(tail, [1])],
        cost: (n - whole * m) * Math.log2(m),
      }),
    );
    bounds.push(n);
  }
  let src = flat;
  let runs = bounds;
  while (runs.length > 2) {
    const dst = newStore([n], flat.dtype);
    rt.submit(
      lib.launch("merge_pairs", {
        args: [
          { store: src, privilege: "read" },
          { store: dst, privilege: "write" },
        ],
        scalars: [runs],
        constraints: [broadcast(src)],
        cost: n,
      }),
    );
    runs = runs.filter((_, i) => i % 2 === 0 || i === runs.length - 1);
    src = dst;
  }
  return src;
}

/**
 * np.argsort(a, {axis, kind, stable}): the indices that sort `a` along `axis` (default
 * last; `null` flattens), as int64. The order is always stable (ties keep their order),
 * which is what kind "stable"/"mergesort" promise and a valid order for NumPy's default
 * quicksort. NaN last, complex lexicographic. Rows are sorted in parallel.
 */
export const argsort = def("argsort", SORT_PARAMS, { a: arg.array, ...SORT_ARGS }, (p): ndarray => argsort_(p.a, p.axis));
export function argsort_(a: ArrayLike, axisArg: number | null): ndarray {
  let x = asarray(a);
  let axis = axisArg;
  if (axis === null || x.ndim === 0) {
    x = x.ravel();
    axis = 0;
  }
  const ax = normalizeAxis(axis, x.ndim);
  const moved = ax === x.ndim - 1 ? x : moveaxis(x, ax, -1);
  const work = moved._store.isContiguous() ? moved : astype(moved, x.dtype);
  const n = work.shape[work.ndim - 1];
  const rows = work.size / Math.max(1, n);
  const rt = runtime();
  const out = newStore(work.shape, DTYPES.int64);
  if (work.size > 0) {
    const table = work._store.reshape([rows, n])!,
      order = out.reshape([rows, n])!;
    rt.submit(
      numpyLibrary().launch("argsort_rows", {
        args: [
          { store: table, privilege: "read" },
          { store: order, privilege: "write" },
        ],
        constraints: [align(table, order), broadcast(table, [1])],
        cost: work.size * Math.max(1, Math.log2(n)),
      }),
    );
  }
  const r = new ndarray(out);
  return ax === x.ndim - 1 ? r : moveaxis(r, -1, ax);
}

// ---- searching

interface ArgArgs {
  a: ArrayLike;
  axis: number | null;
  out: ndarray | null;
  keepdims: boolean;
}

function arg_(op: "argmin" | "argmax", p: ArgArgs): ndarray {
  const a = asarray(p.a);
  // A 0-d array has its one element along axis 0 (or -1), as NumPy allows.
  const axes = p.axis === null || (a.ndim === 0 && (p.axis === 0 || p.axis === -1)) ? normalizeAxes(null, a.ndim) : [normalizeAxis(p.axis, a.ndim)];
  const rt = runtime();
  const kept = a.shape.filter((_, d) => !axes.includes(d));
  if (axes.reduce((n, d) => n * a.shape[d], 1) === 0) throw new ValueError(`attempt to get ${op} of an empty sequence`);
  const index = newStore(kept, DTYPES.int64);
  if (index.size > 0) {
    const val = newStore(kept, a.dtype);
    rt.submit({
      kind: "reduce",
      name: op,
      op,
      inputs: [a._store],
      value: castLoad(a.dtype.name, a.dtype.name),
      axes,
      output: val,
      index,
      scalars: [],
    });
  }
  let r = new ndarray(index);
  if (p.keepdims) r = new ndarray(index.reshape(p.axis === null ? a.shape.map(() => 1) : keepShape(a.shape, axes))!);
  if (p.out) {
    if (p.out.shape.join() !== r.shape.join()) throw new ValueError(`output array does not match result of np.${op}.`);
    if (!canCast(p.out.dtype, DTYPES.int64, "safe"))
      throw new TypeError(`Cannot cast array data from dtype('${p.out.dtype.name}') to dtype('int64') according to the rule 'safe'`);
    p.out.set("...", r);
    return p.out;
  }
  return r;
}
const ARG_PARAMS = "a, axis=None, out=None, *, keepdims=<no value>";
const ARG_ARGS = { a: arg.array, axis: arg.axis, out: arg.out, keepdims: arg.bool };
/** The keywords np.argmin / np.argmax take. */
export type ArgOptions = OptionsOf<typeof ARG_PARAMS, typeof ARG_ARGS>;
/** np.argmin(a, axis, out, *, keepdims): first index of the minimum (NaN counts as minimal). */
export const argmin = def("argmin", ARG_PARAMS, ARG_ARGS, (p): ndarray => arg_("argmin", { ...p, keepdims: p.keepdims ?? false }));
/** np.argmax(a, axis, out, *, keepdims): first index of the maximum (NaN counts as maximal). */
export const argmax = def("argmax", ARG_PARAMS, ARG_ARGS, (p): ndarray => arg_("argmax", { ...p, keepdims: p.keepdims ?? false }));

/** np.nonzero(a): one int64 array per dimension with the indices of the nonzero elements. */
export const nonzero = def("nonzero", "a", { a: arg.array }, (p): ndarray[] => nonzero_(p.a));
function nonzero_(a: ArrayLike): ndarray[] {
  const x = asarray(a);
  if (x.ndim === 0) throw new ValueError("Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.");
  return nonzeroColumns(x);
}

/** np.flatnonzero(a): indices of the nonzero elements of the flattened array. */
export const flatnonzero = def("flatnonzero", "a", { a: arg.array }, (p): ndarray => nonzeroColumns(ravel(p.a))[0]);

/** np.argwhere(a): the indices of the nonzero elements, one row each, shape (count, a.ndim). */
export const argwhere = def("argwhere", "a", { a: arg.array }, (p): ndarray => {
  const x = asarray(p.a);
  if (x.ndim > 0) return nonzeroTable(x);
  return zeros([nonzeroTable(ravel(x)).shape[0], 0], { dtype: "int64" });
});

// ---- counting

/** np.count_nonzero(a, {axis, keepdims}): an int64 (0-d when axis is omitted) array. */
export const count_nonzero = def(
  "count_nonzero",
  "a, axis=None, *, keepdims=False",
  { a: arg.array, axis: arg.axes, keepdims: arg.bool },
  (p): ndarray => {
    const x = asarray(p.a);
    return sum(x.dtype.kind === "b" ? x : not_equal(x, 0), { axis: p.axis, keepdims: p.keepdims });
  },
);

// ---- searching sorted arrays

const SIDE = conv<"left" | "right", "left" | "right">((v): "left" | "right" => {
  if (v === "left" || v === "right") return v;
  if (typeof v !== "string") throw new TypeError(`search side must be str, not ${pyType(v)}`);
  throw new ValueError(`search side must be 'left' or 'right' (got '${v}')`);
});

/**
 * np.searchsorted(a, v, side='left', sorter=None): where each element of `v` would go in the
 * sorted 1-D `a` (or `a[sorter]`) to keep it sorted, as int64 of v's shape. The needles are
 * cut among the workers, each searching the whole of `a`.
 */
export const searchsorted = def(
  "searchsorted",
  "a, v, side='left', sorter=None",
  { a: arg.array, v: arg.array, side: SIDE, sorter: arg.arrayOrNone },
  (p): ndarray => searchsorted_(p.a, p.v, p.side, p.sorter),
);
export function searchsorted_(a: ArrayLike, v: ArrayLike, side: "left" | "right", sorter: ArrayLike | null): ndarray {
  let x = asarray(a);
  if (x.ndim > 1) throw new ValueError("object too deep for desired array");
  if (x.ndim < 1) throw new ValueError("object of too small depth for desired array");
  if (sorter !== null) {
    const s = asarray(sorter);
    if (s.ndim !== 1) throw new TypeError("could not parse sorter argument");
    if (!s.dtype.isInteger && s.size > 0) throw new TypeError("sorter must only contain integers");
    if (s.size !== x.size) throw new ValueError("sorter.size must equal a.size");
    if (s.size > 0 && Boolean(any(logical_or(less(s, 0), greater_equal(s, x.size))).item())) throw new ValueError("Sorter index out of range.");
    x = x.get(s);
  }
  const needles = asarray(v);
  // Both sides are compared in their common type (NumPy converts the needles to it too).
  const common = resultType([x.dtype, needles.dtype], []);
  const hay = x.dtype === common && x._store.isContiguous() ? x : astype(x, common);
  const flat = astype(needles.ndim === 0 ? needles.reshape([1]) : needles, common);
  const out = newStore(needles.shape, DTYPES.int64);
  if (needles.size > 0) {
    const vs = flat._store.reshape([needles.size])!,
      os = out.reshape([needles.size])!;
    runtime().submit(
      numpyLibrary().launch("searchsorted", {
        args: [
          { store: hay._store, privilege: "read" },
          { store: vs, privilege: "read" },
          { store: os, privilege: "write" },
        ],
        scalars: [side],
        constraints: [align(vs, os), broadcast(hay._store)],
        cost: needles.size * Math.max(1, Math.log2(Math.max(2, x.size))),
      }),
    );
  }
  return new ndarray(out);
}

// ---- partial sorts

const KTH = conv<number | readonly number[] | ndarray, number[]>((v): number[] => {
  const one = (k: unknown): number => {
    if (typeof k === "number" && !Number.isInteger(k)) throw new TypeError("Partition index must be integer");
    if (k instanceof ndarray && !(k.dtype.isInteger || k.dtype.kind === "b")) throw new TypeError("Partition index must be integer");
    return toIndex(k);
  };
  if (Array.isArray(v)) return v.map(one);
  if (v instanceof ndarray && v.ndim > 0) return (v.tolist() as unknown[]).flat(Infinity).map(one);
  return [one(v)];
});
export const PARTITION_ARGS = {
  kth: KTH,
  axis: arg.axisC,
  kind: conv<string, string>((v): string => {
    if (v === "introselect") return v;
    if (typeof v !== "string") throw new TypeError(`select kind must be str, not ${pyType(v)}`);
    throw new ValueError(`select kind must be 'introselect' (got '${v}')`);
  }),
  order: SORT_ARGS.order,
};
/** partition's parameters after `a` (ndarray.partition takes them after self). */
export const PARTITION_PARAMS = "a, kth, axis=-1, kind='introselect', order=None";

/** Each kth must lie in [-n, n) along the partitioned axis (NumPy's message). */
export function checkKth(kth: readonly number[], n: number): void {
  // NumPy reports a negative kth after adding n to it.
  for (const k of kth) if (k < -n || k >= n) throw new ValueError(`kth(=${k < 0 ? k + n : k}) out of bounds (${n})`);
}

function partitionAxis(x: ndarray, axis: number | null): { x: ndarray; axis: number } {
  if (axis === null) return { x: ravel(x), axis: 0 };
  if (x.ndim === 0) throw new AxisError(axis, 0);
  return { x, axis: normalizeAxis(axis, x.ndim) };
}

/** The kth positions as the selection takes them: in [0, n), ascending, distinct. */
const kthSet = (kth: readonly number[], n: number): number[] => [...new Set(kth.map((k) => (k < 0 ? k + n : k)))].sort((p, q) => p - q);

/**
 * np.partition(a, kth, axis=-1): a copy with the element of each kth position where a sort
 * would put it, no greater ones before it and no smaller ones after it (NaN last). Rows are
 * partitioned by an introselect each, in parallel; one long row in parallel (its kth values
 * selected, then each block of the result written from the counts of each bucket between
 * them). Many kth, and types without a numeric order here, are sorted instead.
 */
export const partition = def("partition", PARTITION_PARAMS, { a: arg.array, ...PARTITION_ARGS }, (p): ndarray => {
  const { x, axis } = partitionAxis(asarray(p.a), p.axis);
  const n = x.shape[axis];
  checkKth(p.kth, n);
  const ks = kthSet(p.kth, n);
  if (!SELECT_DTYPES.has(x.dtype.name) || ks.length > MAX_KTH || x.size <= 1) return sort_(x, axis);
  const moved = axis === x.ndim - 1 ? x : moveaxis(x, axis, -1);
  let out: ndarray | null = null;
  if (moved.ndim === 1 && isLongRow(moved)) out = partitionLong(moved, ks, false);
  out ??= selectRowsOf(moved.reshape([moved.size / n, n]), ks).reshape(moved.shape);
  return axis === x.ndim - 1 ? out : moveaxis(out, -1, axis);
});

/**
 * np.argpartition(a, kth, axis=-1): the indices that partition `a`: for one long row by
 * selection as np.partition does, otherwise a stable argsort (which partitions for every kth).
 */
export const argpartition = def("argpartition", PARTITION_PARAMS, { a: arg.array, ...PARTITION_ARGS }, (p): ndarray => {
  const a = asarray(p.a);
  // NumPy lets a 0-d array be argpartitioned as the 1-element array it flattens to.
  const { x, axis } = a.ndim === 0 && p.axis !== null ? { x: ravel(a), axis: 0 } : partitionAxis(a, p.axis);
  checkKth(p.kth, x.shape[axis]);
  const ks = kthSet(p.kth, x.shape[axis]);
  if (x.ndim === 1 && isLongRow(x) && ks.length <= MAX_KTH) {
    const out = partitionLong(x, ks, true);
    if (out !== null) return out;
  }
  return argsort_(x, axis);
});

/**
 * np.lexsort(keys, axis=-1): the stable order that sorts by the last key, ties broken by the
 * one before it, and so on: one stable argsort per key, from the first key to the last.
 */
export const lexsort = def("lexsort", "keys, axis=-1", { keys: arg.any, axis: arg.axisC }, (p): ndarray => {
  const given = p.keys;
  if (!Array.isArray(given) && !(given instanceof ndarray)) throw new TypeError("need sequence of keys with len > 0 in lexsort");
  // A 2-D array is a sequence of keys (its rows), as is a list of arrays.
  const keys: ndarray[] =
    given instanceof ndarray
      ? given.ndim === 0
        ? []
        : Array.from({ length: given.shape[0] }, (_, i) => given.get(i))
      : (given as ArrayLike[]).map((k) => asarray(k));
  if (keys.length === 0) throw new TypeError("need sequence of keys with len > 0 in lexsort");
  const shape = keys[0].shape;
  if (keys.some((k) => k.shape.join() !== shape.join())) throw new ValueError("all keys need to be the same shape");
  if (shape.length === 0) return zeros([], { dtype: "int64" });
  const axis = p.axis === null ? null : normalizeAxis(p.axis, shape.length);
  const ks = axis === null ? keys.map((k) => ravel(k)) : keys;
  const ax = axis ?? 0;
  let order = argsort_(ks[0], ax);
  for (const k of ks.slice(1)) {
    const next = argsort_(takeAlong(k, order, ax), ax);
    order = takeAlong(order, next, ax);
  }
  return order;
});

/** np.sort_complex(a): sorted, as complex (complex64 for small integers, complex128 otherwise). */
export const sort_complex = def("sort_complex", "a", { a: arg.array }, (p): ndarray => {
  const b = sort_(p.a, -1);
  if (b.dtype.isComplex) return b;
  const small = ["int8", "uint8", "int16", "uint16"].includes(b.dtype.name);
  return astype(b, small ? DTYPES.complex64 : DTYPES.complex128);
});

/** np.extract(condition, arr): the elements of ravel(arr) where ravel(condition) is true. */
export const extract = def("extract", "condition, arr", { condition: arg.array, arr: arg.array }, (p): ndarray => {
  const pos = nonzeroColumns(ravel(p.condition))[0];
  return take(ravel(p.arr), pos);
});
