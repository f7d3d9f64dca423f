import { f16round } from "../../core/float16.js";
/**
 * NumPy-compatible array printing: `str(a)`, `repr(a)` and `np.array2string`.
 *
 * Follows numpy/_core/arrayprint.py (NumPy 2.4, non-legacy mode) together with
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

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  suppress: boolean;
  sign: '-' | '+' | ' ';
  floatmode: 'fixed' | 'unique' | 'maxprec' | 'maxprec_equal';
}

export type Array2StringOptions = Partial<PrintOptions> & {
  separator?: string;
  prefix?: string;
  suffix?: string;
};

const DEFAULT_OPTIONS: PrintOptions = {
  precision: 8,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 75,
  suppress: false,
  sign: '-',
  floatmode: 'maxprec',
};

let currentOptions: PrintOptions = { ...DEFAULT_OPTIONS };

const NANSTR = 'nan';
const INFSTR = 'inf';

export function get_printoptions(): PrintOptions {
  return { ...currentOptions };
}

function validateOptions(opts: Partial<PrintOptions>): void {
  if (opts.floatmode !== undefined &&
      !['fixed', 'unique', 'maxprec', 'maxprec_equal'].includes(opts.floatmode)) {
    throw new Error('floatmode option must be one of "fixed", "unique", "maxprec", "maxprec_equal"');
  }
  if (opts.sign !== undefined && !['-', '+', ' '].includes(opts.sign)) {
    throw new Error("sign option must be one of ' ', '+', or '-'");
  }
  if (opts.threshold !== undefined && Number.isNaN(opts.threshold)) {
    throw new Error('threshold must be non-NAN, try Infinity for untruncated representation');
  }
  if (opts.precision !== undefined) {
    if (!Number.isInteger(opts.precision)) throw new TypeError('precision must be an integer');
    if (opts.precision < 0) throw new RangeError('precision must be >= 0');
  }
  if (opts.edgeitems !== undefined && (!Number.isInteger(opts.edgeitems) || opts.edgeitems < 0)) {
    throw new RangeError('edgeitems must be a non-negative integer');
  }
}

function pickOptions(opts: Partial<PrintOptions>): Partial<PrintOptions> {
  const out: Partial<PrintOptions> = {};
  for (const key of Object.keys(DEFAULT_OPTIONS) as (keyof PrintOptions)[]) {
    if (opts[key] !== undefined) (out as Record<string, unknown>)[key] = opts[key];
  }
  return out;
}

export function set_printoptions(opts: Partial<PrintOptions>): void {
  const picked = pickOptions(opts);
  validateOptions(picked);
  currentOptions = { ...currentOptions, ...picked };
}

// ---------------------------------------------------------------------------
// Float decomposition and rounding to the element's precision
// ---------------------------------------------------------------------------

type FloatKind = 'f16' | 'f32' | 'f64';

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
  if (kind === 'f32') return Math.fround(x);
  if (kind === 'f16') return roundHalf(x);
  return x;
}

/** Division carried out the way NumPy does it for the given float type. */
function divideAs(kind: FloatKind, a: number, b: number): number {
  if (kind === 'f32') return Math.fround(a / b);
  // float16 division is computed in float32 and rounded back to half
  if (kind === 'f16') return roundHalf(Math.fround(a / b));
  return a / b;
}

