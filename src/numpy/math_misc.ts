import { DTYPES, type Store, align, broadcast, runtime } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { newStore } from "./alloc.js";
import { asarray, isWeakScalar } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { canCast, promoteTypes, resultType } from "./dtypes.js";
import { IndexError, ValueError, ZeroDivisionError, normalizeAxis } from "./errors.js";
import { empty } from "./creation_shape.js";
import { Slice } from "./indexing.js";
import { def } from "./signature.js";
import { arg, conv, toIndex, unsupported } from "./param_types.js";
import { UFUNC_KWARGS, notSupported, runUfunc } from "./ufunc.js";
import type { UfuncDef } from "./ufunc.js";
import { DEFS } from "./ufunc_defs.js";
import {
  absolute,
  add,
  logical_and,
  remainder,
  arctan2,
  divide,
  equal,
  imag,
  isinf,
  isnan,
  multiply,
  negative,
  not_equal,
  real,
  sin,
  subtract,
  where,
} from "./ufuncs.js";
import { all } from "./logic_truth.js";
import { argsort } from "./sorting_searching.js";
import { take } from "./indexing_routines.js";
import { numpyLibrary } from "./tasks/library.js";
import { astype } from "./copy.js";
import { checkFloatErrors } from "./fp_errors.js";
import { cumsum, sum } from "./math_sum_prod_diff.js";
import { broadcast_shapes, broadcast_to, moveaxis } from "./array_manipulation.js";
import { stack } from "./array_joining.js";
import { warn } from "./warnings.js";
import { ir } from "../core/index.js";

/**
 * NumPy's mathematical functions that are compositions of ufuncs: divmod and modf
 * (arithmetic), frexp (floating-point routines), fix (rounding), sinc (special functions), angle and real_if_close (handling complex
 * numbers), nan_to_num (miscellaneous), diff, ediff1d, gradient and trapezoid (sums, products,
 * differences).
 */

const { binary, constant, unary, where: irWhere } = ir;

const UFUNC2 = "out=(None, None), *, where=True, casting='same_kind', order='K', dtype=None, subok=True, signature=None";
/** A two-output ufunc's `out`: None, or a pair of arrays (or None) as a tuple. */
const OUT2 = conv<readonly (ndarray | null)[] | null, (ndarray | null)[]>((v): (ndarray | null)[] => {
  if (v === null) return [null, null];
  if (v instanceof ndarray) throw new TypeError("'out' must be a tuple of arrays");
  if (!Array.isArray(v) || v.length !== 2) throw new ValueError("The 'out' tuple must have exactly one entry per ufunc output");
  return v.map((o) => {
    if (o !== null && !(o instanceof ndarray)) throw new TypeError("return arrays must be of ArrayType");
    return o;
  });
});
const ARGS2 = { ...UFUNC_KWARGS, out: OUT2 };

/** np.divmod(x1, x2, /, out=(None, None), …): [floor_divide, remainder], elementwise. */
export const divmod = def("divmod", `x1, x2, /, ${UFUNC2}`, { x1: arg.array, x2: arg.array, ...ARGS2 }, (p): [ndarray, ndarray] => {
  const complex = (v: ArrayLike) => (isWeakScalar(v) ? typeof v === "object" : asarray(v).dtype.isComplex);
  if (complex(p.x1) || complex(p.x2)) notSupported("divmod");
  const q = runUfunc(DIVMOD_QUOTIENT, [p.x1, p.x2], { ...p, out: p.out[0] });
  checkFloatErrors("divmod", [p.x1, p.x2], q);
  return [q, runUfunc(DIVMOD_REMAINDER, [p.x1, p.x2], { ...p, out: p.out[1] })];
});
/** divmod's two ufuncs, named for its messages (one object each, so their plans are kept). */
const DIVMOD_QUOTIENT: UfuncDef = { ...DEFS.floor_divide, name: "divmod" },
  DIVMOD_REMAINDER: UfuncDef = { ...DEFS.remainder, name: "divmod" };

