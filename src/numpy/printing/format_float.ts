/**
 * NumPy's np.format_float_positional and np.format_float_scientific: one float through the
 * same Dragon4 formatter that prints arrays (arrayprint.ts), with NumPy's argument checks.
 */
import { ndarray } from "../ndarray.js";
import { ValueError } from "../errors.js";
import { def } from "../signature.js";
import { arg, conv, pyType, toCInt } from "../param_types.js";
import { dragon4Positional, dragon4Scientific } from "./arrayprint.js";
import type { FloatKind, Trim } from "./arrayprint.js";

/** The value and its float kind: float16/float32 0-d arrays keep theirs; anything else is Python's float(). */
const floatValue = conv<number | ndarray, [number, FloatKind]>((v): [number, FloatKind] => {
  if (v instanceof ndarray) {
    if (v.ndim > 0) {
      if (v.size !== 1) throw new TypeError("only length-1 arrays can be converted to Python scalars");
      throw new TypeError("only 0-dimensional arrays can be converted to Python scalars");
    }
    if (v.dtype.isComplex) throw new TypeError("must be real number, not complex");
    const kind: FloatKind = v.dtype.name === "float16" ? "f16" : v.dtype.name === "float32" ? "f32" : "f64";
    return [Number(v.item()), kind];
  }
  if (typeof v === "number") return [v, "f64"];
  if (typeof v === "bigint" || typeof v === "boolean") return [Number(v), "f64"];
  throw new TypeError(`must be real number, not ${pyType(v)}`);
});

/** None → -1, else a non-negative C int (NumPy's _none_or_positive_arg, then the C parser). */
const noneOrPositive = conv<number | null, number>((v, r): number => {
  if (v === null) return -1;
  if (typeof v === "number" && v < 0) throw new ValueError(`${r.param} must be >= 0`);
  return toCInt(v);
});

const trimArg = conv<Trim, Trim>((v): Trim => {
  if (v === "k" || v === "." || v === "0" || v === "-") return v;
  throw new TypeError(`if supplied, trim must be 'k', '.', '0' or '-' found \`${String(v)}\``);
});

/**
 * np.format_float_positional(x, precision=None, unique=True, fractional=True, trim='k',
 * sign=False, pad_left=None, pad_right=None, min_digits=None): `x` in positional notation,
 * rounded as NumPy's Dragon4 rounds it.
 */
export const format_float_positional = def(
  "format_float_positional",
  "x, precision=None, unique=True, fractional=True, trim='k', sign=False, pad_left=None, pad_right=None, min_digits=None",
  {
    x: floatValue,
    precision: noneOrPositive,
    unique: arg.bool,
    fractional: arg.bool,
    trim: trimArg,
    sign: arg.bool,
    pad_left: noneOrPositive,
    pad_right: noneOrPositive,
    min_digits: noneOrPositive,
  },
  (p): string => {
    if (!p.fractional && p.precision === 0) throw new ValueError("precision must be greater than 0 if fractional=False");
    if (p.min_digits > 0 && p.precision > 0 && p.min_digits > p.precision) throw new ValueError("min_digits must be less than or equal to precision");
    if (!p.unique && p.precision < 0) throw new TypeError("in non-unique mode `precision` must be supplied");
    const [x, kind] = p.x;
    return dragon4Positional(x, kind, {
      precision: p.precision,
      minDigits: p.min_digits,
      unique: p.unique,
      fractional: p.fractional,
      trim: p.trim,
      sign: p.sign,
      padLeft: p.pad_left,
      padRight: p.pad_right,
    });
  },
);

/**
 * np.format_float_scientific(x, precision=None, unique=True, trim='k', sign=False,
 * pad_left=None, exp_digits=None, min_digits=None): `x` in scientific notation, rounded as
 * NumPy's Dragon4 rounds it.
 */
export const format_float_scientific = def(
  "format_float_scientific",
  "x, precision=None, unique=True, trim='k', sign=False, pad_left=None, exp_digits=None, min_digits=None",
  {
    x: floatValue,
    precision: noneOrPositive,
    unique: arg.bool,
    trim: trimArg,
    sign: arg.bool,
    pad_left: noneOrPositive,
    exp_digits: noneOrPositive,
    min_digits: noneOrPositive,
  },
  (p): string => {
    if (p.min_digits > 0 && p.precision > 0 && p.min_digits > p.precision) throw new ValueError("min_digits must be less than or equal to precision");
    if (!p.unique && p.precision < 0) throw new TypeError("in non-unique mode `precision` must be supplied");
    const [x, kind] = p.x;
    return dragon4Scientific(x, kind, {
      precision: p.precision,
      minDigits: p.min_digits,
      unique: p.unique,
      trim: p.trim,
      sign: p.sign,
      padLeft: p.pad_left,
      expDigits: p.exp_digits,
    });
  },
);
