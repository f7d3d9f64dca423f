// PCG64 (128-bit LCG, XSL-RR output) exactly as NumPy's numpy/random PCG64.
//
// State layout, a Uint32Array of STATE_WORDS words (so it can live in a
// SharedArrayBuffer and be driven from any worker):
//   0..3  128-bit LCG state, little-endian 32-bit limbs (word 0 lowest)
//   4..7  128-bit increment (always odd), same layout
//   8     has_uint32: 1 when word 9 holds the unused upper half of a draw
//   9     uinteger: that buffered upper half (served by nextUint32)
//
// The per-draw path uses only 32-bit limbs and double arithmetic; BigInt is
// used for seeding and advance() only.

import { SeedSequence, type SeedEntropy } from './seed_sequence.js';

export const STATE_WORDS = 10;

const MASK128 = (1n << 128n) - 1n;
const MULT = (2549297995355413924n << 64n) + 4865540595714422341n;

const M0 = Number(MULT & 0xffffffffn);
const M1 = Number((MULT >> 32n) & 0xffffffffn);
const M2 = Number((MULT >> 64n) & 0xffffffffn);
const M3 = Number((MULT >> 96n) & 0xffffffffn);

const TWO32 = 4294967296;
const INV_TWO32 = 1 / TWO32;
const INV_TWO53 = 1 / 9007199254740992;

/**
 * Low 32 bits of the most recent nextHi() draw. Module scope lets the hot
 * path return two words without allocating.
 */
let lastLo = 0;

/**
 * Advances the LCG once and returns the upper 32 bits of the 64-bit output;
 * the lower 32 bits are left in `lastLo` (read via lastLow()).
 *
 * Each 32x32 product is split into an exact low word (Math.imul) and a high
 * word recovered from the rounded double product: the double is within 2^11
 * of the true product, so (p - lo) / 2^32 is within 2^-20 of the integer high
 * word and rounding recovers it exactly. Column sums stay below 2^53.
 */
export function nextHi(s: Uint32Array): number {
  const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!;

  let p = s0 * M0;
  let lo = Math.imul(s0, M0) >>> 0;
  const h00 = Math.floor((p - lo) * INV_TWO32 + 0.5);
  let c = lo + s[4]!;
  const r0 = c >>> 0;
  let carry = c >= TWO32 ? 1 : 0;

  p = s0 * M1;
  const l01 = Math.imul(s0, M1) >>> 0;
  const h01 = Math.floor((p - l01) * INV_TWO32 + 0.5);
  p = s1 * M0;
  const l10 = Math.imul(s1, M0) >>> 0;
  const h10 = Math.floor((p - l10) * INV_TWO32 + 0.5);
  c = h00 + l01 + l10 + s[5]! + carry;
  const r1 = c >>> 0;
  carry = (c - r1) * INV_TWO32;

  p = s0 * M2;
  const l02 = Math.imul(s0, M2) >>> 0;
  const h02 = Math.floor((p - l02) * INV_TWO32 + 0.5);
  p = s1 * M1;
  const l11 = Math.imul(s1, M1) >>> 0;
  const h11 = Math.floor((p - l11) * INV_TWO32 + 0.5);
  p = s2 * M0;
  const l20 = Math.imul(s2, M0) >>> 0;
  const h20 = Math.floor((p - l20) * INV_TWO32 + 0.5);
  c = h01 + h10 + l02 + l11 + l20 + s[6]! + carry;
  const r2 = c >>> 0;
  carry = (c - r2) * INV_TWO32;

  // Only the low word of the top column survives mod 2^128.
  const r3 =
    (h02 + h11 + h20 + s[7]! + carry +
      Math.imul(s0, M3) + Math.imul(s1, M2) + Math.imul(s2, M1) + Math.imul(s3, M0)) >>> 0;

  s[0] = r0;
  s[1] = r1;
  s[2] = r2;
  s[3] = r3;

  // XSL-RR: xor the 64-bit halves, rotate right by the top 6 state bits.
  const xh = (r3 ^ r1) >>> 0;
  const xl = (r2 ^ r0) >>> 0;
  const rot = r3 >>> 26;
  if (rot === 0) {
    lastLo = xl;
    return xh;
  }
  if (rot < 32) {
    lastLo = ((xl >>> rot) | (xh << (32 - rot))) >>> 0;
    return ((xh >>> rot) | (xl << (32 - rot))) >>> 0;
  }
  if (rot === 32) {
    lastLo = xh;
    return xl;
  }
  const r = rot - 32;
  lastLo = ((xh >>> r) | (xl << (32 - r))) >>> 0;
  return ((xl >>> r) | (xh << (32 - r))) >>> 0;
}

/** Low word of the draw made by the most recent nextHi() call. */
export function lastLow(): number {
  return lastLo;
}

