import { runtime, type DType, DTYPES, ir, type Store, f16round, sameArray } from "../core/index.js";
import type { Expr } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { canCast, checkWeakInt, dtype as toDType, resultType, intRange } from "./dtypes.js";
import type { WeakScalar, DTypeLike, Casting } from "./dtypes.js";
import { arg, conv, unsupported } from "./param_types.js";
import type { OptionsOf } from "./signature.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { ValueError, UFuncTypeError } from "./errors.js";
import { newStore } from "./alloc.js";

const { binary, cast, constant, load, scalar, where } = ir;

/** The internal options of one ufunc application (already checked). */
export interface UfuncOptions {
  /** Write the result here (its shape must be the broadcast shape). */
  out?: ndarray;
  /** Compute in this dtype (NumPy's `dtype=`). */
  dtype?: DTypeLike;
  /** Casting rule for inputs (with `dtype`) and the output (default "same_kind"). */
  casting?: Casting;
}

/** NumPy's ufunc keywords, declared once for every ufunc. */
export const UFUNC_KWARGS = {
  out: arg.out,
  where: arg.array,
  casting: arg.casting,
  order: arg.order,
  dtype: arg.dtype,
  subok: arg.bool,
  signature: conv<string | readonly (DTypeLike | null)[] | null, DType | null>((v): DType | null => loopOfSignature(v)),
};
/** The ufunc keywords as a body receives them. */
export interface UfuncKwargs {
  out: ndarray | null;
  where: ArrayLike;
  casting: Casting;
  order: string;
  dtype: DType | null;
  subok?: boolean;
  signature?: DType | null;
}

/**
 * NumPy's `signature=` ("dd->d", "d,d->d", or a tuple of dtypes and None): the loop is named
 * by its types. Loops whose types are all one dtype are what `dtype=` selects; others are not
 * offered here.
 */
function loopOfSignature(v: unknown): DType | null {
  if (v === null) return null;
  let types: (DType | null)[];
  if (typeof v === "string") {
    const m = /^([^-]*)->(.*)$/.exec(v.replace(/\s+/g, ""));
    if (!m) throw new ValueError(`signature '${v}' is not a valid ufunc signature`);
    const split = (t: string) => (t.includes(",") ? t.split(",") : [...t]);
    types = [...split(m[1]), ...split(m[2])].map((t) => toDType(t));
  } else if (Array.isArray(v)) types = v.map((t) => (t === null ? null : toDType(t as DTypeLike)));
  else if (typeof v === "function" || typeof v === "object") types = [toDType(v as DTypeLike)];
  else throw new TypeError("the signature object to ufunc must be a string or a tuple.");
  const given = types.filter((t): t is DType => t !== null);
  if (given.length === 0) return null;
  if (given.some((t) => t !== given[0])) unsupported("ufunc", "signature= with mixed loop types");
  return given[0];
}
/** The options object a ufunc call takes (`np.add(a, b, { out, dtype, casting, where })`). */
export type UfuncKeywords = OptionsOf<
  "out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None",
  typeof UFUNC_KWARGS
>;

