import { f16round } from "../../core/index.js";
import { ValueError } from "../errors.js";
/**
 * NumPy-compatible array printing: `str(a)`, `repr(a)` and `np.array2string`.
 *
 * Follows numpy/_core/arrayprint.py (NumPy 2.4, with its legacy modes) together with
 * the Dragon4 float formatter from numpy/_core/src/multiarray/dragon4.c, so that
 * output matches NumPy character for character. Floats are formatted with an
 * exact big-integer Dragon4, which yields the shortest round-trip digits for
 * the element's own precision (float16, float32 or float64).
 */

export type PrintValue = number | bigint | boolean | { re: number; im: number };

export interface PrintSource {
  shape: readonly number[];
  /** 'bool', 'int8'...'uint64', 'float16', 'float32', 'float64', 'complex64', 'complex128' */
  dtype: string;
  get(flatIndex: number): PrintValue;
}

/** NumPy's `legacy` print option: false, or the NumPy version whose printing to imitate. */
export type LegacyMode = false | "1.13" | "1.21" | "1.25" | "2.1" | "2.2";

/** An element formatter of the `formatter` option; it gets the element as a JS value. */
export type ElementFormatterFn = (x: PrintValue) => string;

/**
 * The `formatter` option: per kind of element, a function giving its text. Keys as NumPy's:
 * 'bool', 'int', 'float', 'longfloat', 'complexfloat', 'longcomplexfloat' for one type,
 * 'int_kind', 'float_kind', 'complex_kind' for a kind and 'all' for every type (NumPy's
 * 'timedelta', 'datetime', 'void', 'numpystr', 'str_kind' and 'object' are accepted too, and
 * unused since tessera has no such dtypes).
 */
export type Formatter = Partial<Record<string, ElementFormatterFn | null>>;

/** The print options, by NumPy's names (np.get_printoptions()). */
export interface PrintOptions {
  edgeitems: number;
  threshold: number;
  floatmode: "fixed" | "unique" | "maxprec" | "maxprec_equal";
  precision: number;
  suppress: boolean;
  linewidth: number;
  nanstr: string;
  infstr: string;
  sign: "-" | "+" | " ";
  formatter: Formatter | null;
  legacy: LegacyMode;
  /** A function giving repr(a) instead (it gets the array). */
  override_repr: ((a: never) => string) | null;
}

const DEFAULT_OPTIONS: PrintOptions = {
  edgeitems: 3,
  threshold: 1000,
  floatmode: "maxprec",
  precision: 8,
  suppress: false,
  linewidth: 75,
  nanstr: "nan",
  infstr: "inf",
  sign: "-",
  formatter: null,
  legacy: false,
  override_repr: null,
};

const OPTION_NAMES = Object.keys(DEFAULT_OPTIONS) as (keyof PrintOptions)[];

let currentOptions: PrintOptions = { ...DEFAULT_OPTIONS };

/** NumPy's legacy level: 113 for '1.13' ... 202 for '2.2', Infinity when off. */
function legacyLevel(o: PrintOptions): number {
  switch (o.legacy) {
    case "1.13":
      return 113;
    case "1.21":
      return 121;
    case "1.25":
      return 125;
    case "2.1":
      return 201;
    case "2.2":
      return 202;
    default:
      return Infinity;
  }
}

/** The current print options (a copy), with NumPy's keys. */
export function get_printoptions(): PrintOptions {
  return { ...currentOptions };
}

const LEGACY_MODES = ["1.13", "1.21", "1.25", "2.1", "2.2"];

/**
 * NumPy's _make_options_dict: the given (non-null) options, checked as NumPy checks them.
 * `null` and `undefined` mean "leave as is"; `legacy: false` turns legacy printing off.
 */
export function checkOptions(opts: Partial<Record<keyof PrintOptions, unknown>>): Partial<PrintOptions> {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_NAMES) {
    const v = opts[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  if (out.suppress !== undefined) out.suppress = Boolean(out.suppress);
  const modes = ["fixed", "unique", "maxprec", "maxprec_equal"];
  if (out.floatmode !== undefined && !modes.includes(out.floatmode as string)) {
    throw new ValueError("floatmode option must be one of " + modes.map((m) => `"${m}"`).join(", "));
  }
  if (out.sign !== undefined && !["-", "+", " "].includes(out.sign as string)) {
    throw new ValueError("sign option must be one of ' ', '+', or '-'");
  }
  if (out.legacy !== undefined && out.legacy !== false && !LEGACY_MODES.includes(out.legacy as string)) {
    throw new ValueError("legacy printing option can currently only be '1.13', '1.21', '1.25', '2.1', '2.2' or `False`");
  }
  if (out.threshold !== undefined) {
    if (typeof out.threshold !== "number" && typeof out.threshold !== "bigint") throw new TypeError("threshold must be numeric");
    if (Number.isNaN(out.threshold)) throw new ValueError("threshold must be non-NAN, try sys.maxsize for untruncated representation");
    out.threshold = Number(out.threshold);
  }
  if (out.precision !== undefined) {
    const p = out.precision;
    if (!(typeof p === "bigint" || (typeof p === "number" && Number.isInteger(p)))) throw new TypeError("precision must be an integer");
    out.precision = Number(p);
  }
  for (const key of ["edgeitems", "linewidth"] as const) {
    const v = out[key];
    if (v !== undefined && !(typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)))) {
      throw new TypeError(`${key} must be an integer`);
    }
    if (v !== undefined) out[key] = Number(v);
  }
  for (const key of ["nanstr", "infstr"] as const) {
    if (out[key] !== undefined && typeof out[key] !== "string") throw new TypeError(`${key} must be a string`);
  }
  if (out.formatter !== undefined) {
    const f = out.formatter;
    if (typeof f !== "object" || Array.isArray(f)) throw new TypeError("formatter must be a dict of callables");
    for (const [k, fn] of Object.entries(f as object)) {
      if (fn !== null && fn !== undefined && typeof fn !== "function") throw new TypeError(`formatter['${k}'] is not callable`);
    }
  }
  if (out.override_repr !== undefined && typeof out.override_repr !== "function") throw new TypeError("override_repr must be callable");
  return out as Partial<PrintOptions>;
}

