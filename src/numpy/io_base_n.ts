/**
 * NumPy's "Input and output > Base-n representations": binary_repr and base_repr, on exact
 * integers (bigint), as NumPy's Python code computes them.
 */
import { OverflowError, ValueError } from "./errors.js";
import { def } from "./signature.js";
import { arg, conv, pyType, toIndex } from "./param_types.js";
import { ndarray } from "./ndarray.js";

/** Python's operator.index, exact for 64-bit values (bigint). */
const exactIndex = conv<number | bigint, bigint>((v): bigint => {
  if (typeof v === "bigint") return v;
  if (v instanceof ndarray && v.ndim === 0 && v.dtype.isInteger) return BigInt(v.item({ bigint: true }) as number | bigint);
  return BigInt(toIndex(v));
});

/** np.binary_repr(num, width=None): `num` in base 2; negative numbers get a minus sign, or with `width` their two's complement. */
export const binary_repr = def("binary_repr", "num, width=None", { num: exactIndex, width: arg.intOrNone }, (p): string => {
  const { num, width } = p;
  const insufficient = (binwidth: number): void => {
    if (width !== null && width < binwidth) throw new ValueError(`Insufficient bit width=${width} provided for binwidth=${binwidth}`);
  };
  if (num === 0n) return "0".repeat(width || 1);
  if (num > 0n) {
    const bin = num.toString(2);
    insufficient(bin.length);
    return bin.padStart(width === null ? bin.length : Math.max(bin.length, width), "0");
  }
  if (width === null) return `-${(-num).toString(2)}`;
  let poswidth = (-num).toString(2).length;
  // A power of two fits one bit narrower (NumPy's gh-8679).
  if (2n ** BigInt(poswidth - 1) === -num) poswidth -= 1;
  const bin = (2n ** BigInt(poswidth + 1) + num).toString(2);
  insufficient(bin.length);
  return "1".repeat(Math.max(bin.length, width) - bin.length) + bin;
});

/** Python's int() of `number` (integers exactly, floats truncated toward zero), and whether `number` is negative. */
const pyInt = conv<number | bigint, [bigint, boolean]>((v): [bigint, boolean] => {
  if (typeof v === "bigint") return [v, v < 0n];
  if (typeof v === "boolean") return [v ? 1n : 0n, false];
  if (typeof v === "number") {
    if (Number.isNaN(v)) throw new ValueError("cannot convert float NaN to integer");
    if (!Number.isFinite(v)) throw new OverflowError("cannot convert float infinity to integer");
    return [BigInt(Math.trunc(v)), v < 0];
  }
  if (v instanceof ndarray && v.size === 1 && !v.dtype.isComplex) return pyInt(v.item({ bigint: true }), { param: "number" } as never);
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyType(v)}'`);
});

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** np.base_repr(number, base=2, padding=0): `number` in base 2..36 (digits 0-9 then A-Z), `padding` zeros on the left. */
export const base_repr = def("base_repr", "number, base=2, padding=0", { number: pyInt, base: arg.int, padding: arg.int }, (p): string => {
  if (p.base > DIGITS.length) throw new ValueError("Bases greater than 36 not handled in base_repr.");
  if (p.base < 2) throw new ValueError("Bases less than 2 not handled in base_repr.");
  const [int, negative] = p.number;
  let num = int < 0n ? -int : int;
  const base = BigInt(p.base);
  let res = "";
  while (num) {
    res = DIGITS[Number(num % base)] + res;
    num /= base;
  }
  if (p.padding > 0) res = "0".repeat(p.padding) + res;
  // NumPy tests the number itself: base_repr(-0.5) is '-'.
  if (negative) res = `-${res}`;
  return res || "0";
});