/** modf's fractional part: x - trunc(x), with the sign of x on zeros (C's modf; ±0 for ±inf). */
const MODF_FRAC: UfuncDef = {
  name: "modf",
  loop: DEFS.sqrt.loop,
  build: ([x], _i, o) => {
    if (o.isComplex) return constant(0, o.name);
    const t = unary("trunc", x, o.name);
    const zero = irWhere(binary("lt", x, constant(0, o.name)), constant(-0, o.name), constant(0, o.name));
    return irWhere(
      binary("eq", x, t),
      irWhere(unary("isinf", x, "bool"), zero, binary("mul", x, constant(0, o.name), o.name)),
      binary("sub", x, t, o.name),
    );
  },
};
const MODF_INT: UfuncDef = { name: "modf", loop: DEFS.sqrt.loop, build: ([x], _i, o) => unary("trunc", x, o.name) };
/** np.modf(x, /, out=(None, None), …): [fractional part, integral part], both with x's sign. */
export const modf = def("modf", `x, /, ${UFUNC2}`, { x: arg.array, ...ARGS2 }, (p): [ndarray, ndarray] => {
  if (asarray(p.x).dtype.isComplex)
    throw new TypeError(
      "ufunc 'modf' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
    );
  return [runUfunc(MODF_FRAC, [p.x], { ...p, out: p.out[0] }), runUfunc(MODF_INT, [p.x], { ...p, out: p.out[1] })];
});

/** frexp's loop: NumPy's float loops (ints and bool cast to the float loop), no complex. */
const frexpLoop: UfuncDef["loop"] = (c, inputs) => {
  const d = DEFS.sqrt.loop(c, inputs).in;
  if (d.isComplex) notSupported("frexp");
  return { in: d, out: d };
};
/** frexp's exponent: C's frexp exponent, int32 (0 for 0, inf and NaN). */
const FREXP_EXP: UfuncDef = {
  name: "frexp",
  loop: (c, i) => ({ in: frexpLoop(c, i).in, out: DTYPES.int32 }),
  build: ([x]) => unary("frexp_exp", x, "int32"),
};
/** frexp's mantissa: x 2^-e, exact (x itself for 0, inf and NaN, where e is 0); half computes in float32. */
const FREXP_MANT: UfuncDef = {
  name: "frexp",
  loop: frexpLoop,
  build: ([x], _i, o) => {
    const w = o === DTYPES.float16 ? "float32" : o.name;
    const xw = ir.cast(x, w);
    const m = binary("ldexp", xw, ir.cast(unary("neg", unary("frexp_exp", x, "int32")), w), w);
    return ir.cast(m, o.name);
  },
};
/** np.frexp(x, /, out=(None, None), …): [mantissa in ±[0.5, 1), int32 exponent], x = m 2^e. */
export const frexp = def("frexp", `x, /, ${UFUNC2}`, { x: arg.array, ...ARGS2 }, (p): [ndarray, ndarray] => [
  runUfunc(FREXP_MANT, [p.x], { ...p, out: p.out[0] }),
  runUfunc(FREXP_EXP, [p.x], { ...p, out: p.out[1] }),
]);

/** np.fix(x, out=None): rounds toward zero, NumPy 2.4's np.trunc (ints and bool kept as they are). */
export const fix = def(
  "fix",
  "x, out=None",
  { x: arg.array, out: arg.out },
  (p): ndarray => runUfunc(DEFS.trunc, [p.x], { out: p.out, where: true, casting: "same_kind", order: "K", dtype: null }),
);

/** np.sinc(x): sin(pi x) / (pi x), 1 at 0 (NumPy's formula: x = 0 becomes 1e-20). */
export const sinc = def("sinc", "x", { x: arg.array }, (p): ndarray => {
  const x = asarray(p.x);
  const y = multiply(Math.PI, where(equal(x, 0), 1e-20, x));
  return divide(sin(y), y);
});