/**
 * NumPy's _set_printoptions: set the given options (already checked); `formatter` and
 * `override_repr` are always reset, to null when not given. Returns the options before.
 */
export function setOptions(given: Partial<PrintOptions>): PrintOptions {
  const before = currentOptions;
  const next: PrintOptions = { ...currentOptions, ...given, formatter: given.formatter ?? null, override_repr: given.override_repr ?? null };
  if (next.legacy === "1.13") next.sign = "-";
  currentOptions = next;
  return before;
}

/** Put back options returned by setOptions (np.printoptions' exit). */
export function restoreOptions(o: PrintOptions): void {
  currentOptions = o;
}

// ---------------------------------------------------------------------------
// Float decomposition and rounding to the element's precision
// ---------------------------------------------------------------------------

export type FloatKind = "f16" | "f32" | "f64";

interface FloatLayout {
  /** explicit mantissa bits */
  mb: number;
  /** exponent of the smallest normal number */
  emin: number;
}

const LAYOUTS: Record<FloatKind, FloatLayout> = {
  f16: { mb: 10, emin: -14 },
  f32: { mb: 23, emin: -126 },
  f64: { mb: 52, emin: -1022 },
};

const scratch = new DataView(new ArrayBuffer(8));

const roundHalf = f16round;

function roundTo(kind: FloatKind, x: number): number {
  if (kind === "f32") return Math.fround(x);
  if (kind === "f16") return roundHalf(x);
  return x;
}

/** Division carried out the way NumPy does it for the given float type. */
function divideAs(kind: FloatKind, a: number, b: number): number {
  if (kind === "f32") return Math.fround(a / b);
  // float16 division is computed in float32 and rounded back to half
  if (kind === "f16") return roundHalf(Math.fround(a / b));
  return a / b;
}