/** Strings and None (NumPy's str and object dtypes) as ufunc operands: NumPy's error, where it has one. */
const hasText = (x: unknown): boolean => typeof x === "string" || (Array.isArray(x) && x.some(hasText));
const hasNone = (x: unknown): boolean => x === null || (Array.isArray(x) && x.some(hasNone));
/** NumPy's ufuncs with a loop for strings (so no loop for a number beside one). */
const TEXT_LOOPS = new Set(["add", "subtract", "multiply", "maximum", "minimum", "matmul"]);
const TEXT_COMPARE = new Set(["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "negative", "positive", "absolute", "sign"]);
/** Python's operator for the object loop of a binary ufunc, and how its TypeError reads. */
const OBJECT_BINARY: Record<string, [string, "operand" | "compare"]> = {
  add: ["+", "operand"],
  subtract: ["-", "operand"],
  multiply: ["*", "operand"],
  divide: ["/", "operand"],
  floor_divide: ["//", "operand"],
  remainder: ["%", "operand"],
  power: ["** or pow()", "operand"],
  bitwise_and: ["&", "operand"],
  bitwise_or: ["|", "operand"],
  bitwise_xor: ["^", "operand"],
  left_shift: ["<<", "operand"],
  right_shift: [">>", "operand"],
  maximum: [">=", "compare"],
  minimum: ["<=", "compare"],
  less: ["<", "compare"],
  less_equal: ["<=", "compare"],
  greater: [">", "compare"],
  greater_equal: [">=", "compare"],
};
const OBJECT_UNARY: Record<string, string> = {
  negative: "bad operand type for unary -: 'NoneType'",
  positive: "bad operand type for unary +: 'NoneType'",
  absolute: "bad operand type for abs(): 'NoneType'",
  invert: "bad operand type for unary ~: 'NoneType'",
  sign: "'<' not supported between instances of 'NoneType' and 'int'",
  square: "unsupported operand type(s) for *: 'NoneType' and 'NoneType'",
  reciprocal: "unsupported operand type(s) for /: 'int' and 'NoneType'",
  floor: "must be real number, not NoneType",
  ceil: "must be real number, not NoneType",
  trunc: "type NoneType doesn't define __trunc__ method",
};
const MATH_METHODS = new Set([
  "exp",
  "expm1",
  "log",
  "log1p",
  "log2",
  "log10",
  "sqrt",
  "sin",
  "cos",
  "tan",
  "arcsin",
  "arccos",
  "arctan",
  "sinh",
  "cosh",
  "tanh",
  "rint",
  "conjugate",
]);
/** The Python type of an operand's elements in an object loop. */
function elementType(x: unknown): string {
  if (hasNone(x)) return "NoneType";
  const d = isWeakScalar(x) ? resultType([], [x as WeakScalar]) : asarray(x as ArrayLike).dtype;
  return d.kind === "b" ? "bool" : d.kind === "c" ? "complex" : d.kind === "f" ? "float" : "int";
}
/** NumPy's DType class name (`<class 'numpy.dtypes.Float64DType'>`). */
function dtypeClass(x: unknown): string {
  if (hasText(x)) return "<class 'numpy.dtypes.StrDType'>";
  const d = isWeakScalar(x) ? resultType([], [x as WeakScalar]) : asarray(x as ArrayLike).dtype;
  const name = d.name.startsWith("uint") ? `UInt${d.name.slice(4)}` : d.name[0].toUpperCase() + d.name.slice(1);
  return `<class 'numpy.dtypes.${name}DType'>`;
}
export function checkObjectOperands(name: string, operands: readonly unknown[]): void {
  if (operands.some(hasText)) {
    const unary = operands.length === 1;
    if (TEXT_LOOPS.has(name)) {
      const types = operands.map((o) =>
        typeof o === "string"
          ? `dtype('<U${o.length}')`
          : hasText(o)
            ? "dtype('<U1')"
            : `dtype('${(isWeakScalar(o) ? resultType([], [o as WeakScalar]) : asarray(o as ArrayLike).dtype).name}')`,
      );
      throw new UFuncTypeError(
        `ufunc '${name}' did not contain a loop with signature matching types ${unary ? types[0] : `(${types.join(", ")})`} -> None`,
      );
    }
    if (TEXT_COMPARE.has(name)) {
      const types = operands.map(dtypeClass);
      throw new UFuncTypeError(
        `ufunc '${name}' did not contain a loop with signature matching types ${unary ? types[0] : `(${types.join(", ")})`} -> None`,
      );
    }
    notSupported(name);
  }
  if (operands.some(hasNone)) {
    if (operands.length === 2 && OBJECT_BINARY[name]) {
      const [op, how] = OBJECT_BINARY[name];
      const [t1, t2] = operands.map(elementType);
      throw new TypeError(
        how === "operand"
          ? `unsupported operand type(s) for ${op}: '${t1}' and '${t2}'`
          : `'${op}' not supported between instances of '${t1}' and '${t2}'`,
      );
    }
    if (operands.length === 1 && OBJECT_UNARY[name]) throw new TypeError(OBJECT_UNARY[name]);
    if (operands.length === 1 && MATH_METHODS.has(name))
      throw new TypeError(`loop of ufunc does not support argument 0 of type NoneType which has no callable ${name} method`);
    notSupported(name);
  }
}

/** NumPy's message when the operands (and `out`, and a `where` mask) do not broadcast together. */
function operandShapes(arrays: readonly (ndarray | null)[], extra: readonly (readonly number[])[]): number[] {
  const shapes = [...arrays.map((a) => (a ? a.shape : [])), ...extra];
  try {
    return broadcastShapes(...shapes);
  } catch {
    throw new ValueError(`operands could not be broadcast together with shapes ${shapes.map(formatShape).join(" ")} `);
  }
}

/** A declared ufunc call: `where=` masks the output, the rest goes to applyUfunc. */
export function runUfunc(def: UfuncDef, operands: readonly ArrayLike[], p: UfuncKwargs): ndarray {
  checkObjectOperands(def.name, operands);
  def.check?.(operands, p.signature ?? p.dtype);
  // dtype= names the output: where every loop has that output, it selects nothing more.
  if (def.fixedOut && (p.signature ?? p.dtype) === def.fixedOut) p = { ...p, dtype: null, signature: null };
  if (p.signature) {
    if (p.dtype !== null) throw new TypeError("cannot specify both 'signature' and 'dtype'");
    p = { ...p, dtype: p.signature };
  }
  if (p.order === "F") unsupported(def.name, "order='F'");
  if (p.where === true) {
    if (p.dtype === null && p.out === null && p.casting === "same_kind") return applyUfunc(def, operands);
    return applyUfunc(def, operands, { dtype: p.dtype ?? undefined, casting: p.casting, out: p.out ?? undefined });
  }
  const opts: UfuncOptions = { dtype: p.dtype ?? undefined, casting: p.casting };
  const mask = asarray(p.where);
  operandShapes(
    operands.map((x) => (isWeakScalar(x) ? null : asarray(x))),
    [...(p.out ? [p.out.shape] : []), mask.shape],
  );
  // Masked: compute, then keep `out`'s values (zeros for a new array) where the mask is false.
  const r = applyUfunc(def, operands, opts);
  const target = p.out ?? new ndarray(newStore(r.shape, r.dtype));
  if (!canCast(r.dtype, target.dtype, p.casting))
    throw new UFuncTypeError(
      `Cannot cast ufunc '${def.name}' output from dtype('${r.dtype.name}') to dtype('${target.dtype.name}') with casting rule '${p.casting}'`,
    );
  if (mask.dtype.kind !== "b" && !canCast(mask.dtype, DTYPES.bool, "safe"))
    throw new TypeError(`Cannot cast array data from dtype('${mask.dtype.name}') to dtype('bool') according to the rule 'safe'`);
  const shape = broadcastShapes(target.shape, mask.shape);
  if (shape.join() !== target.shape.join())
    throw new ValueError(
      `non-broadcastable operand with shape ${formatShape(mask.shape)} doesn't match the broadcast shape ${formatShape(target.shape)}`,
    );
  const keep = new ndarray(newStore(target.shape, target.dtype));
  keep.set("...", target);
  const m = mask._store.broadcast(target.shape),
    rs = r._store.broadcast(target.shape);
  const expr = where(cast(load(0, mask.dtype.name), "bool"), cast(load(1, r.dtype.name), target.dtype.name), load(2, target.dtype.name));
  runtime().submit({ kind: "map", name: def.name, inputs: [m, rs, keep._store], outputs: [{ store: target._store, expr }], scalars: [] });
  return target;
}

/**
 * A ufunc's type rule and kernel: `loop` picks the dtype the inputs are cast to and the
 * output dtype from the NEP 50 common dtype (or throws NumPy's TypeError); `build` states
 * the elementwise work in kernel IR.
 */
export interface UfuncDef {
  readonly name: string;
  /** Comparisons: weak ints beyond the array's range still compare exactly (NumPy 2). */
  readonly comparison?: boolean;
  loop(common: DType, inputs: readonly DType[]): { in: DType; out: DType };
  build(args: Expr[], loopIn: DType, out: DType): Expr;
  /**
   * Loops whose inputs differ in dtype (ldexp's float and int): the dtype each operand is
   * cast to and the output's, from the operands' dtypes in order (a weak scalar as its
   * NEP 50 dtype, `weak` flags it). Replaces `loop` where given.
   */
  operandLoop?(dtypes: readonly DType[], weak: readonly boolean[]): { ins: DType[]; out: DType };
  /** NumPy's errors that name the operands' DType classes, raised before typing. */
  check?(operands: readonly ArrayLike[], dtype: DType | null): void;
  /** The output dtype of every loop (bitwise_count's uint8), where there is one. */
  fixedOut?: DType;
  /** The `types` list, where `loop` cannot enumerate it (mixed-dtype loops). */
  types?: readonly string[];
}

export const notSupported = (name: string): never => {
  throw new TypeError(
    `ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`,
  );
};

/** Cast a weak scalar to the JS value a kernel expects for dtype `d`. */
export function scalarFor(v: WeakScalar, d: DType): unknown {
  checkWeakInt(v, d);
  const re = typeof v === "object" ? v.re : Number(v);
  switch (d.kind) {
    case "b":
      return (typeof v === "object" ? v.re !== 0 || v.im !== 0 : v !== 0 && v !== 0n && v !== false) ? 1 : 0;
    case "c":
      return typeof v === "object"
        ? d.name === "complex64"
          ? { re: Math.fround(v.re), im: Math.fround(v.im) }
          : v
        : { re: d.name === "complex64" ? Math.fround(re) : re, im: 0 };
    case "f":
      return d.name === "float32" ? Math.fround(re) : d.name === "float16" ? f16round(re) : re;
    default:
      return d.isBig ? (typeof v === "bigint" ? v : BigInt(Math.trunc(re))) : Math.trunc(re);
  }
}

/**
 * How a ufunc applies to operands of given types: the loop's output dtype, the dtype each
 * weak scalar takes, and the elementwise expression (output in `out`'s dtype). It depends
 * only on the operands' dtypes, the kinds of the weak scalars, `out`'s dtype, `dtype=` and
 * `casting` (but for comparisons with a Python int), so it is made once per combination and
 * kept (see planFor).
 */
interface UfuncPlan {
  loopOut: DType;
  /** The dtype each weak scalar is cast to, in order. */
  scalarTypes: DType[];
  expr: Expr;
}

/** The NEP 50 kind of a weak scalar (its value does not change the typing, only range checks). */
const weakKind = (x: WeakScalar): string =>
  typeof x === "boolean" ? "b" : typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x)) ? "i" : typeof x === "number" ? "f" : "c";

