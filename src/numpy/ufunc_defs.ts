import { DTYPES, ir } from "../core/index.js";
import type { BinaryFn, DType, DTypeName, Expr, UnaryFn } from "../core/index.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import { ndarray } from "./ndarray.js";
import type { ArrayLike } from "./creation_from_data.js";
import { floatLoopFor, notSupported } from "./ufunc.js";
import type { UfuncDef } from "./ufunc.js";
import { UFuncTypeError } from "./errors.js";
import { partType } from "./dtypes.js";
const { binary, cast, constant, unary, where: irWhere } = ir;

/** NumPy's ufuncs, each a type rule plus one kernel-IR expression (the public functions are in ufuncs.ts). */

export type Loop = UfuncDef["loop"];
export const same: Loop = (c) => ({ in: c, out: c });
const toBool: Loop = (c) => ({ in: c, out: DTYPES.bool });
const noBool =
  (name: string, msg?: string): Loop =>
  (c) => {
    if (c.kind === "b")
      throw msg
        ? new TypeError(msg)
        : new UFuncTypeError(`ufunc '${name}' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None`);
    return { in: c, out: c };
  };
const boolAsInt8 =
  (name: string, complexOk = false): Loop =>
  (c) => {
    if (c.isComplex && !complexOk) notSupported(name);
    const d = c.kind === "b" ? DTYPES.int8 : c;
    return { in: d, out: d };
  };
const intsOnly =
  (name: string): Loop =>
  (c) => {
    if (!(c.kind === "b" || c.isInteger)) notSupported(name);
    return { in: c, out: c };
  };
/** Integer loops only (no bool loop). */
const intLoop =
  (name: string): Loop =>
  (c) => {
    if (!c.isInteger) notSupported(name);
    return { in: c, out: c };
  };
export const floatOnly =
  (name: string, complexOk = false): Loop =>
  (c, inputs) => {
    // NumPy picks the first float loop every input casts to safely: int8 with uint8 is float16.
    const d =
      c.isInteger || c.kind === "b" ? inputs.map(floatLoopFor).reduce((x, y) => (x.itemsize >= y.itemsize ? x : y), DTYPES.float16) : floatLoopFor(c);
    if (d.isComplex && !complexOk) notSupported(name);
    return { in: d, out: d };
  };

const bin = (name: string, fn: BinaryFn, loop: Loop = same): UfuncDef => ({
  name,
  loop,
  comparison: ["eq", "ne", "lt", "le", "gt", "ge"].includes(fn),
  build: ([a, b], _i, o) =>
    binary(fn, a, b, fn === "eq" || fn === "ne" || fn === "lt" || fn === "le" || fn === "gt" || fn === "ge" ? "bool" : o.name),
});
const un = (name: string, fn: UnaryFn, loop: Loop = same): UfuncDef => ({ name, loop, build: ([a], _i, o) => unary(fn, a, o.name) });

/** A float op in NumPy's working type: float16 loops compute in float32 and round once to half. */
function inF32(o: DType, f: (x: Expr[], d: DTypeName) => Expr, args: Expr[]): Expr {
  if (o !== DTYPES.float16) return f(args, o.name);
  return cast(
    f(
      args.map((a) => cast(a, "float32")),
      "float32",
    ),
    "float16",
  );
}
/** x times NumPy's constant, computed in the loop's precision (NPY_PIf/180.0f for float32). */
const scaleBy =
  (num: number, den: number) =>
  ([x]: Expr[], d: DTypeName): Expr =>
    binary("mul", x, constant(d === "float32" ? Math.fround(Math.fround(num) / Math.fround(den)) : num / den, d), d);
const LN2 = Math.LN2,
  LOG2E = Math.LOG2E;
