import { DTYPES, runtime } from "../core/index.js";
import { def } from "./signature.js";
import { arg, conv, unsupported } from "./param_types.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { newStore } from "./alloc.js";
import { full } from "./creation_shape.js";
import { arange } from "./creation_ranges.js";
import { Slice } from "./indexing.js";
import { moveaxis, ravel } from "./array_manipulation.js";
import { astype } from "./copy.js";
import { resultType } from "./dtypes.js";
import { cumsum } from "./math_sum_prod_diff.js";
import { any as anyOf } from "./logic_truth.js";
import { nonzeroColumns } from "./advanced_indexing.js";
import { argsort_, lexsort, searchsorted_, sort_ } from "./sorting_searching.js";
import * as uf from "./ufuncs.js";
import { type NamedTuple, named } from "./named_tuple.js";

/**
 * NumPy's "Set routines": unique and the Array API's unique_all / unique_counts /
 * unique_inverse / unique_values; isin; intersect1d, union1d, setdiff1d, setxor1d.
 * Everything is composed from the parallel sort and argsort, elementwise comparisons of
 * neighbours, and a compaction of the resulting masks that runs on every worker for long
 * inputs; isin is a parallel searchsorted into the sorted test elements.
 */

/** A 1-D concatenation in the common dtype (the set routines' own; np.concatenate is elsewhere). */
function concat1d(parts: ndarray[]): ndarray {
  const dt = resultType(parts.map((p) => p.dtype));
  const n = parts.reduce((s, p) => s + p.size, 0);
  const out = new ndarray(newStore([n], dt));
  let at = 0;
  for (const p of parts) {
    if (p.size > 0) out.set(new Slice(at, at + p.size), p);
    at += p.size;
  }
  return out;
}

/** x[1:] and x[:-1] (views) of a 1-D array. */
const tail = (x: ndarray): ndarray => x.get(new Slice(1, null));
const head = (x: ndarray): ndarray => x.get(new Slice(null, -1));

/** [true] followed by `rest` (a bool array one shorter than the result). */
function leadingTrue(rest: ndarray): ndarray {
  const m = new ndarray(newStore([rest.size + 1], DTYPES.bool));
  m.set(0, true);
  if (rest.size > 0) m.set(new Slice(1, null), rest);
  return m;
}

/**
 * Where a sorted 1-D array starts a new value: neighbours differ; with `equalNan`, NaNs
 * (which sort last) count as one value.
 */
function firstOfRuns(s: ndarray, equalNan: boolean): ndarray {
  let differs = uf.not_equal(tail(s), head(s));
  if (equalNan && (s.dtype.isFloat || s.dtype.isComplex))
    differs = uf.logical_and(differs, uf.logical_not(uf.logical_and(uf.isnan(tail(s)), uf.isnan(head(s)))));
  return leadingTrue(differs);
}

/** Below this a mask is compacted by the serial nonzero pass. */
const PARALLEL_MIN = 1 << 16;

/**
 * The inclusive running count of a 1-D bool mask, as int64, computed on every worker: the
 * mask is cut into one row per worker (padded with false), the rows are scanned in
 * parallel, and each row is shifted by the counts of the rows before it.
 */
function runningCount(mask: ndarray): ndarray {
  const n = mask.size;
  const cpus = runtime().machine.cpus;
  if (n < PARALLEL_MIN || cpus < 2) return cumsum(mask, { dtype: "int64" });
  const m = Math.ceil(n / cpus);
  const padded = new ndarray(newStore([cpus * m], DTYPES.bool));
  padded.set(new Slice(0, n), mask);
  if (cpus * m > n) padded.set(new Slice(n, null), false);
  const rows = cumsum(padded.reshape([cpus, m]), { axis: 1, dtype: "int64" });
  const totals = rows.get(":", -1);
  const before = uf.subtract(cumsum(totals), totals);
  return uf
    .add(rows, before.reshape([cpus, 1]))
    .reshape([cpus * m])
    .get(new Slice(0, n));
}

/**
 * The positions of the true elements of a 1-D bool mask (and its running count), in
 * parallel for long masks: output k is where the running count first exceeds k, a parallel
 * searchsorted, instead of the serial nonzero pass.
 */
