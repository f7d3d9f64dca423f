import { runtime, DTYPES, ir, f16round } from "../core/index.js";
import type { Expr } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { type DType, checkWeakInt, resultType } from "./dtypes.js";
import { ValueError, ZeroDivisionError, normalizeAxis } from "./errors.js";
import { def, isOptions } from "./signature.js";
import type { WithReturn } from "./signature.js";
import { arg, conv, pyType, unsupported } from "./param_types.js";
import { add, divide, equal, log10, multiply, power, sign, subtract } from "./ufuncs.js";
import { newStore } from "./alloc.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { broadcast_arrays, moveaxis } from "./array_manipulation.js";
import { toShape } from "./creation_shape.js";

const { binary, cast, index, scalar, unary, where } = ir;

/**
 * np.arange([start,] stop[, step], {dtype}). Values are start + i*delta with
 * delta = (start + step) - start, exactly as NumPy fills them.
 */
const real = conv<number | bigint, number | bigint>((v): number | bigint => {
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (typeof v === "boolean") return Number(v);
  if (v instanceof ndarray && v.size === 1 && !v.dtype.isComplex) return v.item() as number;
  if (typeof v === "string") throw new TypeError("arange() not supported for inputs with DType <class 'numpy.dtypes.StrDType'>.");
  throw new TypeError(`unsupported operand type(s) for -: '${pyType(v)}' and 'int'`);
});
const realOrNone = conv<number | bigint | null, number | bigint | null>((v, r): number | bigint | null => (v === null ? null : real(v, r)));

const arangeDef = def(
  "arange",
  "start_or_stop, /, stop=None, step=1, *, dtype=None, device=None, like=None",
  { start_or_stop: real, stop: realOrNone, step: realOrNone, dtype: arg.dtype, device: arg.device, like: arg.like },
  (p): ndarray => arange_(p.start_or_stop, p.stop, p.step ?? 1, p.dtype),
);
/**
 * NumPy's C parser behind the declared signature also takes `dtype` as a fourth positional
 * and `stop` alone by name (`np.arange({stop: 5})`).
 */
function arangeCall(...args: unknown[]): ndarray {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const opts = n > 0 && isOptions(args[n - 1]) ? (args[--n] as Record<string, unknown>) : {};
  const call = arangeDef as unknown as (...a: unknown[]) => ndarray;
  if (n === 4) return call(args[0], args[1], args[2], { ...opts, dtype: args[3] });
  if (n === 0) {
    const { stop, ...rest } = opts;
    if (stop === undefined || stop === null) throw new TypeError("arange() requires stop to be specified.");
    return call(stop, rest);
  }
  return call(...args);
}
export const arange = Object.assign(arangeCall, { signature: arangeDef.signature, body: arangeDef.body }) as unknown as typeof arangeDef;
/** arange's `start + i*delta` expressions, one object per arithmetic, index and result dtype (kernels are found by it). */
const RAMPS = new Map<string, Expr>();

/**
 * Below this many elements an int64 range is written here: a JavaScript kernel makes one
 * BigInt per int64 element it stores (np.arange(100) took 3 µs that way).
 */
const HOST_RAMP_MAX = 4096;
/**
 * start + i*delta (in float64, truncated, as the kernel computes it) for i < n as int64, each
 * written as two 32-bit words; null unless every value is below 2^53 in magnitude.
 */
function int64Ramp(start: number, delta: number, n: number): BigInt64Array | null {
  const last = start + (n - 1) * delta;
  if (!(Math.abs(start) < 2 ** 53 && Math.abs(last) < 2 ** 53)) return null;
  const words = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(start + i * delta);
    const hi = Math.floor(v / 2 ** 32);
    words[2 * i] = v - hi * 2 ** 32;
    words[2 * i + 1] = hi;
  }
  return new BigInt64Array(words.buffer);
}