/** NumPy's npy_logaddexp / npy_logaddexp2: equal inputs first (infinities), NaN passes through. */
function logAddExp(base2: boolean, [x, y]: Expr[], d: DTypeName): Expr {
  const c = (v: number) => constant(d === "float32" ? Math.fround(v) : v, d);
  const tmp = binary("sub", x, y, d);
  const term = (t: Expr): Expr =>
    base2 ? binary("mul", c(LOG2E), unary("log1p", binary("pow", c(2), t, d), d), d) : unary("log1p", unary("exp", t, d), d);
  return irWhere(
    binary("eq", x, y),
    binary("add", x, base2 ? c(1) : c(LN2), d),
    irWhere(
      binary("gt", tmp, c(0)),
      binary("add", x, term(unary("neg", tmp, d)), d),
      irWhere(binary("le", tmp, c(0)), binary("add", y, term(tmp), d), tmp),
    ),
  );
}
/** Real cube root: pow(|x|, 1/3) and one Newton step, the sign restored; 0, inf and NaN as given. */
function cubeRoot([x]: Expr[], d: DTypeName): Expr {
  const c = (v: number) => constant(d === "float32" ? Math.fround(v) : v, d);
  const ax = unary("abs", x, d);
  const y0 = binary("pow", ax, c(1 / 3), d);
  const y1 = binary("sub", y0, binary("div", binary("sub", y0, binary("div", ax, binary("mul", y0, y0, d), d), d), c(3), d), d);
  const special = binary("or", binary("eq", x, c(0)), unary("not", unary("isfinite", x, "bool"), "bool"), "bool");
  return irWhere(special, x, irWhere(binary("lt", x, c(0)), unary("neg", y1, d), y1));
}
/** NumPy's heaviside: NaN stays, x1 == 0 gives x2, otherwise 0 or 1 by sign. */
const heavisideOf = ([x, h]: Expr[], d: DTypeName): Expr =>
  irWhere(
    unary("isnan", x, "bool"),
    x,
    irWhere(binary("eq", x, constant(0, d)), h, irWhere(binary("lt", x, constant(0, d)), constant(0, d), constant(1, d))),
  );
/**
 * fmax / fmin: NaN-ignoring maximum / minimum (NaN only when both are NaN); between equal
 * values (0.0 and -0.0) the second, as NumPy's vector loops give.
 */
const nanIgnoring =
  (fn: "max" | "min") =>
  ([a, b]: Expr[], _d: DTypeName): Expr =>
    irWhere(unary("isnan", b, "bool"), a, irWhere(unary("isnan", a, "bool"), b, irWhere(binary(fn === "max" ? "gt" : "lt", a, b), a, b)));
/** float_power's loop: float64, or complex128 for complex input. */
const float64Loop: Loop = (c) => {
  const d = c.isComplex ? DTYPES.complex128 : DTYPES.float64;
  return { in: d, out: d };
};
const realFloatOnly = (name: string): Loop => floatOnly(name);

/** NumPy's UFuncTypeError for operands no loop takes, naming their DType classes (Python scalars as _Py…DType). */
function noLoopFor(name: string, operands: readonly ArrayLike[], loop: DType | null = null): never {
  const cls = operands.map((x) => {
    if (typeof x === "number" && !Number.isInteger(x)) return "<class 'numpy.dtypes._PyFloatDType'>";
    if (typeof x === "number" || typeof x === "bigint") return "<class 'numpy.dtypes._PyLongDType'>";
    if (typeof x === "object" && x !== null && !(x instanceof ndarray) && !Array.isArray(x)) return "<class 'numpy.dtypes._PyComplexDType'>";
    return dtypeClassOf(asarray(x).dtype);
  });
  throw new UFuncTypeError(
    `ufunc '${name}' did not contain a loop with signature matching types (${cls.join(", ")}) -> ${loop ? dtypeClassOf(loop) : "None"}`,
  );
}
function dtypeClassOf(d: DType): string {
  const n = d.name.startsWith("uint") ? `UInt${d.name.slice(4)}` : d.name[0].toUpperCase() + d.name.slice(1);
  return `<class 'numpy.dtypes.${n}DType'>`;
}
/**
 * gcd / lcm: integer loops only, the operands' kinds checked first (NumPy's promoter finds no
 * loop for floats, for bool alone, or for signed beside uint64), and a requested loop dtype.
 */