function signbit(x: number): boolean {
  if (x < 0 || Object.is(x, -0)) return true;
  if (Number.isNaN(x)) {
    scratch.setFloat64(0, x);
    return scratch.getUint32(0) >>> 31 === 1;
  }
  return false;
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

interface Decomposed {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
  mantissaBit: number;
  hasUnequalMargins: boolean;
}

/** Split a finite value (exactly representable in `kind`) into Dragon4's inputs. */
function decompose(x: number, kind: FloatKind): Decomposed {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const negative = hi >>> 31 === 1;
  const field = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let M: bigint;
  let E: number;
  if (field === 0) {
    M = frac;
    E = -1074;
  } else {
    M = frac | (1n << 52n);
    E = field - 1075;
  }
  if (M === 0n) {
    return { negative, mantissa: 0n, exponent: 0, mantissaBit: 0, hasUnequalMargins: false };
  }
  const { mb, emin } = LAYOUTS[kind];
  const e2 = E + bitLength(M) - 1;
  const normal = e2 >= emin;
  const exponent = normal ? e2 - mb : emin - mb;
  const shift = E - exponent;
  const mantissa = shift >= 0 ? M << BigInt(shift) : M >> BigInt(-shift);
  if (normal) {
    return {
      negative,
      mantissa,
      exponent,
      mantissaBit: mb,
      hasUnequalMargins: e2 !== emin && mantissa === 1n << BigInt(mb),
    };
  }
  return { negative, mantissa, exponent, mantissaBit: bitLength(mantissa) - 1, hasUnequalMargins: false };
}

// ---------------------------------------------------------------------------
// Dragon4
// ---------------------------------------------------------------------------

const pow10Cache: bigint[] = [1n];
function pow10(n: number): bigint {
  while (pow10Cache.length <= n) pow10Cache.push(pow10Cache[pow10Cache.length - 1]! * 10n);
  return pow10Cache[n]!;
}

const LOG10_2 = 0.30102999566398119521373889472449;
/** Stands in for the size of NumPy's output buffer: an effectively unlimited digit count. */
const BUFFER_DIGITS = 16384;

interface DigitResult {
  digits: string;
  /** base-10 exponent of the first digit */
  exp: number;
}

/**
 * Generate decimal digits of mantissa * 2^exponent.
 * unique: stop once the digits identify the value (shortest round trip);
 * otherwise produce exact digits. cutoffMax/cutoffMin (-1 for none) bound the
 * number of digits, counted in total or after the decimal point.
 */
function dragon4(d: Decomposed, unique: boolean, fractionCutoff: boolean, cutoffMax: number, cutoffMin: number): DigitResult {
  const { mantissa, exponent, mantissaBit, hasUnequalMargins } = d;
  if (mantissa === 0n) return { digits: "0", exp: 0 };

  const isEven = (mantissa & 1n) === 0n;
  let scaledValue: bigint;
  let scale: bigint;
  let marginLow: bigint;
  if (hasUnequalMargins) {
    if (exponent > 0) {
      scaledValue = mantissa << BigInt(exponent + 2);
      scale = 4n;
      marginLow = 1n << BigInt(exponent);
    } else {
      scaledValue = mantissa << 2n;
      scale = 1n << BigInt(-exponent + 2);
      marginLow = 1n;
    }
  } else if (exponent > 0) {
    scaledValue = mantissa << BigInt(exponent + 1);
    scale = 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    scaledValue = mantissa << 1n;
    scale = 1n << BigInt(-exponent + 1);
    marginLow = 1n;
  }
  const highFactor = hasUnequalMargins ? 2n : 1n;

  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && fractionCutoff && digitExponent <= -cutoffMax) {
    digitExponent = -cutoffMax + 1;
  }
  if (digitExponent > 0) {
    scale *= pow10(digitExponent);
  } else if (digitExponent < 0) {
    const p = pow10(-digitExponent);
    scaledValue *= p;
    marginLow *= p;
  }
  if (scaledValue >= scale) {
    digitExponent += 1;
  } else {
    scaledValue *= 10n;
    marginLow *= 10n;
  }

  let cutoffMaxExponent = digitExponent - BUFFER_DIGITS;
  if (cutoffMax >= 0) {
    const desired = fractionCutoff ? -cutoffMax : digitExponent - cutoffMax;
    if (desired > cutoffMaxExponent) cutoffMaxExponent = desired;
  }
  let cutoffMinExponent = digitExponent;
  if (cutoffMin >= 0) {
    const desired = fractionCutoff ? -cutoffMin : digitExponent - cutoffMin;
    if (desired < cutoffMinExponent) cutoffMinExponent = desired;
  }

  let outExp = digitExponent - 1;
  const out: number[] = [];
  let outputDigit = 0;
  let low = false;
  let high = false;

  if (unique) {
    for (;;) {
      digitExponent -= 1;
      outputDigit = Number(scaledValue / scale);
      scaledValue %= scale;
      const marginHigh = marginLow * highFactor;
      const valueHigh = scaledValue + marginHigh;
      low = isEven ? scaledValue <= marginLow : scaledValue < marginLow;
      high = isEven ? valueHigh >= scale : valueHigh > scale;
      if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffMaxExponent) {
        break;
      }
      out.push(outputDigit);
      scaledValue *= 10n;
      marginLow *= 10n;
    }
  } else {
    for (;;) {
      digitExponent -= 1;
      outputDigit = Number(scaledValue / scale);
      scaledValue %= scale;
      if (scaledValue === 0n || digitExponent === cutoffMaxExponent) break;
      out.push(outputDigit);
      scaledValue *= 10n;
    }
  }

  let roundDown = low;
  if (low === high) {
    const twice = scaledValue * 2n;
    roundDown = twice < scale;
    if (twice === scale) roundDown = (outputDigit & 1) === 0;
  }

  if (roundDown) {
    out.push(outputDigit);
  } else if (outputDigit === 9) {
    for (;;) {
      if (out.length === 0) {
        out.push(1);
        outExp += 1;
        break;
      }
      const last = out.pop()!;
      if (last !== 9) {
        out.push(last + 1);
        break;
      }
    }
  } else {
    out.push(outputDigit + 1);
  }
  return { digits: out.join(""), exp: outExp };
}

// ---------------------------------------------------------------------------
// Positional / scientific formatting (dragon4_positional / dragon4_scientific)
// ---------------------------------------------------------------------------

/** 'k': keep zeros; '.': trim zeros, keep point; '0': leave one zero; '-': trim zeros and point */
export type Trim = "k" | "." | "0" | "-";

interface PositionalOpts {
  precision: number; // -1 for none
  minDigits: number; // -1 for none
  unique: boolean;
  fractional: boolean;
  trim: Trim;
  sign: boolean;
  padLeft: number; // -1 for none
  padRight: number; // -1 for none
}

interface ScientificOpts {
  precision: number;
  minDigits: number;
  unique: boolean;
  trim: Trim;
  sign: boolean;
  padLeft: number;
  expDigits: number;
}

function infNanString(x: number, signChar: string): string {
  if (Number.isNaN(x)) return "nan";
  return signChar + "inf";
}

function signCharFor(d: { negative: boolean }, forceSign: boolean): string {
  return d.negative ? "-" : forceSign ? "+" : "";
}

export function dragon4Positional(x: number, kind: FloatKind, o: PositionalOpts): string {
  x = roundTo(kind, x);
  if (!Number.isFinite(x)) return infNanString(x, signbit(x) ? "-" : o.sign ? "+" : "");
  const d = decompose(x, kind);
  const signStr = signCharFor(d, o.sign);
  const hasSign = signStr.length;
  const { digits, exp } = dragon4(d, o.unique, o.fractional, o.precision, o.minDigits);
  const numDigits = digits.length;

  let body: string;
  let numWholeDigits: number;
  let numFractionDigits = 0;
  if (exp >= 0) {
    numWholeDigits = exp + 1;
    if (numDigits <= numWholeDigits) {
      body = digits + "0".repeat(numWholeDigits - numDigits);
    } else {
      body = digits.slice(0, numWholeDigits) + "." + digits.slice(numWholeDigits);
      numFractionDigits = numDigits - numWholeDigits;
    }
  } else {
    const zeros = -(exp + 1);
    body = "0." + "0".repeat(zeros) + digits;
    numFractionDigits = numDigits + zeros;
    numWholeDigits = 1;
  }

  if (o.trim !== "-" && numFractionDigits === 0) body += ".";

  const addDigits = o.unique ? o.minDigits : o.precision;
  let desiredFractionalDigits = addDigits < 0 ? 0 : addDigits;
  if (!o.fractional) desiredFractionalDigits = addDigits - numWholeDigits;

  [body, numFractionDigits] = applyTrim(body, numFractionDigits, o.trim, desiredFractionalDigits, true);

  let s = signStr + body;
  if (o.padRight >= numFractionDigits) {
    if (o.trim === "-" && numFractionDigits === 0) s += " ";
    s += " ".repeat(o.padRight - numFractionDigits);
  }
  if (o.padLeft > numWholeDigits + hasSign) {
    s = " ".repeat(o.padLeft - (numWholeDigits + hasSign)) + s;
  }
  return s;
}