function arange_(a: number | bigint, b: number | bigint | null, c: number | bigint, dtype: DType | null): ndarray {
  let start = 0,
    stop: number;
  const step = Number(c);
  if (b === null) stop = Number(a);
  else {
    start = Number(a);
    stop = Number(b);
  }
  if (step === 0) throw new ZeroDivisionError("division by zero");
  const ints = [a, b ?? 0, c].every((v) => typeof v === "bigint" || Number.isInteger(v));
  const dt = dtype ?? (ints ? DTYPES.int64 : DTYPES.float64);
  const len = Math.ceil((stop - start) / step);
  if (Number.isNaN(len)) throw new ValueError("arange: cannot compute length");
  if (!Number.isFinite(len)) throw new ValueError("Maximum allowed size exceeded");
  const n = Math.max(0, len);
  // NumPy stores start and start+step in the dtype (integers truncated), then fills start +
  // i*delta; half and single precision do that arithmetic in float32, everything else in
  // float64 (exact for integers below 2^53).
  const round = dt === DTYPES.float16 ? f16round : dt === DTYPES.float32 ? Math.fround : dt.isInteger ? Math.trunc : (x: number) => x;
  const s0 = round(start),
    s1 = round(start + step);
  // NumPy stores the first two values as Python ints into the dtype, with their range checks.
  if (dt.isInteger) for (const v of n > 1 ? [s0, s1] : n > 0 ? [s0] : []) checkWeakInt(Object.is(v, -0) ? 0 : v, dt);
  if (dt === DTYPES.bool && n > 2) throw new TypeError("arange() is only supported for booleans when the result has at most length 2.");
  if (dt === DTYPES.int64 && n > 0 && n <= HOST_RAMP_MAX) {
    const ramp = int64Ramp(s0, s1 - s0, n);
    if (ramp) return new ndarray(runtime().attach([n], dt, ramp));
  }
  const out = newStore([n], dt);
  if (n > 0) {
    const narrow = dt === DTYPES.float16 || dt === DTYPES.float32;
    const calc = narrow ? "float32" : dt === DTYPES.int32 && ints ? "int32" : "float64";
    const delta = narrow ? Math.fround(s1 - s0) : s1 - s0;
    // A 32-bit index where it is exact keeps the kernel free of float64 (so GPUs can run it).
    const at = n < 2 ** 31 && calc !== "float64" ? "int32" : "float64";
    const key = `${calc}/${at}/${dt.name}`;
    let expr = RAMPS.get(key);
    if (!expr) RAMPS.set(key, (expr = cast(binary("add", scalar(0, calc), binary("mul", cast(index(0, at), calc), scalar(1, calc))), dt.name)));
    runtime().submit({ kind: "map", name: "arange", inputs: [], outputs: [{ store: out, expr }], scalars: [narrow ? Math.fround(s0) : s0, delta] });
  }
  return new ndarray(out);
}

const scalarOnly = (fn: string) =>
  conv<number, number>((v): number => {
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return Number(v);
    if (v instanceof ndarray && v.ndim === 0 && !v.dtype.isComplex) return Number(v.item());
    return unsupported(fn, "array-valued start or stop");
  });
const LINSPACE_ARGS = {
  start: scalarOnly("linspace"),
  stop: scalarOnly("linspace"),
  num: arg.int,
  endpoint: arg.bool,
  retstep: arg.bool,
  dtype: arg.dtype,
  axis: arg.int,
  device: arg.device,
};

/**
 * np.linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
 * start + i*step, last value exactly stop. With retstep, `[samples, step]`.
 */