/** Plans by ufunc, then by each operand's dtype (an array) or weak kind (a scalar). */
const plans = new WeakMap<UfuncDef, Map<unknown, unknown>>();

function planFor(
  def: UfuncDef,
  operands: readonly ArrayLike[],
  arrays: readonly (ndarray | null)[],
  weak: readonly WeakScalar[],
  opts: UfuncOptions,
): UfuncPlan {
  const out = opts.out;
  // A comparison's loop depends on the value of a weak int (one beyond the array's range widens it).
  if (def.comparison && weak.some((w) => weakKind(w) === "i")) return makePlan(def, operands, arrays, weak, opts);
  // `dtype=` and `casting` only select and check the loop: they key the plan too.
  const kd = opts.dtype === undefined ? null : toDType(opts.dtype),
    kc = opts.casting ?? "same_kind";
  // The plan of the ufunc's previous call, when the keys are the same (loops call one ufunc
  // on the same types over and over): no map lookups.
  const n = operands.length;
  const k0 = n > 0 ? planKey(operands, arrays, 0) : null,
    k1 = n > 1 ? planKey(operands, arrays, 1) : null,
    ko = out?.dtype ?? null;
  const last = (def as Memoized)[LAST];
  if (n <= 2 && last !== undefined && last.k0 === k0 && last.k1 === k1 && last.ko === ko && last.kd === kd && last.kc === kc) return last.plan;
  let level = plans.get(def);
  if (!level) plans.set(def, (level = new Map()));
  // Keyed by each operand's dtype or weak kind, then by `out`'s dtype (the expression casts
  // to it), then by `dtype=` and `casting` where given.
  const keys = n + (kd === null && kc === "same_kind" ? 1 : 3);
  for (let i = 0; i < keys; i++) {
    const key = i < n ? planKey(operands, arrays, i) : i === n ? ko : i === n + 1 ? kd : kc;
    let next = level.get(key) as Map<unknown, unknown> | undefined;
    if (!next) level.set(key, (next = new Map()));
    level = next;
  }
  let plan = level.get(PLAN) as UfuncPlan | undefined;
  if (!plan) level.set(PLAN, (plan = makePlan(def, operands, arrays, weak, opts)));
  if (n <= 2) (def as Memoized)[LAST] = { k0, k1, ko, kd, kc, plan };
  return plan;
}
const PLAN = Symbol("plan");
const LAST = Symbol("last plan");
type Memoized = UfuncDef & { [LAST]?: { k0: unknown; k1: unknown; ko: DType | null; kd: DType | null; kc: string; plan: UfuncPlan } };
/** An operand's part of a plan's key: its dtype (an array) or its weak kind (a scalar). */
const planKey = (operands: readonly ArrayLike[], arrays: readonly (ndarray | null)[], i: number): unknown =>
  arrays[i]?.dtype ?? weakKind(operands[i] as WeakScalar);

