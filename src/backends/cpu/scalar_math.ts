import { ValueError } from "../../core/task_api.js";

/**
 * Scalar helpers that generated CPU kernels call where JS's built-ins differ from C/IEEE
 * or NumPy semantics (floored division, pow edge cases, half floats, float-to-int casts).
 */

import { f2h, h2f, f16round } from "../../core/task_api.js";

export { f2h, h2f, f16round };

/** NumPy's npy_divmod for floats: returns [floordiv, mod]. */
function divmod(a: number, b: number): [number, number] {
  let mod = a % b;
  if (!b) return [a / b, mod];
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let fl: number;
  if (div !== 0) {
    fl = Math.floor(div);
    if (div - fl > 0.5) fl += 1;
  } else {
    fl = a / b < 0 || Object.is(a / b, -0) ? -0 : 0;
  }
  return [fl, mod];
}
export const floordivF = (a: number, b: number): number => divmod(a, b)[0];
export const modF = (a: number, b: number): number => (b === 0 ? NaN : divmod(a, b)[1]);

/** Python-style integer floor division on JS integers; x // 0 is 0 as in NumPy. */
export function floordivI(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.floor(a / b);
}
export function modI(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
export function floordivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
export function modBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

/** C pow: pow(1, y) and pow(x, 0) are 1 even for NaN; pow(-1, ±inf) is 1. */
export function powF(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  return Math.pow(a, b);
}

/** Integer power with wrap-around; negative exponents are rejected as NumPy does. */
export function powI(a: number, b: number, wrap: (x: number) => number): number {
  if (b < 0) throw new ValueError("Integers to negative integer powers are not allowed.");
  let r = 1,
    base = a,
    e = b;
  while (e > 0) {
    if (e & 1) r = wrap(mulWrap(r, base, wrap));
    base = wrap(mulWrap(base, base, wrap));
    e = Math.floor(e / 2);
  }
  return r;
}
function mulWrap(a: number, b: number, wrap: (x: number) => number): number {
  const p = a * b;
  // Narrow types keep only their low 32 bits, so wrap the exact product there first.
  return Number.isSafeInteger(p) ? p : wrap(Number(BigInt.asIntN(32, BigInt(a) * BigInt(b))));
}
export function powBig(a: bigint, b: bigint, bits: (x: bigint) => bigint): bigint {
  if (b < 0n) throw new ValueError("Integers to negative integer powers are not allowed.");
  let r = 1n,
    base = a,
    e = b;
  while (e > 0n) {
    if (e & 1n) r = bits(r * base);
    base = bits(base * base);
    e >>= 1n;
  }
  return r;
}

/** Round half to even, as np.rint / np.round do. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

export const signF = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN);

/** float → int64 as the x86 conversion NumPy relies on: NaN and out-of-range give INT64_MIN. */
export function f2i64(x: number): bigint {
  if (!Number.isFinite(x) || x >= 9223372036854775808 || x < -9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(x));
}
export function f2u64(x: number): bigint {
  if (!Number.isFinite(x)) return 9223372036854775808n;
  if (x < 0) return BigInt.asUintN(64, f2i64(x));
  if (x >= 18446744073709551616) return 9223372036854775808n;
  return BigInt(Math.trunc(x));
}
/** float → 32-bit-or-narrower int: truncate, with NaN/overflow as INT32_MIN like x86, then wrap. */
export function f2i(x: number): number {
  if (!Number.isFinite(x) || x >= 2147483648 || x < -2147483648) {
    if (Number.isFinite(x) && Math.abs(x) < 9223372036854775808) return Number(BigInt.asIntN(32, BigInt(Math.trunc(x))));
    return -2147483648;
  }
  return Math.trunc(x);
}
/** float → uint32 goes through int64 in C. */
export function f2u32(x: number): number {
  return Number(BigInt.asUintN(32, f2i64(x)));
}

const oddF = new Float64Array(1),
  oddBits = new BigUint64Array(oddF.buffer);
/**
 * A 64-bit integer to float32 rounded once, as C's (float)x and NumPy's cast: going through
 * the nearest double would round twice (2^60 + 2^36 + 1 would land on the tie 2^60 + 2^36 and
 * then round to even, down). Beyond 2^53 the double is taken rounded to odd instead (the
 * neighbour of x with an odd last bit), which rounds to float32 exactly as x does.
 */
export function big2f32(x: bigint): number {
  const d = Number(x);
  if (Math.abs(d) < 9007199254740992) return Math.fround(d); // exact below 2^53
  const back = BigInt(d);
  if (back === x) return Math.fround(d);
  oddF[0] = d;
  if ((oddBits[0] & 1n) === 0n) oddBits[0] += x > back === d > 0 ? 1n : -1n;
  return Math.fround(oddF[0]);
}

/** Complex helpers on (re, im) pairs; results written to the module-level pair. */
export const cplx = { re: 0, im: 0 };
const same = (x: number): number => x;

/**
 * Smith's algorithm, as NumPy uses, to avoid needless overflow. `f32` rounds every step to
 * float32, which reproduces NumPy's complex64 loop exactly.
 */
export function cdiv(ar: number, ai: number, br: number, bi: number, f32 = 0): void {
  const F = f32 ? Math.fround : same;
  const abr = Math.abs(br),
    abi = Math.abs(bi);
  if (abr >= abi) {
    if (abr === 0 && abi === 0) {
      cplx.re = ar / abr;
      cplx.im = ai / abi;
      return;
    }
    const rat = F(bi / br),
      scl = F(1 / F(br + F(bi * rat)));
    cplx.re = F(F(ar + F(ai * rat)) * scl);
    cplx.im = F(F(ai - F(ar * rat)) * scl);
  } else {
    const rat = F(br / bi),
      scl = F(1 / F(bi + F(br * rat)));
    cplx.re = F(F(F(ar * rat) + ai) * scl);
    cplx.im = F(F(F(ai * rat) - ar) * scl);
  }
}
/** NumPy's complex reciprocal loop (so 1 / 0j is NaN + i NaN there, not inf). */
export function crecip(x: number, y: number, f32 = 0): void {
  const F = f32 ? Math.fround : same;
  if (Math.abs(y) <= Math.abs(x)) {
    const q = F(y / x),
      d = F(x + F(y * q));
    cplx.re = F(1 / d);
    cplx.im = F(-q / d);
  } else {
    const q = F(x / y),
      d = F(F(x * q) + y);
    cplx.re = F(q / d);
    cplx.im = F(-1 / d);
  }
}
export function cexp(r: number, i: number): void {
  if (i === 0) {
    cplx.re = Math.exp(r);
    cplx.im = i;
    return;
  }
  if (!Number.isFinite(i)) {
    // exp(-inf + i y) is 0 for any y; exp(+inf + i (inf|NaN)) is inf + i NaN (Annex G).
    if (r === -Infinity) {
      cplx.re = 0;
      cplx.im = 0;
      return;
    }
    cplx.re = r === Infinity ? r : NaN;
    cplx.im = NaN;
    return;
  }
  if (r > 709 && r < Infinity) {
    // e^r overflows before e^r cos(i) does: take e^(r/2) twice.
    const e = Math.exp(r / 2);
    cplx.re = e * Math.cos(i) * e;
    cplx.im = e * Math.sin(i) * e;
    return;
  }
  const m = Math.exp(r);
  cplx.re = m * Math.cos(i);
  cplx.im = m * Math.sin(i);
}
/**
 * log|z| is computed so that it stays accurate where log(hypot) is not: |z| near 1 (log1p of
 * |z|^2 - 1), |z| past the overflow threshold or in the subnormal range (rescaled).
 */
export function clog(r: number, i: number): void {
  const ax = Math.abs(r),
    ay = Math.abs(i);
  let re: number;
  if (ax > DBL_MAX / 4 || ay > DBL_MAX / 4) re = Math.log(Math.hypot(ax / 2, ay / 2)) + Math.LN2;
  else if (ax < DBL_MIN && ay < DBL_MIN && (ax > 0 || ay > 0)) re = Math.log(Math.hypot(ax * 2 ** 53, ay * 2 ** 53)) - 53 * Math.LN2;
  else {
    const h = Math.hypot(ax, ay);
    if (h >= 0.71 && h <= 1.73) {
      const am = Math.max(ax, ay),
        an = Math.min(ax, ay);
      re = Math.log1p((am - 1) * (am + 1) + an * an) / 2;
    } else re = Math.log(h);
  }
  cplx.re = re;
  cplx.im = Math.atan2(i, r);
}
export function csqrt(r: number, i: number): void {
  if (r === 0 && i === 0) {
    cplx.re = 0;
    cplx.im = i;
    return;
  }
  if (!Number.isFinite(i) && !Number.isNaN(i)) {
    cplx.re = Infinity;
    cplx.im = i;
    return;
  }
  const t = Math.sqrt((Math.abs(r) + Math.hypot(r, i)) / 2);
  if (r >= 0) {
    cplx.re = t;
    cplx.im = i / (2 * t);
  } else {
    cplx.re = Math.abs(i) / (2 * t);
    cplx.im = i < 0 || Object.is(i, -0) ? -t : t;
  }
}

// ---- complex elementary functions --------------------------------------------------------
// They follow C99 Annex G (the special values of infinities, NaN and signed zeros) and the
// formulas of NumPy's npy_math, so results agree with NumPy to a few ulp.

const DBL_MAX = Number.MAX_VALUE;
const DBL_MIN = 2.2250738585072014e-308;
const EPS = Number.EPSILON;
const PIO2_HI = Math.PI / 2;
/** π/2 - PIO2_HI: subtracting it separately keeps π/2 - x accurate for tiny x. */
const PIO2_LO = 6.123233995736766e-17;
const SQRT_6_EPS = Math.sqrt(6 * EPS);
const SQRT_3_EPS = Math.sqrt(3 * EPS);
const FOUR_SQRT_MIN = 4 * Math.sqrt(DBL_MIN);
const SQRT_MIN = Math.sqrt(DBL_MIN);
const QUARTER_SQRT_MAX = Math.sqrt(DBL_MAX) / 4;

const signbit = (x: number): boolean => x < 0 || Object.is(x, -0);
const copysign = (a: number, b: number): number => (signbit(b) ? -Math.abs(a) : Math.abs(a));
const set = (re: number, im: number): void => {
  cplx.re = re;
  cplx.im = im;
};

/** f e^|x| / 2, split in two factors where e^|x| alone would overflow but the product need not. */
function halfExp(ax: number, f: number): number {
  if (ax < 709) return Math.exp(ax) * 0.5 * f;
  const e = Math.exp(ax / 2);
  return e * 0.5 * f * e;
}

export function csinh(x: number, y: number): void {
  const xf = Number.isFinite(x),
    yf = Number.isFinite(y);
  if (xf && yf) {
    if (y === 0) return set(Math.sinh(x), y);
    const ax = Math.abs(x);
    // Below 22, cosh and sinh differ in the last bits; above it both are e^|x|/2.
    if (ax < 22) return set(Math.sinh(x) * Math.cos(y), Math.cosh(x) * Math.sin(y));
    return set((signbit(x) ? -1 : 1) * halfExp(ax, Math.cos(y)), halfExp(ax, Math.sin(y)));
  }
  if (x === 0) return set(x, NaN);
  if (y === 0) return set(x, y);
  if (xf) return set(NaN, NaN);
  if (!Number.isNaN(x)) return yf ? set(x * Math.cos(y), Infinity * Math.sin(y)) : set(Infinity, NaN);
  set(NaN, NaN);
}

export function ccosh(x: number, y: number): void {
  const xf = Number.isFinite(x),
    yf = Number.isFinite(y);
  if (xf && yf) {
    if (y === 0) return set(Math.cosh(x), x * y);
    const ax = Math.abs(x);
    if (ax < 22) return set(Math.cosh(x) * Math.cos(y), Math.sinh(x) * Math.sin(y));
    return set(halfExp(ax, Math.cos(y)), (signbit(x) ? -1 : 1) * halfExp(ax, Math.sin(y)));
  }
  if (x === 0) return set(NaN, 0);
  if (y === 0) return set(x * x, copysign(0, x) * y);
  if (xf) return set(NaN, NaN);
  if (!Number.isNaN(x)) return yf ? set(Infinity * Math.cos(y), x * Math.sin(y)) : set(Infinity, NaN);
  set(NaN, NaN);
}

/** Kahan's formula: (β ρ s + i t) / (1 + β s²), t = tan y, β = 1 + t², s = sinh x, ρ = cosh x. */
export function ctanh(x: number, y: number): void {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) return set(x, y === 0 ? y : NaN);
    return set(copysign(1, x), copysign(0, Number.isFinite(y) ? Math.sin(y) * Math.cos(y) : y));
  }
  if (!Number.isFinite(y)) return set(x === 0 ? x : NaN, NaN);
  if (Math.abs(x) >= 22) {
    // tanh(x) rounds to ±1; the imaginary part is 4 sin y cos y e^-2|x|, kept from underflowing early.
    const e = Math.exp(-Math.abs(x));
    return set(copysign(1, x), 4 * Math.sin(y) * Math.cos(y) * e * e);
  }
  const t = Math.tan(y),
    beta = 1 + t * t,
    s = Math.sinh(x),
    rho = Math.sqrt(1 + s * s);
  const den = 1 + beta * s * s;
  set((beta * rho * s) / den, t / den);
}