function compact(mask: ndarray): { positions: ndarray; count: ndarray } {
  const count = runningCount(mask);
  if (mask.size < PARALLEL_MIN || runtime().machine.cpus < 2) return { positions: nonzeroColumns(mask)[0], count };
  const total = Number(count.item(mask.size - 1));
  return { positions: searchsorted_(count, arange(total), "right", null), count };
}

interface Unique1d {
  values: ndarray;
  index?: ndarray;
  inverse?: ndarray;
  counts?: ndarray;
}

/** unique of a 1-D array: sorted values, and on request first indices, inverse and counts. */
function unique1d(x: ndarray, wantIndex: boolean, wantInverse: boolean, wantCounts: boolean, equalNan: boolean): Unique1d {
  const n = x.size;
  if (n === 0) {
    const none = () => new ndarray(newStore([0], DTYPES.int64));
    return { values: astype(x, x.dtype), index: none(), inverse: none(), counts: none() };
  }
  const order = wantIndex || wantInverse ? argsort_(x, 0) : null;
  const sorted = order ? x.get(order) : sort_(x, 0);
  const first = firstOfRuns(sorted, equalNan);
  const { positions: starts, count } = compact(first);
  const r: Unique1d = { values: sorted.get(starts) };
  if (order && wantIndex) r.index = order.get(starts);
  if (order && wantInverse) {
    // Position of each sorted element's value among the unique values, scattered back.
    const rank = uf.subtract(count, 1);
    const inv = new ndarray(newStore([n], DTYPES.int64));
    inv.set(order, rank);
    r.inverse = inv;
  }
  if (wantCounts) {
    const ends = concat1d([tail(starts), asarray([n]).astype(DTYPES.int64)]);
    r.counts = uf.subtract(ends, starts);
  }
  return r;
}

/** NumPy's unique with an axis: the distinct sub-arrays along it, in lexicographic order. */
function uniqueAxis(a: ndarray, axis: number, wantIndex: boolean, wantInverse: boolean, wantCounts: boolean): Unique1d {
  const ax = normalizeAxis(axis, a.ndim);
  const moved = moveaxis(a, ax, 0);
  const n = moved.shape[0];
  const rowShape = moved.shape.slice(1);
  const width = rowShape.reduce((p, k) => p * k, 1);
  const rows = astype(moved, a.dtype).reshape([n, width]);
  const back = (v: ndarray) => moveaxis(v.reshape([v.shape[0], ...rowShape]), 0, ax);
  if (n === 0 || width === 0) {
    // Empty rows are all equal: one (or no) distinct row.
    const k = n === 0 ? 0 : 1;
    const pick = asarray(Array.from({ length: k }, () => 0)).astype(DTYPES.int64);
    return {
      values: back(rows.get(pick)),
      index: pick,
      inverse: new ndarray(newStore([n], DTYPES.int64)),
      counts: asarray(k ? [n] : []).astype(DTYPES.int64),
    };
  }
  // Rows sorted lexicographically: column 0 is the primary key, so it is lexsort's last key.
  const keys = Array.from({ length: width }, (_, j) => rows.get(":", width - 1 - j));
  const order = lexsort(keys);
  const sorted = rows.get(order);
  const differs = anyOf(uf.not_equal(tail(sorted), head(sorted)), { axis: 1 });
  const first = leadingTrue(differs);
  const starts = compact(first).positions;
  const r: Unique1d = { values: back(sorted.get(starts)) };
  if (wantIndex) r.index = order.get(starts);
  if (wantInverse) {
    const inv = new ndarray(newStore([n], DTYPES.int64));
    inv.set(order, uf.subtract(cumsum(first, { dtype: "int64" }), 1));
    r.inverse = inv;
  }
  if (wantCounts) r.counts = uf.subtract(concat1d([tail(starts), asarray([n]).astype(DTYPES.int64)]), starts);
  return r;
}

/**
 * np.unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
 * *, equal_nan=True, sorted=True): the sorted distinct values (or sub-arrays along `axis`);
 * with the flags, a tuple adding the first indices, the inverse (of ar's shape when axis
 * is None, NumPy 2) and the counts. `sorted=False` gives the sorted order too (one of the
 * orders NumPy allows).
 */