/** NEP 50 typing of one ufunc call, checked against `dtype=`, `casting` and `out`'s dtype. */
function makePlan(
  def: UfuncDef,
  operands: readonly ArrayLike[],
  arrays: readonly (ndarray | null)[],
  weak: readonly WeakScalar[],
  opts: UfuncOptions,
): UfuncPlan {
  const strong = arrays.filter((a): a is ndarray => a !== null);
  let common =
    opts.dtype !== undefined
      ? toDType(opts.dtype)
      : resultType(
          strong.map((a) => a.dtype),
          weak,
        );
  if (def.comparison && opts.dtype === undefined)
    common = comparisonType(
      common,
      strong.map((a) => a.dtype),
      weak,
    );
  // Weak scalars take part in loop selection with the dtype NEP 50 gave them.
  let ins: DType[] | null = null;
  let loopIn: DType, loopOut: DType;
  if (def.operandLoop) {
    if (opts.dtype !== undefined) unsupported(def.name, "dtype= or signature=");
    // Python scalars alone take their default dtypes; beside an array they stay weak.
    const allWeak = strong.length === 0;
    const l = def.operandLoop(
      operands.map((x, i) => arrays[i]?.dtype ?? resultType([], [x as WeakScalar])),
      arrays.map((a) => a === null && !allWeak),
    );
    ins = l.ins;
    loopIn = l.ins[0];
    loopOut = l.out;
  } else ({ in: loopIn, out: loopOut } = def.loop(common, [...strong.map((a) => a.dtype), ...weak.map(() => common)]));
  // A requested integer loop that the ufunc lacks (np.sqrt(x, {dtype: 'int64'})).
  if (opts.dtype !== undefined && !def.comparison && (common.isInteger || common.kind === "b") && (loopIn.isFloat || loopIn.isComplex))
    throw new TypeError(`No loop matching the specified signature and casting was found for ufunc ${def.name}`);
  const casting = opts.casting ?? "same_kind";
  if (opts.dtype !== undefined) {
    // NumPy casts each input to the requested loop with the casting rule (same_kind by default).
    arrays.forEach((a, i) => {
      if (a && !canCast(a.dtype, loopIn, casting))
        throw new UFuncTypeError(
          `Cannot cast ufunc '${def.name}' input ${i} from dtype('${a.dtype.name}') to dtype('${loopIn.name}') with casting rule '${casting}'`,
        );
    });
  }
  const out = opts.out?.dtype ?? loopOut;
  if (opts.out && !canCast(loopOut, out, casting))
    throw new UFuncTypeError(
      `Cannot cast ufunc '${def.name}' output from dtype('${loopOut.name}') to dtype('${out.name}') with casting rule '${casting}'`,
    );
  let inputs = 0;
  const scalarTypes: DType[] = [];
  const args = operands.map((_, i) => {
    const a = arrays[i];
    const d = ins ? ins[i] : loopIn;
    if (a) return cast(load(inputs++, a.dtype.name), d.name);
    scalarTypes.push(d);
    return scalar(scalarTypes.length - 1, d.name);
  });
  const mixed = def.comparison && common === DTYPES.float64 && mixedInt64(arrays, operands);
  const expr = cast(mixed ? compareMixed(def.name, arrays as ndarray[]) : def.build(args, loopIn, loopOut), out.name);
  return { loopOut, scalarTypes, expr };
}