// sin z = -i sinh(iz), cos z = cosh(iz), tan z = -i tanh(iz)
export function csin(x: number, y: number): void {
  // sin(±inf or NaN ± i inf): Annex G leaves the sign of the infinite part open; glibc (and so NumPy) picks +.
  if (!Number.isFinite(x) && Math.abs(y) === Infinity) return set(NaN, Infinity);
  csinh(-y, x);
  set(cplx.im, -cplx.re);
}
export function ccos(x: number, y: number): void {
  ccosh(-y, x);
}
export function ctan(x: number, y: number): void {
  ctanh(-y, x);
  set(cplx.im, -cplx.re);
}

/** log|z| and arg z for |z| beyond 1/ε, avoiding overflow of x² + y². */
function logLarge(x: number, y: number): number {
  const ax = Math.max(Math.abs(x), Math.abs(y)),
    ay = Math.min(Math.abs(x), Math.abs(y));
  if (ax > DBL_MAX / 2) return Math.log(Math.hypot(x / Math.E, y / Math.E)) + 1;
  if (ax > QUARTER_SQRT_MAX || ay < SQRT_MIN) return Math.log(Math.hypot(x, y));
  return Math.log(ax * ax + ay * ay) / 2;
}

/** (hypot(a, b) - b) / 2 without cancellation. */
function halfGap(a: number, b: number, h: number): number {
  if (b < 0) return (h - b) / 2;
  if (b === 0) return a / 2;
  return (a * a) / (h + b) / 2;
}

