import { f2h, h2f } from "../../core/task_api.js";

/**
 * Scalar helpers for the bit-level float ufuncs (signbit, copysign, nextafter, ldexp,
 * frexp) and the integer ones (gcd, lcm, bit counts) that generated CPU kernels call: JS
 * has no built-ins for them. Float operands arrive as JS numbers already rounded to their
 * dtype, so each helper works on the dtype's own bit pattern where that matters.
 */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const u32hi = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
// Index of the high word of a double in a Uint32Array view (little- or big-endian hosts).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The sign bit of x (set for -0.0 and for NaNs carrying it). */
export function signbit(x: number): boolean {
  if (x === x) return x < 0 || Object.is(x, -0);
  f64[0] = x;
  return u32hi[HI] >>> 31 === 1;
}

/** C's copysign: |a| with b's sign bit. */
export const copysign = (a: number, b: number): number => (signbit(b) ? -Math.abs(a) : Math.abs(a));

/** C's nextafter in float64: the next representable value after a towards b. */
export function nextafter64(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a === b) return b;
  if (a === 0) return b > 0 ? 5e-324 : -5e-324;
  f64[0] = a;
  u64[0] += a < b === a > 0 ? 1n : -1n;
  return f64[0];
}

/** nextafter in float32 (a and b are float32 values). */
export function nextafter32(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a === b) return b;
  if (a === 0) return b > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = a;
  u32[0] += a < b === a > 0 ? 1 : -1;
  return f32[0];
}

/** nextafter in float16 (a and b are float16 values), on the half's bit pattern. */
export function nextafter16(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  // NumPy's half loop keeps x when the two are equal (C's nextafter returns y).
  if (a === b) return a;
  if (a === 0) return b > 0 ? 2 ** -24 : -(2 ** -24);
  const h = f2h(a);
  return h2f(a < b === a > 0 ? h + 1 : h - 1);
}

/** 2^k for k in [-1074, 1023], exact. */
const POW2 = Float64Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));

/**
 * a * 2^n rounded once, as C's ldexp (musl's scalbn): the scale is applied in steps that are
 * exact, so only the last product rounds (into the subnormal range included).
 */
export function ldexp(a: number, n: number): number {
  // 2^n is a double (subnormal included) there: one product, rounded once.
  if (n >= -1074 && n <= 1023) return a * POW2[n + 1074];
  let y = a;
  if (n > 1023) {
    y *= 2 ** 1023;
    n -= 1023;
    if (n > 1023) {
      y *= 2 ** 1023;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    // 2^-1022 * 2^53 keeps the intermediate normal, so the final step is the only rounding.
    y *= 2 ** -1022 * 2 ** 53;
    n += 1022 - 53;
    if (n < -1022) {
      y *= 2 ** -1022 * 2 ** 53;
      n += 1022 - 53;
      if (n < -1022) n = -1022;
    }
  }
  return y * 2 ** n;
}

/** The exponent of C's frexp: x = m 2^e with 0.5 <= |m| < 1; 0 for 0, infinities and NaN. */
export function frexpExp(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  f64[0] = x;
  let e = (u32hi[HI] >>> 20) & 0x7ff;
  if (e === 0) {
    // Subnormal: scale into the normal range first.
    f64[0] = x * 2 ** 64;
    e = ((u32hi[HI] >>> 20) & 0x7ff) - 64;
  }
  return e - 1022;
}

/** Greatest common divisor of |a| and |b| (numbers up to 2^32). */
export function gcdI(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
export function gcdBig(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
/** NumPy's lcm: |a| / gcd * |b| wrapped to the dtype (0 when both are 0). */
export function lcmI(a: number, b: number, wrap: (x: number) => number): number {
  const g = gcdI(a, b);
  if (g === 0) return 0;
  return wrap(Math.imul(Math.abs(a) / g, Math.abs(b)));
}
export function lcmBig(a: bigint, b: bigint, bits: (x: bigint) => bigint): bigint {
  const g = gcdBig(a, b);
  if (g === 0n) return 0n;
  return bits(((a < 0n ? -a : a) / g) * (b < 0n ? -b : b));
}

/** Set bits of |x| (x an integer below 2^32 in magnitude). */
export function popcount(x: number): number {
  let v = Math.abs(x) >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
export function popcountBig(x: bigint): number {
  let v = x < 0n ? -x : x;
  v = BigInt.asUintN(64, v);
  return popcount(Number(v & 0xffffffffn)) + popcount(Number(v >> 32n));
}
