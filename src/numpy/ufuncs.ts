import { DTYPES, ir, runtime } from "../core/index.js";
import type { Expr } from "../core/index.js";
import { newStore } from "./alloc.js";
import { ndarray } from "./ndarray.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { UFUNC_KWARGS, applyUfunc, runUfunc, scalarFor } from "./ufunc.js";
import type { UfuncDef, UfuncOptions, UfuncKwargs } from "./ufunc.js";
import { def, binding } from "./signature.js";
import type { Signature } from "./signature.js";
import type { UfuncMethods } from "./ufunc_methods.js";
import { arg } from "./param_types.js";
import { ValueError } from "./errors.js";
import { nonzero } from "./sorting_searching.js";
import { partType, resultType, intRange } from "./dtypes.js";
import type { WeakScalar } from "./dtypes.js";
import { broadcastShapes, formatShape } from "./broadcast.js";
import { checkFloatErrors } from "./fp_errors.js";

import { DEFS, floatOnly, same } from "./ufunc_defs.js";

const { binary, cast, constant, unary, where: irWhere, load, scalar } = ir;

const UNARY = "x, /, out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None";
const BINARY = "x1, x2, /, out=None, *, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None";
/** NumPy's floating-point error reporting (np.seterr / np.errstate) for a ufunc's result. */
function checked(name: string, operands: readonly unknown[], r: ndarray): ndarray {
  checkFloatErrors(name, operands, r);
  return r;
}
/** A ufunc: callable, with the methods and attributes of NumPy's ufunc objects (attached by ufunc_methods.ts). */
const asUfunc = <F extends { signature: Signature }>(f: F): F & UfuncMethods => binding(f, { style: "ufunc" }) as F & UfuncMethods;
/** Operands the declared binding passes through unchanged and runUfunc's checks accept as they are. */
const plain = (x: unknown): boolean => x instanceof ndarray || typeof x === "number";
/** The `out` of a call's last argument when it gives nothing else: an array, or `{ out: array }`. */
function onlyOut(x: unknown): ndarray | undefined {
  if (x instanceof ndarray) return x;
  if (x === null || typeof x !== "object" || Object.getPrototypeOf(x) !== Object.prototype) return undefined;
  let out: unknown;
  for (const k in x) {
    if (k !== "out") return undefined;
    out = (x as { out: unknown }).out;
  }
  return out instanceof ndarray ? out : undefined;
}
/**
 * The declared ufunc `f`, with a direct path for its most common calls, `np.add(x1, x2)` and
 * `np.add(x1, x2, out)` / `np.add(x1, x2, { out })` on arrays and numbers: what binding, the
 * defaults and runUfunc would do, without building the keyword arguments (small arrays in
 * loops pay for every step).
 */
function direct<F extends { signature: Signature }>(f: F, d: UfuncDef, arity: number): F {
  const call = f as unknown as (...args: unknown[]) => ndarray;
  const g = function (this: unknown, x1: unknown, x2: unknown): ndarray {
    const n = arguments.length;
    if ((n === arity || n === arity + 1) && plain(x1) && (arity === 1 || plain(x2))) {
      const out = n === arity ? undefined : onlyOut(arguments[arity]);
      if (n === arity || out) {
        const ops = (arity === 1 ? [x1] : [x1, x2]) as ArrayLike[];
        d.check?.(ops, null);
        return checked(d.name, ops, applyUfunc(d, ops, out ? { out } : {}));
      }
    }
    return call.apply(this, arguments as unknown as unknown[]);
  };
  for (const key of ["name", "signature", "body"]) Object.defineProperty(g, key, Object.getOwnPropertyDescriptor(f, key)!);
  return g as unknown as F;
}
const u1 = (d: UfuncDef) =>
  asUfunc(
    direct(
      def(d.name, UNARY, { x: arg.array, ...UFUNC_KWARGS }, (p): ndarray => checked(d.name, [p.x], runUfunc(d, [p.x], p))),
      d,
      1,
    ),
  );
const b2 = (d: UfuncDef) =>
  asUfunc(
    direct(
      def(
        d.name,
        BINARY,
        { x1: arg.array, x2: arg.array, ...UFUNC_KWARGS },
        (p): ndarray => checked(d.name, [p.x1, p.x2], runUfunc(d, [p.x1, p.x2], p)),
      ),
      d,
      2,
    ),
  );

/** np.add … : NumPy's binary ufuncs (`np.add(x1, x2, out, {where, casting, order, dtype})`). */
export const add = b2(DEFS.add),
  subtract = b2(DEFS.subtract),
  multiply = b2(DEFS.multiply);
export const divide = b2(DEFS.divide),
  true_divide = divide,
  floor_divide = b2(DEFS.floor_divide);