function signbit(x: number): boolean {
  if (x < 0 || Object.is(x, -0)) return true;
  if (Number.isNaN(x)) {
    scratch.setFloat64(0, x);
    return (scratch.getUint32(0) >>> 31) === 1;
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
  const negative = (hi >>> 31) === 1;
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
function dragon4(
  d: Decomposed,
  unique: boolean,
  fractionCutoff: boolean,
  cutoffMax: number,
  cutoffMin: number,
): DigitResult {
  const { mantissa, exponent, mantissaBit, hasUnequalMargins } = d;
  if (mantissa === 0n) return { digits: '0', exp: 0 };

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
      if (((low || high) && digitExponent <= cutoffMinExponent) ||
          digitExponent === cutoffMaxExponent) {
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
  return { digits: out.join(''), exp: outExp };
}

// ---------------------------------------------------------------------------
// Positional / scientific formatting (dragon4_positional / dragon4_scientific)
// ---------------------------------------------------------------------------

/** 'k': keep zeros; '.': trim zeros, keep point; '0': leave one zero; '-': trim zeros and point */
type Trim = 'k' | '.' | '0' | '-';

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
  if (Number.isNaN(x)) return 'nan';
  return signChar + 'inf';
}

function signCharFor(d: { negative: boolean }, forceSign: boolean): string {
  return d.negative ? '-' : forceSign ? '+' : '';
}

function dragon4Positional(x: number, kind: FloatKind, o: PositionalOpts): string {
  x = roundTo(kind, x);
  if (!Number.isFinite(x)) return infNanString(x, signbit(x) ? '-' : o.sign ? '+' : '');
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
      body = digits + '0'.repeat(numWholeDigits - numDigits);
    } else {
      body = digits.slice(0, numWholeDigits) + '.' + digits.slice(numWholeDigits);
      numFractionDigits = numDigits - numWholeDigits;
    }
  } else {
    const zeros = -(exp + 1);
    body = '0.' + '0'.repeat(zeros) + digits;
    numFractionDigits = numDigits + zeros;
    numWholeDigits = 1;
  }

  if (o.trim !== '-' && numFractionDigits === 0) body += '.';

  const addDigits = o.unique ? o.minDigits : o.precision;
  let desiredFractionalDigits = addDigits < 0 ? 0 : addDigits;
  if (!o.fractional) desiredFractionalDigits = addDigits - numWholeDigits;

  [body, numFractionDigits] = applyTrim(body, numFractionDigits, o.trim, desiredFractionalDigits, true);

  let s = signStr + body;
  if (o.padRight >= numFractionDigits) {
    if (o.trim === '-' && numFractionDigits === 0) s += ' ';
    s += ' '.repeat(o.padRight - numFractionDigits);
  }
  if (o.padLeft > numWholeDigits + hasSign) {
    s = ' '.repeat(o.padLeft - (numWholeDigits + hasSign)) + s;
  }
  return s;
}

function dragon4Scientific(x: number, kind: FloatKind, o: ScientificOpts): string {
  x = roundTo(kind, x);
  if (!Number.isFinite(x)) return infNanString(x, signbit(x) ? '-' : o.sign ? '+' : '');
  const d = decompose(x, kind);
  const signStr = signCharFor(d, o.sign);
  let s = '';
  const leftChars = 1 + signStr.length;
  if (o.padLeft > leftChars) s += ' '.repeat(o.padLeft - leftChars);
  s += signStr;

  const { digits, exp } = dragon4(
    d, o.unique, false,
    o.precision < 0 ? -1 : o.precision + 1,
    o.minDigits < 0 ? -1 : o.minDigits + 1,
  );
  let body = digits[0]!;
  let numFractionDigits = digits.length - 1;
  if (numFractionDigits > 0) body += '.' + digits.slice(1);
  if (o.trim !== '-' && numFractionDigits === 0) body += '.';

  let addDigits = o.unique ? o.minDigits : o.precision;
  if (addDigits < 0) addDigits = 0;
  [body, numFractionDigits] = applyTrim(body, numFractionDigits, o.trim, addDigits, false);

  let expDigits = o.expDigits;
  if (expDigits > 5) expDigits = 5;
  if (expDigits < 0) expDigits = 2;
  const expAbs = Math.abs(exp);
  let expStr = String(expAbs);
  if (expStr.length < expDigits) expStr = '0'.repeat(expDigits - expStr.length) + expStr;
  return s + body + 'e' + (exp >= 0 ? '+' : '-') + expStr;
}

