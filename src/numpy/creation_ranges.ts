import { runtime } from "../core/runtime.js";
import { DTYPES } from "../core/dtype.js";
import { binary, cast, index, scalar, unary, where } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { DTypeLike, dtype as toDType, resultType } from "./dtypes.js";
import { ValueError } from "./errors.js";
import { power } from "./ufuncs.js";
import { f16round } from "../core/float16.js";

/**
 * np.arange([start,] stop[, step], {dtype}). Values are start + i*delta with
 * delta = (start + step) - start, exactly as NumPy fills them.
 */
type RangeOpts = { dtype?: DTypeLike };
type Bound = number | bigint | null | undefined;
export function arange(a: number | bigint, b?: Bound | RangeOpts, c?: Bound | RangeOpts, d: RangeOpts = {}): ndarray {
  // The options object may follow any number of positionals: arange(5, { dtype }).
  let opts = d;
  if (typeof b === "object" && b !== null) { opts = b; b = undefined; }
  if (typeof c === "object" && c !== null) { opts = c; c = undefined; }
  let start = 0, stop: number, step = 1;
  if (b === undefined || b === null) stop = Number(a);
  else { start = Number(a); stop = Number(b); if (c !== undefined && c !== null) step = Number(c); }
  if (step === 0) throw new ValueError("Maximum allowed size exceeded");
  const ints = [a, b ?? 0, c ?? 1].every((v) => typeof v === "bigint" || Number.isInteger(v));
  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : ints ? DTYPES.int64 : DTYPES.float64;
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = runtime().createStore([n], dt);
  if (n > 0) {
    // NumPy stores start and start+step in the dtype, then fills start + i*delta; half and
    // single precision do that arithmetic in float32, everything else in float64 (exact
    // for integers below 2^53).
    const narrow = dt === DTYPES.float16 || dt === DTYPES.float32;
    const round = dt === DTYPES.float16 ? f16round : dt === DTYPES.float32 ? Math.fround : (x: number) => x;
    const s0 = round(start), s1 = round(start + step);
    const calc = narrow ? "float32" : dt === DTYPES.int32 && ints ? "int32" : "float64";
    const delta = narrow ? Math.fround(s1 - s0) : s1 - s0;
    // A 32-bit index where it is exact keeps the kernel free of float64 (so GPUs can run it).
    const i = n < 2 ** 31 && calc !== "float64" ? index(0, "int32") : index(0, "float64");
    const expr = cast(binary("add", scalar(0, calc), binary("mul", cast(i, calc), scalar(1, calc))), dt.name);
    runtime().submit({ kind: "map", name: "arange", inputs: [], outputs: [{ store: out, expr }], scalars: [narrow ? Math.fround(s0) : s0, delta] });
  }
  return new ndarray(out);
}

/** np.linspace(start, stop, num=50, {endpoint, dtype}): start + i*step, last value exactly stop. */
export function linspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean; dtype?: DTypeLike } = {}): ndarray {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`Number of samples, ${num}, must be non-negative.`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : resultType([DTYPES.float64]);
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  const out = runtime().createStore([num], dt);
  if (num > 0) {
    const i = index(0, "float64");
    // NumPy: i*step + start; with a zero step (start == stop) (i/div)*delta + start; and
    // with div == 0 (a single sample) i*delta + start.
    let v = div > 0 && step !== 0
      ? binary("add", binary("mul", i, scalar(0, "float64")), scalar(1, "float64"))
      : div > 0
        ? binary("add", binary("mul", binary("div", i, scalar(3, "float64")), scalar(4, "float64")), scalar(1, "float64"))
        : binary("add", binary("mul", i, scalar(4, "float64")), scalar(1, "float64"));
    if (endpoint && num > 1) v = where(binary("eq", i, scalar(5, "float64")), scalar(2, "float64"), v);
    if (dt.isInteger) v = unary("floor", v);
    runtime().submit({ kind: "map", name: "linspace", inputs: [], outputs: [{ store: out, expr: cast(v, dt.name) }], scalars: [step, start, stop, div, delta, num - 1] });
  }
  return new ndarray(out);
}

/** np.logspace(start, stop, num=50, {endpoint, base, dtype}) = base ** linspace(...). */
export function logspace(start: number, stop: number, num = 50, opts: { endpoint?: boolean; base?: number; dtype?: DTypeLike } = {}): ndarray {
  const y = linspace(start, stop, num, { endpoint: opts.endpoint });
  const r = power(opts.base ?? 10, y);
  return opts.dtype !== undefined ? r.astype(opts.dtype) : r;
}
