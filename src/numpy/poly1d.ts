/**
 * np.poly1d: NumPy's legacy one-dimensional polynomial class (numpy/lib/_polynomial_impl.py).
 * An instance is callable as NumPy's is (`p(0.5)`, `p(q)` composes), and `p instanceof
 * np.poly1d` holds. Python's operators are methods named as ndarray's are: `p.add(q)`,
 * `p.sub(q)`, `p.mul(q)`, `p.div(q)` / `p.truediv(q)` (a poly1d divisor gives [quotient,
 * remainder]), `p.pow(n)`, `p.neg()`, `p.eq(q)`, `p.ne(q)`, and the reflected `radd`,
 * `rsub`, `rmul`, `rtruediv`; `p[i]` / `p[i] = v` (coefficient of x**i) are `p.get(i)` /
 * `p.set(i, v)`. `String(p)` is NumPy's str (the powers on the line above), `p.repr()` its repr.
 */
import type { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import { zeros } from "./creation_shape.js";
import { concatenate } from "./array_joining.js";
import { trim_zeros } from "./array_adding_removing.js";
import { multiply, divide, negative, equal, not_equal, logical_or } from "./ufuncs.js";
import { all } from "./logic_truth.js";
import { array_repr } from "./printing/api.js";
import { AttributeError, ValueError } from "./errors.js";
import { binding, def, method } from "./signature.js";
import { arg, conv } from "./param_types.js";
import { isscalar } from "./scalars.js";
import { poly, roots, polyval, polyadd, polysub, polymul, polydiv, polyint, polyder, polyArray, pyInt } from "./polynomial_legacy.js";
import type { PolyLike } from "./polynomial_legacy.js";

const other = conv<PolyLike>((v): PolyLike => v as PolyLike);

/** NumPy's isscalar for an operand: JS numbers, bigints, booleans and complex scalars. */
const scalar = (v: unknown): boolean => !(v instanceof Poly1d) && isscalar(v);

/** A poly1d instance: callable (`p(x)` is np.polyval(p.coeffs, x)). */
export interface Poly1d {
  /** p(val): the polynomial at `val` (any array shape), or the composition p(val(t)) for a poly1d. */
  (val: PolyLike): ndarray | Poly1d;
}

/** NumPy's poly1d: coefficients in decreasing powers, leading zeros removed. */
export class Poly1d {
  /** @internal */
  declare _coeffs: ndarray;
  /** @internal */
  declare _variable: string;
  private constructor() {}

  /** @internal A callable instance holding `coeffs` (already trimmed) and `variable`. */
  static of(coeffs: ndarray, variable: string): Poly1d {
    const self = function (this: unknown, ...args: unknown[]): unknown {
      return (callSelf as unknown as (...a: unknown[]) => unknown).call(self, ...args);
    } as unknown as Poly1d;
    Object.setPrototypeOf(self, Poly1d.prototype);
    Object.defineProperty(self, "name", { value: "poly1d" });
    self._coeffs = coeffs;
    self._variable = variable;
    return self;
  }

  /** The coefficients, highest power first (NumPy's `coeffs`; also `c`, `coef`, `coefficients`). */
  get coeffs(): ndarray {
    return this._coeffs;
  }
  set coeffs(v: ndarray) {
    // NumPy allows only `p.coeffs *= 2` (the same array back).
    if (v !== this._coeffs) throw new AttributeError("Cannot set attribute");
  }
  get c(): ndarray {
    return this._coeffs;
  }
  set c(v: ndarray) {
    this.coeffs = v;
  }
  get coef(): ndarray {
    return this._coeffs;
  }
  set coef(v: ndarray) {
    this.coeffs = v;
  }
  get coefficients(): ndarray {
    return this._coeffs;
  }
  set coefficients(v: ndarray) {
    this.coeffs = v;
  }
  /** The name of the variable in the printed form. */
  get variable(): string {
    return this._variable;
  }
  /** The degree (also `o`). */
  get order(): number {
    return this._coeffs.shape[0] - 1;
  }
  get o(): number {
    return this.order;
  }
  /** The roots, where p(x) == 0 (np.roots of the coefficients; also `r`). */
  get roots(): ndarray {
    return roots(this._coeffs);
  }
  get r(): ndarray {
    return this.roots;
  }

  /** NumPy's str(p): the polynomial with its powers on the line above, wrapped at 70 columns. */
  toString(): string {
    return polyStr(this);
  }
  /** NumPy's repr(p): `poly1d([1., 2.])`. */
  repr(): string {
    return `poly1d(${array_repr(this._coeffs).slice(6, -1)})`;
  }
  /** util.inspect (console.log) shows the repr, as Python's REPL does. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
  /** NumPy's __array__: the coefficients, so every function takes a poly1d as an array (`np.square(p)`). */
  __array__(): ndarray {
    return this._coeffs;
  }
  /** Iterating a poly1d iterates its coefficients (0-d arrays). */
  *[Symbol.iterator](): Iterator<ndarray> {
    for (let i = 0; i < this._coeffs.shape[0]; i++) yield this._coeffs.get(i);
  }
}
// Instances are functions: Function.prototype's call/apply/bind stay below poly1d's own members.
Object.setPrototypeOf(Poly1d.prototype, Function.prototype);

/** np.poly1d(c_or_r, r=False, variable=None) without argument checks. */
export function makePoly1d(cOrR: unknown, r = false, variable: string | null = null): Poly1d {
  if (cOrR instanceof Poly1d) return Poly1d.of(cOrR._coeffs, variable ?? cOrR._variable);
  let c = polyArray(r ? poly(cOrR as PolyLike) : cOrR);
  if (c.ndim === 0) c = c.reshape([1]);
  if (c.ndim > 1) throw new ValueError("Polynomial must be 1d only.");
  c = trim_zeros(c, "f");
  if (c.shape[0] === 0) c = zeros([1], c.dtype);
  return Poly1d.of(c, variable ?? "x");
}

const poly1dDef = def(
  "poly1d",
  "c_or_r, r=False, variable=None",
  { c_or_r: other, r: arg.bool, variable: arg.strOrNone },
  (p): Poly1d => makePoly1d(p.c_or_r, p.r, p.variable),
);
binding(poly1dDef, { name: "poly1d.__init__", self: true });

/**
 * np.poly1d(c_or_r, r=False, variable=None): a polynomial from its coefficients (highest
 * power first) or, with `r`, from its roots. `p instanceof np.poly1d` holds for its instances.
 */
export const poly1d = poly1dDef as typeof poly1dDef & { readonly prototype: Poly1d };
Object.defineProperty(poly1d, "prototype", { value: Poly1d.prototype });

const asPoly = (v: unknown): Poly1d => makePoly1d(v);

/** A poly1d method: NumPy's Python method, so its errors name `poly1d.NAME` and count `self`. */
const pm: typeof method = (name, params, convs, body) => binding(method(name, params, convs, body), { name: `poly1d.${name}`, self: true });

const callSelf = pm("__call__", "val", { val: other }, (self: Poly1d, p): ndarray | Poly1d => polyval(self._coeffs, p.val));

const binary = <R>(name: string, f: (self: Poly1d, o: unknown) => R) => pm(name, "other", { other }, (self: Poly1d, p): R => f(self, p.other));

const METHODS = {
  /** p + other (`__add__`). */
  add: binary("__add__", (self, o): Poly1d => makePoly1d(polyadd(self._coeffs, asPoly(o)._coeffs))),
  /** other + p (`__radd__`). */
  radd: binary("__radd__", (self, o): Poly1d => makePoly1d(polyadd(self._coeffs, asPoly(o)._coeffs))),
  /** p - other (`__sub__`). */
  sub: binary("__sub__", (self, o): Poly1d => makePoly1d(polysub(self._coeffs, asPoly(o)._coeffs))),
  /** other - p (`__rsub__`). */
  rsub: binary("__rsub__", (self, o): Poly1d => makePoly1d(polysub(asPoly(o)._coeffs, self._coeffs))),
  /** p * other (`__mul__`): a scalar scales the coefficients. */
  mul: binary(
    "__mul__",
    (self, o): Poly1d => (scalar(o) ? makePoly1d(multiply(self._coeffs, o as never)) : makePoly1d(polymul(self._coeffs, asPoly(o)._coeffs))),
  ),
  /** other * p (`__rmul__`). */
  rmul: binary(
    "__rmul__",
    (self, o): Poly1d => (scalar(o) ? makePoly1d(multiply(o as never, self._coeffs)) : makePoly1d(polymul(self._coeffs, asPoly(o)._coeffs))),
  ),
  /** p / other (`__truediv__`): a scalar divides the coefficients; a polynomial gives [quotient, remainder]. */
  truediv: binary("__truediv__", (self, o): Poly1d | [Poly1d, Poly1d] =>
    scalar(o) ? makePoly1d(divide(self._coeffs, o as never)) : (polydiv(self, asPoly(o)) as [Poly1d, Poly1d]),
  ),
  /** other / p (`__rtruediv__`). */
  rtruediv: binary("__rtruediv__", (self, o): Poly1d | [Poly1d, Poly1d] =>
    scalar(o) ? makePoly1d(divide(o as never, self._coeffs)) : (polydiv(asPoly(o), self) as [Poly1d, Poly1d]),
  ),
  /** p ** val (`__pow__`): repeated polymul, for non-negative integers only. */
  pow: pm("__pow__", "val", { val: arg.any }, (self: Poly1d, p): Poly1d => {
    const val = p.val;
    if (!scalar(val) || typeof val === "object" || val === null || pyIntOrNaN(val) !== Number(val) || Number(val) < 0)
      throw new ValueError("Power to non-negative integers only.");
    let res: ndarray | Poly1d = asarray([1]);
    for (let i = 0; i < Number(val); i++) res = polymul(self._coeffs, res);
    return makePoly1d(res);
  }),
  /** -p (`__neg__`). */
  neg: pm("__neg__", "", {}, (self: Poly1d): Poly1d => makePoly1d(negative(self._coeffs))),
  /** +p (`__pos__`): p itself. */
  pos: pm("__pos__", "", {}, (self: Poly1d): Poly1d => self),
  /** p == other (`__eq__`): equal coefficients; false for anything not a poly1d. */
  eq: binary("__eq__", (self, o): boolean => {
    if (!(o instanceof Poly1d)) return self === (o as unknown);
    if (self._coeffs.shape[0] !== o._coeffs.shape[0]) return false;
    return Boolean(all(equal(self._coeffs, o._coeffs)).item());
  }),
  /** p != other (`__ne__`). */
  ne: binary("__ne__", (self, o): boolean => {
    if (!(o instanceof Poly1d)) return self !== (o as unknown);
    if (self._coeffs.shape[0] !== o._coeffs.shape[0]) return true;
    return !all(equal(self._coeffs, o._coeffs)).item();
  }),
  /** p[val] (`__getitem__`): the coefficient of x**val (a 0-d array; zero beyond the order). */
  get: pm("__getitem__", "val", { val: arg.any }, (self: Poly1d, p): ndarray => {
    const val = p.val as number;
    if (val > self.order || val < 0) return zeros([], self._coeffs.dtype);
    return self._coeffs.get(self.order - val);
  }),
  /** p[key] = val (`__setitem__`): sets the coefficient of x**key in place, growing the polynomial. */
  set: pm("__setitem__", "key, val", { key: arg.any, val: arg.any }, (self: Poly1d, p): void => {
    const key = p.key as number;
    let ind = self.order - key;
    if (key < 0) throw new ValueError("Does not support negative powers.");
    if (key > self.order) {
      self._coeffs = concatenate([zeros([key - self.order], self._coeffs.dtype), self._coeffs]);
      ind = 0;
    }
    self._coeffs.set(ind, p.val as never);
  }),
  /** p.integ(m=1, k=0): an antiderivative (np.polyint). */
  integ: pm("integ", "m=1, k=0", { m: arg.any, k: arg.any }, (self: Poly1d, p): Poly1d => makePoly1d(polyint(self._coeffs, p.m as number, p.k))),
  /** p.deriv(m=1): a derivative (np.polyder). */
  deriv: pm("deriv", "m=1", { m: arg.any }, (self: Poly1d, p): Poly1d => makePoly1d(polyder(self._coeffs, p.m as number))),
};
Object.assign(Poly1d.prototype, METHODS);
// p.div is p.truediv, as ndarray's div is divide.
Object.assign(Poly1d.prototype, { div: METHODS.truediv });

type M = typeof METHODS;
export interface Poly1d {
  add: M["add"];
  radd: M["radd"];
  sub: M["sub"];
  rsub: M["rsub"];
  mul: M["mul"];
  rmul: M["rmul"];
  truediv: M["truediv"];
  div: M["truediv"];
  rtruediv: M["rtruediv"];
  pow: M["pow"];
  neg: M["neg"];
  pos: M["pos"];
  eq: M["eq"];
  ne: M["ne"];
  get: M["get"];
  set: M["set"];
  integ: M["integ"];
  deriv: M["deriv"];
}

function pyIntOrNaN(v: unknown): number {
  try {
    return pyInt(v);
  } catch {
    return NaN;
  }
}

// ---- printing ----------------------------------------------------------------------------------

/**
 * Python's `f'{q:.4g}'` of a float: correctly rounded (ties to even on the exact binary
 * value), trailing zeros removed, exponent form below 1e-4 and from 1e4.
 */
export function formatG4(q: number): string {
  if (Number.isNaN(q)) return "nan";
  if (!Number.isFinite(q)) return q > 0 ? "inf" : "-inf";
  const sign = q < 0 || Object.is(q, -0) ? "-" : "";
  const a = Math.abs(q);
  if (a === 0) return `${sign}0`;
  const P = 4;
  // Exact leading digits (V8 prints them exactly): enough to tell a tie from a near-tie.
  const [mant, e] = a.toExponential(30).split("e");
  const digits = mant.replace(".", "");
  let exp = Number(e);
  let keep = BigInt(digits.slice(0, P));
  const rest = digits.slice(P);
  const half = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || keep % 2n === 1n));
  if (half) keep += 1n;
  let ds = keep.toString();
  if (ds.length > P) {
    ds = ds.slice(0, P);
    exp += 1;
  }
  let body: string;
  if (exp >= -4 && exp < P) {
    if (exp >= 0) body = ds.slice(0, exp + 1).padEnd(exp + 1, "0") + "." + ds.slice(exp + 1);
    else body = "0." + "0".repeat(-exp - 1) + ds;
    body = body.replace(/0+$/, "").replace(/\.$/, "");
  } else {
    const m = (ds[0] + "." + ds.slice(1)).replace(/0+$/, "").replace(/\.$/, "");
    body = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return sign + body;
}