export const remainder = b2(DEFS.remainder),
  mod = remainder,
  power = b2(DEFS.power);
export const maximum = b2(DEFS.maximum),
  minimum = b2(DEFS.minimum);
export const equal = b2(DEFS.equal),
  not_equal = b2(DEFS.not_equal),
  less = b2(DEFS.less),
  less_equal = b2(DEFS.less_equal);
export const greater = b2(DEFS.greater),
  greater_equal = b2(DEFS.greater_equal);
export const logical_and = b2(DEFS.logical_and),
  logical_or = b2(DEFS.logical_or),
  logical_xor = b2(DEFS.logical_xor);
export const bitwise_and = b2(DEFS.bitwise_and),
  bitwise_or = b2(DEFS.bitwise_or),
  bitwise_xor = b2(DEFS.bitwise_xor);
export const left_shift = b2(DEFS.left_shift),
  right_shift = b2(DEFS.right_shift);
export const arctan2 = b2(DEFS.arctan2),
  hypot = b2(DEFS.hypot);
export const logaddexp = b2(DEFS.logaddexp),
  logaddexp2 = b2(DEFS.logaddexp2),
  heaviside = b2(DEFS.heaviside);
export const fmax = b2(DEFS.fmax),
  fmin = b2(DEFS.fmin),
  float_power = b2(DEFS.float_power);
/** np.copysign, np.nextafter, np.ldexp, np.fmod: floating-point routines (NumPy's loops; ldexp takes an int exponent). */
export const copysign = b2(DEFS.copysign),
  nextafter = b2(DEFS.nextafter),
  ldexp = b2(DEFS.ldexp),
  fmod = b2(DEFS.fmod);
/** np.gcd, np.lcm: integer greatest common divisor / least common multiple (non-negative). */
export const gcd = b2(DEFS.gcd),
  lcm = b2(DEFS.lcm);
/** NumPy 2's array-API names: the same ufunc objects. */
export const atan2 = arctan2,
  pow = power,
  bitwise_left_shift = left_shift,
  bitwise_right_shift = right_shift;

/** np.negative … : NumPy's unary ufuncs (`np.sqrt(x, out, {where, casting, order, dtype})`). */
export const negative = u1(DEFS.negative),
  positive = u1(DEFS.positive),
  absolute = u1(DEFS.absolute),
  abs = absolute;
export const sign = u1(DEFS.sign),
  exp = u1(DEFS.exp),
  expm1 = u1(DEFS.expm1),
  log = u1(DEFS.log),
  log1p = u1(DEFS.log1p);
export const log2 = u1(DEFS.log2),
  log10 = u1(DEFS.log10),
  sqrt = u1(DEFS.sqrt),
  square = u1(DEFS.square),
  reciprocal = u1(DEFS.reciprocal);
export const sin = u1(DEFS.sin),
  cos = u1(DEFS.cos),
  tan = u1(DEFS.tan),
  arcsin = u1(DEFS.arcsin),
  arccos = u1(DEFS.arccos),
  arctan = u1(DEFS.arctan);
export const sinh = u1(DEFS.sinh),
  cosh = u1(DEFS.cosh),
  tanh = u1(DEFS.tanh);
export const floor = u1(DEFS.floor),
  ceil = u1(DEFS.ceil),
  trunc = u1(DEFS.trunc),
  rint = u1(DEFS.rint);
export const logical_not = u1(DEFS.logical_not),
  invert = u1(DEFS.invert),
  bitwise_not = invert;
export const isnan = u1(DEFS.isnan),
  isinf = u1(DEFS.isinf),
  isfinite = u1(DEFS.isfinite);
export const conjugate = u1(DEFS.conjugate),
  conj = conjugate;
export const deg2rad = u1(DEFS.deg2rad),
  rad2deg = u1(DEFS.rad2deg),
  radians = u1(DEFS.radians),
  degrees = u1(DEFS.degrees),
  cbrt = u1(DEFS.cbrt),
  fabs = u1(DEFS.fabs);
/** np.exp2, np.arcsinh, np.arccosh, np.arctanh (complex too, with C99's branch cuts). */
export const exp2 = u1(DEFS.exp2),
  arcsinh = u1(DEFS.arcsinh),
  arccosh = u1(DEFS.arccosh),
  arctanh = u1(DEFS.arctanh);
/** np.signbit (bool), np.spacing: floating-point routines; np.bitwise_count: set bits of |x| (uint8). */
export const signbit = u1(DEFS.signbit),
  spacing = u1(DEFS.spacing),
  bitwise_count = u1(DEFS.bitwise_count);
/** NumPy 2's array-API names: the same ufunc objects. */
export const acos = arccos,
  asin = arcsin,
  atan = arctan,
  acosh = arccosh,
  asinh = arcsinh,
  atanh = arctanh,
  bitwise_invert = invert;