const NO_OPTIONS: UfuncOptions = Object.freeze({});
/** Apply a ufunc: NEP 50 typing, broadcasting, `out`, then one map launch. */
export function applyUfunc(def: UfuncDef, operands: readonly ArrayLike[], opts: UfuncOptions = NO_OPTIONS): ndarray {
  // Arrays of their final length: a push onto an empty array allocates room for 17 (small
  // ops in loops pay for every byte they allocate).
  const n = operands.length;
  const arrays = new Array<ndarray | null>(n);
  const weak: WeakScalar[] = [];
  let strong = 0;
  for (let i = 0; i < n; i++) {
    const x = operands[i];
    if (x instanceof ndarray) arrays[i] = x;
    else if (isWeakScalar(x)) {
      arrays[i] = null;
      weak.push(x);
    } else arrays[i] = asarray(x);
    if (arrays[i] !== null) strong++;
  }
  const o = opts.out;
  if (o !== undefined && !(o instanceof ndarray)) throw new TypeError("return arrays must be of ArrayType");
  const plan = planFor(def, operands, arrays, weak, opts);
  // The shape of the only array, or of two of the same shape: nothing to broadcast.
  let only: readonly number[] | null = null;
  for (const a of arrays) {
    if (!a) continue;
    const sh = a._store.shape;
    if (only === null) only = sh;
    else if (!sameArray(only, sh)) {
      only = null;
      break;
    }
  }
  const shape = only !== null && !o ? (only as number[]) : operandShapes(arrays, o ? [o.shape] : []);
  if (o && shape.join() !== o.shape.join())
    throw new ValueError(
      `non-broadcastable output operand with shape ${formatShape(o.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  const outStore = o ? o._store : newStore(shape, plan.loopOut);
  const target = outStore.shape;
  const inputs = new Array<Store>(strong);
  for (let i = 0, k = 0; i < n; i++) {
    const a = arrays[i];
    if (a) inputs[k++] = a._store.broadcast(target);
  }
  const scalars = new Array<unknown>(weak.length);
  for (let i = 0; i < weak.length; i++) scalars[i] = scalarFor(weak[i], plan.scalarTypes[i]);
  runtime().submit({ kind: "map", name: def.name, inputs, outputs: [{ store: outStore, expr: plan.expr }], scalars });
  return o ?? new ndarray(outStore);
}

/** Float loop NumPy picks for an integer or bool input of a float-only ufunc (sqrt, exp, …). */
export function floatLoopFor(d: DType): DType {
  if (d.isFloat || d.isComplex) return d;
  if (d.kind === "b" || d.itemsize === 1) return DTYPES.float16;
  if (d.itemsize === 2) return DTYPES.float32;
  return DTYPES.float64;
}

/** Loop dtype for a comparison: out-of-range weak ints widen it instead of raising. */
function comparisonType(common: DType, dtypes: readonly DType[], weak: readonly WeakScalar[]): DType {
  if (!common.isInteger) return common;
  for (const w of weak) {
    if (typeof w === "object" || typeof w === "boolean" || (typeof w === "number" && !Number.isInteger(w))) continue;
    const [lo, hi] = intRange(common);
    const b = BigInt(w);
    if (b >= lo && b <= hi) continue;
    const [l64, h64] = intRange(DTYPES.int64);
    common = b >= l64 && b <= h64 && !dtypes.some((d) => d === DTYPES.uint64) ? DTYPES.int64 : DTYPES.float64;
  }
  return common;
}

/** int64 against uint64: NumPy compares exactly, not through float64. */
function mixedInt64(arrays: readonly (ndarray | null)[], operands: readonly ArrayLike[]): boolean {
  const ds = arrays.map((a) => a?.dtype);
  return operands.length === 2 && ds.every((d) => d === DTYPES.int64 || d === DTYPES.uint64) && ds[0] !== ds[1];
}

function compareMixed(name: string, arrays: ndarray[]): Expr {
  // a (int64) ? b (uint64): negative a is below every b; otherwise compare as uint64.
  const signedFirst = arrays[0].dtype === DTYPES.int64;
  const s = load(signedFirst ? 0 : 1, "int64"),
    u = load(signedFirst ? 1 : 0, "uint64");
  const neg = binary("lt", s, constant(0, "int64"));
  const su = cast(s, "uint64");
  type Rel = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
  const fn: Rel = ({ equal: "eq", not_equal: "ne", less: "lt", less_equal: "le", greater: "gt", greater_equal: "ge" } as Record<string, Rel>)[name];
  // Orient as (signed ? unsigned): flip the relation when the unsigned operand came first.
  const flip: Record<Rel, Rel> = { eq: "eq", ne: "ne", lt: "gt", le: "ge", gt: "lt", ge: "le" };
  const rel: Rel = signedFirst ? fn : flip[fn];
  const negResult = rel === "lt" || rel === "le" || rel === "ne";
  return where(neg, constant(negResult, "bool"), binary(rel, su, u));
}