/** Next 64-bit output as [low, high] uint32 words in out2. */
export function nextUint64(state: Uint32Array, out2: Uint32Array): void {
  const hi = nextHi(state);
  out2[0] = lastLo;
  out2[1] = hi;
}

/**
 * Next 32-bit output. Like NumPy, one 64-bit draw serves two calls: the low
 * half now, the high half buffered in the state for the next call.
 */
export function nextUint32(state: Uint32Array): number {
  if (state[8] !== 0) {
    state[8] = 0;
    return state[9]!;
  }
  const hi = nextHi(state);
  state[8] = 1;
  state[9] = hi;
  return lastLo;
}

/** Next double in [0, 1): (next_uint64 >> 11) * 2^-53. */
export function nextDouble(state: Uint32Array): number {
  const hi = nextHi(state);
  return (hi * 2097152 + (lastLo >>> 11)) * INV_TWO53;
}

/** Next float32 value in [0, 1) (as a number): (next_uint32 >> 8) * 2^-24. */
export function nextFloat(state: Uint32Array): number {
  return (nextUint32(state) >>> 8) * (1 / 16777216);
}

// ---- BigInt helpers for seeding, advance and state inspection ----

function readU128(s: Uint32Array, at: number): bigint {
  return (
    (BigInt(s[at + 3]!) << 96n) |
    (BigInt(s[at + 2]!) << 64n) |
    (BigInt(s[at + 1]!) << 32n) |
    BigInt(s[at]!)
  );
}

function writeU128(s: Uint32Array, at: number, v: bigint): void {
  v &= MASK128;
  s[at] = Number(v & 0xffffffffn);
  s[at + 1] = Number((v >> 32n) & 0xffffffffn);
  s[at + 2] = Number((v >> 64n) & 0xffffffffn);
  s[at + 3] = Number((v >> 96n) & 0xffffffffn);
}

/** PCG64 state from a (state, inc) pair of 128-bit integers, as pcg64_srandom_r. */
export function stateFromSeed(initState: bigint, initSeq: bigint): Uint32Array {
  const inc = (((initSeq & MASK128) << 1n) | 1n) & MASK128;
  let st = inc; // one step from state 0
  st = (st + (initState & MASK128)) & MASK128;
  st = (st * MULT + inc) & MASK128;
  const s = new Uint32Array(STATE_WORDS);
  writeU128(s, 0, st);
  writeU128(s, 4, inc);
  return s;
}

/** State words for `np.random.default_rng(seed)` (PCG64 over SeedSequence). */
export function seedState(seed?: SeedEntropy | SeedSequence | null): Uint32Array {
  const seq = seed instanceof SeedSequence ? seed : new SeedSequence(seed ?? null);
  const w = seq.generateState(8, 'uint32');
  // generate_state(4, uint64) pairs words little-endian: val[k] = w[2k] | w[2k+1] << 32,
  // and NumPy reads (val[0], val[1]) as (high, low) of the initial state.
  const u64 = (k: number): bigint => (BigInt(w[2 * k + 1]!) << 32n) | BigInt(w[2 * k]!);
  return stateFromSeed((u64(0) << 64n) | u64(1), (u64(2) << 64n) | u64(3));
}

/**
 * Jump ahead by delta draws (mod 2^128; negative goes backwards), like
 * `PCG64.advance`. Clears the buffered 32-bit half, as NumPy does.
 */
export function advance(state: Uint32Array, delta: bigint): void {
  let d = delta & MASK128; // two's-complement wrap, as NumPy's wrap_int
  let curMult = MULT;
  let curPlus = readU128(state, 4);
  let accMult = 1n;
  let accPlus = 0n;
  while (d > 0n) {
    if (d & 1n) {
      accMult = (accMult * curMult) & MASK128;
      accPlus = (accPlus * curMult + curPlus) & MASK128;
    }
    curPlus = ((curMult + 1n) * curPlus) & MASK128;
    curMult = (curMult * curMult) & MASK128;
    d >>= 1n;
  }
  writeU128(state, 0, accMult * readU128(state, 0) + accPlus);
  state[8] = 0;
  state[9] = 0;
}

/** The state as NumPy's `bit_generator.state` reports it. */
export interface Pcg64StateObject {
  state: bigint;
  inc: bigint;
  has_uint32: number;
  uinteger: number;
}

export function getState(state: Uint32Array): Pcg64StateObject {
  return {
    state: readU128(state, 0),
    inc: readU128(state, 4),
    has_uint32: state[8]!,
    uinteger: state[9]!,
  };
}

/** Writes a NumPy-style state into `state` (a new array when omitted). */
export function setState(value: Pcg64StateObject, state: Uint32Array = new Uint32Array(STATE_WORDS)): Uint32Array {
  writeU128(state, 0, value.state);
  writeU128(state, 4, value.inc);
  state[8] = value.has_uint32 ? 1 : 0;
  state[9] = value.uinteger >>> 0;
  return state;
}