export function dragon4Scientific(x: number, kind: FloatKind, o: ScientificOpts): string {
  x = roundTo(kind, x);
  if (!Number.isFinite(x)) return infNanString(x, signbit(x) ? "-" : o.sign ? "+" : "");
  const d = decompose(x, kind);
  const signStr = signCharFor(d, o.sign);
  let s = "";
  const leftChars = 1 + signStr.length;
  if (o.padLeft > leftChars) s += " ".repeat(o.padLeft - leftChars);
  s += signStr;

  const { digits, exp } = dragon4(d, o.unique, false, o.precision < 0 ? -1 : o.precision + 1, o.minDigits < 0 ? -1 : o.minDigits + 1);
  let body = digits[0]!;
  let numFractionDigits = digits.length - 1;
  if (numFractionDigits > 0) body += "." + digits.slice(1);
  if (o.trim !== "-" && numFractionDigits === 0) body += ".";

  let addDigits = o.unique ? o.minDigits : o.precision;
  if (addDigits < 0) addDigits = 0;
  [body, numFractionDigits] = applyTrim(body, numFractionDigits, o.trim, addDigits, false);

  let expDigits = o.expDigits;
  if (expDigits > 5) expDigits = 5;
  if (expDigits < 0) expDigits = 2;
  const expAbs = Math.abs(exp);
  let expStr = String(expAbs);
  if (expStr.length < expDigits) expStr = "0".repeat(expDigits - expStr.length) + expStr;
  return s + body + "e" + (exp >= 0 ? "+" : "-") + expStr;
}

/**
 * Dragon4's trim modes on a digit string with `n` fraction digits: 'k' pads to `want`
 * digits, '0' keeps at least one fraction digit, '.' and '-' strip trailing zeros ('-' also
 * the bare point, when `dropBareDot`).
 */
function applyTrim(body: string, n: number, trim: string, want: number, dropBareDot: boolean): [string, number] {
  if (trim === "0") {
    if (n === 0) {
      body += "0";
      n++;
    }
  } else if (trim === "k" && want > n) {
    body += "0".repeat(want - n);
    n = want;
  }
  if (trim !== "k" && n > 0) {
    while (body.endsWith("0")) {
      body = body.slice(0, -1);
      n--;
    }
    if (body.endsWith(".")) {
      if (trim === "0") {
        body += "0";
        n++;
      } else if (trim === "-" && dropBareDot) body = body.slice(0, -1);
    }
  }
  return [body, n];
}

// ---------------------------------------------------------------------------
// Element formatters
// ---------------------------------------------------------------------------

type ElementFormatter = (v: PrintValue) => string;

function floatKindOf(dtype: string): FloatKind {
  if (dtype === "float16") return "f16";
  if (dtype === "float32" || dtype === "complex64") return "f32";
  return "f64";
}

function toNumber(v: PrintValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return v.re;
}

function toBigInt(v: PrintValue): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  return BigInt(Math.trunc(v.re));
}

function toComplex(v: PrintValue): { re: number; im: number } {
  if (typeof v === "object") return v;
  return { re: toNumber(v), im: 0 };
}

/** What a FloatingFormat needs of the options (legacy as a level, see legacyLevel). */
interface FloatOpts {
  precision: number;
  floatmode: PrintOptions["floatmode"];
  suppress: boolean;
  sign: PrintOptions["sign"];
  legacy: number;
  nanstr: string;
  infstr: string;
  /** The data is a 0-d array's element. */
  zeroDim: boolean;
}

function floatOpts(o: PrintOptions, zeroDim: boolean): FloatOpts {
  return {
    precision: o.precision,
    floatmode: o.floatmode,
    suppress: o.suppress,
    sign: o.sign,
    legacy: legacyLevel(o),
    nanstr: o.nanstr,
    infstr: o.infstr,
    zeroDim,
  };
}

class FloatingFormat {
  private precision: number;
  private readonly floatmode: PrintOptions["floatmode"];
  private readonly suppressSmall: boolean;
  private readonly sign: PrintOptions["sign"];
  private readonly legacy: number;
  private readonly nanstr: string;
  private readonly infstr: string;
  private minDigits = -1;
  private unique = true;
  private trim: Trim = ".";
  private padLeft = 0;
  private padRight = 0;
  private expSize = -1;
  private expFormat = false;

  constructor(
    data: readonly number[],
    private readonly kind: FloatKind,
    o: FloatOpts,
  ) {
    this.legacy = o.legacy;
    // legacy 1.13 has no '-' sign mode except for 0-d arrays
    this.sign = this.legacy <= 113 && !o.zeroDim && o.sign === "-" ? " " : o.sign;
    this.floatmode = o.floatmode;
    this.suppressSmall = o.suppress;
    this.nanstr = o.nanstr;
    this.infstr = o.infstr;
    this.precision = o.floatmode === "unique" ? -1 : o.precision;
    if (o.floatmode !== "unique" && o.precision < 0) throw new ValueError("precision must be >= 0");
    this.fillFormat(data);
  }