const intPair =
  (name: string) =>
  (operands: readonly ArrayLike[], loop: DType | null): void => {
    const ds = operands.map((x) => (isWeakScalar(x) ? null : asarray(x).dtype));
    const weakOk = (x: ArrayLike) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x));
    const bad = operands.some((x, i) => {
      const d = ds[i];
      return d ? !(d.isInteger || d.kind === "b") : !weakOk(x);
    });
    const allBool = ds.every((d) => d?.kind === "b");
    const strong = ds.filter((d): d is DType => d !== null);
    const mixed = strong.some((d) => d === DTYPES.uint64) && strong.some((d) => d.isInteger && d.name.startsWith("int"));
    if (bad || allBool || mixed) noLoopFor(name, operands);
    if (loop && !loop.isInteger) noLoopFor(name, operands, loop);
  };
/** NumPy's ldexp loops: a float mantissa (ints cast to the float loop) and an int32 or int64 exponent. */
const LDEXP_TYPES = ["ei->e", "fi->f", "el->e", "fl->f", "di->d", "dl->d"];
function ldexpLoop(dtypes: readonly DType[], weak: readonly boolean[]): { ins: DType[]; out: DType } {
  const [x, n] = dtypes;
  if (x.isComplex || !(n.isInteger || n.kind === "b") || n === DTYPES.uint64) notSupported("ldexp");
  // A Python int beside an array casts to the smallest loop, float16; a Python float takes float64's.
  const f = weak[0] && x.isInteger ? DTYPES.float16 : floatLoopFor(x);
  return { ins: [f, n], out: f };
}
/** ldexp(x, n): n clamped to ±2200 (past any result's range) and cast to x's float dtype for the IR node. */
function ldexpOf([x, n]: Expr[], _i: DType, o: DType): Expr {
  const lim = constant(2200, "float64");
  const nf = binary("min", binary("max", cast(n, "float64"), unary("neg", lim)), lim);
  if (o !== DTYPES.float16) return binary("ldexp", x, cast(nf, o.name), o.name);
  // NumPy's half loop: ldexpf in float32, rounded once more to half.
  return cast(binary("ldexp", cast(x, "float32"), cast(nf, "float32"), "float32"), "float16");
}
/**
 * np.spacing: the gap to the next representable value away from zero (-0.0 counts as
 * positive); NumPy's half loop always steps towards +inf.
 */
function spacingOf([x]: Expr[], _i: DType, o: DType): Expr {
  const inf = constant(Infinity, o.name);
  const toward =
    o === DTYPES.float16 ? irWhere(unary("isinf", x, "bool"), x, inf) : irWhere(binary("lt", x, constant(0, o.name)), unary("neg", inf, o.name), inf);
  return binary("sub", binary("nextafter", x, toward, o.name), x, o.name);
}

const BOOL_SUB =
  "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.";
const BOOL_NEG = "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.";