// Outputs of asinhParts (Hull, Fairgrieve & Tang's arcsine algorithm, ACM TOMS 23(3) 1997).
let hwRe = 0,
  hwB = 0,
  hwBUsable = false,
  hwSqrt = 0,
  hwY = 0;

/**
 * For x, y ≥ 0 (and below 1/ε): hwRe = Re asinh(x + iy) = log(A + sqrt(A² - 1)) with
 * A = (|z+i| + |z-i|)/2, and either B = y/A (hwBUsable) or sqrt(A² - y²) with a matching
 * rescaled y, from which Im asinh = atan2(y, sqrt(A² - y²)) is accurate when B is near 1.
 */
function asinhParts(x: number, y: number): void {
  const R = Math.hypot(x, y + 1),
    S = Math.hypot(x, y - 1);
  const A = Math.max((R + S) / 2, 1);
  if (A < 10) {
    if (y === 1 && x < (EPS * EPS) / 128) hwRe = Math.sqrt(x);
    else if (x >= EPS * Math.abs(y - 1)) {
      const am1 = halfGap(x, 1 + y, R) + halfGap(x, 1 - y, S);
      hwRe = Math.log1p(am1 + Math.sqrt(am1 * (A + 1)));
    } else if (y < 1) hwRe = x / Math.sqrt((1 - y) * (1 + y));
    else hwRe = Math.log1p(y - 1 + Math.sqrt((y - 1) * (y + 1)));
  } else hwRe = Math.log(A + Math.sqrt(A * A - 1));
  hwY = y;
  if (y < FOUR_SQRT_MIN) {
    // y / A could underflow: hand back scaled operands for atan2 instead.
    hwBUsable = false;
    hwSqrt = A * (2 / EPS);
    hwY = y * (2 / EPS);
    return;
  }
  hwB = y / A;
  hwBUsable = hwB <= 0.6417;
  if (hwBUsable) return;
  if (y === 1 && x < EPS / 128) hwSqrt = Math.sqrt(x) * Math.sqrt((A + y) / 2);
  else if (x >= EPS * Math.abs(y - 1)) hwSqrt = Math.sqrt((halfGap(x, y + 1, R) + halfGap(x, y - 1, S)) * (A + y));
  else if (y > 1) {
    const k = 4 / EPS / EPS;
    hwSqrt = (x * k * y) / Math.sqrt((y + 1) * (y - 1));
    hwY = y * k;
  } else hwSqrt = Math.sqrt((1 - y) * (1 + y));
}

