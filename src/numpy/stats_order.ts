import { type DType, DTYPES, f16round } from "../core/index.js";
import type { ndarray } from "./ndarray.js";
import { asarray, fromTypedArray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { resultType } from "./dtypes.js";
import { IndexError, UFuncTypeError, ValueError } from "./errors.js";
import { notSupported } from "./ufunc.js";
import { def } from "./signature.js";
import type { Conv } from "./signature.js";
import { arg, unsupported } from "./param_types.js";
import { keepShape, normalizeAxes } from "./reduction.js";
import { sort_ } from "./sorting_searching.js";
import { MAX_KTH, isLongRow, selectLong, selectRowsOf } from "./selection.js";
import { SELECT_DTYPES } from "./tasks/select/cpu.js";
import { add, divide, isnan, multiply, subtract, where } from "./ufuncs.js";
import { sum } from "./math_sum_prod_diff.js";
import { max, min } from "./math_extrema.js";
import { warn } from "./warnings.js";

/**
 * NumPy's "Order statistics" and medians: median, percentile, quantile, nanmedian,
 * nanpercentile, nanquantile, ptp. The elements each quantile needs are selected (selection.ts:
 * an introselect per row, rows in parallel; one long row in parallel from a sample, counts
 * and candidates; NaN last), not sorted, then interpolated as NumPy's formulas do, step by
 * step in NumPy's dtypes, so results are NumPy's to the bit.
 */

export const QUANTILE_METHODS = [
  "inverted_cdf",
  "averaged_inverted_cdf",
  "closest_observation",
  "interpolated_inverted_cdf",
  "hazen",
  "weibull",
  "linear",
  "median_unbiased",
  "normal_unbiased",
  "lower",
  "higher",
  "midpoint",
  "nearest",
] as const;
export type QuantileMethod = (typeof QUANTILE_METHODS)[number];

/** Rounding to a float dtype (the dtype NumPy computes an index or weight in). */
function rounder(d: DType): (x: number) => number {
  if (d === DTYPES.float32) return Math.fround;
  if (d === DTYPES.float16) return f16round;
  return (x) => x;
}

/** Round half to even (np.around). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const pyMod2 = (x: number): number => ((x % 2) + 2) % 2;

/** Where one quantile's value comes from: one element, or a lerp of two. */
type Pick = { k: number } | { prev: number; next: number; gamma: number; ge: boolean };

/**
 * NumPy's _QuantileMethods for a sample of `n` values and one quantile `q` (held in dtype
 * `qd`, whose rounding `r` every step takes, as NumPy's array arithmetic does).
 */
function pick(method: QuantileMethod, n: number, q: number, qd: DType): Pick {
  const intQ = qd.isInteger || qd.kind === "b";
  const r = intQ ? (x: number) => x : rounder(qd);
  const linear = () => r(r(n - 1) * q);
  const discrete = (index: number, cond: (gamma: number, index: number) => boolean): Pick => {
    const previous = Math.floor(index);
    const gamma = r(index - previous);
    const res = cond(gamma, index) ? previous : previous + 1;
    return { k: res < 0 ? 0 : res };
  };
  const continuous = (alpha: number, beta: number) => r(r(r(r(n) * q) + r(r(alpha) + r(q * r(1 - alpha - beta)))) - 1);
  let v: number;
  let fix: (gamma: number, index: number) => number = (g) => g;
  switch (method) {
    case "lower":
      return { k: Math.floor(linear()) };
    case "higher":
      return { k: Math.ceil(linear()) };
    case "nearest":
      return { k: roundHalfEven(linear()) };
    case "inverted_cdf":
      return discrete(r(r(r(n) * q) - 1), (g) => g === 0);
    case "closest_observation":
      return discrete(r(r(r(r(n) * q) - 1) - 0.5), (g, i) => g === 0 && pyMod2(Math.floor(i)) === 1);
    case "linear":
      v = linear();
      if (intQ) return { k: v };
      break;
    case "midpoint": {
      const l = linear();
      v = r(0.5 * r(Math.floor(l) + Math.ceil(l)));
      fix = (_g, i) => (i % 1 === 0 ? 0 : 0.5);
      break;
    }
    case "averaged_inverted_cdf":
      v = r(r(r(n) * q) - 1);
      fix = (g) => (g === 0 ? 0.5 : 1);
      break;
    case "interpolated_inverted_cdf":
      v = continuous(0, 1);
      break;
    case "hazen":
      v = continuous(0.5, 0.5);
      break;
    case "weibull":
      v = continuous(0, 0);
      break;
    case "median_unbiased":
      v = continuous(1 / 3, 1 / 3);
      break;
    case "normal_unbiased":
      v = continuous(3 / 8, 3 / 8);
      break;
  }
  // NumPy's _get_indexes: clamp to the ends (-1 stands for the last element).
  let prev = Math.floor(v);
  let next = r(prev + 1);
  if (v >= n - 1 || Number.isNaN(v)) prev = next = -1;
  else if (v < 0) prev = next = 0;
  const gd = intQ ? (x: number) => x : r;
  const gamma = gd(fix(r(v - prev), v));
  return { prev: prev < 0 ? n - 1 : prev, next: next < 0 ? n - 1 : next, gamma, ge: gamma >= 0.5 };
}

/** The reduced axes moved last and flattened: (m rows, n values each), in their given order. */
interface Rows {
  x: ndarray;
  m: number;
  n: number;
  /** Result shape without the quantile dims (keepdims or not). */
  shape: number[];
}
function rowsOf(a: ndarray, axis: number | number[] | null, keepdims: boolean): Rows {
  // NumPy's _ureduce normalizes with normalize_axis_tuple: its message for a repeated axis.
  if (Array.isArray(axis) && new Set(axis.map((d) => (d < 0 ? d + a.ndim : d))).size !== axis.length) throw new ValueError("repeated axis");
  const axes = normalizeAxes(axis, a.ndim);
  const kept = a.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const m = kept.reduce((p, d) => p * a.shape[d], 1);
  const n = axes.reduce((p, d) => p * a.shape[d], 1);
  const x = a.ndim === 0 ? a.reshape([1, 1]) : a.transpose([...kept, ...axes]).reshape([m, n]);
  const shape = keepdims ? keepShape(a.shape, axes) : kept.map((d) => a.shape[d]);
  return { x, m, n, shape };
}

/** The sorted values of the rows at the positions asked for (flat: row * n + k), and each row's last one. */
interface Ordered {
  take(positions: number[], shape: number[]): ndarray;
  last(): ndarray;
}

/**
 * The rows ordered enough to read the sorted values at in-row positions `ks` (and the last
 * one where `needLast`): one long row by parallel selection, rows by an introselect each
 * (NaN last); many positions by a sort.
 */
function ordered(r: Rows, ks: number[], needLast: boolean): Ordered {
  const { m, n } = r;
  const set = [...new Set(ks)].filter((k) => k >= 0 && k < n).sort((p, q) => p - q);
  const row = m === 1 ? r.x.reshape([n]) : null;
  if (row !== null && isLongRow(row)) {
    const sel = selectLong(row, set);
    if (sel !== null) {
      const value = new Map(set.map((k, i) => [k, sel.values[i]]));
      const make = (v: number[], shape: number[]): ndarray => fromTypedArray(Float64Array.from(v), shape, "float64").astype(row.dtype);
      return {
        take: (positions, shape) =>
          make(
            positions.map((p) => value.get(p) ?? Number.NaN),
            shape,
          ),
        // Only whether it is NaN is asked (NaN sorts last).
        last: () => make([sel.nan > 0 ? Number.NaN : 0], [1]),
      };
    }
  }
  if (needLast && n > 0 && set[set.length - 1] !== n - 1) set.push(n - 1);
  let flat: ndarray;
  if (m * n === 0) flat = r.x.reshape([0]);
  else {
    // Types the introselect does not take (int64, float16, complex) keep the parallel sort.
    const sorts = set.length > MAX_KTH || !SELECT_DTYPES.has(r.x.dtype.name);
    flat = (sorts ? sort_(r.x, -1) : selectRowsOf(r.x, set)).reshape([m * n]);
  }
  return {
    take: (positions, shape) => flat.get(indexArray(positions, shape, m * n)),
    last: () => flat.reshape([m, n]).get(":", -1),
  };
}

/** An int index array (int32 where it fits) of `shape` from JS numbers. */
function indexArray(values: number[], shape: number[], bound: number): ndarray {
  if (bound < 2 ** 31) return fromTypedArray(Int32Array.from(values), shape, "int32");
  return fromTypedArray(Float64Array.from(values), shape, "float64").astype("int64");
}
const floatArray = (values: number[], shape: number[], d: DType): ndarray => fromTypedArray(Float64Array.from(values), shape, "float64").astype(d);
const boolArray = (values: boolean[], shape: number[]): ndarray => fromTypedArray(Uint8Array.from(values, Number), shape, "bool");

/** How the weights of a lerp are typed: a Python float (weak) or an array of the index dtype. */
interface QSpec {
  values: number[];
  shape: number[];
  dtype: DType;
  weak: boolean;
}

/**
 * The quantiles of every row: `counts[i]` values of row i are valid (all n, or the non-NaN
 * ones, which sort first); a row with none gives NaN. Result shape (q.shape..., rows).
 */
function quantileRows(s: Rows, q: QSpec, method: QuantileMethod, counts: number[] | null, arrDType: DType): ndarray {
  const { m, n } = s;
  const nq = q.values.length;
  const picks: Pick[] = [];
  for (let j = 0; j < nq; j++) for (let i = 0; i < m; i++) picks.push(pick(method, counts ? counts[i] : n, q.values[j], q.dtype));
  const shape = [nq, m];
  const rowOf = (t: number) => t % m;
  const empty = (t: number) => counts !== null && counts[rowOf(t)] === 0;
  const at = (t: number, k: number) => (empty(t) ? 0 : rowOf(t) * n + k);
  const ks: number[] = [];
  for (const [t, p] of picks.entries()) {
    if (empty(t)) continue;
    if ("k" in p) ks.push(p.k);
    else ks.push(p.prev, p.next);
  }
  const nanCheck = counts === null && (arrDType.isFloat || arrDType.isComplex) && n > 0;
  const o = ordered(s, ks, nanCheck);
  let r: ndarray;
  if (picks.every((p) => "k" in p)) {
    r = o.take(
      picks.map((p, t) => at(t, (p as { k: number }).k)),
      shape,
    );
  } else {
    const lerps = picks as { prev: number; next: number; gamma: number; ge: boolean }[];
    const a = o.take(
      lerps.map((p, t) => at(t, p.prev)),
      shape,
    );
    const b = o.take(
      lerps.map((p, t) => at(t, p.next)),
      shape,
    );
    // NumPy's _lerp: a + (b-a)*t, or b - (b-a)*(1-t) where t >= 0.5, in the promoted dtype.
    const gd = q.dtype.isInteger || q.dtype.kind === "b" ? DTYPES.float64 : q.dtype;
    const ld = q.weak ? resultType([arrDType], [0.5]) : resultType([arrDType, gd]);
    const td = q.weak ? ld : gd;
    const rt = rounder(td);
    const t = floatArray(
      lerps.map((p) => rt(p.gamma)),
      shape,
      td,
    );
    const t1 = floatArray(
      lerps.map((p) => rt(1 - p.gamma)),
      shape,
      td,
    );
    const diff = subtract(b, a);
    const lo = add(a, multiply(diff, t), { dtype: ld });
    const hi = subtract(b, multiply(diff, t1), { dtype: ld });
    r = where(
      boolArray(
        lerps.map((p) => p.ge),
        shape,
      ),
      hi,
      lo,
    );
  }
  if (counts !== null && counts.some((c) => c === 0)) {
    const none = boolArray(
      picks.map((_, t) => empty(t)),
      shape,
    );
    r = where(none, NaN, r).astype(r.dtype);
  } else if (nanCheck) {
    // A row holding NaN (sorted last) gives NaN.
    const last = o.last();
    r = where(isnan(last), last, r).astype(r.dtype);
  }
  return r;
}

/** Non-NaN count of each row (NaN sorts last), and NumPy's warning for all-NaN rows. */
function validCounts(s: Rows): number[] {
  const nans = sum(isnan(s.x), { axis: 1 }).tolist() as number[];
  const counts = nans.map((k) => s.n - k);
  if (counts.some((c) => c === 0)) warn("All-NaN slice encountered");
  return counts;
}

/** q as NumPy holds it: an array of its dtype (weak: a Python number). */
function quantileSpec(q: ArrayLike, percent: boolean): QSpec {
  const text = q as unknown;
  if (typeof text === "string") {
    if (percent) notSupported("divide");
    throw new UFuncTypeError(
      `ufunc 'minimum' did not contain a loop with signature matching types (dtype('<U${text.length}'), dtype('<U${text.length}')) -> None`,
    );
  }
  const weak = typeof q === "number";
  let qa = asarray(q);
  if (qa.dtype.isComplex) throw new TypeError("'<=' not supported between instances of 'complex' and 'float'");
  if (percent) qa = divide(qa, 100);
  const values = (qa.ravel().tolist() as (number | boolean | bigint)[]).map(Number);
  if (qa.ndim > 2) throw new ValueError("q must be a scalar or 1d");
  if (!values.every((v) => v >= 0 && v <= 1))
    throw new ValueError(percent ? "Percentiles must be in the range [0, 100]" : "Quantiles must be in the range [0, 1]");
  return { values, shape: qa.shape, dtype: qa.dtype, weak };
}

interface QuantileArgs {
  a: ArrayLike;
  q: ArrayLike;
  axis: number | number[] | null;
  out: ndarray | null;
  overwrite_input: boolean;
  method: QuantileMethod;
  keepdims?: boolean;
  weights: ArrayLike | null;
}

/** quantile / percentile / their nan forms. */
function quantileImpl(p: QuantileArgs, percent: boolean, nan: boolean): ndarray {
  const a = asarray(p.a);
  if (a.dtype.isComplex) throw new TypeError("a must be an array of real numbers");
  const q = quantileSpec(p.q, percent);
  checkMethod(p.method);
  if (p.weights !== null) {
    if (p.method !== "inverted_cdf") throw new ValueError(`Only method 'inverted_cdf' supports weights. Got: ${p.method}.`);
    unsupported(percent ? "percentile" : "quantile", "weights");
  }
  const s = rowsOf(a, p.axis, !!p.keepdims);
  const skipNaN = nan && (a.dtype.isFloat || a.dtype.isComplex);
  if (s.n === 0 && !skipNaN) throw new IndexError("index -1 is out of bounds for axis 0 with size 0");
  const counts = skipNaN ? validCounts(s) : null;
  const r = quantileRows(s, q, p.method, counts, a.dtype).reshape([...q.shape, ...s.shape]);
  return finishOut(r, p.out);
}

function finishOut(r: ndarray, out: ndarray | null): ndarray {
  if (!out) return r;
  out.set("...", r);
  return out;
}

const Q_PARAMS = "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, *, weights=None";
const NANQ_PARAMS = "a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=<no value>, *, weights=None";
/** method: any str here; checked after q, with NumPy's message. */
const METHOD = arg.str as unknown as Conv<QuantileMethod, QuantileMethod>;
function checkMethod(m: string): asserts m is QuantileMethod {
  if (!(QUANTILE_METHODS as readonly string[]).includes(m))
    throw new ValueError(`'${m}' is not a valid method. Use one of: dict_keys([${QUANTILE_METHODS.map((x) => `'${x}'`).join(", ")}])`);
}
const Q_ARGS = {
  a: arg.array,
  q: arg.array,
  axis: arg.axesTuple,
  out: arg.out,
  overwrite_input: arg.bool,
  method: METHOD,
  keepdims: arg.bool,
  weights: arg.arrayOrNone,
};

/** np.quantile(a, q, axis, out, overwrite_input, method='linear', keepdims, *, weights): the q-th quantiles (q in [0, 1]). */
export const quantile = def("quantile", Q_PARAMS, Q_ARGS, (p): ndarray => quantileImpl(p, false, false));
/** np.percentile(a, q, …): the q-th percentiles (q in [0, 100]); quantile's parameters. */
export const percentile = def("percentile", Q_PARAMS, Q_ARGS, (p): ndarray => quantileImpl(p, true, false));
/** np.nanquantile: quantile of the non-NaN values (NaN, with a RuntimeWarning, where there are none). */
export const nanquantile = def("nanquantile", NANQ_PARAMS, Q_ARGS, (p): ndarray => quantileImpl(p, false, true));
/** np.nanpercentile: percentile of the non-NaN values. */
export const nanpercentile = def("nanpercentile", NANQ_PARAMS, Q_ARGS, (p): ndarray => quantileImpl(p, true, true));

/** The dtype NumPy's mean computes a median in (float16 works in float32), and the result dtype. */
function medianDTypes(d: DType): [DType, DType] {
  if (d.kind === "b" || d.isInteger) return [DTYPES.float64, DTYPES.float64];
  if (d === DTYPES.float16) return [DTYPES.float32, DTYPES.float16];
  return [d, d];
}

/** Median of each sorted row from its `counts` valid values: the middle one or the mean of the two middle ones. */
function medianRows(s: Rows, counts: number[] | null, d: DType): ndarray {
  const { m, n } = s;
  const [work, res] = medianDTypes(d);
  const c = (i: number) => (counts ? counts[i] : n);
  const base = (i: number) => (c(i) === 0 ? 0 : i * n);
  const lo = Array.from({ length: m }, (_, i) => base(i) + Math.max(0, Math.floor((c(i) - 1) / 2)));
  const hi = Array.from({ length: m }, (_, i) => base(i) + Math.max(0, Math.floor(c(i) / 2)));
  const ks: number[] = [];
  for (let i = 0; i < m; i++) if (c(i) > 0) ks.push(lo[i] - i * n, hi[i] - i * n);
  const o = ordered(s, ks, counts === null && (d.isFloat || d.isComplex));
  const a = o.take(lo, [m]),
    b = o.take(hi, [m]);
  const two = Array.from({ length: m }, (_, i) => (c(i) % 2 === 0 ? 2 : 1));
  // mean of one element is itself; of two, (a + b) / 2 in the mean's dtype.
  const sumAB = where(
    boolArray(
      two.map((k) => k === 2),
      [m],
    ),
    add(a, b, { dtype: work }),
    a.astype(work),
  );
  let r = divide(sumAB, fromTypedArray(Float64Array.from(two), [m], "float64").astype(work), { dtype: work }).astype(res);
  if (counts !== null && counts.some((k) => k === 0))
    r = where(
      boolArray(
        counts.map((k) => k === 0),
        [m],
      ),
      NaN,
      r,
    ).astype(res);
  else if (counts === null && (d.isFloat || d.isComplex)) {
    const last = o.last();
    r = where(isnan(last), last, r).astype(res);
  }
  return r;
}

function medianImpl(aLike: ArrayLike, axis: number | number[] | null, out: ndarray | null, keepdims: boolean, nan: boolean): ndarray {
  const a = asarray(aLike);
  const s = rowsOf(a, axis, keepdims);
  const skipNaN = nan && (a.dtype.isFloat || a.dtype.isComplex);
  if (s.n === 0) {
    // NumPy takes the mean of an empty slice.
    warn("Mean of empty slice");
    warn(`invalid value encountered in ${s.shape.length === 0 ? "scalar " : ""}divide`);
    const [, res] = medianDTypes(a.dtype);
    return finishOut(where(true, NaN, fromTypedArray(new Float64Array(s.m), s.shape, "float64")).astype(res), out);
  }
  const counts = skipNaN ? validCounts(s) : null;
  return finishOut(medianRows(s, counts, a.dtype).reshape(s.shape), out);
}

/** np.median(a, axis=None, out=None, overwrite_input=False, keepdims=False): NaN where a slice holds NaN. */
export const median = def(
  "median",
  "a, axis=None, out=None, overwrite_input=False, keepdims=False",
  { a: arg.array, axis: arg.axesTuple, out: arg.out, overwrite_input: arg.bool, keepdims: arg.bool },
  (p): ndarray => medianImpl(p.a, p.axis, p.out, p.keepdims, false),
);
/** np.nanmedian(…): the median of the non-NaN values (NaN, with a RuntimeWarning, for an all-NaN slice). */
export const nanmedian = def(
  "nanmedian",
  "a, axis=None, out=None, overwrite_input=False, keepdims=<no value>",
  { a: arg.array, axis: arg.axesTuple, out: arg.out, overwrite_input: arg.bool, keepdims: arg.bool },
  (p): ndarray => medianImpl(p.a, p.axis, p.out, !!p.keepdims, true),
);

/** np.ptp(a, axis=None, out=None, keepdims): max - min ("peak to peak"). */
export const ptp = def(
  "ptp",
  "a, axis=None, out=None, keepdims=<no value>",
  { a: arg.array, axis: arg.axes, out: arg.out, keepdims: arg.bool },
  (p): ndarray => {
    const hi = max(p.a, { axis: p.axis, keepdims: p.keepdims }),
      lo = min(p.a, { axis: p.axis, keepdims: p.keepdims });
    return p.out ? subtract(hi, lo, p.out) : subtract(hi, lo);
  },
);