/**
 * Dragon4's trim modes on a digit string with `n` fraction digits: 'k' pads to `want`
 * digits, '0' keeps at least one fraction digit, '.' and '-' strip trailing zeros ('-' also
 * the bare point, when `dropBareDot`).
 */
function applyTrim(body: string, n: number, trim: string, want: number, dropBareDot: boolean): [string, number] {
  if (trim === '0') {
    if (n === 0) { body += '0'; n++; }
  } else if (trim === 'k' && want > n) {
    body += '0'.repeat(want - n);
    n = want;
  }
  if (trim !== 'k' && n > 0) {
    while (body.endsWith('0')) { body = body.slice(0, -1); n--; }
    if (body.endsWith('.')) {
      if (trim === '0') { body += '0'; n++; }
      else if (trim === '-' && dropBareDot) body = body.slice(0, -1);
    }
  }
  return [body, n];
}

// ---------------------------------------------------------------------------
// Element formatters
// ---------------------------------------------------------------------------

type ElementFormatter = (v: PrintValue) => string;

function floatKindOf(dtype: string): FloatKind {
  if (dtype === 'float16') return 'f16';
  if (dtype === 'float32' || dtype === 'complex64') return 'f32';
  return 'f64';
}

function toNumber(v: PrintValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v.re;
}

function toBigInt(v: PrintValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return BigInt(Math.trunc(v.re));
}

function toComplex(v: PrintValue): { re: number; im: number } {
  if (typeof v === 'object') return v;
  return { re: toNumber(v), im: 0 };
}

class FloatingFormat {
  private precision: number;
  private minDigits = -1;
  private unique = true;
  private trim: Trim = '.';
  private padLeft = 0;
  private padRight = 0;
  private expSize = -1;
  private expFormat = false;

  constructor(
    data: readonly number[],
    private readonly kind: FloatKind,
    precision: number,
    private readonly floatmode: PrintOptions['floatmode'],
    private readonly suppressSmall: boolean,
    private readonly sign: PrintOptions['sign'],
  ) {
    this.precision = floatmode === 'unique' ? -1 : precision;
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
      // the cutoff depends on the type's decimal precision (1e3, 1e6, 1e8), and
      // Python-float constants are compared in the array's own precision
      const expCutoffMax = kind === 'f16' ? 1e3 : kind === 'f32' ? 1e6 : 1e8;
      const small = roundTo(kind, 0.0001);
      if (maxVal >= expCutoffMax ||
          (!this.suppressSmall && (minVal < small || divideAs(kind, maxVal, minVal) > 1000))) {
        this.expFormat = true;
      }
    }

    const forceSign = this.sign === '+';
    if (finite.length === 0) {
      this.padLeft = 0;
      this.padRight = 0;
      this.trim = '.';
      this.expSize = -1;
      this.unique = true;
      this.minDigits = -1;
    } else if (this.expFormat) {
      let trim: Trim = '.';
      let unique = true;
      if (this.floatmode === 'fixed') {
        trim = 'k';
        unique = false;
      }
      let maxInt = 0;
      let maxFrac = 0;
      let maxExp = 0;
      for (const x of finite) {
        const s = dragon4Scientific(x, kind, {
          precision: this.precision, minDigits: -1, unique, trim, sign: forceSign,
          padLeft: -1, expDigits: -1,
        });
        const ePos = s.indexOf('e');
        const mant = s.slice(0, ePos);
        const expPart = s.slice(ePos + 1);
        const dot = mant.indexOf('.');
        maxInt = Math.max(maxInt, dot < 0 ? mant.length : dot);
        maxFrac = Math.max(maxFrac, dot < 0 ? 0 : mant.length - dot - 1);
        maxExp = Math.max(maxExp, expPart.length);
      }
      this.expSize = maxExp - 1;
      this.trim = 'k';
      this.precision = maxFrac;
      this.minDigits = maxFrac;
      this.unique = unique;
      this.padLeft = maxInt;
      this.padRight = this.expSize + 2 + this.precision;
    } else {
      let trim: Trim = '.';
      let unique = true;
      if (this.floatmode === 'fixed') {
        trim = 'k';
        unique = false;
      }
      let maxInt = 0;
      let maxFrac = 0;
      for (const x of finite) {
        const s = dragon4Positional(x, kind, {
          precision: this.precision, minDigits: -1, unique, fractional: true, trim,
          sign: forceSign, padLeft: -1, padRight: -1,
        });
        const dot = s.indexOf('.');
        maxInt = Math.max(maxInt, dot < 0 ? s.length : dot);
        maxFrac = Math.max(maxFrac, dot < 0 ? 0 : s.length - dot - 1);
      }
      this.padLeft = maxInt;
      this.padRight = maxFrac;
      this.expSize = -1;
      this.unique = unique;
      if (this.floatmode === 'fixed' || this.floatmode === 'maxprec_equal') {
        this.precision = this.minDigits = this.padRight;
        this.trim = 'k';
      } else {
        this.trim = '.';
        this.minDigits = 0;
      }
    }