export const unique = def(
  "unique",
  "ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True, sorted=True",
  {
    ar: arg.array,
    return_index: arg.bool,
    return_inverse: arg.bool,
    return_counts: arg.bool,
    axis: arg.axesTuple,
    equal_nan: arg.bool,
    sorted: arg.bool,
  },
  (p): ndarray | ndarray[] => {
    const a = asarray(p.ar);
    if (Array.isArray(p.axis)) unsupported("unique", "a tuple of axes");
    let r: Unique1d;
    let inverseShape: number[];
    if (p.axis === null) {
      r = unique1d(ravel(a), p.return_index, p.return_inverse, p.return_counts, p.equal_nan);
      inverseShape = a.shape;
    } else {
      const axis = p.axis as number;
      r = uniqueAxis(a, axis, p.return_index, p.return_inverse, p.return_counts);
      inverseShape = [a.shape[normalizeAxis(axis, a.ndim)]];
    }
    const out = [r.values];
    if (p.return_index) out.push(r.index!);
    if (p.return_inverse) out.push(r.inverse!.reshape(inverseShape));
    if (p.return_counts) out.push(r.counts!);
    return out.length === 1 ? out[0] : out;
  },
);

/** np.unique_all(x): (values, indices, inverse_indices, counts), NaNs distinct; inverse_indices has x's shape. */
export const unique_all = def("unique_all", "x", { x: arg.array }, (p): NamedTuple<"values" | "indices" | "inverse_indices" | "counts"> => {
  const a = asarray(p.x);
  const r = unique1d(ravel(a), true, true, true, false);
  return named(["values", "indices", "inverse_indices", "counts"], [r.values, r.index!, r.inverse!.reshape(a.shape), r.counts!]);
});
/** np.unique_counts(x): (values, counts), NaNs distinct. */
export const unique_counts = def("unique_counts", "x", { x: arg.array }, (p): NamedTuple<"values" | "counts"> => {
  const r = unique1d(ravel(p.x), false, false, true, false);
  return named(["values", "counts"], [r.values, r.counts!]);
});
/** np.unique_inverse(x): (values, inverse_indices), NaNs distinct; inverse_indices has x's shape. */
export const unique_inverse = def("unique_inverse", "x", { x: arg.array }, (p): NamedTuple<"values" | "inverse_indices"> => {
  const a = asarray(p.x);
  const r = unique1d(ravel(a), false, true, false, false);
  return named(["values", "inverse_indices"], [r.values, r.inverse!.reshape(a.shape)]);
});
/** np.unique_values(x): the distinct values, NaNs distinct (sorted here; NumPy's order is unspecified). */
export const unique_values = def("unique_values", "x", { x: arg.array }, (p): ndarray => unique1d(ravel(p.x), false, false, false, false).values);

// ---- membership

const KIND = conv<"sort" | "table" | null, "sort" | "table" | null>((v): "sort" | "table" | null => {
  if (v === null || v === "sort" || v === "table") return v;
  throw new ValueError(`Invalid kind: ${typeof v === "string" ? `'${v}'` : String(v)}. Please use None, 'sort' or 'table'.`);
});

/** Whether each element of `x` is in `test` (both arrays): a parallel search into the sorted test values. */
function isin_(x: ndarray, test: ndarray, invert: boolean): ndarray {
  const t = ravel(test);
  if (t.size === 0) return full(x.shape, invert, { dtype: "bool" });
  const dt = resultType([x.dtype, t.dtype]);
  const sorted = sort_(astype(t, dt), 0);
  const xs = astype(x, dt);
  const pos = searchsorted_(sorted, xs, "left", null);
  const at = sorted.get(uf.minimum(pos, sorted.size - 1));
  const found = uf.equal(at, xs);
  return invert ? uf.logical_not(found) : found;
}

/**
 * np.isin(element, test_elements, assume_unique=False, invert=False, *, kind=None): a bool
 * array of element's shape. Every kind gives the same result; 'table' keeps NumPy's
 * restriction to bool and integer inputs.
 */