/** np.real / np.imag: views of the parts for complex input (copies here), the input otherwise. */
export const real = def("real", "val", { val: arg.array }, ({ val }) => realPart(val));
export const imag = def("imag", "val", { val: arg.array }, ({ val }) => imagPart(val));
// One definition each, so that their plans (and kernels) are kept between calls.
const REAL_PART: UfuncDef = { name: "real", loop: (c) => ({ in: c, out: partType(c) }), build: ([v], _i, o) => unary("real", v, o.name) };
const IMAG_PART: UfuncDef = {
  name: "imag",
  loop: (c) => ({ in: c, out: partType(c) }),
  build: ([v], i, o) => (i.isComplex ? unary("imag", v, o.name) : constant(0, o.name)),
};
function realPart(a: ArrayLike): ndarray {
  const x = asarray(a);
  if (!x.dtype.isComplex) return x;
  return applyUfunc(REAL_PART, [x]);
}
function imagPart(a: ArrayLike): ndarray {
  return applyUfunc(IMAG_PART, [asarray(a)]);
}

/**
 * np.where(condition, x, y): elements of x where condition holds, else of y (NEP 50 typing);
 * np.where(condition) is np.nonzero(condition).
 */
export const where = def("where", "condition, x=None, y=None, /", { condition: arg.array, x: arg.any, y: arg.any }, (p): ndarray | ndarray[] =>
  p.x === null && p.y === null ? nonzero(p.condition) : select(p.condition, p.x as ArrayLike, p.y as ArrayLike),
) as { (condition: ArrayLike): ndarray[]; (condition: ArrayLike, x: ArrayLike, y: ArrayLike): ndarray; readonly signature: Signature };
/** np.where's expressions, one object per condition, result and operand dtypes (kernels are found by it). */
const SELECTS = new Map<string, Expr>();
function select(condition: ArrayLike, x: ArrayLike, y: ArrayLike): ndarray {
  if (x === null || y === null) throw new ValueError("either both or neither of x and y should be given");
  const c = asarray(condition);
  const ops = [x, y];
  const arrays = ops.map((v) => (isWeakScalar(v) ? null : asarray(v)));
  const weak = ops.filter((_, i) => !arrays[i]) as WeakScalar[];
  const dt = resultType(
    arrays.filter((a): a is ndarray => !!a).map((a) => a.dtype),
    weak,
  );
  const shape = broadcastShapes(c.shape, ...arrays.map((a) => (a ? a.shape : [])));
  const out = newStore(shape, dt);
  const inputs = [c._store.broadcast(shape)];
  const scalars: unknown[] = [];
  let key = `${c.dtype.name}/${dt.name}`;
  const args: Expr[] = ops.map((v, i) => {
    const a = arrays[i];
    if (a) {
      inputs.push(a._store.broadcast(shape));
      key += `/${a.dtype.name}`;
      return cast(load(inputs.length - 1, a.dtype.name), dt.name);
    }
    scalars.push(scalarFor(v as WeakScalar, dt));
    key += "/scalar";
    return scalar(scalars.length - 1, dt.name);
  });
  let expr = SELECTS.get(key);
  if (!expr) SELECTS.set(key, (expr = irWhere(cast(load(0, c.dtype.name), "bool"), args[0], args[1])));
  runtime().submit({ kind: "map", name: "where", inputs, outputs: [{ store: out, expr }], scalars });
  return new ndarray(out);
}

