import { type DType, DTYPES, broadcast, f16round, runtime } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { newStore } from "./alloc.js";
import { asarray, fromTypedArray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { promoteTypes, resultType } from "./dtypes.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, pyStr, toIndex, unsupported } from "./param_types.js";
import { max, min } from "./math_extrema.js";
import { sum } from "./math_sum_prod_diff.js";
import { zeros } from "./creation_shape.js";
import { add, divide, equal, greater, multiply, subtract } from "./ufuncs.js";
import { any } from "./logic_truth.js";
import { numpyLibrary } from "./tasks/library.js";
import { warn } from "./warnings.js";
import { pyFloatRepr } from "./io_format.js";

/**
 * NumPy's "Histograms": histogram, histogram2d, histogramdd, histogram_bin_edges, bincount, digitize. Counting is the
 * `bin_count` task: each point counts its chunks of the data into rows of its own, and a
 * reduction adds the rows (no shared counters, no atomics); equal-width bins use NumPy's
 * own index formula and its correction against the edges, so every value lands in NumPy's bin.
 */

/** A bin edge as NumPy holds it: a Python number (weak, `d` null) or a NumPy scalar of dtype `d`. */
interface Edge {
  v: number;
  d: DType | null;
}

function rounder(d: DType | null): (x: number) => number {
  if (d === DTYPES.float32) return Math.fround;
  if (d === DTYPES.float16) return f16round;
  return (x) => x;
}
const typeOf = (edges: Edge[], arrays: DType[] = []): DType =>
  resultType(
    [...arrays, ...edges.filter((e) => e.d !== null).map((e) => e.d as DType)],
    edges.filter((e) => e.d === null).map((e) => e.v),
  );
const inexactType = (d: DType): DType => (d.isFloat || d.isComplex ? d : resultType([d], [0.5]));

/** NumPy's _get_outer_edges. */
function outerEdges(a: ndarray, range: ArrayLike | null): [Edge, Edge] {
  let fe: Edge, le: Edge;
  const edge = (v: unknown): Edge => {
    if (v instanceof ndarray) return { v: Number(v.item()), d: v.dtype };
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return { v: Number(v), d: null };
    throw new TypeError(`'<' not supported between instances of '${typeof v}' and 'float'`);
  };
  if (range !== null) {
    const r = range instanceof ndarray ? (range.tolist() as unknown[]) : (range as unknown[]);
    if (!Array.isArray(r) || r.length !== 2) throw new ValueError(`too many values to unpack (expected 2)`);
    [fe, le] = [edge(r[0]), edge(r[1])];
    if (fe.v > le.v) throw new ValueError("max must be larger than min in range parameter.");
    if (!Number.isFinite(fe.v) || !Number.isFinite(le.v)) throw new ValueError(`supplied range of [${pyStr(fe.v)}, ${pyStr(le.v)}] is not finite`);
  } else if (a.size === 0) {
    [fe, le] = [
      { v: 0, d: null },
      { v: 1, d: null },
    ];
  } else {
    fe = { v: Number(min(a).item()), d: a.dtype };
    le = { v: Number(max(a).item()), d: a.dtype };
    if (!Number.isFinite(fe.v) || !Number.isFinite(le.v))
      throw new ValueError(`autodetected range of [${scalarStr(fe)}, ${scalarStr(le)}] is not finite`);
  }
  if (fe.v === le.v) {
    // x - 0.5 in NumPy's types: a weak Python float, or the scalar's dtype promoted with it.
    const shift = (e: Edge, s: number): Edge => {
      if (e.d === null) return { v: e.v + s, d: null };
      const d = resultType([e.d], [0.5]);
      return { v: rounder(d)(e.v + s), d };
    };
    [fe, le] = [shift(fe, -0.5), shift(le, 0.5)];
  }
  return [fe, le];
}

/** str() of a NumPy scalar edge (a float prints as Python's float: `0.0`). */
const scalarStr = (e: Edge): string => (e.d !== null && e.d.isFloat ? pyFloatRepr(e.v) : pyStr(e.v));

/** np.linspace(first, last, n + 1, dtype=binType), computed as NumPy computes it. */
function linspaceEdges(fe: Edge, le: Edge, n: number, binType: DType): number[] {
  const dt = inexactType(typeOf([fe, le]));
  const r = rounder(dt),
    rb = rounder(binType);
  const start = r(fe.v),
    stop = r(le.v);
  const delta = r(stop - start);
  const step = r(delta / n);
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(rb(step === 0 ? r(r(r(i / n) * delta) + start) : r(r(i * step) + start)));
  if (n > 0) out[n] = rb(stop);
  return out;
}

/** bins as histogram takes it: a count (with the range's edges) or explicit edges. */
interface Bins {
  edges: ndarray;
  /** Equal bins: the edges as NumPy's fast path sees them. */
  uniform: { fe: Edge; le: Edge; n: number; values: number[] } | null;
}

function binEdges(a: ndarray, bins: unknown, range: ArrayLike | null, weights: ndarray | null): Bins {
  let n: number;
  if (typeof bins === "string") {
    if (!ESTIMATORS.includes(bins)) throw new ValueError(`'${bins}' is not a valid estimator for \`bins\``);
    if (weights !== null) throw new TypeError("Automated estimation of the number of bins is not supported for weighted data");
    unsupported("histogram", `bins='${bins}'`);
  }
  const b = bins instanceof ndarray || Array.isArray(bins) ? asarray(bins as ArrayLike) : null;
  if (b === null || b.ndim === 0) {
    try {
      n = toIndex(b === null ? bins : b);
    } catch {
      throw new TypeError("`bins` must be an integer, a string, or an array");
    }
    if (n < 1) throw new ValueError("`bins` must be positive, when an integer");
  } else {
    if (b.ndim !== 1) throw new ValueError("`bins` must be 1d, when an array");
    const v = (b.tolist() as number[]).map(Number);
    for (let i = 0; i + 1 < v.length; i++) if (v[i] > v[i + 1]) throw new ValueError("`bins` must increase monotonically, when an array");
    return { edges: b, uniform: null };
  }
  const [fe, le] = outerEdges(a, range);
  const binType = inexactType(typeOf([fe, le], [a.dtype]));
  const values = linspaceEdges(fe, le, n, binType);
  for (let i = 0; i < n; i++)
    if (!(values[i] < values[i + 1])) throw new ValueError(`Too many bins for data range. Cannot create ${n} finite-sized bins.`);
  const edges = fromTypedArray(Float64Array.from(values), [n + 1], "float64").astype(binType);
  return { edges, uniform: { fe, le, n, values } };
}
const ESTIMATORS = ["stone", "auto", "doane", "fd", "rice", "scott", "sqrt", "sturges"];

/** NumPy's _ravel_and_check_weights (bool data counts as uint8, with NumPy's warning). */
function ravelWithWeights(aLike: ArrayLike, weights: ArrayLike | null): [ndarray, ndarray | null] {
  let a = asarray(aLike);
  if (a.dtype === DTYPES.bool) {
    warn("Converting input from bool to <class 'numpy.uint8'> for compatibility.");
    a = a.astype(DTYPES.uint8);
  }
  let w: ndarray | null = null;
  if (weights !== null) {
    w = asarray(weights);
    if (w.shape.join() !== a.shape.join()) throw new ValueError("weights should have the same shape as a.");
    if (w.dtype.isComplex) unsupported("histogram", "complex weights");
    w = w.ravel();
  }
  return [a.ravel(), w];
}

/** Launch bin_count over flat x (and weights): per-chunk rows of counts, added together. */
function countBins(x: ndarray, w: ndarray | null, edges: ndarray | null, nb: number, scalars: unknown[]): ndarray {
  const rt = runtime();
  const n = x.size;
  const pieces = Math.max(1, Math.min(rt.machine.cpus * rt.machine.ranks, Math.ceil(n / 32768)));
  if (nb === 0 || n === 0) return zeros([nb], { dtype: DTYPES.float64 });
  const out = newStore([pieces, nb], DTYPES.float64);
  const xs = x._store,
    ws = w ? w._store : xs,
    es = edges ? edges._store : xs;
  rt.submit(
    numpyLibrary().launch("bin_count", {
      args: [
        { store: xs, privilege: "read" },
        { store: ws, privilege: "read" },
        { store: es, privilege: "read" },
        { store: out, privilege: "write" },
      ],
      constraints: [broadcast(out, [1])],
      scalars: [scalars[0], w !== null, pieces, ...scalars.slice(1)],
      cost: n * 4,
    }),
  );
  return sum(new ndarray(out), { axis: 0 });
}

/** The counts (or weight sums) of flat `a` in the bins; dtype int64, or the weights'. */
function histogramCounts(a: ndarray, w: ndarray | null, bins: Bins): ndarray {
  const nb = bins.edges.size - 1;
  const x = asarray(a, { dtype: DTYPES.float64 });
  const wf = w ? asarray(w, { dtype: DTYPES.float64 }) : null;
  let counts: ndarray;
  if (bins.uniform) {
    const { fe, le, n, values } = bins.uniform;
    const binType = bins.edges.dtype;
    // keep = fe <= a <= le, compared in NumPy's types (a weak edge takes a float array's dtype).
    const keep = (e: Edge) => (e.d === null && a.dtype.isFloat ? rounder(a.dtype)(e.v) : e.v);
    // NumPy's _unsigned_subtract(last, first): signed integers subtract into their unsigned twin.
    const dd = typeOf([fe, le]);
    const denomType = dd.kind === "i" ? DTYPES[`u${dd.name}` as "uint64"] : dd;
    const denom = dd.kind === "i" || dd.kind === "u" ? le.v - fe.v : rounder(dd)(rounder(dd)(le.v) - rounder(dd)(fe.v));
    const divType = promoteTypes(binType, denomType);
    const edges64 = fromTypedArray(Float64Array.from(values), [n + 1], "float64");
    counts = countBins(x, wf, edges64, nb, [
      "uniform",
      keep(fe),
      keep(le),
      rounder(binType)(fe.v),
      rounder(divType)(denom),
      binType.name,
      divType.name,
    ]);
  } else {
    counts = countBins(x, wf, bins.edges.astype(DTYPES.float64), nb, ["edges"]);
  }
  return counts.astype(w ? w.dtype : DTYPES.int64);
}

const HIST_ARGS_DD = { sample: arg.any, bins: arg.any, range: arg.any, density: arg.boolOrNone, weights: arg.arrayOrNone };
const HIST_ARGS = { a: arg.array, bins: arg.any, range: arg.arrayOrNone, density: arg.boolOrNone, weights: arg.arrayOrNone };

/**
 * np.histogram(a, bins=10, range=None, density=None, weights=None): [counts, bin_edges].
 * bins: a count of equal bins over `range` (default the data's min and max) or the edges;
 * `density` divides by the total and the bin widths.
 */
export const histogram = def("histogram", "a, bins=10, range=None, density=None, weights=None", HIST_ARGS, (p): [ndarray, ndarray] => {
  const [a, w] = ravelWithWeights(p.a, p.weights);
  const bins = binEdges(a, p.bins ?? 10, p.range, w);
  const n = histogramCounts(a, w, bins);
  if (!p.density) return [n, bins.edges];
  const e = bins.edges;
  const db = subtract(e.get("1:"), e.get(":-1")).astype(DTYPES.float64);
  return [divide(divide(n, db), sum(n)), e];
});

/** np.histogram_bin_edges(a, bins=10, range=None, weights=None): the edges np.histogram would use. */
export const histogram_bin_edges = def(
  "histogram_bin_edges",
  "a, bins=10, range=None, weights=None",
  { a: arg.array, bins: arg.any, range: arg.arrayOrNone, weights: arg.arrayOrNone },
  (p): ndarray => {
    const [a, w] = ravelWithWeights(p.a, p.weights);
    return binEdges(a, p.bins ?? 10, p.range, w).edges;
  },
);

/** np.bincount(x, /, weights=None, minlength=0): occurrences of each non-negative integer (weight sums with `weights`). */
export const bincount = def(
  "bincount",
  "x, /, weights=None, minlength=0",
  { x: arg.array, weights: arg.arrayOrNone, minlength: arg.int },
  (p): ndarray => {
    let x = asarray(p.x);
    if (p.minlength < 0) throw new ValueError("'minlength' must not be negative");
    if (x.ndim === 0) throw new ValueError("object of too small depth for desired array");
    if (x.ndim > 1 && p.x instanceof ndarray) throw new ValueError("object too deep for desired array");
    if (x.ndim > 1)
      throw new ValueError("setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.");
    const w = p.weights === null ? null : asarray(p.weights);
    if (w && w.dtype.isComplex)
      throw new TypeError(`Cannot cast array data from dtype('${w.dtype.name}') to dtype('float64') according to the rule 'safe'`);
    if (w && (w.ndim !== 1 || w.size !== x.size)) throw new ValueError("The weights and list don't have the same length.");
    const outType = w ? DTYPES.float64 : DTYPES.int64;
    if (x.size === 0) return zeros([p.minlength], { dtype: outType });
    if ((x.dtype.isFloat || x.dtype.isComplex) && p.x instanceof ndarray)
      throw new TypeError(`Cannot cast array data from dtype('${x.dtype.name}') to dtype('int64') according to the rule 'safe'`);
    if (x.dtype.isFloat || x.dtype.isComplex) {
      warn("Non-integer input passed to bincount. In a future version of NumPy, this will be an error. (Deprecated NumPy 2.1)", "DeprecationWarning");
      x = x.astype(DTYPES.int64);
    }
    const lo = Number(min(x).item()),
      hi = Number(max(x).item());
    if (lo < 0) throw new ValueError("'list' argument must have no negative elements");
    const nb = Math.max(hi + 1, p.minlength);
    const xi = x.astype(hi < 2 ** 31 ? DTYPES.int32 : DTYPES.float64);
    return countBins(xi, w ? w.astype(DTYPES.float64) : null, null, nb, ["int"]).astype(outType);
  },
);

/** np.digitize(x, bins, right=False): the index of the bin of each x (bins increasing or decreasing). */
export const digitize = def("digitize", "x, bins, right=False", { x: arg.array, bins: arg.array, right: arg.bool }, (p): ndarray => {
  const x = asarray(p.x),
    bins = asarray(p.bins);
  if (x.dtype.isComplex) throw new TypeError("x may not be complex");
  if (bins.ndim !== 1) throw new ValueError("object too deep for desired array");
  const v = (bins.tolist() as number[]).map(Number);
  let inc = true,
    dec = true;
  for (let i = 0; i + 1 < v.length; i++) {
    if (v[i] > v[i + 1]) inc = false;
    if (v[i] < v[i + 1]) dec = false;
  }
  if (!inc && !dec) throw new ValueError("bins must be monotonically increasing or decreasing");
  const flat = asarray(x, { dtype: DTYPES.float64 }).ravel();
  const out = newStore([flat.size], DTYPES.int64);
  if (flat.size > 0) {
    runtime().submit(
      numpyLibrary().launch("digitize", {
        args: [
          { store: flat._store, privilege: "read" },
          { store: bins.astype(DTYPES.float64)._store, privilege: "read" },
          { store: out, privilege: "write" },
        ],
        scalars: [p.right, !inc],
        cost: flat.size * Math.max(1, Math.log2(v.length + 1)),
      }),
    );
  }
  return new ndarray(out).reshape(x.shape);
});

/** len(v) as Python takes it: a list's or an array's first dimension; null for what has none (a scalar). */
const pyLen = (v: unknown): number | null =>
  Array.isArray(v) ? v.length : v instanceof ndarray ? (v.ndim === 0 ? null : v.shape[0]) : typeof v === "string" ? v.length : null;

/**
 * np.histogramdd(sample, bins=10, range=None, density=None, weights=None): [hist, edges], the
 * D-dimensional histogram of N points (an (N, D) array, or D sequences of N values). NumPy's
 * algorithm: per dimension the edges (a count over `range`, as np.linspace, or given), the bin
 * of each value by searchsorted (values on the last edge in the last bin), the flat bin index,
 * and one bincount (the `bin_count` task) reshaped, outliers dropped.
 */
export const histogramdd = def("histogramdd", "sample, bins=10, range=None, density=None, weights=None", HIST_ARGS_DD, (p): [ndarray, ndarray[]] =>
  histogramddImpl(p.sample, p.bins ?? 10, p.range, p.density, p.weights),
);

function histogramddImpl(
  sampleLike: unknown,
  binsArg: unknown,
  rangeArg: unknown,
  density: boolean | null,
  weightsArg: ArrayLike | null,
): [ndarray, ndarray[]] {
  let sample = asarray(sampleLike as ArrayLike);
  if (!(sampleLike instanceof ndarray && sample.ndim === 2)) {
    // A sequence of D 1-D arrays: np.atleast_2d(sample).T.
    if (sample.ndim < 2) sample = sample.reshape(sample.ndim === 0 ? [1, 1] : [1, sample.size]);
    sample = sample.transpose();
    if (sample.ndim !== 2) throw new ValueError("too many values to unpack (expected 2)");
  }
  const D = sample.shape[1];
  const weights = weightsArg === null ? null : asarray(weightsArg);
  let bins: unknown[];
  const M = pyLen(binsArg);
  if (M !== null) {
    if (M !== D) throw new ValueError("The dimension of bins must be equal to the dimension of the sample x.");
    bins = binsArg instanceof ndarray ? [...Array(M).keys()].map((i) => binsArg.get(i)) : [...(binsArg as unknown[])];
  } else bins = Array(D).fill(binsArg);
  let ranges: unknown[];
  if (rangeArg === null) ranges = Array(D).fill(null);
  else {
    const r = rangeArg instanceof ndarray ? (rangeArg.tolist() as unknown[]) : (rangeArg as unknown[]);
    if (pyLen(r) !== D) throw new ValueError("range argument must have one entry per dimension");
    ranges = r;
  }
  const edges: ndarray[] = [];
  const nbin: number[] = [];
  for (let i = 0; i < D; i++) {
    const b = bins[i];
    const bnd = b instanceof ndarray ? b.ndim : Array.isArray(b) ? asarray(b as ArrayLike).ndim : 0;
    if (bnd === 0) {
      const bv = b instanceof ndarray ? Number(b.item()) : Number(b);
      if (bv < 1) throw new ValueError(`\`bins[${i}]\` must be positive, when an integer`);
      const [fe, le] = outerEdges(sample.get(":", i), ranges[i] as ArrayLike | null);
      let n: number;
      try {
        n = toIndex(b);
      } catch {
        throw new TypeError(`\`bins[${i}]\` must be an integer, when a scalar`);
      }
      const dt = inexactType(typeOf([fe, le]));
      edges.push(fromTypedArray(Float64Array.from(linspaceEdges(fe, le, n, dt)), [n + 1], "float64").astype(dt));
    } else if (bnd === 1) {
      const e = asarray(b as ArrayLike);
      if (e.size > 1 && Boolean(any(greater(e.get(":-1"), e.get("1:"))).item()))
        throw new ValueError(`\`bins[${i}]\` must be monotonically increasing, when an array`);
      edges.push(e);
    } else throw new ValueError(`\`bins[${i}]\` must be a scalar or 1d array`);
    nbin.push(edges[i].size + 1); // an outlier bin at each end
  }
  // The flat bin of each point: searchsorted per dimension, the last edge counted in the last bin.
  let xy: ndarray | null = null;
  let stride = 1;
  for (let i = D - 1; i >= 0; i--) {
    const col = sample.get(":", i);
    const e = edges[i];
    let idx = e.searchsorted(col, "right");
    if (e.size > 0) idx = subtract(idx, equal(col, e.get(-1)).astype(DTYPES.int64));
    const term = stride === 1 ? idx : multiply(idx, stride);
    xy = xy === null ? term : add(xy, term);
    stride *= nbin[i];
  }
  const total = nbin.reduce((a, b) => a * b, 1);
  const flat = xy === null ? zeros([sample.shape[0]], { dtype: DTYPES.int64 }) : xy;
  let hist = bincount(flat, weights, { minlength: total }).reshape(nbin).astype(DTYPES.float64);
  hist = hist.get(...nbin.map(() => "1:-1"));
  if (density) {
    const s = sum(hist);
    for (let i = 0; i < D; i++) {
      const shape = nbin.map((_, d) => (d === i ? nbin[i] - 2 : 1));
      const de = subtract(edges[i].get("1:"), edges[i].get(":-1"));
      hist = divide(hist, de.reshape(shape));
    }
    hist = divide(hist, s);
  }
  return [hist, edges];
}

/**
 * np.histogram2d(x, y, bins=10, range=None, density=None, weights=None): [H, xedges, yedges],
 * np.histogramdd of the points (x[i], y[i]); `bins` a count, a pair, or edges for both axes.
 */
export const histogram2d = def(
  "histogram2d",
  "x, y, bins=10, range=None, density=None, weights=None",
  { x: arg.array, y: arg.array, bins: arg.any, range: arg.any, density: arg.boolOrNone, weights: arg.arrayOrNone },
  (p): [ndarray, ndarray, ndarray] => {
    const lx = pyLen(p.x),
      ly = pyLen(p.y);
    if (lx === null || ly === null) throw new TypeError("len() of unsized object");
    if (lx !== ly) throw new ValueError("x and y must have the same length.");
    let bins = p.bins ?? 10;
    const N = pyLen(bins) ?? 1;
    if (N !== 1 && N !== 2) {
      const e = asarray(bins as ArrayLike);
      bins = [e, e];
    }
    const [hist, edges] = histogramddImpl([p.x, p.y], bins, p.range, p.density, p.weights);
    return [hist, edges[0], edges[1]];
  },
);