export function casinh(x: number, y: number): void {
  const ax = Math.abs(x),
    ay = Math.abs(y);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (ax === Infinity) return set(x, NaN);
    // asinh(NaN ± i inf): the infinite real part's sign is unspecified; glibc's is +.
    if (ay === Infinity) return set(Infinity, NaN);
    return set(NaN, y === 0 ? y : NaN);
  }
  if (ax > 1 / EPS || ay > 1 / EPS) {
    // asinh z ≈ sign(x) (log(2|z|) + i arg(sign(x) z)) for large z
    const re = logLarge(x, y) + Math.LN2;
    const im = signbit(x) ? Math.atan2(-y, -x) : Math.atan2(y, x);
    return set(copysign(re, x), copysign(im, y));
  }
  if ((x === 0 && y === 0) || (ax < SQRT_6_EPS / 4 && ay < SQRT_6_EPS / 4)) return set(x, y);
  asinhParts(ax, ay);
  const im = hwBUsable ? Math.asin(hwB) : Math.atan2(hwY, hwSqrt);
  set(copysign(hwRe, x), copysign(im, y));
}

/** asin z = -i asinh(iz), computed as the swapped parts of asinh(y + ix). */
export function casin(x: number, y: number): void {
  casinh(y, x);
  set(cplx.im, cplx.re);
}