  private fillFormat(data: readonly number[]): void {
    const kind = this.kind;
    const finite = data.filter((v) => Number.isFinite(v));

    let maxVal = -Infinity;
    let minVal = Infinity;
    for (const v of finite) {
      if (v === 0) continue;
      const a = Math.abs(v);
      if (a > maxVal) maxVal = a;
      if (a < minVal) minVal = a;
    }
    if (maxVal !== -Infinity) {
      // the cutoff depends on the type's decimal precision (1e3, 1e6, 1e8; 1e8 for all
      // types up to legacy 2.2), and Python-float constants are compared in the array's
      // own precision
      const expCutoffMax = this.legacy <= 202 ? 1e8 : kind === "f16" ? 1e3 : kind === "f32" ? 1e6 : 1e8;
      const small = roundTo(kind, 0.0001);
      if (maxVal >= expCutoffMax || (!this.suppressSmall && (minVal < small || divideAs(kind, maxVal, minVal) > 1000))) {
        this.expFormat = true;
      }
    }

    const forceSign = this.sign === "+";
    if (finite.length === 0) {
      this.padLeft = 0;
      this.padRight = 0;
      this.trim = ".";
      this.expSize = -1;
      this.unique = true;
      this.minDigits = -1;
    } else if (this.expFormat) {
      let trim: Trim = ".";
      let unique = true;
      if (this.floatmode === "fixed" || this.legacy <= 113) {
        trim = "k";
        unique = false;
      }
      let maxInt = 0;
      let maxFrac = 0;
      let maxExp = 0;
      for (const x of finite) {
        const s = dragon4Scientific(x, kind, {
          precision: this.precision,
          minDigits: -1,
          unique,
          trim,
          sign: forceSign,
          padLeft: -1,
          expDigits: -1,
        });
        const ePos = s.indexOf("e");
        const mant = s.slice(0, ePos);
        const expPart = s.slice(ePos + 1);
        const dot = mant.indexOf(".");
        maxInt = Math.max(maxInt, dot < 0 ? mant.length : dot);
        maxFrac = Math.max(maxFrac, dot < 0 ? 0 : mant.length - dot - 1);
        maxExp = Math.max(maxExp, expPart.length);
      }
      this.expSize = maxExp - 1;
      this.trim = "k";
      this.precision = maxFrac;
      this.minDigits = maxFrac;
      this.unique = unique;
      // legacy 1.13: two spaces and the sign
      this.padLeft = this.legacy <= 113 ? 3 : maxInt;
      this.padRight = this.expSize + 2 + this.precision;
    } else {
      let trim: Trim = ".";
      let unique = true;
      if (this.floatmode === "fixed") {
        trim = "k";
        unique = false;
      }
      let maxInt = 0;
      let maxFrac = 0;
      for (const x of finite) {
        const s = dragon4Positional(x, kind, {
          precision: this.precision,
          minDigits: -1,
          unique,
          fractional: true,
          trim,
          sign: forceSign,
          padLeft: -1,
          padRight: -1,
        });
        const dot = s.indexOf(".");
        const intPart = dot < 0 ? s : s.slice(0, dot);
        // legacy 1.13: room for a sign whether or not there is one
        maxInt = Math.max(maxInt, this.legacy <= 113 ? 1 + intPart.replace(/^[-+]+/, "").length : intPart.length);
        maxFrac = Math.max(maxFrac, dot < 0 ? 0 : s.length - dot - 1);
      }
      this.padLeft = maxInt;
      this.padRight = maxFrac;
      this.expSize = -1;
      this.unique = unique;
      if (this.floatmode === "fixed" || this.floatmode === "maxprec_equal") {
        this.precision = this.minDigits = this.padRight;
        this.trim = "k";
      } else {
        this.trim = ".";
        this.minDigits = 0;
      }
    }

    if (this.legacy > 113 && this.sign === " " && !finite.some((v) => signbit(v))) this.padLeft += 1;

    if (data.length !== finite.length) {
      const neginf = this.sign !== "-" || data.some((v) => v === -Infinity);
      const offset = this.padRight + 1;
      this.padLeft = Math.max(this.padLeft, this.nanstr.length - offset, this.infstr.length + (neginf ? 1 : 0) - offset);
    }
  }

  format(x: number): string {
    if (!Number.isFinite(x)) {
      let ret: string;
      if (Number.isNaN(x)) {
        ret = (this.sign === "+" ? "+" : "") + this.nanstr;
      } else {
        ret = (x < 0 ? "-" : this.sign === "+" ? "+" : "") + this.infstr;
      }
      const width = this.padLeft + this.padRight + 1;
      return " ".repeat(Math.max(0, width - ret.length)) + ret;
    }
    if (this.expFormat) {
      return dragon4Scientific(x, this.kind, {
        precision: this.precision,
        minDigits: this.minDigits,
        unique: this.unique,
        trim: this.trim,
        sign: this.sign === "+",
        padLeft: this.padLeft,
        expDigits: this.expSize,
      });
    }
    return dragon4Positional(x, this.kind, {
      precision: this.precision,
      minDigits: this.minDigits,
      unique: this.unique,
      fractional: true,
      trim: this.trim,
      sign: this.sign === "+",
      padLeft: this.padLeft,
      padRight: this.padRight,
    });
  }
}