const linspaceDef = def(
  "linspace",
  "start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None",
  LINSPACE_ARGS,
  (p): ndarray | [ndarray, number] => {
    normalizeAxis(p.axis, 1, "destination");
    const r = linspace_(p.start, p.stop, p.num, p.endpoint, p.dtype);
    if (!p.retstep) return r;
    const div = p.endpoint ? p.num - 1 : p.num;
    return [r, div > 0 ? (p.stop - p.start) / div : NaN];
  },
);
/** (Typed for the common call; with `retstep: true` the result is `[samples, step]`.) */
export const linspace = linspaceDef as WithReturn<typeof linspaceDef, ndarray>;
function linspace_(start: number, stop: number, num: number, endpoint: boolean, dtype: DType | null): ndarray {
  if (num < 0) throw new ValueError(`Number of samples, ${num}, must be non-negative.`);
  const div = endpoint ? num - 1 : num;
  const dt = dtype ?? DTYPES.float64;
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  const out = newStore([num], dt);
  if (num > 0) {
    const form = div > 0 && step !== 0 ? 0 : div > 0 ? 1 : 2;
    const last = endpoint && num > 1;
    const key = `${form}|${last}|${dt.name}`;
    let expr = LINSPACES.get(key);
    if (!expr) {
      const i = index(0, "float64");
      // NumPy: i*step + start; with a zero step (start == stop) (i/div)*delta + start; and
      // with div == 0 (a single sample) i*delta + start.
      let v =
        form === 0
          ? binary("add", binary("mul", i, scalar(0, "float64")), scalar(1, "float64"))
          : form === 1
            ? binary("add", binary("mul", binary("div", i, scalar(3, "float64")), scalar(4, "float64")), scalar(1, "float64"))
            : binary("add", binary("mul", i, scalar(4, "float64")), scalar(1, "float64"));
      if (last) v = where(binary("eq", i, scalar(5, "float64")), scalar(2, "float64"), v);
      if (dt.isInteger) v = unary("floor", v);
      LINSPACES.set(key, (expr = cast(v, dt.name)));
    }
    runtime().submit({
      kind: "map",
      name: "linspace",
      inputs: [],
      outputs: [{ store: out, expr }],
      scalars: [step, start, stop, div, delta, num - 1],
    });
  }
  return new ndarray(out);
}
/** linspace's expressions by form, endpoint and dtype (the values are scalars): made once, so kernels are kept. */
const LINSPACES = new Map<string, Expr>();

/** np.logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0) = base ** linspace(...). */
export const logspace = def(
  "logspace",
  "start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0",
  { start: scalarOnly("logspace"), stop: scalarOnly("logspace"), num: arg.int, endpoint: arg.bool, base: arg.float, dtype: arg.dtype, axis: arg.int },
  (p): ndarray => {
    normalizeAxis(p.axis, 1, "destination");
    const r = power(p.base, linspace_(p.start, p.stop, p.num, p.endpoint, null));
    return p.dtype ? r.astype(p.dtype) : r;
  },
);

// ---- grids ------------------------------------------------------------------------------------

/** np.meshgrid(*xi, copy=True, sparse=False, indexing='xy'): coordinate arrays from coordinate vectors. */
export const meshgrid = def(
  "meshgrid",
  "*xi, copy=True, sparse=False, indexing='xy'",
  { xi: arg.array, copy: arg.bool, sparse: arg.bool, indexing: arg.any },
  (p): ndarray[] => {
    const ndim = p.xi.length;
    if (p.indexing !== "xy" && p.indexing !== "ij") throw new ValueError("Valid values for `indexing` are 'xy' and 'ij'.");
    // Each input flattened along its own axis; 'xy' swaps the first two axes.
    let out = p.xi.map((x: ArrayLike, i: number) => {
      const a = asarray(x);
      const shape = new Array<number>(ndim).fill(1);
      shape[i] = a.size;
      if (p.indexing === "xy" && ndim > 1 && i < 2) {
        shape[i] = 1;
        shape[1 - i] = a.size;
      }
      const flat = a._store.reshape([a.size]) ?? a.copy()._store.reshape([a.size])!;
      return new ndarray(flat.reshape(shape)!);
    });
    if (!p.sparse) out = broadcast_arrays(...out);
    return p.copy ? out.map((a) => a.copy()) : out;
  },
);

