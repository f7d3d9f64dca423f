import { runtime } from "../core/runtime.js";
import { DType, DTYPES } from "../core/dtype.js";
import { Expr, ReduceOp, cast, load } from "../core/kernel_ir.js";
import { reduceIdentity } from "../core/kernel_ir.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray } from "./creation_from_data.js";
import { DTypeLike, dtype as toDType, canCast } from "./dtypes.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { formatShape } from "./broadcast.js";

export interface ReduceOptions {
  /** Axis or axes to reduce; all when omitted or null. */
  axis?: number | number[] | null;
  keepdims?: boolean;
  /** Accumulator and result dtype. */
  dtype?: DTypeLike;
  /** Write the result here. */
  out?: ndarray;
}
export interface ArgOptions { axis?: number | null; keepdims?: boolean; out?: ndarray }
export interface VarOptions extends ReduceOptions { ddof?: number }

/** Normalised, sorted, de-duplicated axes (NumPy's errors for bad ones). */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  // NumPy lets a 0-d array be reduced over axis 0 / -1 (there is nothing to reduce).
  if (ndim === 0 && list.every((a) => a === 0 || a === -1)) return [];
  const out = list.map((a) => normalizeAxis(a, ndim));
  if (new Set(out).size !== out.length) throw new ValueError("duplicate value in 'axis'");
  return out.sort((a, b) => a - b);
}

/** NumPy's default accumulator for sum/prod: small ints widen to the platform int. */
export function sumDType(d: DType): DType {
  if (d.kind === "b" || (d.kind === "i" && d.itemsize < 8)) return DTYPES.int64;
  if (d.kind === "u" && d.itemsize < 8) return DTYPES.uint64;
  return d;
}

const UFUNC_NAME: Record<ReduceOp, string> = { sum: "add", prod: "multiply", min: "minimum", max: "maximum", all: "logical_and", any: "logical_or", argmin: "argmin", argmax: "argmax" };

function keepShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((n, d) => (axes.includes(d) ? 1 : n));
}

/** Shape the reduced store as the caller asked (keepdims) and honour `out`. */
function finish(a: ndarray, result: ndarray, axes: number[], keepdims: boolean | undefined, out: ndarray | undefined, name: string): ndarray {
  let r = result;
  if (keepdims) r = new ndarray(r._store.reshape(keepShape(a.shape, axes))!);
  if (!out) return r;
  if (out.shape.join() !== r.shape.join()) throw new ValueError(`output parameter for reduction operation ${name} has the wrong number of dimensions: Found ${out.ndim} but expected ${r.ndim}`);
  out.set("...", r);
  return out;
}

/**
 * One reduction launch: `value` (over `a`) folded with `op` over `axes` into a new store of
 * dtype `acc`. Empty reductions take the identity, or raise as NumPy does.
 */
export function reduction(op: ReduceOp, a: ndarray, axes: number[], acc: DType, value: Expr): ndarray {
  const rt = runtime();
  const kept = a.shape.filter((_, d) => !axes.includes(d));
  const out = rt.createStore(kept, acc);
  const reducedSize = axes.reduce((p, d) => p * a.shape[d], 1);
  if (a.size === 0 || reducedSize === 0) {
    if (reducedSize === 0 && kept.reduce((p, n) => p * n, 1) > 0 && (op === "min" || op === "max")) {
      throw new ValueError(`zero-size array to reduction operation ${UFUNC_NAME[op]} which has no identity`);
    }
    if (reducedSize === 0 && (op === "argmin" || op === "argmax")) throw new ValueError(`attempt to get ${op} of an empty sequence`);
    if (kept.reduce((p, n) => p * n, 1) > 0) {
      const idn = reduceIdentity(op, acc.name);
      const r = new ndarray(out);
      r.fill(typeof idn === "number" && acc.kind === "b" ? idn !== 0 : idn);
      return r;
    }
    return new ndarray(out);
  }
  rt.submit({ kind: "reduce", name: UFUNC_NAME[op], op, inputs: [a._store], value, axes, output: out, scalars: [] });
  return new ndarray(out);
}

function simple(op: ReduceOp, accFor: (d: DType) => DType) {
  return (x: ArrayLike, opts: ReduceOptions = {}): ndarray => {
    const a = asarray(x);
    const axes = normalizeAxes(opts.axis, a.ndim);
    const acc = opts.dtype !== undefined ? toDType(opts.dtype) : accFor(a.dtype);
    const r = reduction(op, a, axes, acc, cast(load(0, a.dtype.name), acc.name));
    return finish(a, r, axes, opts.keepdims, opts.out, UFUNC_NAME[op]);
  };
}

/** np.sum(a, {axis, keepdims, dtype, out}). Float sums accumulate in double within rows. */
export const sum = simple("sum", sumDType);
/** np.prod(a, {axis, keepdims, dtype, out}). */
export const prod = simple("prod", sumDType);
/** np.min / np.amin: NaN propagates; complex values order lexicographically. */
export const min = simple("min", (d) => d);
/** np.max / np.amax: NaN propagates; complex values order lexicographically. */
export const max = simple("max", (d) => d);
export const amin = min, amax = max;
/** np.all: truth of every element. */
export const all = simple("all", () => DTYPES.bool);
/** np.any: truth of some element. */
export const any = simple("any", () => DTYPES.bool);

function arg(op: "argmin" | "argmax") {
  return (x: ArrayLike, opts: ArgOptions = {}): ndarray => {
    const a = asarray(x);
    const axes = opts.axis === undefined || opts.axis === null ? normalizeAxes(null, a.ndim) : [normalizeAxis(opts.axis, a.ndim)];
    const rt = runtime();
    const kept = a.shape.filter((_, d) => !axes.includes(d));
    if (axes.reduce((p, d) => p * a.shape[d], 1) === 0) throw new ValueError(`attempt to get ${op} of an empty sequence`);
    const index = rt.createStore(kept, DTYPES.int64);
    if (index.size > 0) {
      const val = rt.createStore(kept, a.dtype);
      rt.submit({ kind: "reduce", name: op, op, inputs: [a._store], value: load(0, a.dtype.name), axes, output: val, index, scalars: [] });
    }
    let r = new ndarray(index);
    if (opts.keepdims) r = new ndarray(index.reshape(opts.axis === undefined || opts.axis === null ? a.shape.map(() => 1) : keepShape(a.shape, axes))!);
    if (opts.out) {
      if (opts.out.shape.join() !== r.shape.join()) throw new ValueError(`output array has wrong shape ${formatShape(opts.out.shape)}`);
      if (!canCast(DTYPES.int64, opts.out.dtype, "same_kind")) throw new TypeError("Cannot cast argmin/argmax output to the requested dtype");
      opts.out.set("...", r);
      return opts.out;
    }
    return r;
  };
}
/** np.argmin(a, {axis, keepdims, out}): first index of the minimum (NaN counts as minimal). */
export const argmin = arg("argmin");
/** np.argmax(a, {axis, keepdims, out}): first index of the maximum (NaN counts as maximal). */
export const argmax = arg("argmax");
