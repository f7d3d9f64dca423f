import { DType, DTYPES } from "../core/dtype.js";
import { cast, load, unary, binary } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";
import { dtype as toDType } from "./dtypes.js";
import { ReduceOptions, VarOptions, normalizeAxes, reduction } from "./reductions.js";
import { divide, subtract, sqrt } from "./ufuncs.js";
import { applyUfunc } from "./ufunc.js";

/** NumPy's mean dtype: ints and bool average in float64; floats keep their precision. */
function meanDType(d: DType): DType {
  return d.kind === "b" || d.isInteger ? DTYPES.float64 : d;
}

function count(a: ndarray, axes: number[]): number {
  return axes.reduce((p, d) => p * a.shape[d], 1);
}

function reshapeKeep(r: ndarray, a: ndarray, axes: number[], keepdims?: boolean): ndarray {
  return keepdims ? r.reshape(a.shape.map((n, d) => (axes.includes(d) ? 1 : n))) : r;
}

/** np.mean(a, {axis, keepdims, dtype, out}). */
export function mean(x: ArrayLike, opts: ReduceOptions = {}): ndarray {
  const a = asarray(x);
  const axes = normalizeAxes(opts.axis, a.ndim);
  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : meanDType(a.dtype);
  const s = reduction("sum", a, axes, dt, cast(load(0, a.dtype.name), dt.name));
  const r = divide(s, count(a, axes), { dtype: dt });
  const shaped = reshapeKeep(r, a, axes, opts.keepdims);
  if (opts.out) { opts.out.set("...", shaped); return opts.out; }
  return shaped;
}

/** np.var(a, {axis, keepdims, ddof, dtype, out}): mean of |x - mean(x)|², over n - ddof. */
export function var_(x: ArrayLike, opts: VarOptions = {}): ndarray {
  const a = asarray(x);
  const axes = normalizeAxes(opts.axis, a.ndim);
  const dt = opts.dtype !== undefined ? toDType(opts.dtype) : meanDType(a.dtype);
  const m = mean(a, { axis: axes, keepdims: true, dtype: dt });
  const d = subtract(a, m, { dtype: dt });
  const real = dt === DTYPES.complex64 ? DTYPES.float32 : dt === DTYPES.complex128 ? DTYPES.float64 : dt;
  // |d|² without a sqrt for complex: re² + im².
  const sq = applyUfunc({
    name: "abs2", loop: (c) => ({ in: c, out: real }),
    build: ([v], i) => i.isComplex
      ? binary("add", binary("mul", unary("real", v, real.name), unary("real", v, real.name)), binary("mul", unary("imag", v, real.name), unary("imag", v, real.name)))
      : binary("mul", v, v),
  }, [d]);
  const s = reduction("sum", sq, axes, real, load(0, real.name));
  const n = count(a, axes) - (opts.ddof ?? 0);
  const r = divide(s, Math.max(n, 0), { dtype: real });
  const shaped = reshapeKeep(r, a, axes, opts.keepdims);
  if (opts.out) { opts.out.set("...", shaped); return opts.out; }
  return shaped;
}

/** np.std(a, {axis, keepdims, ddof, dtype, out}) = sqrt(var). */
export function std(x: ArrayLike, opts: VarOptions = {}): ndarray {
  const { out, ...rest } = opts;
  const r = sqrt(var_(x, rest));
  if (out) { out.set("...", r); return out; }
  return r;
}
export { var_ as var };