    if (this.sign === ' ' && !finite.some((v) => signbit(v))) this.padLeft += 1;

    if (data.length !== finite.length) {
      const neginf = this.sign !== '-' || data.some((v) => v === -Infinity);
      const offset = this.padRight + 1;
      this.padLeft = Math.max(this.padLeft, NANSTR.length - offset,
        INFSTR.length + (neginf ? 1 : 0) - offset);
    }
  }

  format(x: number): string {
    if (!Number.isFinite(x)) {
      let ret: string;
      if (Number.isNaN(x)) {
        ret = (this.sign === '+' ? '+' : '') + NANSTR;
      } else {
        ret = (x < 0 ? '-' : this.sign === '+' ? '+' : '') + INFSTR;
      }
      const width = this.padLeft + this.padRight + 1;
      return ' '.repeat(Math.max(0, width - ret.length)) + ret;
    }
    if (this.expFormat) {
      return dragon4Scientific(x, this.kind, {
        precision: this.precision, minDigits: this.minDigits, unique: this.unique,
        trim: this.trim, sign: this.sign === '+', padLeft: this.padLeft,
        expDigits: this.expSize,
      });
    }
    return dragon4Positional(x, this.kind, {
      precision: this.precision, minDigits: this.minDigits, unique: this.unique,
      fractional: true, trim: this.trim, sign: this.sign === '+',
      padLeft: this.padLeft, padRight: this.padRight,
    });
  }
}

function pyPadStart(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function makeIntegerFormat(data: readonly PrintValue[], sign: PrintOptions['sign']): ElementFormatter {
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
    if (sign === ' ' && min < 0n) sign = '-';
    if (max >= 0n && (sign === '+' || sign === ' ')) maxLen += 1;
    width = Math.max(maxLen, String(min).length);
  }
  const finalSign = sign;
  return (v) => {
    const b = toBigInt(v);
    let s = String(b);
    if (b >= 0n) {
      if (finalSign === '+') s = '+' + s;
      else if (finalSign === ' ') s = ' ' + s;
    }
    return pyPadStart(s, width);
  };
}

function makeBoolFormat(zeroDim: boolean): ElementFormatter {
  const trueStr = zeroDim ? 'True' : ' True';
  return (v) => (toBigInt(v) !== 0n ? trueStr : 'False');
}

function makeComplexFormat(
  data: readonly PrintValue[], kind: FloatKind, o: PrintOptions,
): ElementFormatter {
  const cs = data.map(toComplex);
  const realFmt = new FloatingFormat(cs.map((c) => roundTo(kind, c.re)), kind, o.precision,
    o.floatmode, o.suppress, o.sign);
  const imagFmt = new FloatingFormat(cs.map((c) => roundTo(kind, c.im)), kind, o.precision,
    o.floatmode, o.suppress, '+');
  return (v) => {
    const c = toComplex(v);
    const r = realFmt.format(roundTo(kind, c.re));
    let i = imagFmt.format(roundTo(kind, c.im));
    const sp = i.trimEnd().length;
    i = i.slice(0, sp) + 'j' + i.slice(sp);
    return r + i;
  };
}