export const isin = def(
  "isin",
  "element, test_elements, assume_unique=False, invert=False, *, kind=None",
  { element: arg.array, test_elements: arg.array, assume_unique: arg.bool, invert: arg.bool, kind: KIND },
  (p): ndarray => {
    const x = asarray(p.element),
      t = asarray(p.test_elements);
    if (p.kind === "table" && ![x, t].every((a) => a.dtype.isInteger || a.dtype.kind === "b"))
      throw new ValueError("The 'table' method is only supported for boolean or integer arrays. Please select 'sort' or None for kind.");
    return isin_(x, t, p.invert);
  },
);

// ---- set operations on 1-D arrays

const uniq = (a: ArrayLike): ndarray => unique1d(ravel(a), false, false, false, true).values;

/**
 * np.intersect1d(ar1, ar2, assume_unique=False, return_indices=False): the sorted values in
 * both; with return_indices, also the first index of each in ar1 and in ar2.
 */
export const intersect1d = def(
  "intersect1d",
  "ar1, ar2, assume_unique=False, return_indices=False",
  { ar1: arg.array, ar2: arg.array, assume_unique: arg.bool, return_indices: arg.bool },
  (p): ndarray | ndarray[] => {
    let a = ravel(p.ar1),
      b = ravel(p.ar2);
    let ia: ndarray | null = null,
      ib: ndarray | null = null;
    if (!p.assume_unique) {
      if (p.return_indices) {
        const ua = unique1d(a, true, false, false, true),
          ub = unique1d(b, true, false, false, true);
        [a, ia, b, ib] = [ua.values, ua.index!, ub.values, ub.index!];
      } else {
        a = uniq(a);
        b = uniq(b);
      }
    }
    const aux = concat1d([a, b]);
    if (aux.size === 0) {
      const empty = new ndarray(newStore([0], DTYPES.int64));
      return p.return_indices ? [aux, empty, empty] : aux;
    }
    const order = p.return_indices ? argsort_(aux, 0) : null;
    const s = order ? aux.get(order) : sort_(aux, 0);
    const dup = uf.equal(tail(s), head(s));
    const at = compact(dup).positions;
    const values = head(s).get(at);
    if (!order) return values;
    let i1 = head(order).get(at),
      i2 = uf.subtract(tail(order).get(at), a.size);
    if (ia) i1 = ia.get(i1);
    if (ib) i2 = ib.get(i2);
    return [values, i1, i2];
  },
);

/** np.union1d(ar1, ar2): the sorted values in either. */
export const union1d = def("union1d", "ar1, ar2", { ar1: arg.array, ar2: arg.array }, (p): ndarray => uniq(concat1d([ravel(p.ar1), ravel(p.ar2)])));

/** np.setdiff1d(ar1, ar2, assume_unique=False): the values of ar1 not in ar2 (sorted unless assume_unique). */
export const setdiff1d = def(
  "setdiff1d",
  "ar1, ar2, assume_unique=False",
  { ar1: arg.array, ar2: arg.array, assume_unique: arg.bool },
  (p): ndarray => {
    const a = p.assume_unique ? ravel(p.ar1) : uniq(p.ar1);
    const b = p.assume_unique ? ravel(p.ar2) : uniq(p.ar2);
    return a.get(compact(isin_(a, b, true)).positions);
  },
);

/** np.setxor1d(ar1, ar2, assume_unique=False): the sorted values in exactly one of them. */
export const setxor1d = def(
  "setxor1d",
  "ar1, ar2, assume_unique=False",
  { ar1: arg.array, ar2: arg.array, assume_unique: arg.bool },
  (p): ndarray => {
    const a = p.assume_unique ? ravel(p.ar1) : uniq(p.ar1);
    const b = p.assume_unique ? ravel(p.ar2) : uniq(p.ar2);
    const aux = sort_(concat1d([a, b]), 0);
    if (aux.size === 0) return aux;
    // A value is kept where it differs from both neighbours.
    const differs = uf.not_equal(tail(aux), head(aux));
    const flag = new ndarray(newStore([aux.size + 1], DTYPES.bool));
    flag.set(0, true);
    flag.set(-1, true);
    if (aux.size > 1) flag.set(new Slice(1, -1), differs);
    return aux.get(compact(uf.logical_and(tail(flag), head(flag))).positions);
  },
);
