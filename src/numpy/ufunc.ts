import { runtime } from "../core/runtime.js";
import { DType, DTYPES } from "../core/dtype.js";
import { Expr, cast, load, scalar } from "../core/kernel_ir.js";
import { Store } from "../core/store.js";
import { ndarray } from "./ndarray.js";
import { ArrayLike, asarray, isWeakScalar } from "./creation_from_data.js";
import { WeakScalar, canCast, checkWeakInt, dtype as toDType, resultType, DTypeLike } from "./dtypes.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { ValueError } from "./errors.js";
import { f16round } from "../backends/cpu/scalar_math.js";

export interface UfuncOptions {
  /** Write the result here (its shape must be the broadcast shape). */
  out?: ndarray;
  /** Compute in this dtype (NumPy's `dtype=`). */
  dtype?: DTypeLike;
  /** Output casting rule (default "same_kind"). */
  casting?: "no" | "equiv" | "safe" | "same_kind" | "unsafe";
}

/**
 * A ufunc's type rule and kernel: `loop` picks the dtype the inputs are cast to and the
 * output dtype from the NEP 50 common dtype (or throws NumPy's TypeError); `build` states
 * the elementwise work in kernel IR.
 */
export interface UfuncDef {
  readonly name: string;
  loop(common: DType, inputs: readonly DType[]): { in: DType; out: DType };
  build(args: Expr[], loopIn: DType, out: DType): Expr;
}

export const notSupported = (name: string): never => {
  throw new TypeError(`ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`);
};

/** Cast a weak scalar to the JS value a kernel expects for dtype `d`. */
export function scalarFor(v: WeakScalar, d: DType): unknown {
  checkWeakInt(v, d);
  const re = typeof v === "object" ? v.re : Number(v);
  switch (d.kind) {
    case "b": return (typeof v === "object" ? v.re !== 0 || v.im !== 0 : Boolean(v)) ? 1 : 0;
    case "c": return typeof v === "object" ? (d.name === "complex64" ? { re: Math.fround(v.re), im: Math.fround(v.im) } : v) : { re: d.name === "complex64" ? Math.fround(re) : re, im: 0 };
    case "f": return d.name === "float32" ? Math.fround(re) : d.name === "float16" ? f16round(re) : re;
    default: return d.isBig ? (typeof v === "bigint" ? v : BigInt(Math.trunc(re))) : Math.trunc(re);
  }
}

/** Apply a ufunc: NEP 50 typing, broadcasting, `out`, then one map launch. */
export function applyUfunc(def: UfuncDef, operands: readonly ArrayLike[], opts: UfuncOptions = {}): ndarray {
  const arrays: (ndarray | null)[] = operands.map((x) => (isWeakScalar(x) ? null : asarray(x)));
  const weak = operands.filter((x, i) => arrays[i] === null) as WeakScalar[];
  const strong = arrays.filter((a): a is ndarray => a !== null);
  const common = opts.dtype !== undefined ? toDType(opts.dtype) : resultType(strong.map((a) => a.dtype), weak);
  const { in: loopIn, out: loopOut } = def.loop(common, strong.map((a) => a.dtype));
  const shape = broadcastShapes(...strong.map((a) => a.shape));
  let outStore: Store;
  if (opts.out) {
    const o = opts.out;
    if (!(o instanceof ndarray)) throw new TypeError("return arrays must be of ArrayType");
    try { broadcastShapes(o.shape, shape); } catch { throw new ValueError(`non-broadcastable output operand with shape ${formatShape(o.shape)} doesn't match the broadcast shape ${formatShape(shape)}`); }
    if (broadcastShapes(o.shape, shape).join() !== o.shape.join()) throw new ValueError(`non-broadcastable output operand with shape ${formatShape(o.shape)} doesn't match the broadcast shape ${formatShape(shape)}`);
    const casting = opts.casting ?? "same_kind";
    if (!canCast(loopOut, o.dtype, casting)) throw new TypeError(`Cannot cast ufunc '${def.name}' output from dtype('${loopOut.name}') to dtype('${o.dtype.name}') with casting rule '${casting}'`);
    outStore = o._store;
  } else {
    outStore = runtime().createStore(shape, loopOut);
  }
  const target = outStore.shape;
  const inputs: Store[] = [];
  const scalars: unknown[] = [];
  let w = 0;
  const args = operands.map((_, i) => {
    const a = arrays[i];
    if (a) {
      inputs.push(a._store.broadcast(target));
      return cast(load(inputs.length - 1, a.dtype.name), loopIn.name);
    }
    scalars.push(scalarFor(weak[w++], loopIn));
    return scalar(scalars.length - 1, loopIn.name);
  });
  const expr = cast(def.build(args, loopIn, loopOut), outStore.dtype.name);
  runtime().submit({ kind: "map", name: def.name, inputs, outputs: [{ store: outStore, expr }], scalars });
  return opts.out ?? new ndarray(outStore);
}

/** Float loop NumPy picks for an integer or bool input of a float-only ufunc (sqrt, exp, …). */
export function floatLoopFor(d: DType): DType {
  if (d.isFloat || d.isComplex) return d;
  if (d.kind === "b" || d.itemsize === 1) return DTYPES.float16;
  if (d.itemsize === 2) return DTYPES.float32;
  return DTYPES.float64;
}
