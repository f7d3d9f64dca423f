import { OverflowError, ValueError } from "../errors.js";
import { formatScalar } from "./arrayprint.js";

/**
 * Python's printf-style formatting (`'%.18e' % x`), for the conversions np.savetxt's `fmt`
 * uses: d i u e E f F g G s x X o and %%, with the flags - + space 0 #, a width and a
 * precision. Floats are formatted from their exact decimal expansion, as C's printf does.
 */

const SPEC = /%(?:\((\w+)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?([diueEfFgGsxXoc%])/g;

/** How many value conversions a format has (%% does not count). */
export function countConversions(fmt: string): number {
  let n = 0;
  for (const m of fmt.matchAll(SPEC)) if (m[5] !== "%") n++;
  return n;
}

/**
 * `fmt % values`, Python's way; a value count that does not match is Python's TypeError.
 * `%s` gives str() of the values as NumPy scalars of `dtype` (`-0.0`, float32's shortest digits).
 */
export function percentFormat(fmt: string, values: readonly (number | bigint | boolean | string)[], dtype = "float64"): string {
  let k = 0;
  const out = fmt.replace(SPEC, (_all, _key, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === "%") return "%";
    if (k >= values.length) throw new TypeError("not enough arguments for format string");
    const text = convert(values[k++], conv, flags, prec === undefined ? undefined : Number(prec), dtype);
    return pad(text, flags, width === undefined ? 0 : Number(width), "eEfFgGdiuxXo".includes(conv));
  });
  if (k < values.length) throw new TypeError("not all arguments converted during string formatting");
  return out;
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  if (text.length >= width) return text;
  if (flags.includes("-")) return text.padEnd(width);
  if (flags.includes("0") && numeric && /\d/.test(text) && !/nan|inf/.test(text)) {
    const sign = /^[-+ ]/.test(text) ? text[0] : "";
    return sign + text.slice(sign.length).padStart(width - sign.length, "0");
  }
  return text.padStart(width);
}

function signed(body: string, negative: boolean, flags: string): string {
  return (negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + body;
}

/** %e's mantissa and exponent, the exponent with at least two digits (C's). */
function exponential(x: number, p: number, upper: boolean): string {
  const [m, e] = x.toExponential(p).split("e");
  const exp = Number(e);
  const text = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return upper ? text.toUpperCase() : text;
}

/** Digits of x to `p` decimals, for any magnitude (JS's toFixed switches to exponent form at 1e21). */
function fixed(x: number, p: number): string {
  if (x < 1e21) return x.toFixed(p);
  return BigInt(x).toString() + (p > 0 ? `.${"0".repeat(p)}` : "");
}

function convert(v: number | bigint | boolean | string, conv: string, flags: string, prec: number | undefined, dtype: string): string {
  if (conv === "s") return typeof v === "string" ? v : formatScalar(v, dtype);
  if (typeof v === "string") throw new TypeError(`%${conv} format: a real number is required, not str`);
  if (conv === "c") return String.fromCharCode(Number(v));
  const alt = flags.includes("#");
  if ("diuxXo".includes(conv)) {
    if (typeof v === "number" && !Number.isFinite(v))
      throw new (Number.isNaN(v) ? ValueError : OverflowError)(`cannot convert float ${Number.isNaN(v) ? "NaN" : "infinity"} to integer`);
    const n = typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)));
    const neg = n < 0n,
      abs = neg ? -n : n;
    let body = conv === "x" || conv === "X" ? abs.toString(16) : conv === "o" ? abs.toString(8) : abs.toString();
    if (conv === "X") body = body.toUpperCase();
    if (alt && conv !== "d" && conv !== "i" && conv !== "u") body = (conv === "o" ? "0o" : conv === "x" ? "0x" : "0X") + body;
    if (prec !== undefined) body = body.padStart(prec, "0");
    return signed(body, neg, flags);
  }
  const x = Number(v);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const upper = conv === conv.toUpperCase();
  if (Number.isNaN(x)) return signed(upper ? "NAN" : "nan", false, flags);
  if (!Number.isFinite(x)) return signed(upper ? "INF" : "inf", neg, flags);
  const p = prec ?? 6;
  if (conv === "e" || conv === "E") return signed(exponential(a, p, upper), neg, flags);
  if (conv === "f" || conv === "F") return signed(fixed(a, p) + (alt && p === 0 ? "." : ""), neg, flags);
  // %g: %e or %f by the exponent after rounding to P significant digits, trailing zeros removed.
  const P = p === 0 ? 1 : p;
  const X = a === 0 ? 0 : Number(a.toExponential(P - 1).split("e")[1]);
  let body = P > X && X >= -4 ? fixed(a, P - 1 - X) : exponential(a, P - 1, upper);
  if (!alt) body = stripZeros(body);
  return signed(body, neg, flags);
}

/** %g without '#': trailing zeros of the fraction go, and the point with them. */
function stripZeros(body: string): string {
  const [mant, exp] = body.split(/(?=[eE])/);
  const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
  return exp === undefined ? m : m + exp;
}
