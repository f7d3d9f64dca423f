/**
 * NumPy's "Padding arrays" section: np.pad. Axes are padded one after another, as NumPy
 * does, so the corners of a later axis come from the already padded earlier ones: constant
 * fills slices of a new array; edge, wrap, reflect and symmetric gather along the axis with
 * an index map built on the host; the statistic modes join reductions of the edge chunks.
 */
import { DTYPES } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, toArray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { newStore } from "./alloc.js";
import { ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { copyPiece, concatenateArrays } from "./array_joining.js";
import { copyInto } from "./copy.js";
import { take } from "./indexing_routines.js";
import { max, min } from "./math_extrema.js";
import { mean } from "./stats_avgs_vars.js";
import { round, subtract, divide, multiply, add, equal, floor } from "./ufuncs.js";
import { any } from "./logic_truth.js";
import { sort } from "./sorting_searching.js";
import { where, isnan } from "./ufuncs.js";
import { result_type } from "./dtype_routines.js";
import { arange } from "./creation_ranges.js";
import { flip } from "./array_rearranging.js";
import { formatShape } from "./broadcast.js";
import type { WeakScalar } from "./dtypes.js";

const MODES = ["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric", "wrap", "empty"] as const;
type Mode = (typeof MODES)[number];
const ALLOWED: Record<Mode, string[]> = {
  empty: [],
  edge: [],
  wrap: [],
  constant: ["constant_values"],
  linear_ramp: ["end_values"],
  maximum: ["stat_length"],
  mean: ["stat_length"],
  median: ["stat_length"],
  minimum: ["stat_length"],
  reflect: ["reflect_type"],
  symmetric: ["reflect_type"],
};

/**
 * NumPy's _as_pairs: a scalar, a pair, or one pair per axis, as (ndim) pairs. `asIndex`
 * rounds to integers and refuses negative values (pad widths, stat lengths).
 */
function asPairs(x: ArrayLike | null, ndim: number, asIndex: boolean): [unknown, unknown][] {
  if (x === null) return new Array(ndim).fill([null, null]);
  let a = asarray(x);
  if (asIndex) a = round(a).astype(DTYPES.int64);
  const v = a.flatValues().map((e) => (typeof e === "bigint" ? Number(e) : e));
  const negative = () => new ValueError("index can't contain negative values");
  if (a.ndim < 3) {
    if (a.size === 1) {
      if (asIndex && (v[0] as number) < 0) throw negative();
      return new Array(ndim).fill([v[0], v[0]]);
    }
    if (a.size === 2 && a.shape.join() !== "2,1") {
      if (asIndex && ((v[0] as number) < 0 || (v[1] as number) < 0)) throw negative();
      return new Array(ndim).fill([v[0], v[1]]);
    }
  }
  if (asIndex && v.some((e) => (e as number) < 0)) throw negative();
  // np.broadcast_to(x, (ndim, 2)).
  const s = a.shape;
  const fits = s.length <= 2 && (s.length < 1 || s[s.length - 1] === 2 || s[s.length - 1] === 1) && (s.length < 2 || s[0] === ndim || s[0] === 1);
  if (!fits)
    throw new ValueError(
      `operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(s)}  and requested shape (${ndim},2)`,
    );
  const at = (i: number, j: number) => v[(s.length === 2 && s[0] !== 1 ? i * s[1] : 0) + (s[s.length - 1] === 2 ? j : 0)];
  return Array.from({ length: ndim }, (_, i) => [at(i, 0), at(i, 1)] as [unknown, unknown]);
}

/** pad_width: integers only (NumPy's TypeError for anything else). */
function padWidths(x: ArrayLike, ndim: number): [number, number][] {
  const a = asarray(x);
  if (!a.dtype.isInteger) throw new TypeError("`pad_width` must be of integral type.");
  return asPairs(a, ndim, true) as [number, number][];
}

/** A view of `a` restricted to [start, stop) along `axis`. */
const along = (a: ndarray, axis: number, start: number, stop: number): ndarray => new ndarray(a._store.slice(axis, start, stop, 1));

/** Pad one axis by gathering: padded position j reads the original position map(j - left). */
function gatherAxis(a: ndarray, axis: number, left: number, right: number, map: (i: number, n: number) => number): ndarray {
  const n = a.shape[axis];
  const idx = Array.from({ length: left + n + right }, (_, j) => map(j - left, n));
  return take(a, toArray(idx, { dtype: "int64" }), axis);
}
const mod = (i: number, m: number) => ((i % m) + m) % m;
const MAPS = {
  edge: (i: number, n: number) => Math.min(Math.max(i, 0), n - 1),
  wrap: (i: number, n: number) => mod(i, n),
  symmetric: (i: number, n: number) => {
    const t = mod(i, 2 * n);
    return t < n ? t : 2 * n - 1 - t;
  },
  reflect: (i: number, n: number) => {
    if (n === 1) return 0;
    const t = mod(i, 2 * n - 2);
    return t < n ? t : 2 * n - 2 - t;
  },
};

/** np.pad(array, pad_width, mode='constant', **kwargs). */
export const pad = def(
  "pad",
  "array, pad_width, mode='constant', **kwargs",
  { array: arg.array, pad_width: arg.array, mode: conv<Mode | string | PadFunction>((v): string => v as string), kwargs: arg.any },
  (p): ndarray => {
    const a = asarray(p.array);
    const widths = padWidths(p.pad_width, a.ndim);
    if (typeof p.mode === "function") return padWith(a, widths, p.mode as PadFunction, p.kwargs);
    const mode = p.mode as Mode;
    if (!(MODES as readonly string[]).includes(mode)) throw new ValueError(`mode '${String(mode)}' is not supported`);
    const extra = Object.keys(p.kwargs).filter((k) => !ALLOWED[mode].includes(k));
    if (extra.length) throw new ValueError(`unsupported keyword arguments for mode '${mode}': {${extra.map((k) => `'${k}'`).join(", ")}}`);
    if (mode === "constant" || mode === "empty") {
      const shape = a.shape.map((n, i) => n + widths[i][0] + widths[i][1]);
      const out = newStore(shape, a.dtype);
      let center = out;
      a.shape.forEach((n, i) => {
        center = center.slice(i, widths[i][0], widths[i][0] + n, 1);
      });
      copyPiece(center, a, "pad");
      if (mode === "empty") return new ndarray(out);
      const values = asPairs((p.kwargs.constant_values as ArrayLike | undefined) ?? 0, a.ndim, false);
      // The region of interest of axis i: padded along axes <= i, the original extent after.
      for (let i = 0; i < a.ndim; i++) {
        let roi = out;
        for (let d = i + 1; d < a.ndim; d++) roi = roi.slice(d, widths[d][0], widths[d][0] + a.shape[d], 1);
        const [l, r] = widths[i];
        if (l) copyInto(new ndarray(roi.slice(i, 0, l, 1)), values[i][0] as WeakScalar);
        if (r) copyInto(new ndarray(roi.slice(i, shape[i] - r, shape[i], 1)), values[i][1] as WeakScalar);
      }
      return new ndarray(out);
    }
    if (a.size === 0) {
      a.shape.forEach((n, i) => {
        if (n === 0 && (widths[i][0] || widths[i][1]))
          throw new ValueError(`can't extend empty axis ${i} using modes other than 'constant' or 'empty'`);
      });
      return new ndarray(
        newStore(
          a.shape.map((n, i) => n + widths[i][0] + widths[i][1]),
          a.dtype,
        ),
      );
    }
    if (mode === "linear_ramp") return linearRamp(a, widths, (p.kwargs.end_values as ArrayLike | undefined) ?? 0);
    if ((mode === "reflect" || mode === "symmetric") && p.kwargs.reflect_type === "odd") return reflectOdd(a, widths, mode === "symmetric");
    let cur = a;
    if (mode === "edge" || mode === "wrap" || mode === "reflect" || mode === "symmetric") {
      for (let i = 0; i < a.ndim; i++) if (widths[i][0] || widths[i][1]) cur = gatherAxis(cur, i, widths[i][0], widths[i][1], MAPS[mode]);
      return cur;
    }
    // maximum, minimum, mean: the statistic of the first / last stat_length elements.
    const lengths = asPairs((p.kwargs.stat_length as ArrayLike | undefined) ?? null, a.ndim, true);
    for (let i = 0; i < a.ndim; i++) {
      const [l, r] = widths[i];
      if (!l && !r) continue;
      const n = a.shape[i];
      const stat = (start: number, stop: number): ndarray => {
        if (stop - start === 0 && mode !== "mean") throw new ValueError("stat_length of 0 yields no value for padding");
        const chunk = along(cur, i, start, stop);
        if (mode === "maximum") return max(chunk, i, null, true);
        if (mode === "minimum") return min(chunk, i, null, true);
        const m = mode === "median" ? medianOf(chunk, i) : mean(chunk, i, null, null, true);
        return cur.dtype.isInteger ? round(m).astype(cur.dtype) : m.astype(cur.dtype);
      };
      const [ll, rl] = lengths[i].map((x) => (x === null ? n : Math.min(x as number, n)));
      const left = stat(0, ll),
        right = stat(n - rl, n);
      const wide = (s: ndarray, w: number) => {
        const shape = [...cur.shape];
        shape[i] = w;
        return new ndarray(s._store.broadcast(shape));
      };
      cur = concatenateArrays([wide(left, l), cur, wide(right, r)], i, null, null, "unsafe");
    }
    return cur;
  },
);

/**
 * linear_ramp, as NumPy computes it: per axis, np.linspace(end_value, edge, width,
 * endpoint=False) in the inexact type of the two (NumPy's _as_pairs hands out NumPy scalars,
 * which count as typed, for one or two end values, and Python numbers otherwise), floored and
 * cast for an integer array; the right ramp reversed.
 */
function linearRamp(a: ndarray, widths: [number, number][], endValues: ArrayLike): ndarray {
  const ev = asarray(endValues);
  const typed = ev.ndim < 3 && (ev.size === 1 || (ev.size === 2 && ev.shape.join() !== "2,1"));
  const pairs = asPairs(ev, a.ndim, false);
  const scalarOf = (v: unknown): ndarray | WeakScalar => (typed ? asarray(v as WeakScalar, { dtype: ev.dtype }) : (v as WeakScalar));
  let cur = a;
  for (let i = 0; i < a.ndim; i++) {
    const [l, r] = widths[i];
    if (!l && !r) continue;
    const n = cur.shape[i];
    const ramp = (end: ndarray | WeakScalar, edge: ndarray, num: number, reverse: boolean): ndarray => {
      const shape = [...cur.shape];
      shape[i] = num;
      if (num === 0) return new ndarray(newStore(shape, cur.dtype));
      const start = end instanceof ndarray ? end : end;
      let dt = result_type(edge, start as ndarray);
      if (!dt.isFloat && !dt.isComplex) dt = DTYPES.float64;
      const delta = subtract(edge, start as ndarray, { dtype: dt });
      const step = divide(delta, num);
      const anyZero = Boolean(any(equal(step, 0)).item());
      // y: 0 .. num-1 along the axis, in dt, broadcast against the edge.
      const yShape = cur.shape.map((_, d) => (d === i ? num : 1));
      const y = arange(num, { dtype: dt }).reshape(yShape);
      let out = anyZero ? multiply(divide(y, num), delta) : multiply(y, step);
      out = add(out, start as ndarray, { dtype: dt });
      if (cur.dtype.isInteger) out = floor(out);
      out = out.astype(cur.dtype);
      const full = new ndarray(newStore(shape, cur.dtype));
      copyInto(full, reverse ? flip(out, i) : out);
      return full;
    };
    const left = ramp(scalarOf(pairs[i][0]), along(cur, i, 0, 1), l, false);
    const right = ramp(scalarOf(pairs[i][1]), along(cur, i, n - 1, n), r, true);
    cur = concatenateArrays([left, cur, right], i, null, null, "unsafe");
  }
  return cur;
}

/**
 * reflect / symmetric with reflect_type='odd': NumPy's loop, literally. Each round reflects a
 * chunk next to each edge (as long as the valid part allows, in whole periods of the
 * original) and negates it about the edge value (2 * edge - chunk), until the pads are full.
 */
function reflectOdd(a: ndarray, widths: [number, number][], includeEdge: boolean): ndarray {
  let cur = a;
  for (let i = 0; i < a.ndim; i++) {
    let [l, r] = widths[i];
    const period = a.shape[i];
    if (period === 1 && (l || r)) {
      cur = gatherAxis(cur, i, l, r, MAPS.edge);
      continue;
    }
    while (l > 0 || r > 0) {
      const valid = cur.shape[i];
      const oldLength = includeEdge ? Math.floor(valid / period) * period : Math.floor((valid - 1) / (period - 1)) * (period - 1);
      const off = includeEdge ? 0 : 1;
      let left: ndarray | null = null,
        right: ndarray | null = null;
      if (l > 0) {
        const chunk = Math.min(oldLength, l);
        const edge = along(cur, i, 0, 1);
        left = subtract(multiply(2, edge), flip(along(cur, i, off, off + chunk), i));
        l -= chunk;
      }
      if (r > 0) {
        const chunk = Math.min(oldLength, r);
        const edge = along(cur, i, valid - 1, valid);
        right = subtract(multiply(2, edge), flip(along(cur, i, valid - off - chunk, valid - off), i));
        r -= chunk;
      }
      cur = concatenateArrays([...(left ? [left] : []), cur, ...(right ? [right] : [])], i, null, null, "unsafe");
    }
  }
  return cur;
}

/**
 * NumPy's median along `axis` (kept): the mean of the middle element or the two middle
 * elements of the sorted values (NaN sorts last, so any NaN gives NaN, as NumPy's check).
 */
function medianOf(chunk: ndarray, axis: number): ndarray {
  const n = chunk.shape[axis];
  const sorted = sort(chunk, axis);
  const h = Math.floor(n / 2);
  const mid = n % 2 ? along(sorted, axis, h, h + 1) : along(sorted, axis, h - 1, h + 1);
  const m = mean(mid, axis, null, null, true);
  if (!chunk.dtype.isFloat && !chunk.dtype.isComplex) return m;
  // NumPy: a NaN anywhere in the slice makes the median NaN (it sorts last).
  return where(isnan(along(sorted, axis, n - 1, n)), along(sorted, axis, n - 1, n), m) as ndarray;
}

/** A pad function: fills the pad ends of `vector` (a 1-D view) in place, as NumPy's callable mode. */
export type PadFunction = (vector: ndarray, iaxisPadWidth: [number, number], iaxis: number, kwargs: Record<string, unknown>) => void;

/**
 * np.pad with a function as the mode: a zero-padded array, then the function called on
 * every 1-D vector along each axis in turn (a view it writes into), as NumPy does.
 */
function padWith(a: ndarray, widths: [number, number][], fn: PadFunction, kwargs: Record<string, unknown>): ndarray {
  const shape = a.shape.map((n, i) => n + widths[i][0] + widths[i][1]);
  const out = newStore(shape, a.dtype);
  let center = out;
  a.shape.forEach((n, i) => {
    center = center.slice(i, widths[i][0], widths[i][0] + n, 1);
  });
  copyPiece(center, a, "pad");
  for (let axis = 0; axis < shape.length; axis++) {
    // The vectors along `axis`: every index of the other axes, in C order.
    const others = shape.map((_, d) => d).filter((d) => d !== axis);
    const count = others.reduce((n, d) => n * shape[d], 1);
    for (let k = 0; k < count; k++) {
      let s = out;
      let rest = k;
      for (let j = others.length - 1; j >= 0; j--) {
        const d = others[j];
        const at = rest % shape[d];
        rest = Math.floor(rest / shape[d]);
        s = s.project(d, at);
      }
      fn(new ndarray(s), [widths[axis][0], widths[axis][1]], axis, kwargs);
    }
  }
  return new ndarray(out);
}
