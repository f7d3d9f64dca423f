import { runtime, type DType, DTYPES, ir } from "../core/index.js";
import type { Expr, ReduceOp } from "../core/index.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import type { WeakScalar } from "./dtypes.js";
import { applyUfunc } from "./ufunc.js";
import { where as whereFn } from "./ufuncs.js";
import { DEFS } from "./ufunc_defs.js";
import { full } from "./creation_shape.js";
import { ValueError, normalizeAxis } from "./errors.js";
import { broadcastShapes, formatShape } from "./broadcast.js";

const { reduceIdentity, castLoad } = ir;

/**
 * The reductions' machinery: axes, accumulator dtypes, `out=`/`where=` checks and the reduce
 * launch. The functions are in their NumPy sections: sum and prod in math_sum_prod_diff,
 * min and max in math_extrema, all and any in logic_truth, argmin and argmax in
 * sorting_searching, mean, var and std in stats_avgs_vars.
 */

/** Normalised, sorted, de-duplicated axes (NumPy's errors for bad ones). */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) {
    // A plain loop: every reduction of a whole array comes here (Array.from's callback form is slow).
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
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

const UFUNC_NAME: Record<ReduceOp, string> = {
  sum: "add",
  prod: "multiply",
  min: "minimum",
  max: "maximum",
  all: "logical_and",
  any: "logical_or",
  argmin: "argmin",
  argmax: "argmax",
};

export function keepShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((n, d) => (axes.includes(d) ? 1 : n));
}

/**
 * NumPy's checks of a reduction's `out` (over an operand of `shape`, reducing `axes`): its
 * number of dimensions, then its dims broadcast against the operand's (the reduced ones as
 * newaxis, or of length 1 with keepdims).
 */
export function checkReduceOut(shape: readonly number[], axes: readonly number[], keepdims: boolean, out: ndarray, name: string): void {
  const n = shape.length;
  const expected = keepdims ? n : n - axes.length;
  if (out.ndim !== expected) {
    throw new ValueError(
      `output parameter for reduction operation ${name} has the wrong number of dimensions: Found ${out.ndim} but expected ${expected}${keepdims ? " (must match the operand's when keepdims=True)" : ""}`,
    );
  }
  const remapped: (number | null)[] = [];
  const outDim: number[] = [];
  let k = 0;
  for (let d = 0; d < n; d++) {
    if (axes.includes(d) && !keepdims) {
      remapped.push(null);
      outDim.push(-1);
      continue;
    }
    outDim.push(k);
    remapped.push(out.shape[k++]);
  }
  if (remapped.some((o, d) => o !== null && o !== shape[d] && o !== 1)) {
    const shown = remapped.slice(remapped.findIndex((o) => o !== null));
    throw new ValueError(
      `operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(out.shape)}->(${shown.map((o) => o ?? "newaxis").join(",")}) ${formatShape(shape)} `,
    );
  }
  for (let d = 0; d < n; d++) {
    const o = remapped[d];
    if (o === null) continue;
    if (axes.includes(d)) {
      if (o !== 1) throw new ValueError(`operand was set up as a reduction along axis ${d}, but the length of the axis is ${o} (it has to be 1)`);
    } else if (o === 1 && shape[d] !== 1) {
      throw new ValueError(
        `output operand requires a reduction along dimension ${outDim[d]}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.`,
      );
    }
  }
}

/** A reduction's `where` mask must broadcast to the operand. */
export function checkReduceWhere(shape: readonly number[], where: ArrayLike): void {
  const w = asarray(where);
  let ok = false;
  try {
    ok = broadcastShapes(shape, w.shape).join() === shape.join();
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ValueError(
      `operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(shape)} ${formatShape(w.shape)} `,
    );
}

/** Shape the reduced store as the caller asked (keepdims) and honour `out`. */
function finish(a: ndarray, result: ndarray, axes: number[], keepdims: boolean | undefined, out: ndarray | undefined, _name: string): ndarray {
  let r = result;
  if (keepdims) r = new ndarray(r._store.reshape(keepShape(a.shape, axes))!);
  if (!out) return r;
  out.set("...", r);
  return out;
}

/**
 * One reduction launch: `value` (over `a`, load 0, and `others` of a's shape, loads 1, 2, …)
 * folded with `op` over `axes` into a new store of dtype `acc`. Empty reductions take the
 * identity, or raise as NumPy does.
 */
export function reduction(op: ReduceOp, a: ndarray, axes: number[], acc: DType, value: Expr, others: readonly ndarray[] = []): ndarray {
  const rt = runtime();
  const kept = a.shape.filter((_, d) => !axes.includes(d));
  const out = newStore(kept, acc);
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
  const inputs = [a._store];
  for (const o of others) inputs.push(o._store);
  rt.submit({ kind: "reduce", name: UFUNC_NAME[op], op, inputs, value, axes, output: out, scalars: [] });
  return new ndarray(out);
}

/** What a reduction's body gets: the declared parameters, normalised. */
export interface ReduceArgs {
  a: ArrayLike;
  axis: number | number[] | null;
  /** Absent for the reductions without the parameter (min, max, all, any). */
  dtype?: DType | null;
  out: ndarray | null;
  keepdims?: boolean;
  initial?: unknown;
  where?: ArrayLike;
}

/** A UfuncDef that folds the reduction with `initial` (sum: add, min: minimum …). */
const FOLD: Partial<Record<ReduceOp, keyof typeof DEFS>> = {
  sum: "add",
  prod: "multiply",
  min: "minimum",
  max: "maximum",
  all: "logical_and",
  any: "logical_or",
};

export function reduceWith(op: ReduceOp, accFor: (d: DType) => DType, p: ReduceArgs): ndarray {
  let a = asarray(p.a);
  const axes = normalizeAxes(p.axis, a.ndim);
  const acc = p.dtype ?? accFor(a.dtype);
  const initial = p.initial === undefined || p.initial === null ? undefined : p.initial;
  if (p.out) checkReduceOut(a.shape, axes, !!p.keepdims, p.out, UFUNC_NAME[op]);
  if (p.where !== undefined && !(p.where === true)) {
    checkReduceWhere(a.shape, p.where);
    // Masked-out elements take the identity (or `initial` where there is none).
    let fill: unknown = reduceIdentity(op, acc.name);
    if (op === "min" || op === "max") {
      if (initial === undefined)
        throw new ValueError(
          `reduction operation '${UFUNC_NAME[op]}' does not have an identity, so to use a where mask one has to specify 'initial'`,
        );
      fill = initial;
    }
    a = whereFn(p.where, a, (typeof fill === "number" && acc.kind === "b" ? fill !== 0 : fill) as ArrayLike);
  }
  const reducedSize = axes.reduce((n, d) => n * a.shape[d], 1);
  let r: ndarray;
  if (initial !== undefined && reducedSize === 0) {
    r = full(
      a.shape.filter((_, d) => !axes.includes(d)),
      initial as WeakScalar,
      { dtype: acc },
    );
  } else {
    r = reduction(op, a, axes, acc, castLoad(a.dtype.name, acc.name));
    if (initial !== undefined) r = applyUfunc(DEFS[FOLD[op]!], [r, initial as ArrayLike], { out: r });
  }
  return finish(a, r, axes, p.keepdims, p.out ?? undefined, UFUNC_NAME[op]);
}