/** np.indices(dimensions, dtype=int, sparse=False): the index of every position along each axis, one array per axis. */
export const indices = def(
  "indices",
  "dimensions, dtype=<class 'int'>, sparse=False",
  { dimensions: arg.shape, dtype: arg.dtype, sparse: arg.bool },
  (p): ndarray | ndarray[] => {
    const dims = p.dimensions;
    const dt = p.dtype ?? DTYPES.int64;
    const n = dims.length;
    const rangeAlong = (store: ReturnType<typeof newStore>, i: number) => {
      if (store.size)
        runtime().submit({ kind: "map", name: "indices", inputs: [], outputs: [{ store, expr: cast(index(i, "int64"), dt.name) }], scalars: [] });
    };
    if (p.sparse)
      return dims.map((d, i) => {
        const shape = new Array<number>(n).fill(1);
        shape[i] = d;
        const s = newStore(toShape(shape), dt);
        rangeAlong(s, i);
        return new ndarray(s);
      });
    const res = newStore(toShape([n, ...dims]), dt);
    for (let i = 0; i < n; i++) rangeAlong(res.project(0, i), i);
    return new ndarray(res);
  },
);

// ---- geometric progressions -------------------------------------------------------------------

/**
 * NumPy's linspace on arrays (start and stop broadcast, samples along a new first axis), in
 * `dt` as NumPy computes it: arange(num) * step + start, or (i / div) * delta where a step is
 * zero, and the last sample exactly stop.
 */
function linspaceArrays(start: ndarray, stop: ndarray, num: number, endpoint: boolean, dt: DType): ndarray {
  const div = endpoint ? num - 1 : num;
  const delta = subtract(stop, start, null, { dtype: dt });
  let y = arange(0, num)
    .astype(dt)
    .reshape([-1, ...new Array<number>(delta.ndim).fill(1)]);
  if (div > 0) {
    const step = divide(delta, div);
    if (step.eq(0).any().item()) y = multiply(divide(y, div), delta);
    else y = multiply(y, step);
  } else y = multiply(y, delta);
  y = add(y, start).astype(dt);
  if (endpoint && num > 1) y.set(-1, "...", stop);
  return y;
}

/**
 * np.geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0): samples evenly spaced
 * on a log scale, NumPy's algorithm: start rotated onto the positive reals (negative and
 * complex endpoints), 10 ** linspace(log10 start, log10 stop), the endpoints exactly start
 * and stop, then rotated back.
 */
export const geomspace = def(
  "geomspace",
  "start, stop, num=50, endpoint=True, dtype=None, axis=0",
  { start: arg.array, stop: arg.array, num: arg.int, endpoint: arg.bool, dtype: arg.dtype, axis: arg.int },
  (p): ndarray => {
    let start = asarray(p.start),
      stop = asarray(p.stop);
    if (equal(start, 0).any().item() || equal(stop, 0).any().item()) throw new ValueError("Geometric sequence cannot include zero");
    const dt = resultType([start.dtype, stop.dtype, p.dtype ?? DTYPES.float64], [1.5]);
    const dtype = p.dtype ?? dt;
    if (p.num < 0) throw new ValueError(`Number of samples, ${p.num}, must be non-negative.`);
    start = start.astype(dt);
    stop = stop.astype(dt);
    const sign_ = sign(start);
    start = divide(start, sign_);
    stop = divide(stop, sign_);
    const y = linspaceArrays(log10(start), log10(stop), p.num, p.endpoint, dt);
    let r = power(asarray(10, { dtype: "float64" }), y).astype(dt);
    if (p.num > 0) {
      r.set(0, "...", start);
      if (p.num > 1 && p.endpoint) r.set(-1, "...", stop);
    }
    r = multiply(sign_, r);
    if (p.axis !== 0) r = moveaxis(r, 0, p.axis);
    return r.dtype === dtype ? r : r.astype(dtype);
  },
);