export function cacos(x: number, y: number): void {
  const ax = Math.abs(x),
    ay = Math.abs(y);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (ax === Infinity) return set(NaN, -Infinity);
    if (ay === Infinity) return set(NaN, -y);
    if (x === 0) return set(PIO2_HI, NaN);
    return set(NaN, NaN);
  }
  if (ax > 1 / EPS || ay > 1 / EPS) {
    const re = Math.abs(Math.atan2(y, x)),
      im = logLarge(x, y) + Math.LN2;
    return set(re, signbit(y) ? im : -im);
  }
  if (x === 1 && y === 0) return set(0, -y);
  if (ax < SQRT_6_EPS / 4 && ay < SQRT_6_EPS / 4) return set(PIO2_HI - (x - PIO2_LO), -y);
  // acos z = π/2 - asin z: the same parts with x and y exchanged.
  asinhParts(ay, ax);
  const re = hwBUsable ? Math.acos(signbit(x) ? -hwB : hwB) : Math.atan2(hwSqrt, signbit(x) ? -hwY : hwY);
  set(re, signbit(y) ? hwRe : -hwRe);
}

export function catanh(x: number, y: number): void {
  const ax = Math.abs(x),
    ay = Math.abs(y);
  if (y === 0 && ax <= 1) return set(Math.atanh(x), y);
  if (x === 0) return set(x, Math.atan(y));
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (ax === Infinity) return set(copysign(0, x), NaN);
    if (ay === Infinity) return set(copysign(0, x), copysign(PIO2_HI, y));
    return set(NaN, NaN);
  }
  if (ax > 1 / EPS || ay > 1 / EPS) {
    // Re atanh z ≈ Re(1/z) = x / |z|², scaled so that |z|² cannot overflow.
    let re: number;
    if (ax === Infinity) re = 1 / x;
    else {
      const h = Math.hypot(x, y);
      re = x / h / h;
    }
    return set(re, copysign(PIO2_HI, y));
  }
  if (ax < SQRT_3_EPS / 2 && ay < SQRT_3_EPS / 2) return set(x, y);
  const re = ax === 1 && ay < EPS ? (Math.LN2 - Math.log(ay)) / 2 : Math.log1p((4 * ax) / ((ax - 1) * (ax - 1) + (ay < SQRT_MIN ? 0 : ay * ay))) / 4;
  let im: number;
  if (ax === 1) im = Math.atan2(2, -ay) / 2;
  else if (ay < EPS) im = Math.atan2(2 * ay, (1 - ax) * (1 + ax)) / 2;
  else im = Math.atan2(2 * ay, (1 - ax) * (1 + ax) - ay * ay) / 2;
  set(copysign(re, x), copysign(im, y));
}