function pyPadStart(s: string, width: number): string {
  return s.length >= width ? s : " ".repeat(width - s.length) + s;
}

function makeIntegerFormat(data: readonly PrintValue[], sign: PrintOptions["sign"]): ElementFormatter {
  let width = 0;
  if (data.length > 0) {
    let max = toBigInt(data[0]!);
    let min = max;
    for (const v of data) {
      const b = toBigInt(v);
      if (b > max) max = b;
      if (b < min) min = b;
    }
    let maxLen = String(max).length;
    if (sign === " " && min < 0n) sign = "-";
    if (max >= 0n && (sign === "+" || sign === " ")) maxLen += 1;
    width = Math.max(maxLen, String(min).length);
  }
  const finalSign = sign;
  return (v) => {
    const b = toBigInt(v);
    let s = String(b);
    if (b >= 0n) {
      if (finalSign === "+") s = "+" + s;
      else if (finalSign === " ") s = " " + s;
    }
    return pyPadStart(s, width);
  };
}

function makeBoolFormat(zeroDim: boolean): ElementFormatter {
  const trueStr = zeroDim ? "True" : " True";
  return (v) => (toBigInt(v) !== 0n ? trueStr : "False");
}

function makeComplexFormat(data: readonly PrintValue[], kind: FloatKind, o: FloatOpts): ElementFormatter {
  const cs = data.map(toComplex);
  // legacy 1.13 prints real parts as maxprec_equal and imaginary ones as maxprec
  const legacy = o.legacy <= 113;
  const realFmt = new FloatingFormat(
    cs.map((c) => roundTo(kind, c.re)),
    kind,
    { ...o, floatmode: legacy ? "maxprec_equal" : o.floatmode },
  );
  const imagFmt = new FloatingFormat(
    cs.map((c) => roundTo(kind, c.im)),
    kind,
    { ...o, floatmode: legacy ? "maxprec" : o.floatmode, sign: "+" },
  );
  return (v) => {
    const c = toComplex(v);
    const r = realFmt.format(roundTo(kind, c.re));
    let i = imagFmt.format(roundTo(kind, c.im));
    const sp = i.trimEnd().length;
    i = i.slice(0, sp) + "j" + i.slice(sp);
    return r + i;
  };
}

function isComplexDtype(dtype: string): boolean {
  return dtype === "complex64" || dtype === "complex128";
}

function isFloatDtype(dtype: string): boolean {
  return dtype === "float16" || dtype === "float32" || dtype === "float64";
}

/** NumPy's formatdict key for a dtype. */
function formatterKey(dtype: string): "bool" | "int" | "float" | "complexfloat" {
  return dtype === "bool" ? "bool" : isFloatDtype(dtype) ? "float" : isComplexDtype(dtype) ? "complexfloat" : "int";
}

/** The user's function for `key` from the formatter option, as NumPy's _get_formatdict picks it. */
function userFormatter(formatter: Formatter | null, key: string): ElementFormatterFn | null {
  if (!formatter) return null;
  const has = (k: string) => typeof formatter[k] === "function";
  let fn: ElementFormatterFn | null = has("all") ? formatter.all! : null;
  const kindKey = key === "int" ? "int_kind" : key === "float" ? "float_kind" : key === "complexfloat" ? "complex_kind" : null;
  if (kindKey && has(kindKey)) fn = formatter[kindKey]!;
  if (has(key)) fn = formatter[key]!;
  return fn;
}

function makeFormatter(data: readonly PrintValue[], dtype: string, zeroDim: boolean, o: PrintOptions): ElementFormatter {
  const user = userFormatter(o.formatter, formatterKey(dtype));
  if (user) {
    return (v) => {
      const s = user(v);
      if (typeof s !== "string") throw new TypeError(`formatter returned ${typeof s}, not a string`);
      return s;
    };
  }
  if (dtype === "bool") return makeBoolFormat(zeroDim);
  const fo = floatOpts(o, zeroDim);
  if (isFloatDtype(dtype)) {
    const kind = floatKindOf(dtype);
    const fmt = new FloatingFormat(
      data.map((v) => roundTo(kind, toNumber(v))),
      kind,
      fo,
    );
    return (v) => fmt.format(roundTo(kind, toNumber(v)));
  }
  if (isComplexDtype(dtype)) return makeComplexFormat(data, floatKindOf(dtype), fo);
  return makeIntegerFormat(data, o.sign);
}

// ---------------------------------------------------------------------------
// Array layout
// ---------------------------------------------------------------------------

function extendLine(s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string, legacy: number): [string, string] {
  let needsWrap = line.length + word.length > lineWidth;
  // wrapping does not help when the line holds nothing but the prefix
  if (legacy > 113 && line.length <= nextLinePrefix.length) needsWrap = false;
  if (needsWrap) {
    s += line.trimEnd() + "\n";
    line = nextLinePrefix;
  }
  return [s, line + word];
}