/** np.clip(a, a_min, a_max): NaN in `a` propagates; either bound may be null. */
export const clip = def(
  "clip",
  "a, a_min=<no value>, a_max=<no value>, out=None, *, min=<no value>, max=<no value>, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None",
  { a: arg.array, a_min: arg.arrayOrNone, a_max: arg.arrayOrNone, min: arg.arrayOrNone, max: arg.arrayOrNone, ...UFUNC_KWARGS },
  (p): ndarray => {
    // NumPy's checks, in its order: both bounds, or neither (then `min`/`max` or none).
    if (p.a_min === undefined && p.a_max === undefined) return clipTo(p.a, p.min ?? null, p.max ?? null, p);
    if (p.a_min === undefined) throw new TypeError("clip() missing 1 required positional argument: 'a_min'");
    if (p.a_max === undefined) throw new TypeError("clip() missing 1 required positional argument: 'a_max'");
    if (p.min !== undefined || p.max !== undefined)
      throw new ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden.");
    return clipTo(p.a, p.a_min, p.a_max, p);
  },
);
function clipTo(a: ArrayLike, aMin: ArrayLike | null, aMax: ArrayLike | null, opts: UfuncKwargs): ndarray {
  // Without bounds NumPy's clip is np.positive (a copy).
  if (aMin === null && aMax === null) return runUfunc(CLIP_DEFS[0], [a], opts);
  const x = asarray(a);
  // NumPy's clip ufunc broadcasts all four operands (a missing bound as a scalar).
  const shapeOf = (v: ArrayLike | null) => (v === null || isWeakScalar(v) ? [] : asarray(v).shape);
  const shapes = [x.shape, shapeOf(aMin), shapeOf(aMax), ...(opts.out ? [opts.out.shape] : [])];
  try {
    broadcastShapes(...shapes);
  } catch {
    throw new ValueError(`operands could not be broadcast together with shapes ${shapes.map(formatShape).join(" ")} `);
  }
  // Integer arrays accept any bound: a bound past the dtype's range cannot bind.
  const fit = (v: ArrayLike | null): ArrayLike | null => {
    if (v === null || !x.dtype.isInteger || !(typeof v === "number" || typeof v === "bigint") || !Number.isInteger(Number(v))) return v;
    const [lo, hi] = intRange(x.dtype);
    const big = BigInt(v);
    return big < lo ? lo : big > hi ? hi : v;
  };
  const lo = fit(aMin),
    hi = fit(aMax);
  const operands: ArrayLike[] = [x, ...(lo !== null ? [lo] : []), ...(hi !== null ? [hi] : [])];
  return runUfunc(CLIP_DEFS[(lo !== null ? 1 : 0) + (hi !== null ? 2 : 0)], operands, opts);
}
/** clip's ufunc without bounds (np.positive, as NumPy's), with a lower bound (1), an upper one (2) or both (3): one object each, so its plans are kept. */
const CLIP_DEFS: UfuncDef[] = [0, 1, 2, 3].map((bounds) =>
  bounds
    ? {
        name: "clip",
        loop: same,
        build: (args, _i, o) => {
          let e = args[0];
          let k = 1;
          if (bounds & 1) e = binary("max", e, args[k++], o.name);
          if (bounds & 2) e = binary("min", e, args[k++], o.name);
          return e;
        },
      }
    : DEFS.positive,
);

/** np.round / np.around: round half to even at `decimals` digits (NumPy's scaling method). */
export const round = def(
  "round",
  "a, decimals=0, out=None",
  { a: arg.array, decimals: arg.int, out: arg.out },
  (p): ndarray => roundTo(p.a, p.decimals, { out: p.out ?? undefined }),
);
export const around = def(
  "around",
  "a, decimals=0, out=None",
  { a: arg.array, decimals: arg.int, out: arg.out },
  (p): ndarray => roundTo(p.a, p.decimals, { out: p.out ?? undefined }),
);
function roundTo(a: ArrayLike, decimals: number, opts: UfuncOptions): ndarray {
  const x = asarray(a);
  if (opts.out && opts.out.shape.join() !== x.shape.join()) throw new ValueError("invalid output shape");
  if (x.dtype.isInteger && decimals >= 0) return applyUfunc(INT_ROUND, [x], opts);
  const byDecimals = x.dtype.isInteger ? intRounds : floatRounds;
  let def = byDecimals.get(decimals);
  if (!def) {
    if (byDecimals.size >= 64) byDecimals.clear();
    byDecimals.set(decimals, (def = (x.dtype.isInteger ? intRoundDef : roundDef)(decimals)));
  }
  return applyUfunc(def, [x], opts);
}
// The rounding ufuncs, one per number of decimals (kept, so their plans and kernels are too).
const INT_ROUND: UfuncDef = { ...DEFS.positive, loop: same };
const intRounds = new Map<number, UfuncDef>(),
  floatRounds = new Map<number, UfuncDef>();
/** Negative decimals on integers: round half to even at 10^-decimals, exact below 2^53. */
function intRoundDef(decimals: number): UfuncDef {
  const f = constant(10 ** -decimals, "float64");
  return { name: "round", loop: same, build: ([v], _i, o) => cast(binary("mul", unary("rint", binary("div", cast(v, "float64"), f)), f), o.name) };
}
function roundDef(decimals: number): UfuncDef {
  return {
    name: "round",
    loop: (c) => floatOnly("round", true)(c, [c]),
    build: ([v], _i, o) => {
      if (decimals === 0) return unary("rint", v, o.name);
      // Complex input rounds each part: the scale is real, so it multiplies the parts separately.
      const part = o === DTYPES.complex64 ? "float32" : o === DTYPES.complex128 ? "float64" : o.name;
      const f = constant(10 ** Math.abs(decimals), part);
      return decimals > 0
        ? binary("div", unary("rint", binary("mul", v, f, o.name), o.name), f, o.name)
        : binary("mul", unary("rint", binary("div", v, f, o.name), o.name), f, o.name);
    },
  };
}