/** np.angle(z, deg=False): the argument of complex z (0 or pi for reals), in radians or degrees. */
export const angle = def("angle", "z, deg=False", { z: arg.array, deg: arg.bool }, (p): ndarray => {
  const z = asarray(p.z);
  const a = z.dtype.isComplex ? arctan2(imag(z), real(z)) : arctan2(0, z);
  return p.deg ? multiply(a, 180 / Math.PI) : a;
});

const EPS: Record<string, number> = { complex64: 2 ** -23, complex128: 2 ** -52 };
/** np.real_if_close(a, tol=100): the real part when every imaginary part is below tol (machine epsilons when tol > 1). */
export const real_if_close = def("real_if_close", "a, tol=100", { a: arg.array, tol: arg.float }, (p): ndarray => {
  const a = asarray(p.a);
  if (!a.dtype.isComplex) return a;
  const tol = p.tol > 1 ? EPS[a.dtype.name] * p.tol : p.tol;
  return all(absolute(imag(a)).lt(tol)).item() ? real(a) : a;
});

const MAXF: Record<string, number> = { float16: 65504, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
/** np.nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None): NaN and infinities replaced by finite numbers. */
export const nan_to_num = def(
  "nan_to_num",
  "x, copy=True, nan=0.0, posinf=None, neginf=None",
  {
    x: arg.array,
    copy: arg.bool,
    nan: arg.float,
    posinf: conv<number | null, number | null>((v, r) => (v === null ? null : arg.float(v, r))),
    neginf: conv<number | null, number | null>((v, r) => (v === null ? null : arg.float(v, r))),
  },
  (p): ndarray => {
    const x = asarray(p.x);
    const inPlace = !p.copy && p.x instanceof ndarray;
    if (!(x.dtype.isFloat || x.dtype.isComplex)) return inPlace ? x : x.copy();
    if (x.dtype.isComplex) unsupported("nan_to_num", "complex input");
    const big = MAXF[x.dtype.name];
    // Replacement values are Python floats cast into x's dtype (copyto): go through float64.
    const f = (v: number) => asarray(v, { dtype: DTYPES.float64 });
    const r = where(isnan(x), f(p.nan ?? 0), where(isinf(x), where(x.gt(0), f(p.posinf ?? big), f(p.neginf ?? -big)), x)).astype(x.dtype);
    if (!inPlace) return r;
    x.set("...", r);
    return x;
  },
);

/** Arrays joined along `axis` (np.concatenate's rules and message), into one of their common dtype. */
function join(arrays: ndarray[], axis: number): ndarray {
  if (arrays.length === 1) return arrays[0];
  const first = arrays[0];
  arrays.forEach((a, i) => {
    if (a.ndim !== first.ndim)
      throw new ValueError(
        `all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has ${first.ndim} dimension(s) and the array at index ${i} has ${a.ndim} dimension(s)`,
      );
    a.shape.forEach((n, d) => {
      if (d !== axis && n !== first.shape[d])
        throw new ValueError(
          `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${first.shape[d]} and the array at index ${i} has size ${n}`,
        );
    });
  });
  const dt = resultType(arrays.map((a) => a.dtype));
  const shape = [...first.shape];
  shape[axis] = arrays.reduce((n, a) => n + a.shape[axis], 0);
  const out = new ndarray(newStore(shape, dt));
  let at = 0;
  const lead = Array.from({ length: axis }, () => ":").join(", ");
  for (const a of arrays) {
    out.set(`${lead}${axis ? ", " : ""}${at}:${at + a.shape[axis]}`, a);
    at += a.shape[axis];
  }
  return out;
}

/** The slice text a[..., lo:hi, ...] along `axis` of an `nd`-dimensional array. */
const along = (nd: number, axis: number, s: string): string => Array.from({ length: nd }, (_, d) => (d === axis ? s : ":")).join(", ");

/** np.diff(a, n=1, axis=-1, prepend, append): n-th discrete differences (not_equal for bool). */
export const diff = def(
  "diff",
  "a, n=1, axis=-1, prepend=<no value>, append=<no value>",
  { a: arg.array, n: arg.int, axis: arg.axisC, prepend: arg.array, append: arg.array },
  (p): ndarray => {
    if (p.n === 0) return asarray(p.a);
    if (p.n < 0) throw new ValueError(`order must be non-negative but got ${p.n}`);
    let a = asarray(p.a);
    const nd = a.ndim;
    if (nd === 0) throw new ValueError("diff requires input that is at least one dimensional");
    const axis = normalizeAxis(p.axis ?? -1, nd);
    const edge = (v: ArrayLike): ndarray => {
      const e = asarray(v);
      return e.ndim === 0
        ? broadcast_to(
            e,
            a.shape.map((s, d) => (d === axis ? 1 : s)),
          )
        : e;
    };
    const parts = [...(p.prepend !== undefined ? [edge(p.prepend)] : []), a, ...(p.append !== undefined ? [edge(p.append)] : [])];
    a = join(parts, axis);
    for (let k = 0; k < p.n; k++) {
      const hi = a.get(along(nd, axis, "1:")),
        lo = a.get(along(nd, axis, ":-1"));
      a = a.dtype === DTYPES.bool ? not_equal(hi, lo) : subtract(hi, lo);
    }
    return a;
  },
);

/** np.ediff1d(ary, to_end=None, to_begin=None): differences of the flattened array, with values added at either end. */
export const ediff1d = def(
  "ediff1d",
  "ary, to_end=None, to_begin=None",
  { ary: arg.array, to_end: arg.arrayOrNone, to_begin: arg.arrayOrNone },
  (p): ndarray => {
    const a = asarray(p.ary).ravel();
    const d = a.size > 1 ? subtract(a.get("1:"), a.get(":-1")) : subtract(a.get("1:"), a.get("1:"));
    if (p.to_begin === null && p.to_end === null) return d;
    const extra = (v: ArrayLike | null, which: string): ndarray[] => {
      if (v === null) return [];
      const e = asarray(v);
      if (!canCast(e.dtype, a.dtype, "same_kind"))
        throw new TypeError(`dtype of \`${which}\` must be compatible with input \`ary\` under the \`same_kind\` rule.`);
      return [e.ravel().astype(a.dtype)];
    };
    return join([...extra(p.to_begin, "to_begin"), d.astype(a.dtype), ...extra(p.to_end, "to_end")], 0);
  },
);

/** An index into a Python list (NumPy's trapezoid indexes lists with `axis`). */
const LIST_INDEX = conv<number, number>((v): number => {
  if (typeof v === "number" && !Number.isInteger(v)) throw new TypeError("list indices must be integers or slices, not float");
  return toIndex(v);
});

/** np.trapezoid(y, x=None, dx=1.0, axis=-1): the integral of y by the trapezoidal rule. */
export const trapezoid = def(
  "trapezoid",
  "y, x=None, dx=1.0, axis=-1",
  { y: arg.array, x: arg.arrayOrNone, dx: arg.array, axis: LIST_INDEX },
  (p): ndarray => {
    const y = asarray(p.y);
    const nd = y.ndim;
    // NumPy assigns shape[axis] / slice1[axis] on Python lists: an axis out of range is that list's IndexError.
    const listAxis = (): number => {
      if (p.axis < -nd || p.axis >= nd) throw new IndexError("list assignment index out of range");
      return normalizeAxis(p.axis, nd);
    };
    let d: ArrayLike | null = null;
    if (p.x !== null) {
      const x = asarray(p.x);
      if (x.ndim === 1) {
        const dx = diff(x);
        const axis = listAxis();
        d = dx.reshape(y.shape.map((_, k) => (k === axis ? dx.shape[0] : 1)));
      } else d = diff(x, { axis: p.axis });
    } else if (p.dx !== undefined) d = p.dx;
    const axis = listAxis();
    const s = add(y.get(along(nd, axis, "1:")), y.get(along(nd, axis, ":-1")));
    // dx=1.0 (NumPy's default, a Python float): s * 1.0 is s, in float64 for integer y.
    const scaled = d === null ? (s.dtype.isFloat || s.dtype.isComplex ? s : s.astype(DTYPES.float64)) : multiply(d, s);
    return sum(divide(scaled, 2), { axis });
  },
);

/** A spacing or coefficient: a Python number (a weak JS number) or a NumPy scalar / array. */
type Num = number | ndarray;
/** Python arithmetic between numbers, NumPy's between arrays (NEP 50 promotion either way). */
const ar = {
  add: (a: Num, b: Num): Num => (typeof a === "number" && typeof b === "number" ? a + b : add(a, b)),
  sub: (a: Num, b: Num): Num => (typeof a === "number" && typeof b === "number" ? a - b : subtract(a, b)),
  mul: (a: Num, b: Num): Num => (typeof a === "number" && typeof b === "number" ? a * b : multiply(a, b)),
  div: (a: Num, b: Num): Num => {
    if (typeof a === "number" && typeof b === "number") {
      if (b === 0) throw new ZeroDivisionError("float division by zero");
      return a / b;
    }
    return divide(a, b);
  },
  neg: (a: Num): Num => (typeof a === "number" ? -a : negative(a)),
};

/** An index of `nd` items: `:` everywhere except `item` at `axis`. */
const at = (nd: number, axis: number, item: number | Slice): (string | number | Slice)[] =>
  Array.from({ length: nd }, (_, d) => (d === axis ? item : ":"));

/**
 * np.gradient(f, *varargs, axis=None, edge_order=1): NumPy's numerical gradient, second-order
 * central differences inside and first- or second-order one-sided differences at the edges;
 * spacing per axis is a scalar or the coordinates (uneven spacing uses NumPy's weights). Each
 * axis is a few slice-and-arithmetic expressions over the whole array. Several axes give a
 * list of arrays, one axis one array.
 */
export const gradient = def(
  "gradient",
  "f, *varargs, axis=None, edge_order=1",
  { f: arg.array, varargs: arg.any, axis: arg.axesTuple, edge_order: arg.any },
  (p): ndarray | ndarray[] => {
    let f = asarray(p.f);
    const N = f.ndim;
    let axes: number[];
    if (p.axis === null) axes = [...Array(N).keys()];
    else {
      axes = (typeof p.axis === "number" ? [p.axis] : p.axis).map((ax) => normalizeAxis(ax, N));
      if (new Set(axes).size !== axes.length) throw new ValueError("repeated axis");
    }
    const varargs = (p.varargs as unknown[]).map((v) => (typeof v === "bigint" || typeof v === "boolean" ? Number(v) : v));
    const scalar = (v: unknown): v is Num => typeof v === "number" || (v instanceof ndarray && v.ndim === 0);
    let dx: Num[];
    if (varargs.length === 0) dx = axes.map(() => 1);
    else if (varargs.length === 1 && (scalar(varargs[0]) || asarray(varargs[0] as ArrayLike).ndim === 0))
      dx = axes.map(() => (typeof varargs[0] === "number" ? varargs[0] : asarray(varargs[0] as ArrayLike)));
    else if (varargs.length === axes.length) {
      dx = varargs.map((v, i): Num => {
        if (typeof v === "number") return v;
        let d = asarray(v as ArrayLike);
        if (d.ndim === 0) return d;
        if (d.ndim !== 1) throw new ValueError("distances must be either scalars or 1d");
        if (d.shape[0] !== f.shape[axes[i]]) throw new ValueError("when 1d, distances must match the length of the corresponding dimension");
        // Integer coordinates: float64 differences (no modular arithmetic).
        if (d.dtype.isInteger) d = d.astype(DTYPES.float64);
        const diffx = diff(d);
        const first = diffx.get(0);
        // Even spacing is the scalar case (NumPy's shortcut; the scalar is diffx[0]).
        return all(equal(diffx, first)).item() ? first : diffx;
      });
    } else throw new TypeError("invalid number of arguments");
    const edgeOrder = typeof p.edge_order === "number" ? p.edge_order : Number(p.edge_order);
    if (edgeOrder > 2) throw new ValueError("'edge_order' greater than 2 not supported");
    let otype = f.dtype;
    if (!(otype.isFloat || otype.isComplex)) {
      // Integers become float64 first (no modular arithmetic in the differences).
      if (otype.isInteger) f = f.astype(DTYPES.float64);
      otype = DTYPES.float64;
    }
    const outvals = axes.map((axis, i): ndarray => {
      const h = dx[i];
      if (f.shape[axis] < edgeOrder + 1)
        throw new ValueError("Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.");
      const out = empty(f.shape, otype);
      const F = (item: number | Slice): ndarray => f.get(...at(N, axis, item));
      const put = (item: number | Slice, v: Num): void => out.set(...at(N, axis, item), v as ndarray);
      const uniform = typeof h === "number" || h.ndim === 0;
      const el = (k: number): Num => (h as ndarray).get(k);
      // Interior: second-order central differences.
      if (uniform) put(new Slice(1, -1), ar.div(ar.sub(F(new Slice(2, null)), F(new Slice(null, -2))), ar.mul(2, h)));
      else {
        const dx1 = (h as ndarray).get(new Slice(0, -1)),
          dx2 = (h as ndarray).get(new Slice(1, null));
        const shape = f.shape.map((_, d) => (d === axis ? -1 : 1));
        const a = asarray(ar.div(ar.neg(dx2), ar.mul(dx1, ar.add(dx1, dx2)))).reshape(shape);
        const b = asarray(ar.div(ar.sub(dx2, dx1), ar.mul(dx1, dx2))).reshape(shape);
        const c = asarray(ar.div(dx1, ar.mul(dx2, ar.add(dx1, dx2)))).reshape(shape);
        put(new Slice(1, -1), ar.add(ar.add(ar.mul(a, F(new Slice(null, -2))), ar.mul(b, F(new Slice(1, -1)))), ar.mul(c, F(new Slice(2, null)))));
      }
      if (edgeOrder === 1) {
        // First-order one-sided differences at both ends.
        put(0, ar.div(ar.sub(F(1), F(0)), uniform ? h : el(0)));
        put(-1, ar.div(ar.sub(F(-1), F(-2)), uniform ? h : el(-1)));
      } else {
        // Second-order one-sided differences (NumPy's weights, uneven spacing included).
        let a: Num, b: Num, c: Num;
        if (uniform) [a, b, c] = [ar.div(-1.5, h), ar.div(2, h), ar.div(-0.5, h)];
        else {
          const [dx1, dx2] = [el(0), el(1)];
          a = ar.div(ar.neg(ar.add(ar.mul(2, dx1), dx2)), ar.mul(dx1, ar.add(dx1, dx2)));
          b = ar.div(ar.add(dx1, dx2), ar.mul(dx1, dx2));
          c = ar.div(ar.neg(dx1), ar.mul(dx2, ar.add(dx1, dx2)));
        }
        put(0, ar.add(ar.add(ar.mul(a, F(0)), ar.mul(b, F(1))), ar.mul(c, F(2))));
        if (uniform) [a, b, c] = [ar.div(0.5, h), ar.div(-2, h), ar.div(1.5, h)];
        else {
          const [dx1, dx2] = [el(-2), el(-1)];
          a = ar.div(dx2, ar.mul(dx1, ar.add(dx1, dx2)));
          b = ar.div(ar.neg(ar.add(dx2, dx1)), ar.mul(dx1, dx2));
          c = ar.div(ar.add(ar.mul(2, dx2), dx1), ar.mul(dx2, ar.add(dx1, dx2)));
        }
        put(-1, ar.add(ar.add(ar.mul(a, F(-3)), ar.mul(b, F(-2))), ar.mul(c, F(-1))));
      }
      return out;
    });
    return axes.length === 1 ? outvals[0] : outvals;
  },
);

/** The float64 value of an optional interp bound (left / right). */
const BOUND = conv<number | null, number | null>((v, r): number | null => (v === null ? null : arg.float(v, r)));

/**
 * np.interp(x, xp, fp, left=None, right=None, period=None): piecewise-linear interpolation,
 * step by step as NumPy's C loop (slope * (x - xp[j]) + fp[j], the other end where that is
 * NaN, fp[j] at a sample point); the interval of each x is found by the `digitize` task.
 */
export const interp = def(
  "interp",
  "x, xp, fp, left=None, right=None, period=None",
  { x: arg.array, xp: arg.array, fp: arg.array, left: BOUND, right: BOUND, period: BOUND },
  (p): ndarray => {
    const f64 = (v: ArrayLike) => asarray(v, { dtype: DTYPES.float64 });
    if (asarray(p.fp).dtype.isComplex) unsupported("interp", "complex fp");
    let x = f64(p.x),
      xp = f64(p.xp),
      fp = f64(p.fp);
    let left = p.left,
      right = p.right;
    if (p.period !== null) {
      if (p.period === 0) throw new ValueError("period must be a non-zero value");
      const period = Math.abs(p.period);
      left = right = null;
      if (xp.ndim !== 1 || fp.ndim !== 1) throw new ValueError("Data points must be 1-D sequences");
      if (xp.shape[0] !== fp.shape[0]) throw new ValueError("fp and xp are not of the same length");
      x = remainder(x, period);
      xp = remainder(xp, period);
      const order = argsort(xp);
      xp = take(xp, order);
      fp = take(fp, order);
      xp = join([subtract(xp.get("-1:"), period), xp, add(xp.get("0:1"), period)], 0);
      fp = join([fp.get("-1:"), fp, fp.get("0:1")], 0);
    }
    if (xp.ndim !== 1 || fp.ndim !== 1) throw new ValueError("object too deep for desired array");
    const n = xp.shape[0];
    if (fp.shape[0] !== n) throw new ValueError("fp and xp are not of the same length.");
    if (n === 0) throw new ValueError("array of sample points is empty");
    const lo = left ?? Number(fp.item(0)),
      hi = right ?? Number(fp.item(n - 1));
    // One pass of NumPy's loop over contiguous float64 copies, cut along x.
    const dense = (a: ndarray): Store => (a._store.isContiguous() ? a._store : astype(a, DTYPES.float64)._store).reshape([a.size])!;
    const out = newStore(x.shape, DTYPES.float64);
    if (x.size > 0) {
      const xs = dense(x),
        xps = dense(xp),
        fps = dense(fp),
        os = out.reshape([x.size])!;
      runtime().submit(
        numpyLibrary().launch("interp", {
          args: [
            { store: xs, privilege: "read" },
            { store: xps, privilege: "read" },
            { store: fps, privilege: "read" },
            { store: os, privilege: "write" },
          ],
          scalars: [lo, hi],
          constraints: [align(xs, os), broadcast(xps), broadcast(fps)],
          cost: x.size * Math.max(1, Math.log2(n)),
        }),
      );
    }
    return new ndarray(out);
  },
);

/**
 * np.unwrap(p, discont=None, axis=-1, *, period=2π): removes jumps larger than discont
 * (default period/2) by adding multiples of period, NumPy's steps (mod, then a cumulative sum).
 */
export const unwrap = def(
  "unwrap",
  "p, discont=None, axis=-1, *, period=6.283185307179586",
  { p: arg.array, discont: arg.arrayOrNone, axis: arg.int, period: arg.array },
  (q): ndarray => {
    const p = asarray(q.p);
    const nd = p.ndim;
    const period = q.period as number | ndarray;
    const dd = diff(p, { axis: q.axis });
    // A JS number period is NumPy's Python float: period / 2 stays a (weak) Python number.
    const half = (v: number | ndarray): ArrayLike => (typeof v === "number" ? v / 2 : divide(v, 2));
    const discont = q.discont ?? half(period);
    const dt = resultType([dd.dtype, ...(period instanceof ndarray ? [period.dtype] : [])], period instanceof ndarray ? [] : [period]);
    let high: ArrayLike;
    let ambiguous: boolean;
    if (dt.isInteger) {
      const per = Number(period instanceof ndarray ? period.item() : period);
      high = Math.floor(per / 2);
      ambiguous = per - 2 * Math.floor(per / 2) === 0;
    } else {
      high = half(period);
      ambiguous = true;
    }
    const low = typeof high === "number" ? -high : multiply(high, -1);
    let ddmod = add(remainder(subtract(dd, low), period), low);
    if (ambiguous) ddmod = where(logical_and(equal(ddmod, low), dd.gt(0)), high, ddmod).astype(ddmod.dtype);
    let correct = subtract(ddmod, dd);
    correct = where(absolute(dd).lt(discont), 0, correct).astype(correct.dtype);
    const axis = normalizeAxis(q.axis, nd);
    const up = p.astype(dt);
    const rest = along(nd, axis, "1:");
    up.set(rest, add(p.get(rest), cumsum(correct, { axis })));
    return up;
  },
);

/**
 * np.cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None): cross products of 3-vectors (and
 * the deprecated 2-vectors) along the given axes, broadcast, in the promoted dtype, with
 * NumPy's products and differences in NumPy's order.
 */
export const cross = def(
  "cross",
  "a, b, axisa=-1, axisb=-1, axisc=-1, axis=None",
  { a: arg.array, b: arg.array, axisa: arg.int, axisb: arg.int, axisc: arg.int, axis: arg.axis },
  (p): ndarray => {
    let { axisa, axisb, axisc } = p;
    if (p.axis !== null) axisa = axisb = axisc = p.axis;
    let a = asarray(p.a),
      b = asarray(p.b);
    if (a.ndim < 1 || b.ndim < 1) throw new ValueError("At least one array has zero dimension");
    a = moveaxis(a, normalizeAxis(axisa, a.ndim, "axisa"), -1);
    b = moveaxis(b, normalizeAxis(axisb, b.ndim, "axisb"), -1);
    const na = a.shape[a.ndim - 1],
      nb = b.shape[b.ndim - 1];
    if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3))
      throw new ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)");
    if (na === 2 || nb === 2)
      warn(
        "Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors instead. (deprecated in NumPy 2.0)",
        "DeprecationWarning",
      );
    const dt = promoteTypes(a.dtype, b.dtype);
    a = a.astype(dt);
    b = b.astype(dt);
    const A = (i: number) => a.get("...", i),
      B = (i: number) => b.get("...", i);
    const ab = (i: number, j: number) => multiply(A(i), B(j));
    if (na === 2 && nb === 2) return subtract(ab(0, 1), ab(1, 0));
    let c: ndarray[];
    if (na === 2) c = [ab(1, 2), negative(ab(0, 2)), subtract(ab(0, 1), ab(1, 0))];
    else if (nb === 2) c = [negative(multiply(A(2), B(1))), ab(2, 0), subtract(ab(0, 1), ab(1, 0))];
    else c = [subtract(ab(1, 2), ab(2, 1)), subtract(ab(2, 0), ab(0, 2)), subtract(ab(0, 1), ab(1, 0))];
    const shape = [...broadcast_shapes(c[0].shape, c[1].shape, c[2].shape), 3];
    const cp = stack(
      c.map((x) => broadcast_to(x, shape.slice(0, -1))),
      -1,
    );
    return moveaxis(cp, -1, normalizeAxis(axisc, shape.length, "axisc"));
  },
);
