import { runtime } from "../core/runtime.js";
import { DTYPES } from "../core/dtype.js";
import { binary, cast, index, scalar, where } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { DTypeLike, dtype as toDType, resultType } from "./dtypes.js";
import { ValueError } from "./errors.js";
import { power } from "./ufuncs.js";

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
  const delta = (start + step) - start;
  if (n > 0) {
    // Computed in float64: exact for integers below 2^53, NumPy's formula for floats.
    const expr = cast(binary("add", scalar(0, "float64"), binary("mul", index(0, "float64"), scalar(1, "float64"))), dt.name);
    runtime().submit({ kind: "map", name: "arange", inputs: [], outputs: [{ store: out, expr }], scalars: [start, delta] });
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
    let v = div > 0 && step !== 0
      ? binary("add", binary("mul", i, scalar(0, "float64")), scalar(1, "float64"))
      : binary("add", binary("mul", binary("div", i, scalar(3, "float64")), scalar(4, "float64")), scalar(1, "float64"));
    if (endpoint && num > 1) v = where(binary("eq", i, scalar(5, "float64")), scalar(2, "float64"), v);
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