export const DEFS = {
  add: bin("add", "add"),
  subtract: bin("subtract", "sub", noBool("subtract", BOOL_SUB)),
  multiply: bin("multiply", "mul"),
  divide: bin("divide", "div", (c) => {
    const d = c.kind === "b" || c.isInteger ? DTYPES.float64 : c;
    return { in: d, out: d };
  }),
  floor_divide: bin("floor_divide", "floordiv", boolAsInt8("floor_divide")),
  remainder: bin("remainder", "mod", boolAsInt8("remainder")),
  power: bin("power", "pow", boolAsInt8("power", true)),
  maximum: bin("maximum", "max"),
  minimum: bin("minimum", "min"),
  equal: bin("equal", "eq", toBool),
  not_equal: bin("not_equal", "ne", toBool),
  less: bin("less", "lt", toBool),
  less_equal: bin("less_equal", "le", toBool),
  greater: bin("greater", "gt", toBool),
  greater_equal: bin("greater_equal", "ge", toBool),
  logical_and: { name: "logical_and", loop: () => ({ in: DTYPES.bool, out: DTYPES.bool }), build: ([a, b]) => binary("and", a, b) } as UfuncDef,
  logical_or: { name: "logical_or", loop: () => ({ in: DTYPES.bool, out: DTYPES.bool }), build: ([a, b]) => binary("or", a, b) } as UfuncDef,
  logical_xor: { name: "logical_xor", loop: () => ({ in: DTYPES.bool, out: DTYPES.bool }), build: ([a, b]) => binary("xor", a, b) } as UfuncDef,
  bitwise_and: bin("bitwise_and", "and", intsOnly("bitwise_and")),
  bitwise_or: bin("bitwise_or", "or", intsOnly("bitwise_or")),
  bitwise_xor: bin("bitwise_xor", "xor", intsOnly("bitwise_xor")),
  left_shift: bin("left_shift", "shl", (c) => {
    if (!(c.kind === "b" || c.isInteger)) notSupported("left_shift");
    return boolAsInt8("left_shift")(c, []);
  }),
  right_shift: bin("right_shift", "shr", (c) => {
    if (!(c.kind === "b" || c.isInteger)) notSupported("right_shift");
    return boolAsInt8("right_shift")(c, []);
  }),
  arctan2: bin("arctan2", "atan2", floatOnly("arctan2")),
  hypot: bin("hypot", "hypot", floatOnly("hypot")),

  negative: un("negative", "neg", noBool("negative", BOOL_NEG)),
  positive: { name: "positive", loop: noBool("positive"), build: ([a]) => a } as UfuncDef,
  absolute: un("absolute", "abs", (c) => ({ in: c, out: partType(c) })),
  sign: un("sign", "sign", noBool("sign")),
  exp: un("exp", "exp", floatOnly("exp", true)),
  expm1: un("expm1", "expm1", floatOnly("expm1", true)),
  log: un("log", "log", floatOnly("log", true)),
  log1p: un("log1p", "log1p", floatOnly("log1p", true)),
  log2: un("log2", "log2", floatOnly("log2", true)),
  log10: un("log10", "log10", floatOnly("log10", true)),
  sqrt: un("sqrt", "sqrt", floatOnly("sqrt", true)),
  square: un("square", "square", boolAsInt8("square", true)),
  reciprocal: un("reciprocal", "reciprocal", boolAsInt8("reciprocal", true)),
  sin: un("sin", "sin", floatOnly("sin", true)),
  cos: un("cos", "cos", floatOnly("cos", true)),
  tan: un("tan", "tan", floatOnly("tan", true)),
  arcsin: un("arcsin", "arcsin", floatOnly("arcsin", true)),
  arccos: un("arccos", "arccos", floatOnly("arccos", true)),
  arctan: un("arctan", "arctan", floatOnly("arctan", true)),
  sinh: un("sinh", "sinh", floatOnly("sinh", true)),
  cosh: un("cosh", "cosh", floatOnly("cosh", true)),
  tanh: un("tanh", "tanh", floatOnly("tanh", true)),
  floor: un("floor", "floor", (c) => {
    if (c.isComplex) notSupported("floor");
    return same(c, []);
  }),
  ceil: un("ceil", "ceil", (c) => {
    if (c.isComplex) notSupported("ceil");
    return same(c, []);
  }),
  trunc: un("trunc", "trunc", (c) => {
    if (c.isComplex) notSupported("trunc");
    return same(c, []);
  }),
  rint: un("rint", "rint", floatOnly("rint", true)),
  logical_not: { name: "logical_not", loop: () => ({ in: DTYPES.bool, out: DTYPES.bool }), build: ([a]) => unary("not", a) } as UfuncDef,
  invert: un("invert", "invert", intsOnly("invert")),
  isnan: un("isnan", "isnan", toBool),
  isinf: un("isinf", "isinf", toBool),
  isfinite: un("isfinite", "isfinite", toBool),
  conjugate: un("conjugate", "conj", boolAsInt8("conjugate", true)),
  deg2rad: { name: "deg2rad", loop: realFloatOnly("deg2rad"), build: (a, _i, o) => inF32(o, scaleBy(Math.PI, 180), a) } as UfuncDef,
  rad2deg: { name: "rad2deg", loop: realFloatOnly("rad2deg"), build: (a, _i, o) => inF32(o, scaleBy(180, Math.PI), a) } as UfuncDef,
  radians: { name: "radians", loop: realFloatOnly("radians"), build: (a, _i, o) => inF32(o, scaleBy(Math.PI, 180), a) } as UfuncDef,
  degrees: { name: "degrees", loop: realFloatOnly("degrees"), build: (a, _i, o) => inF32(o, scaleBy(180, Math.PI), a) } as UfuncDef,
  logaddexp: { name: "logaddexp", loop: realFloatOnly("logaddexp"), build: (a, _i, o) => inF32(o, (x, d) => logAddExp(false, x, d), a) } as UfuncDef,
  logaddexp2: {
    name: "logaddexp2",
    loop: realFloatOnly("logaddexp2"),
    build: (a, _i, o) => inF32(o, (x, d) => logAddExp(true, x, d), a),
  } as UfuncDef,
  fabs: un("fabs", "abs", realFloatOnly("fabs")),
  cbrt: { name: "cbrt", loop: realFloatOnly("cbrt"), build: (a, _i, o) => inF32(o, cubeRoot, a) } as UfuncDef,
  heaviside: { name: "heaviside", loop: realFloatOnly("heaviside"), build: (a, _i, o) => heavisideOf(a, o.name) } as UfuncDef,
  fmax: {
    name: "fmax",
    loop: same,
    build: (a, _i, o) => (o.isFloat || o.isComplex ? nanIgnoring("max")(a, o.name) : binary("max", a[0], a[1], o.name)),
  } as UfuncDef,
  fmin: {
    name: "fmin",
    loop: same,
    build: (a, _i, o) => (o.isFloat || o.isComplex ? nanIgnoring("min")(a, o.name) : binary("min", a[0], a[1], o.name)),
  } as UfuncDef,
  float_power: bin("float_power", "pow", float64Loop),
  exp2: un("exp2", "exp2", floatOnly("exp2", true)),
  arcsinh: un("arcsinh", "arcsinh", floatOnly("arcsinh", true)),
  arccosh: un("arccosh", "arccosh", floatOnly("arccosh", true)),
  arctanh: un("arctanh", "arctanh", floatOnly("arctanh", true)),
  signbit: {
    name: "signbit",
    loop: (c, i) => ({ in: realFloatOnly("signbit")(c, i).in, out: DTYPES.bool }),
    build: ([a]) => unary("signbit", a, "bool"),
  } as UfuncDef,
  copysign: bin("copysign", "copysign", realFloatOnly("copysign")),
  nextafter: bin("nextafter", "nextafter", realFloatOnly("nextafter")),
  spacing: { name: "spacing", loop: realFloatOnly("spacing"), build: spacingOf } as UfuncDef,
  fmod: bin("fmod", "fmod", boolAsInt8("fmod")),
  ldexp: {
    name: "ldexp",
    loop: () => notSupported("ldexp"),
    operandLoop: ldexpLoop,
    types: LDEXP_TYPES,
    build: ldexpOf,
  } as UfuncDef,
  gcd: { ...bin("gcd", "gcd", intLoop("gcd")), check: intPair("gcd") } as UfuncDef,
  lcm: { ...bin("lcm", "lcm", intLoop("lcm")), check: intPair("lcm") } as UfuncDef,
  bitwise_count: {
    name: "bitwise_count",
    loop: (c) => ({
      in: boolAsInt8("bitwise_count")(c, []).in.isInteger ? boolAsInt8("bitwise_count")(c, []).in : notSupported("bitwise_count"),
      out: DTYPES.uint8,
    }),
    build: ([a]) => unary("popcount", a, "uint8"),
    fixedOut: DTYPES.uint8,
    // The loops all give uint8: a requested dtype (which names the output too) must be uint8.
    check: (_o, loop) => {
      if (loop && loop !== DTYPES.uint8)
        throw new TypeError("No loop matching the specified signature and casting was found for ufunc bitwise_count");
    },
  } as UfuncDef,
} satisfies Record<string, UfuncDef>;
