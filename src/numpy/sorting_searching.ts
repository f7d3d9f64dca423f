import { runtime, align, broadcast, DTYPES, ir } from "../core/index.js";
import { def } from "./signature.js";
import type { OptionsOf } from "./signature.js";
import { arg, conv, pyType } from "./param_types.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { moveaxis, ravel } from "./array_manipulation.js";
import { zeros } from "./creation_shape.js";
import { astype } from "./copy.js";
import { canCast } from "./dtypes.js";
import { keepShape, normalizeAxes } from "./reduction.js";
import { sum } from "./math_sum_prod_diff.js";
import { not_equal } from "./ufuncs.js";
import { nonzeroColumns, nonzeroTable } from "./advanced_indexing.js";
import { numpyLibrary } from "./tasks/library.js";
import { SAMPLE_SORT_DTYPES } from "./tasks/sort/cpu.js";

const { load } = ir;

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
    if (rows === 1) {
      const flat = work._store.reshape([n])!;
      rt.submit(lib.launch("sort_rows", { args: [{ store: flat, privilege: "readwrite" }], cost: n * Math.log2(n) }));
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

/**
 * np.argsort(a, {axis, kind, stable}): the indices that sort `a` along `axis` (default
 * last; `null` flattens), as int64. The order is always stable (ties keep their order),
 * which is what kind "stable"/"mergesort" promise and a valid order for NumPy's default
 * quicksort. NaN last, complex lexicographic. Rows are sorted in parallel.
 */
export const argsort = def("argsort", SORT_PARAMS, { a: arg.array, ...SORT_ARGS }, (p): ndarray => argsort_(p.a, p.axis));
function argsort_(a: ArrayLike, axisArg: number | null): ndarray {
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
    rt.submit({ kind: "reduce", name: op, op, inputs: [a._store], value: load(0, a.dtype.name), axes, output: val, index, scalars: [] });
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