/** extendLine for words that may span several lines (from a `formatter`). */
function extendLinePretty(s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string, legacy: number): [string, string] {
  const words = word.split(/\r\n|\r|\n/);
  if (words.length === 1 || legacy <= 113) return extendLine(s, line, word, lineWidth, nextLinePrefix, legacy);
  const maxWordLength = Math.max(...words.map((w) => w.length));
  let indent: string;
  if (line.length + maxWordLength > lineWidth && line.length > nextLinePrefix.length) {
    s += line.trimEnd() + "\n";
    line = nextLinePrefix + words[0];
    indent = nextLinePrefix;
  } else {
    indent = " ".repeat(line.length);
    line += words[0];
  }
  for (const w of words.slice(1)) {
    s += line.trimEnd() + "\n";
    line = indent + w;
  }
  line += " ".repeat(maxWordLength - words[words.length - 1]!.length);
  return [s, line];
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function formatArrayBody(src: PrintSource, o: PrintOptions, separator: string, prefix: string): string {
  const shape = src.shape;
  const ndim = shape.length;
  const summarize = sizeOf(shape) > o.threshold;
  const edge = o.edgeitems;
  const legacy = legacyLevel(o);

  // Per axis, the positions that take part in formatting (NumPy's leading/trailing corners).
  const axisIndices: number[][] = shape.map((n) => {
    if (summarize && n > 2 * edge && edge > 0) {
      const idx: number[] = [];
      for (let i = 0; i < edge; i++) idx.push(i);
      for (let i = n - edge; i < n; i++) idx.push(i);
      return idx;
    }
    // edgeitems=0 keeps the whole axis, as slicing with [-0:] does in NumPy
    return Array.from({ length: n }, (_, i) => i);
  });
  const srcStrides: number[] = new Array<number>(ndim);
  const dataStrides: number[] = new Array<number>(ndim);
  let st = 1;
  let dst = 1;
  for (let k = ndim - 1; k >= 0; k--) {
    srcStrides[k] = st;
    dataStrides[k] = dst;
    st *= shape[k]!;
    dst *= axisIndices[k]!.length;
  }

  const data: PrintValue[] = [];
  const collect = (axis: number, base: number): void => {
    if (axis === ndim) {
      data.push(src.get(base));
      return;
    }
    for (const i of axisIndices[axis]!) collect(axis + 1, base + i * srcStrides[axis]!);
  };
  collect(0, 0);

  const fmt = makeFormatter(data, src.dtype, ndim === 0, o);
  const lineWidth = o.linewidth;
  const nextLinePrefix = " " + " ".repeat(prefix.length);
  const summaryInsert = summarize ? "..." : "";
  const sepTrim = separator.trimEnd();

  const recurse = (axis: number, offset: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = ndim - axis;
    if (axesLeft === 0) return fmt(data[offset]!);

    const nextHangingIndent = hangingIndent + " ";
    const nextWidth = legacy <= 113 ? currWidth : currWidth - 1;
    const aLen = shape[axis]!;
    const listLen = axisIndices[axis]!.length;
    const showSummary = summaryInsert !== "" && 2 * edge < aLen;
    const leading = showSummary ? edge : 0;
    const trailing = showSummary ? edge : aLen;
    const child = (pos: number): string => recurse(axis + 1, offset + pos * dataStrides[axis]!, nextHangingIndent, nextWidth);

    let s = "";
    if (axesLeft === 1) {
      let elemWidth = legacy <= 113 ? currWidth - sepTrim.length : currWidth - Math.max(sepTrim.length, 1);
      let line = hangingIndent;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLinePretty(s, line, child(i), elemWidth, hangingIndent, legacy);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, summaryInsert, elemWidth, hangingIndent, legacy);
        line += legacy <= 113 ? ", " : separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLinePretty(s, line, child(listLen - i), elemWidth, hangingIndent, legacy);
        line += separator;
      }
      // legacy 1.13 does not count the separator's width for the last element
      if (legacy <= 113) elemWidth = currWidth;
      [s, line] = extendLinePretty(s, line, child(listLen - 1), elemWidth, hangingIndent, legacy);
      s += line;
    } else {
      const lineSep = sepTrim + "\n".repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + summaryInsert + (legacy <= 113 ? ", \n" : lineSep);
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(listLen - i) + lineSep;
      s += hangingIndent + child(listLen - 1);
    }
    return "[" + s.slice(hangingIndent.length) + "]";
  };

  return recurse(0, 0, nextLinePrefix, lineWidth);
}

/** Options as array2string's arguments give them (keyword names as NumPy's). */
export interface Array2StringArgs {
  max_line_width?: number | null;
  precision?: number | null;
  suppress_small?: boolean | null;
  separator?: string;
  prefix?: string;
  formatter?: Formatter | null;
  threshold?: number | null;
  edgeitems?: number | null;
  sign?: PrintOptions["sign"] | null;
  floatmode?: PrintOptions["floatmode"] | null;
  suffix?: string;
  legacy?: LegacyMode | null;
}

/** The current options with array2string's overrides applied (NumPy's _make_options_dict). */
function overridden(a: Array2StringArgs): PrintOptions {
  const given = checkOptions({
    precision: a.precision,
    threshold: a.threshold,
    edgeitems: a.edgeitems,
    linewidth: a.max_line_width,
    suppress: a.suppress_small,
    sign: a.sign,
    formatter: a.formatter,
    floatmode: a.floatmode,
    legacy: a.legacy,
  });
  return { ...currentOptions, ...given };
}

/** Python's repr() of a 0-d array's item (legacy 1.13 prints 0-d arrays this way). */
function itemRepr(value: PrintValue, dtype: string): string {
  if (isFloatDtype(dtype)) return formatScalar(toNumber(value), "float64");
  if (isComplexDtype(dtype)) return formatScalar(toComplex(value), "complex128");
  return formatScalar(value, dtype);
}

