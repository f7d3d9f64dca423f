// PCG64 (128-bit LCG, XSL-RR output) exactly as NumPy's numpy/random PCG64.
//
// State layout, a Uint32Array of STATE_WORDS words (so it can live in a
// SharedArrayBuffer and be driven from any worker):
//   0..3  128-bit LCG state, little-endian 32-bit limbs (word 0 lowest)
//   4..7  128-bit increment (always odd), same layout
//   8     has_uint32: 1 when word 9 holds the unused upper half of a draw
//   9     uinteger: that buffered upper half (served by nextUint32)
//
// Drawing uses only 32-bit limbs and double arithmetic; BigInt is used for
// seeding and advance() only.

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
/** Adding and subtracting 1.5 * 2^52 rounds a double below 2^51 to an integer. */
const ROUND = 6755399441055744;

/**
 * Generates n 64-bit outputs into words[offset + 2i] (low 32 bits) and
 * words[offset + 2i + 1] (high 32 bits), advancing the state n steps. The
 * has_uint32 buffer is neither used nor changed.
 *
 * The 128-bit multiply works on 32-bit limbs. Each limb product is split into
 * an exact low word (Math.imul) and an approximate high word taken from the
 * rounded double product: (a*b - lo) / 2^32 is within 2^-20 of the true high
 * word. Column sums of these stay far below 2^51 with an error far below 1/2,
 * so one rounding per column makes them exact. The state lives in locals for
 * the whole batch; callers draw in batches rather than one call per value.
 */
export function fillRaw(state: Uint32Array, words: Int32Array, offset: number, n: number): void {
  let s0 = state[0]!,
    s1 = state[1]!,
    s2 = state[2]!,
    s3 = state[3]!;
  const i0 = state[4]!,
    i1 = state[5]!,
    i2 = state[6]!,
    i3 = state[7]!;
  let w = offset;
  for (let k = 0; k < n; k++) {
    const l00 = Math.imul(s0, M0) >>> 0;
    const l01 = Math.imul(s0, M1) >>> 0;
    const l10 = Math.imul(s1, M0) >>> 0;
    const l02 = Math.imul(s0, M2) >>> 0;
    const l11 = Math.imul(s1, M1) >>> 0;
    const l20 = Math.imul(s2, M0) >>> 0;
    let c = l00 + i0;
    const r0 = c >>> 0;
    c = (c - r0) * INV_TWO32 + (s0 * M0 - l00) * INV_TWO32 + l01 + l10 + i1;
    c = c + ROUND - ROUND;
    const r1 = c >>> 0;
    c = (c - r1) * INV_TWO32 + (s0 * M1 - l01 + (s1 * M0 - l10)) * INV_TWO32 + l02 + l11 + l20 + i2;
    c = c + ROUND - ROUND;
    const r2 = c >>> 0;
    // Only the low word of the top column survives mod 2^128.
    c =
      (c - r2) * INV_TWO32 +
      (s0 * M2 - l02 + (s1 * M1 - l11) + (s2 * M0 - l20)) * INV_TWO32 +
      i3 +
      (Math.imul(s0, M3) + Math.imul(s1, M2) + Math.imul(s2, M1) + Math.imul(s3, M0));
    c = c + ROUND - ROUND;
    const r3 = c >>> 0;
    s0 = r0;
    s1 = r1;
    s2 = r2;
    s3 = r3;

    // XSL-RR: xor the 64-bit halves, rotate right by the top 6 state bits.
    // Branch-free: swap the halves when rot >= 32, then rotate both words by
    // rot & 31; the split shift `(x << 1) << (31 - r)` is 0 when r == 0.
    const xh = r3 ^ r1;
    const xl = r2 ^ r0;
    const rot = r3 >>> 26;
    const d = (xh ^ xl) & -(rot >>> 5);
    const a = xh ^ d;
    const b = xl ^ d;
    const r = rot & 31;
    words[w++] = (b >>> r) | ((a << 1) << (31 - r));
    words[w++] = (a >>> r) | ((b << 1) << (31 - r));
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

// Per-value draws go through a tiny scratch buffer: returning the two words
// through typed-array memory avoids boxing 32-bit results as heap numbers.
const ONE = new Int32Array(2);

/** Next 64-bit output as [low, high] uint32 words in out2. */
export function nextUint64(state: Uint32Array, out2: Uint32Array): void {
  fillRaw(state, ONE, 0, 1);
  out2[0] = ONE[0]!;
  out2[1] = ONE[1]!;
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
  fillRaw(state, ONE, 0, 1);
  state[8] = 1;
  state[9] = ONE[1]!;
  return ONE[0]! >>> 0;
}

/** Next double in [0, 1): (next_uint64 >> 11) * 2^-53. */
export function nextDouble(state: Uint32Array): number {
  fillRaw(state, ONE, 0, 1);
  return ((ONE[1]! >>> 0) * 2097152 + (ONE[0]! >>> 11)) * INV_TWO53;
}

/** Next float32 value in [0, 1) (as a number): (next_uint32 >> 8) * 2^-24. */
export function nextFloat(state: Uint32Array): number {
  return (nextUint32(state) >>> 8) * (1 / 16777216);
}

// ---- BigInt helpers for seeding, advance and state inspection ----

function readU128(s: Uint32Array, at: number): bigint {
  return (BigInt(s[at + 3]!) << 96n) | (BigInt(s[at + 2]!) << 64n) | (BigInt(s[at + 1]!) << 32n) | BigInt(s[at]!);
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

/**
 * Jump ahead by delta draws (mod 2^128; negative goes backwards), like
 * `PCG64.advance`. Clears the buffered 32-bit half, as NumPy does.
 */
export function advance(state: Uint32Array, delta: bigint): void {
  writeU128(state, 0, lcgAdvance(readU128(state, 0), readU128(state, 4), MULT, delta));
  state[8] = 0;
  state[9] = 0;
}

/**
 * A 128-bit LCG state `delta` steps on (mod 2^128; negative goes backwards) in O(log delta),
 * as pcg_advance_lcg_128 (Brown's jump-ahead); `mult` is the generator's multiplier.
 */
export function lcgAdvance(state: bigint, inc: bigint, mult: bigint, delta: bigint): bigint {
  let d = delta & MASK128; // two's-complement wrap, as NumPy's wrap_int
  let curMult = mult;
  let curPlus = inc;
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
  return (accMult * state + accPlus) & MASK128;
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