function isComplexDtype(dtype: string): boolean {
  return dtype === 'complex64' || dtype === 'complex128';
}

function isFloatDtype(dtype: string): boolean {
  return dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
}

function makeFormatter(
  data: readonly PrintValue[], dtype: string, zeroDim: boolean, o: PrintOptions,
): ElementFormatter {
  if (dtype === 'bool') return makeBoolFormat(zeroDim);
  if (isFloatDtype(dtype)) {
    const kind = floatKindOf(dtype);
    const fmt = new FloatingFormat(data.map((v) => roundTo(kind, toNumber(v))), kind,
      o.precision, o.floatmode, o.suppress, o.sign);
    return (v) => fmt.format(roundTo(kind, toNumber(v)));
  }
  if (isComplexDtype(dtype)) return makeComplexFormat(data, floatKindOf(dtype), o);
  return makeIntegerFormat(data, o.sign);
}

// ---------------------------------------------------------------------------
// Array layout
// ---------------------------------------------------------------------------

function extendLine(
  s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string,
): [string, string] {
  let needsWrap = line.length + word.length > lineWidth;
  // wrapping does not help when the line holds nothing but the prefix
  if (line.length <= nextLinePrefix.length) needsWrap = false;
  if (needsWrap) {
    s += line.trimEnd() + '\n';
    line = nextLinePrefix;
  }
  return [s, line + word];
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function formatArrayBody(
  src: PrintSource, o: PrintOptions, separator: string, prefix: string,
): string {
  const shape = src.shape;
  const ndim = shape.length;
  const summarize = sizeOf(shape) > o.threshold;
  const edge = o.edgeitems;

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
  const nextLinePrefix = ' ' + ' '.repeat(prefix.length);
  const summaryInsert = summarize ? '...' : '';
  const sepTrim = separator.trimEnd();

  const recurse = (axis: number, offset: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = ndim - axis;
    if (axesLeft === 0) return fmt(data[offset]!);

    const nextHangingIndent = hangingIndent + ' ';
    const nextWidth = currWidth - 1;
    const aLen = shape[axis]!;
    const listLen = axisIndices[axis]!.length;
    const showSummary = summaryInsert !== '' && 2 * edge < aLen;
    const leading = showSummary ? edge : 0;
    const trailing = showSummary ? edge : aLen;
    const child = (pos: number): string =>
      recurse(axis + 1, offset + pos * dataStrides[axis]!, nextHangingIndent, nextWidth);

    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(sepTrim.length, 1);
      let line = hangingIndent;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLine(s, line, child(i), elemWidth, hangingIndent);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, summaryInsert, elemWidth, hangingIndent);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLine(s, line, child(listLen - i), elemWidth, hangingIndent);
        line += separator;
      }
      [s, line] = extendLine(s, line, child(listLen - 1), elemWidth, hangingIndent);
      s += line;
    } else {
      const lineSep = sepTrim + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep;
      if (showSummary) s += hangingIndent + summaryInsert + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(listLen - i) + lineSep;
      s += hangingIndent + child(listLen - 1);
    }
    return '[' + s.slice(hangingIndent.length) + ']';
  };

  return recurse(0, 0, nextLinePrefix, lineWidth);
}

function resolveOptions(opts: Partial<PrintOptions> | undefined): PrintOptions {
  const picked = pickOptions(opts ?? {});
  validateOptions(picked);
  return { ...currentOptions, ...picked };
}

/** np.array2string(a, separator=..., prefix=..., suffix=..., **options) */
export function array2string(src: PrintSource, opts?: Array2StringOptions): string {
  const o = resolveOptions(opts);
  const separator = opts?.separator ?? ' ';
  const prefix = opts?.prefix ?? '';
  const suffix = opts?.suffix ?? '';
  o.linewidth -= suffix.length;
  if (sizeOf(src.shape) === 0) return '[]';
  return formatArrayBody(src, o, separator, prefix);
}