/** atan z = -i atanh(iz), computed as the swapped parts of atanh(y + ix). */
export function catan(x: number, y: number): void {
  catanh(y, x);
  set(cplx.im, cplx.re);
}

/** NumPy's complex expm1: Re = expm1(x) cos y - 2 sin²(y/2), which stays accurate near 0. */
export function cexpm1(x: number, y: number): void {
  const s = Math.sin(y / 2);
  set(Math.expm1(x) * Math.cos(y) - 2 * s * s, Math.exp(x) * Math.sin(y));
}
export function clog1p(x: number, y: number): void {
  set(Math.log(Math.hypot(x + 1, y)), Math.atan2(y, x + 1));
}
export function clog2(x: number, y: number): void {
  clog(x, y);
  set(cplx.re * Math.LOG2E, cplx.im * Math.LOG2E);
}
export function clog10(x: number, y: number): void {
  clog(x, y);
  set(cplx.re * Math.LOG10E, cplx.im * Math.LOG10E);
}

/** NumPy 2's complex sign: z / |z|, 0 for 0, the direction of an infinite part, NaN otherwise. */
export function csign(x: number, y: number): void {
  const m = Math.hypot(x, y);
  if (Number.isNaN(m)) return set(NaN, NaN);
  if (m === Infinity) {
    if (Math.abs(x) === Infinity) return Math.abs(y) === Infinity ? set(NaN, NaN) : set(x > 0 ? 1 : -1, 0);
    return set(0, y > 0 ? 1 : -1);
  }
  if (m === 0) return set(0, 0);
  set(x / m, y / m);
}

/** Plain complex product, each operation rounded by `F` (float32 for complex64, as NumPy computes). */
function cmulTo(ar: number, ai: number, br: number, bi: number, F: (x: number) => number): void {
  set(F(F(ar * br) - F(ai * bi)), F(F(ar * bi) + F(ai * br)));
}

/**
 * Annex G's product: where the plain formula gives NaN + i NaN although an operand is infinite
 * (or a partial product overflowed), the infinity is recovered, so exp(w log z) gets an
 * infinite exponent rather than NaN.
 */
function cmulAnnexG(a: number, b: number, c: number, d: number, F: (x: number) => number): void {
  const ac = F(a * c),
    bd = F(b * d),
    ad = F(a * d),
    bc = F(b * c);
  const x = F(ac - bd),
    y = F(ad + bc);
  if (!Number.isNaN(x) || !Number.isNaN(y)) return set(x, y);
  const inf = (v: number) => v === Infinity || v === -Infinity;
  const box = (v: number) => copysign(inf(v) ? 1 : 0, v);
  const zeroNaN = (v: number) => (Number.isNaN(v) ? 0 : v);
  let recalc = false;
  if (inf(a) || inf(b)) {
    a = box(a);
    b = box(b);
    c = zeroNaN(c);
    d = zeroNaN(d);
    recalc = true;
  }
  if (inf(c) || inf(d)) {
    c = box(c);
    d = box(d);
    a = zeroNaN(a);
    b = zeroNaN(b);
    recalc = true;
  }
  if (!recalc && (inf(ac) || inf(bd) || inf(ad) || inf(bc))) {
    a = zeroNaN(a);
    b = zeroNaN(b);
    c = zeroNaN(c);
    d = zeroNaN(d);
    recalc = true;
  }
  if (!recalc) return set(x, y);
  set(Infinity * (a * c - b * d), Infinity * (a * d + b * c));
}