/** np.array2string over a print source, with NumPy's keyword arguments. */
export function array2stringSource(src: PrintSource, args: Array2StringArgs = {}): string {
  const o = overridden(args);
  return array2stringWith(src, o, args.separator ?? " ", args.prefix ?? "", args.suffix ?? "");
}

function array2stringWith(src: PrintSource, o: PrintOptions, separator: string, prefix: string, suffix: string): string {
  const legacy = legacyLevel(o);
  if (legacy <= 113 && src.shape.length === 0) return itemRepr(src.get(0), src.dtype);
  const opts = legacy > 113 ? { ...o, linewidth: o.linewidth - suffix.length } : o;
  if (sizeOf(src.shape) === 0) return "[]";
  return formatArrayBody(src, opts, separator, prefix);
}

/** Overrides array_str / array_repr take. */
export interface StrReprArgs {
  max_line_width?: number | null;
  precision?: number | null;
  suppress_small?: boolean | null;
}

/** str(a) / np.array_str(a, max_line_width, precision, suppress_small) */
export function arrayStr(src: PrintSource, args: StrReprArgs = {}): string {
  // a 0-d array prints like its scalar, without precision truncation (legacy 1.13: like
  // the Python scalar its item() gives)
  if (src.shape.length === 0) {
    return legacyLevel(currentOptions) <= 113 ? itemRepr(src.get(0), src.dtype) : formatScalar(src.get(0), src.dtype);
  }
  return array2stringSource(src, { ...args, separator: " ", prefix: "" });
}

/** Dtypes whose repr leaves out `dtype=` (int_ is int64 on 64-bit Linux). */
const IMPLIED_DTYPES = new Set(["int64", "float64", "complex128", "bool"]);

function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/**
 * repr(a) / np.array_repr(a, max_line_width, precision, suppress_small). `array` is what
 * the override_repr option is called with.
 */
export function arrayRepr(src: PrintSource, args: StrReprArgs = {}, array?: unknown): string {
  const o = currentOptions;
  if (o.override_repr) return o.override_repr(array as never);
  const legacy = legacyLevel(o);
  const maxLineWidth = args.max_line_width ?? o.linewidth;
  const prefix = "array(";
  const lst =
    legacy <= 113 && src.shape.length === 0
      ? itemRepr(src.get(0), src.dtype)
      : array2stringSource(src, { ...args, separator: ", ", prefix, suffix: ")" });
  const size = sizeOf(src.shape);

  const extras: string[] = [];
  const isShape0 = src.shape.length === 1 && src.shape[0] === 0;
  if ((size === 0 && !isShape0) || (legacy > 210 && size > o.threshold)) {
    extras.push(`shape=${shapeRepr(src.shape)}`);
  }
  const implied = IMPLIED_DTYPES.has(src.dtype) && !(legacy <= 113 && src.dtype === "bool");
  if (!implied || size === 0) {
    extras.push(`dtype=${src.dtype}`);
  }
  if (extras.length === 0) return prefix + lst + ")";

  const arrStr = prefix + lst + ",";
  const extraStr = extras.join(", ") + ")";
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = legacy > 113 && lastLineLen + extraStr.length + 1 > maxLineWidth ? "\n" + " ".repeat(prefix.length) : " ";
  return arrStr + spacer + extraStr;
}

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

/** str() of a NumPy float scalar: positional within a range, scientific outside it. */
function floatScalarStr(x: number, kind: FloatKind, trimPos: Trim, trimSci: Trim, sign: boolean): string {
  x = roundTo(kind, x);
  const maxPositional = kind === "f16" ? 1e3 : kind === "f32" ? 1e6 : 1e16;
  let positional: boolean;
  if (Number.isNaN(x) || x === 0) {
    positional = true;
  } else {
    const a = Math.abs(x);
    positional = a < maxPositional && a >= 1e-4;
  }
  if (positional) {
    return dragon4Positional(x, kind, {
      precision: -1,
      minDigits: -1,
      unique: true,
      fractional: false,
      trim: trimPos,
      sign,
      padLeft: -1,
      padRight: -1,
    });
  }
  return dragon4Scientific(x, kind, {
    precision: -1,
    minDigits: -1,
    unique: true,
    trim: trimSci,
    sign,
    padLeft: -1,
    expDigits: -1,
  });
}

/** str() of a NumPy scalar of the given dtype, e.g. str(np.float32(0.1)) === '0.1'. */
export function formatScalar(value: PrintValue, dtype: string): string {
  if (dtype === "bool") return toBigInt(value) !== 0n ? "True" : "False";
  if (isFloatDtype(dtype)) {
    return floatScalarStr(toNumber(value), floatKindOf(dtype), "0", "-", false);
  }
  if (isComplexDtype(dtype)) {
    const kind = floatKindOf(dtype);
    const c = toComplex(value);
    const re = roundTo(kind, c.re);
    const im = roundTo(kind, c.im);
    if (re === 0 && !signbit(re)) return floatScalarStr(im, kind, "-", "-", false) + "j";
    let rstr: string;
    if (Number.isFinite(re)) rstr = floatScalarStr(re, kind, "-", "-", false);
    else if (Number.isNaN(re)) rstr = "nan";
    else rstr = re > 0 ? "inf" : "-inf";
    let istr: string;
    if (Number.isFinite(im)) istr = floatScalarStr(im, kind, "-", "-", true);
    else if (Number.isNaN(im)) istr = "+nan";
    else istr = im > 0 ? "+inf" : "-inf";
    return `(${rstr}${istr}j)`;
  }
  return String(toBigInt(value));
}
