import { ValueError } from "../../core/errors.js";

/**
 * Scalar helpers that generated CPU kernels call where JS's built-ins differ from C/IEEE
 * or NumPy semantics (floored division, pow edge cases, half floats, float-to-int casts).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits → number. */
export function h2f(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** number → IEEE half bits, round to nearest even (through float32, as C's conversion does). */
export function f2h(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let man = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    man |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = man >>> shift;
    const rem = man & ((1 << shift) - 1);
    if (rem > half || (rem === half && (r & 1))) r++;
    return sign | r;
  }
  let r = man >>> 13;
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1))) { r++; if (r === 0x400) { r = 0; e++; if (e >= 31) return sign | 0x7c00; } }
  return sign | (e << 10) | r;
}

/** Round a number to the nearest float16 value. */
export const f16round = (x: number): number => h2f(f2h(x));

/** NumPy's npy_divmod for floats: returns [floordiv, mod]. */
function divmod(a: number, b: number): [number, number] {
  let mod = a % b;
  if (!b) return [a / b, mod];
  let div = (a - mod) / b;
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) { mod += b; div -= 1; }
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
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}
export function floordivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}
export function modBig(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
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
  let r = 1, base = a, e = b;
  while (e > 0) {
    if (e & 1) r = wrap(mulWrap(r, base, wrap));
    base = wrap(mulWrap(base, base, wrap));
    e = Math.floor(e / 2);
  }
  return r;
}
function mulWrap(a: number, b: number, wrap: (x: number) => number): number {
  const p = a * b;
  return Number.isSafeInteger(p) ? p : wrap(Number(BigInt.asIntN(64, BigInt(a) * BigInt(b))));
}
export function powBig(a: bigint, b: bigint, bits: (x: bigint) => bigint): bigint {
  if (b < 0n) throw new ValueError("Integers to negative integer powers are not allowed.");
  let r = 1n, base = a, e = b;
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

/** Complex helpers on (re, im) pairs; results written to the module-level pair. */
export const cplx = { re: 0, im: 0 };
export function cdiv(ar: number, ai: number, br: number, bi: number): void {
  // Smith's algorithm, as NumPy uses, to avoid needless overflow.
  const abr = Math.abs(br), abi = Math.abs(bi);
  if (abr >= abi) {
    if (abr === 0 && abi === 0) { cplx.re = ar / abr; cplx.im = ai / abi; return; }
    const rat = bi / br, scl = 1 / (br + bi * rat);
    cplx.re = (ar + ai * rat) * scl; cplx.im = (ai - ar * rat) * scl;
  } else {
    const rat = br / bi, scl = 1 / (bi + br * rat);
    cplx.re = (ar * rat + ai) * scl; cplx.im = (ai * rat - ar) * scl;
  }
}
export function cexp(r: number, i: number): void {
  const m = Math.exp(r);
  if (i === 0) { cplx.re = m; cplx.im = i; return; }
  cplx.re = m * Math.cos(i); cplx.im = m * Math.sin(i);
}
/**
 * log|z| is computed so that it stays accurate where log(hypot) is not: |z| near 1 (log1p of
 * |z|^2 - 1), |z| past the overflow threshold or in the subnormal range (rescaled).
 */
export function clog(r: number, i: number): void {
  const ax = Math.abs(r), ay = Math.abs(i);
  let re: number;
  if (ax > DBL_MAX / 4 || ay > DBL_MAX / 4) re = Math.log(Math.hypot(ax / 2, ay / 2)) + Math.LN2;
  else if (ax < DBL_MIN && ay < DBL_MIN && (ax > 0 || ay > 0)) re = Math.log(Math.hypot(ax * 2 ** 53, ay * 2 ** 53)) - 53 * Math.LN2;
  else {
    const h = Math.hypot(ax, ay);
    if (h >= 0.71 && h <= 1.73) {
      const am = Math.max(ax, ay), an = Math.min(ax, ay);
      re = Math.log1p((am - 1) * (am + 1) + an * an) / 2;
    } else re = Math.log(h);
  }
  cplx.re = re; cplx.im = Math.atan2(i, r);
}
export function csqrt(r: number, i: number): void {
  if (r === 0 && i === 0) { cplx.re = 0; cplx.im = i; return; }
  if (!Number.isFinite(i) && !Number.isNaN(i)) { cplx.re = Infinity; cplx.im = i; return; }
  const t = Math.sqrt((Math.abs(r) + Math.hypot(r, i)) / 2);
  if (r >= 0) { cplx.re = t; cplx.im = i / (2 * t); }
  else { cplx.re = Math.abs(i) / (2 * t); cplx.im = i < 0 || Object.is(i, -0) ? -t : t; }
}

/** Integer reciprocal truncates like C's 1 / x; 1 / 0 gives 0. */
export const reciprocalI = (x: number): number => (x === 0 ? 0 : Math.trunc(1 / x));