/**
 * NumPy's npy_cpow: z^0 is 1, 0^w is 0 for Re w > 0 and NaN otherwise, small integer
 * exponents are repeated products (inverted for negative ones), and everything else is
 * exp(w log z) as C's cpow. `f32` rounds the intermediate steps to float32 as NumPy's
 * complex64 loop does: with a large exponent, that rounding dominates the result's error.
 */
export function cpow(ar: number, ai: number, br: number, bi: number, f32 = 0): void {
  const F = f32 ? Math.fround : same;
  if (br === 0 && bi === 0) return set(1, 0);
  if (ar === 0 && ai === 0) return br > 0 ? set(0, 0) : set(NaN, NaN);
  if (bi === 0 && br > -100 && br < 100 && Number.isInteger(br)) {
    if (br === 1) return set(ar, ai);
    if (br === 2) return cmulTo(ar, ai, ar, ai, F);
    if (br === 3) {
      cmulTo(ar, ai, ar, ai, F);
      return cmulTo(ar, ai, cplx.re, cplx.im, F);
    }
    let n = Math.abs(br),
      pr = ar,
      pi = ai,
      rr = 1,
      ri = 0;
    for (;;) {
      if (n & 1) {
        cmulTo(rr, ri, pr, pi, F);
        rr = cplx.re;
        ri = cplx.im;
      }
      n >>= 1;
      if (n === 0) break;
      cmulTo(pr, pi, pr, pi, F);
      pr = cplx.re;
      pi = cplx.im;
    }
    if (br > 0) return set(rr, ri);
    // (1 + 0i) / r by Smith's method, as cdiv (the zero terms matter for infinite parts)
    if (Math.abs(rr) >= Math.abs(ri)) {
      if (rr === 0 && ri === 0) return set(1 / Math.abs(rr), 0 / Math.abs(ri));
      const rat = F(ri / rr),
        scl = F(1 / F(rr + F(ri * rat)));
      return set(F(F(1 + 0 * rat) * scl), F(F(0 - rat) * scl));
    }
    const rat = F(rr / ri),
      scl = F(1 / F(ri + F(rr * rat)));
    return set(F(F(rat + 0) * scl), F(F(0 * rat - 1) * scl));
  }
  clog(ar, ai);
  cmulAnnexG(F(cplx.re), F(cplx.im), br, bi, F);
  cexp(cplx.re, cplx.im);
}

/** Integer reciprocal truncates like C's 1 / x; 1 / 0 gives 0. */
export const reciprocalI = (x: number): number => (x === 0 ? 0 : Math.trunc(1 / x));

/** NumPy's complex exp2: exp of z ln 2, each part scaled alone. */
export function cexp2(x: number, y: number): void {
  cexp(x * Math.LN2, y * Math.LN2);
}
/** C99's cacosh from cacos (FreeBSD's): acosh z = ±i acos z, the sign making Re ≥ 0. */
export function cacosh(x: number, y: number): void {
  cacos(x, y);
  const rx = cplx.re,
    ry = cplx.im;
  if (Number.isNaN(rx) && Number.isNaN(ry)) return set(ry, rx);
  if (Number.isNaN(rx)) return set(Math.abs(ry), rx);
  // acosh(±0 + i NaN) = NaN + i π/2 (glibc's, which NumPy gives).
  if (Number.isNaN(ry)) return set(ry, x === 0 ? rx : ry);
  set(Math.abs(ry), copysign(rx, y));
}