function fmtFloat(q: number): string {
  const s = formatG4(q);
  return s.endsWith(".0000") ? s.slice(0, -5) : s;
}

/** NumPy's _raise_power: each `**n` moves to the line above, wrapped at `wrap` columns. */
function raisePower(astr: string, wrap = 70): string {
  let n = 0,
    line1 = "",
    line2 = "",
    output = " ";
  const re = /\*\*([0-9]*)/g;
  const sp = (k: number) => " ".repeat(Math.max(k, 0));
  for (;;) {
    re.lastIndex = n;
    const mat = re.exec(astr);
    if (mat === null) break;
    const power = mat[1];
    const partstr = astr.slice(n, mat.index);
    n = mat.index + mat[0].length;
    const toadd2 = partstr + sp(power.length - 1);
    const toadd1 = sp(partstr.length - 1) + power;
    if (line2.length + toadd2.length > wrap || line1.length + toadd1.length > wrap) {
      output += `${line1}\n${line2}\n `;
      line1 = toadd1;
      line2 = toadd2;
    } else {
      line2 += partstr + sp(power.length - 1);
      line1 += sp(partstr.length - 1) + power;
    }
  }
  output += `${line1}\n${line2}`;
  return output + astr.slice(n);
}

/** NumPy's poly1d.__str__. */
function polyStr(p: Poly1d): string {
  let thestr = "0";
  const v = p.variable;
  const c = p.coeffs;
  // Leading zeros (a coefficient set to 0 with p.set) are not printed.
  const kept = c.get(logical_or.accumulate(not_equal(c, 0)));
  const values = kept.tolist() as (number | boolean | { re: number; im: number })[];
  const N = values.length - 1;
  values.forEach((coeff, k) => {
    let coefstr: string;
    if (typeof coeff === "object" && coeff.im !== 0) {
      coefstr = coeff.re === 0 ? `${fmtFloat(coeff.im)}j` : `(${fmtFloat(coeff.re)} + ${fmtFloat(coeff.im)}j)`;
    } else coefstr = fmtFloat(typeof coeff === "object" ? coeff.re : Number(coeff));
    const power = N - k;
    let newstr: string;
    if (power === 0) newstr = coefstr !== "0" ? coefstr : k === 0 ? "0" : "";
    else if (power === 1) newstr = coefstr === "0" ? "" : `${coefstr} ${v}`;
    else newstr = coefstr === "0" ? "" : `${coefstr} ${v}**${power}`;
    if (k > 0) {
      if (newstr !== "") thestr = newstr.startsWith("-") ? `${thestr} - ${newstr.slice(1)}` : `${thestr} + ${newstr}`;
    } else thestr = newstr;
  });
  return raisePower(thestr);
}