/** str(a) */
export function arrayStr(src: PrintSource): string {
  // a 0-d array prints like its scalar, without precision truncation
  if (src.shape.length === 0) return formatScalar(src.get(0), src.dtype);
  return array2string(src, { separator: ' ', prefix: '' });
}

/** Dtypes whose repr leaves out `dtype=` (int_ is int64 on 64-bit Linux). */
const IMPLIED_DTYPES = new Set(['int64', 'float64', 'complex128', 'bool']);

function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** repr(a) */
export function arrayRepr(src: PrintSource): string {
  const o = currentOptions;
  const prefix = 'array(';
  const lst = array2string(src, { separator: ', ', prefix, suffix: ')' });
  const size = sizeOf(src.shape);

  const extras: string[] = [];
  const isShape0 = src.shape.length === 1 && src.shape[0] === 0;
  if ((size === 0 && !isShape0) || size > o.threshold) {
    extras.push(`shape=${shapeRepr(src.shape)}`);
  }
  if (!IMPLIED_DTYPES.has(src.dtype) || size === 0) {
    extras.push(`dtype=${src.dtype}`);
  }
  if (extras.length === 0) return prefix + lst + ')';

  const arrStr = prefix + lst + ',';
  const extraStr = extras.join(', ') + ')';
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf('\n') + 1);
  const spacer = lastLineLen + extraStr.length + 1 > o.linewidth
    ? '\n' + ' '.repeat(prefix.length)
    : ' ';
  return arrStr + spacer + extraStr;
}

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

/** str() of a NumPy float scalar: positional within a range, scientific outside it. */
function floatScalarStr(x: number, kind: FloatKind, trimPos: Trim, trimSci: Trim, sign: boolean): string {
  x = roundTo(kind, x);
  const maxPositional = kind === 'f16' ? 1e3 : kind === 'f32' ? 1e6 : 1e16;
  let positional: boolean;
  if (Number.isNaN(x) || x === 0) {
    positional = true;
  } else {
    const a = Math.abs(x);
    positional = a < maxPositional && a >= 1e-4;
  }
  if (positional) {
    return dragon4Positional(x, kind, {
      precision: -1, minDigits: -1, unique: true, fractional: false, trim: trimPos,
      sign, padLeft: -1, padRight: -1,
    });
  }
  return dragon4Scientific(x, kind, {
    precision: -1, minDigits: -1, unique: true, trim: trimSci, sign, padLeft: -1, expDigits: -1,
  });
}

/** str() of a NumPy scalar of the given dtype, e.g. str(np.float32(0.1)) === '0.1'. */
export function formatScalar(value: PrintValue, dtype: string): string {
  if (dtype === 'bool') return toBigInt(value) !== 0n ? 'True' : 'False';
  if (isFloatDtype(dtype)) {
    return floatScalarStr(toNumber(value), floatKindOf(dtype), '0', '-', false);
  }
  if (isComplexDtype(dtype)) {
    const kind = floatKindOf(dtype);
    const c = toComplex(value);
    const re = roundTo(kind, c.re);
    const im = roundTo(kind, c.im);
    if (re === 0 && !signbit(re)) return floatScalarStr(im, kind, '-', '-', false) + 'j';
    let rstr: string;
    if (Number.isFinite(re)) rstr = floatScalarStr(re, kind, '-', '-', false);
    else if (Number.isNaN(re)) rstr = 'nan';
    else rstr = re > 0 ? 'inf' : '-inf';
    let istr: string;
    if (Number.isFinite(im)) istr = floatScalarStr(im, kind, '-', '-', true);
    else if (Number.isNaN(im)) istr = '+nan';
    else istr = im > 0 ? '+inf' : '-inf';
    return `(${rstr}${istr}j)`;
  }
  return String(toBigInt(value));
}
