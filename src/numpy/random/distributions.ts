// Fill kernels reproducing NumPy's Generator draws on a PCG64 state
// (numpy/random/src/distributions/distributions.c). Each kernel advances
// `state` in place, consuming exactly what NumPy consumes, so a sequence of
// fills matches the same sequence of Generator calls value for value.

import { fillRaw, nextUint32 } from "./pcg64.js";
import { KI_DOUBLE, WI_DOUBLE, FI_DOUBLE, ZIGGURAT_NOR_R, ZIGGURAT_NOR_INV_R } from "./ziggurat_tables.js";

const TWO32 = 4294967296;
const INV_TWO32 = 1 / TWO32;
const INV_TWO53 = 1 / 9007199254740992;

export type DrawKind = "random" | "random_f32" | "uniform" | "standard_normal" | "normal" | "integers";

/**
 * 64-bit draws consumed per output value, when fixed. A partition of a fill
 * that starts at index k can then begin from a state advanced by k * n and
 * reproduce the serial result. null means consumption depends on the values
 * drawn (rejection sampling, 32-bit buffering), so fills must be serial.
 */
export function drawsPerValue(kind: DrawKind | string): number | null {
  return kind === "random" || kind === "uniform" ? 1 : null;
}

function checkRange(out: ArrayLike<unknown>, start: number, count: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > out.length) {
    throw new RangeError(`fill range [${start}, ${start + count}) outside array of length ${out.length}`);
  }
}

// Raw 64-bit draws are produced in batches into RAW (low, high words per
// draw). Kernels with a fixed cost per value convert whole batches. Kernels
// with rejection sampling consume RAW one draw at a time and refill it with
// at most as many draws as values still unfinished: every unfinished value
// needs at least one more draw, so a fill never generates a draw it does not
// use and the state ends exactly where NumPy's would.
const BLOCK = 256;
const RAW = new Int32Array(2 * BLOCK);
let rawPos = 0;
let rawLen = 0;

function refill(state: Uint32Array, unfinished: number): void {
  const m = unfinished < BLOCK ? unfinished : BLOCK;
  fillRaw(state, RAW, 0, m);
  rawPos = 0;
  rawLen = m;
}

function takeDouble(state: Uint32Array, unfinished: number): number {
  if (rawPos === rawLen) refill(state, unfinished);
  const j = 2 * rawPos++;
  return ((RAW[j + 1]! >>> 0) * 2097152 + (RAW[j]! >>> 11)) * INV_TWO53;
}

// The 32-bit stream (NumPy's next_uint32) is the low then high word of each
// 64-bit draw, after any half left buffered in state[8..9]; RAW already holds
// words in that order. Refills again never overshoot: with u values
// unfinished, each needing at least one word, ceil(u / 2) draws leave at most
// one word over, and that word goes back into the state's buffer.
let wordPos = 0;
let wordLen = 0;
let wordsRefilled = false;

function beginWords(state: Uint32Array): void {
  wordsRefilled = false;
  if (state[8] !== 0) {
    RAW[0] = state[9]!;
    wordPos = 0;
    wordLen = 1;
  } else {
    wordPos = wordLen = 0;
  }
}

function takeWord(state: Uint32Array, unfinished: number): number {
  if (wordPos === wordLen) {
    const k = unfinished < 2 * BLOCK ? (unfinished + 1) >> 1 : BLOCK;
    fillRaw(state, RAW, 0, k);
    wordPos = 0;
    wordLen = 2 * k;
    wordsRefilled = true;
  }
  return RAW[wordPos++]! >>> 0;
}

/** Leaves state[8..9] as NumPy's next_uint32 calls would have. */
function endWords(state: Uint32Array): void {
  // uinteger keeps the high word of the last draw even after it is served.
  if (wordsRefilled) state[9] = RAW[wordLen - 1]!;
  state[8] = wordPos < wordLen ? 1 : 0;
}

/** `Generator.random(size)`: (next_uint64 >> 11) * 2^-53. */
export function fillRandom(state: Uint32Array, out: Float64Array, start: number, count: number): void {
  checkRange(out, start, count);
  const end = start + count;
  for (let i = start; i < end; i += BLOCK) {
    const m = end - i < BLOCK ? end - i : BLOCK;
    fillRaw(state, RAW, 0, m);
    for (let j = 0; j < m; j++) {
      out[i + j] = ((RAW[2 * j + 1]! >>> 0) * 2097152 + (RAW[2 * j]! >>> 11)) * INV_TWO53;
    }
  }
}

/** `Generator.random(size, dtype='float32')`: (next_uint32 >> 8) * 2^-24. */
export function fillRandomFloat32(state: Uint32Array, out: Float32Array, start: number, count: number): void {
  checkRange(out, start, count);
  const end = start + count;
  beginWords(state);
  for (let i = start; i < end; i++) out[i] = (takeWord(state, end - i) >>> 8) * (1 / 16777216);
  endWords(state);
}

/** `Generator.uniform(low, high, size)`: low + (high - low) * next_double. */
export function fillUniform(state: Uint32Array, out: Float64Array, start: number, count: number, low: number, high: number): void {
  checkRange(out, start, count);
  const range = high - low;
  if (!Number.isFinite(range)) throw new RangeError("high - low range exceeds valid bounds");
  if (range < 0 || Object.is(range, -0)) throw new RangeError("high - low < 0");
  const end = start + count;
  for (let i = start; i < end; i += BLOCK) {
    const m = end - i < BLOCK ? end - i : BLOCK;
    fillRaw(state, RAW, 0, m);
    for (let j = 0; j < m; j++) {
      out[i + j] = low + range * (((RAW[2 * j + 1]! >>> 0) * 2097152 + (RAW[2 * j]! >>> 11)) * INV_TWO53);
    }
  }
}

/**
 * The rare part of NumPy's ziggurat (random_standard_normal), entered after
 * the first draw of a value missed the rectangle test: wedge test or tail,
 * and new draws after a rejection.
 */
function normalSlow(state: Uint32Array, idx: number, x: number, lo: number, unfinished: number): number {
  for (;;) {
    if (idx === 0) {
      // Tail beyond r (Marsaglia); 1 - U avoids log(0).
      for (;;) {
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-takeDouble(state, unfinished));
        const yy = -Math.log1p(-takeDouble(state, unfinished));
        if (yy + yy > xx * xx) {
          // Bit 8 of rabs is bit 17 of the low word.
          return (lo >>> 17) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
        }
      }
    }
    if ((FI_DOUBLE[idx - 1]! - FI_DOUBLE[idx]!) * takeDouble(state, unfinished) + FI_DOUBLE[idx]! < Math.exp(-0.5 * x * x)) {
      return x;
    }
    if (rawPos === rawLen) refill(state, unfinished);
    const j = 2 * rawPos++;
    lo = RAW[j]!;
    const hi = RAW[j + 1]!;
    idx = lo & 0xff;
    const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    x = rabs * WI_DOUBLE[idx]!;
    if (lo & 0x100) x = -x;
    if (rabs < KI_DOUBLE[idx]!) return x;
  }
}

function normalFill(state: Uint32Array, out: Float64Array, start: number, count: number, loc: number, scale: number, affine: boolean): void {
  const end = start + count;
  rawPos = rawLen = 0;
  for (let i = start; i < end; i++) {
    if (rawPos === rawLen) refill(state, end - i);
    const j = 2 * rawPos++;
    const lo = RAW[j]!;
    const hi = RAW[j + 1]!;
    // Draw layout, low bits first: 8-bit layer index, sign, 52-bit magnitude.
    const idx = lo & 0xff;
    const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    let x = rabs * WI_DOUBLE[idx]!;
    if (lo & 0x100) x = -x;
    if (rabs >= KI_DOUBLE[idx]!) x = normalSlow(state, idx, x, lo, end - i);
    // Kept apart so standard_normal keeps NumPy's -0.0 (0 + 1 * -0 would be +0).
    out[i] = affine ? loc + scale * x : x;
  }
}

/** One standard normal draw, as `Generator.standard_normal()`. */
export function standardNormal(state: Uint32Array): number {
  const one = new Float64Array(1);
  normalFill(state, one, 0, 1, 0, 1, false);
  return one[0]!;
}

/** `Generator.standard_normal(size)`. */
export function fillStandardNormal(state: Uint32Array, out: Float64Array, start: number, count: number): void {
  checkRange(out, start, count);
  normalFill(state, out, start, count, 0, 1, false);
}

/** `Generator.normal(loc, scale, size)`: loc + scale * standard_normal. */
export function fillNormal(state: Uint32Array, out: Float64Array, start: number, count: number, loc: number, scale: number): void {
  checkRange(out, start, count);
  if (!Number.isNaN(scale) && (scale < 0 || Object.is(scale, -0))) throw new RangeError("scale < 0");
  normalFill(state, out, start, count, loc, scale, true);
}

// ---------------------------------------------------------------- integers

export type IntegerDType = "int64" | "uint64" | "int32" | "uint32" | "int16" | "uint16" | "int8" | "uint8" | "bool";

export type IntegerArray = BigInt64Array | BigUint64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

const DTYPE_INFO: Record<IntegerDType, { bits: number; signed: boolean; bytes: number }> = {
  int64: { bits: 64, signed: true, bytes: 8 },
  uint64: { bits: 64, signed: false, bytes: 8 },
  int32: { bits: 32, signed: true, bytes: 4 },
  uint32: { bits: 32, signed: false, bytes: 4 },
  int16: { bits: 16, signed: true, bytes: 2 },
  uint16: { bits: 16, signed: false, bytes: 2 },
  int8: { bits: 8, signed: true, bytes: 1 },
  uint8: { bits: 8, signed: false, bytes: 1 },
  bool: { bits: 1, signed: false, bytes: 1 },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to an integer. */
const ROUND = 6755399441055744;

/**
 * High word of the 64-bit product of two uint32 values. The rounded double
 * product minus the exact low word is within 2^12 of high * 2^32 (see fillRaw
 * in pcg64.ts), so rounding the quotient recovers the high word.
 */
export function mulHi32(a: number, b: number): number {
  return (a * b - (Math.imul(a, b) >>> 0)) * INV_TWO32 + ROUND - ROUND;
}

/**
 * `Generator.integers(low, high + 1, size, dtype)`, i.e. with an inclusive
 * upper bound (pass high - 1 for NumPy's default endpoint=False). Uses
 * Lemire's method like NumPy's Generator, with NumPy's per-width paths:
 * 64-bit dtypes draw 32-bit values when the range fits in 32 bits, and 8/16-bit
 * dtypes and bool carve a 32-bit draw into pieces kept in a buffer that is local
 * to the call. So for those narrow dtypes one fill call corresponds to one
 * NumPy call: splitting a fill into several calls changes the stream.
 */
export function fillIntegers(
  state: Uint32Array,
  out: IntegerArray,
  start: number,
  count: number,
  low: bigint,
  high: bigint,
  dtype: IntegerDType | string = "int64",
): void {
  checkRange(out, start, count);
  const info = DTYPE_INFO[dtype as IntegerDType];
  if (info === undefined) throw new TypeError(`Unsupported dtype ${String(dtype)} for integers`);
  if (out.BYTES_PER_ELEMENT !== info.bytes) {
    throw new TypeError(`output array element size ${out.BYTES_PER_ELEMENT} does not match dtype ${dtype}`);
  }
  const lb = info.signed ? -(1n << BigInt(info.bits - 1)) : 0n;
  const ub = info.signed ? (1n << BigInt(info.bits - 1)) - 1n : (1n << BigInt(info.bits)) - 1n;
  if (low < lb) throw new RangeError(`low is out of bounds for ${dtype}`);
  if (high > ub) throw new RangeError(`high is out of bounds for ${dtype}`);
  if (low > high) throw new RangeError("low > high");
  if (count === 0) return;

  const rng = high - low;
  if (info.bits === 64) {
    fill64(state, out as BigInt64Array | BigUint64Array, start, count, BigInt.asUintN(64, low), rng);
  } else if (info.bits === 32) {
    fill32(state, out as Int32Array | Uint32Array, start, count, Number(BigInt.asUintN(32, low)), Number(rng));
  } else if (info.bits === 1) {
    fillBool(state, out as Uint8Array, start, count, Number(low), Number(rng));
  } else {
    fillNarrow(
      state,
      out as Int16Array | Uint16Array | Int8Array | Uint8Array,
      start,
      count,
      Number(BigInt.asUintN(info.bits, low)),
      Number(rng),
      info.bits,
    );
  }
}

/**
 * Lemire's method for rng < 2^32 - 1 on the 32-bit stream; returns the value
 * in [0, rng]. Call between beginWords and endWords.
 */
function lemire32(state: Uint32Array, rngExcl: number, threshold: number, unfinished: number): number {
  let x = takeWord(state, unfinished);
  let leftover = Math.imul(x, rngExcl) >>> 0;
  if (leftover < rngExcl) {
    while (leftover < threshold) {
      x = takeWord(state, unfinished);
      leftover = Math.imul(x, rngExcl) >>> 0;
    }
  }
  return mulHi32(x, rngExcl);
}

function fill32(state: Uint32Array, out: Int32Array | Uint32Array, start: number, count: number, off: number, rng: number): void {
  const end = start + count;
  if (rng === 0) {
    out.fill(off, start, end);
    return;
  }
  beginWords(state);
  if (rng === 0xffffffff) {
    for (let i = start; i < end; i++) out[i] = off + takeWord(state, end - i); // store wraps mod 2^32
  } else {
    const rngExcl = rng + 1;
    const threshold = (0xffffffff - rng) % rngExcl;
    for (let i = start; i < end; i++) out[i] = off + lemire32(state, rngExcl, threshold, end - i);
  }
  endWords(state);
}

function fill64(state: Uint32Array, out: BigInt64Array | BigUint64Array, start: number, count: number, off: bigint, rng: bigint): void {
  const end = start + count;
  const offLo = Number(off & 0xffffffffn);
  const offHi = Number(off >> 32n);
  // int64 values are written as two uint32 words into the same memory, which
  // avoids a BigInt per element.
  const words = LITTLE_ENDIAN ? new Uint32Array(out.buffer, out.byteOffset, out.length * 2) : null;
  const put = (i: number, lo: number, hi: number): void => {
    const sLo = lo + offLo;
    const wLo = sLo >>> 0;
    const wHi = (hi + offHi + (sLo >= TWO32 ? 1 : 0)) >>> 0;
    if (words !== null) {
      words[2 * i] = wLo;
      words[2 * i + 1] = wHi;
    } else {
      const v = (BigInt(wHi) << 32n) | BigInt(wLo);
      (out as BigUint64Array)[i] = out instanceof BigInt64Array ? BigInt.asIntN(64, v) : v;
    }
  };

  if (rng === 0n) {
    for (let i = start; i < end; i++) put(i, 0, 0);
  } else if (rng <= 0xffffffffn) {
    const r = Number(rng);
    beginWords(state);
    if (r === 0xffffffff) {
      for (let i = start; i < end; i++) put(i, takeWord(state, end - i), 0);
    } else {
      const rngExcl = r + 1;
      const threshold = (0xffffffff - r) % rngExcl;
      for (let i = start; i < end; i++) put(i, lemire32(state, rngExcl, threshold, end - i), 0);
    }
    endWords(state);
  } else if (rng === 0xffffffffffffffffn) {
    rawPos = rawLen = 0;
    for (let i = start; i < end; i++) {
      if (rawPos === rawLen) refill(state, end - i);
      const j = 2 * rawPos++;
      put(i, RAW[j]! >>> 0, RAW[j + 1]! >>> 0);
    }
  } else {
    // 64-bit Lemire: value = high 64 bits of x * rngExcl, rejecting when the
    // low 64 bits fall below (2^64 - rngExcl) % rngExcl.
    const excl = rng + 1n;
    const eLo = Number(excl & 0xffffffffn);
    const eHi = Number(excl >> 32n);
    const thr = (0xffffffffffffffffn - rng) % excl;
    const tLo = Number(thr & 0xffffffffn);
    const tHi = Number(thr >> 32n);
    rawPos = rawLen = 0;
    for (let i = start; i < end; i++) {
      let rLo = 0,
        rHi = 0,
        wLo = 0,
        wHi = 0;
      let first = true;
      for (;;) {
        if (rawPos === rawLen) refill(state, end - i);
        const j = 2 * rawPos++;
        const xLo = RAW[j]! >>> 0;
        const xHi = RAW[j + 1]! >>> 0;
        // 64x64 -> 128 product in 32-bit columns.
        const aLo = Math.imul(xLo, eLo) >>> 0;
        const aHi = mulHi32(xLo, eLo);
        const bLo = Math.imul(xLo, eHi) >>> 0;
        const bHi = mulHi32(xLo, eHi);
        const cLo = Math.imul(xHi, eLo) >>> 0;
        const cHi = mulHi32(xHi, eLo);
        const dLo = Math.imul(xHi, eHi) >>> 0;
        const dHi = mulHi32(xHi, eHi);
        const col1 = aHi + bLo + cLo;
        wLo = aLo;
        wHi = col1 >>> 0;
        const col2 = bHi + cHi + dLo + (col1 - wHi) * INV_TWO32;
        rLo = col2 >>> 0;
        rHi = (dHi + (col2 - rLo) * INV_TWO32) >>> 0;
        if (first) {
          // Only a leftover below rngExcl can be below the threshold.
          if (!(wHi < eHi || (wHi === eHi && wLo < eLo))) break;
          first = false;
        }
        if (!(wHi < tHi || (wHi === tHi && wLo < tLo))) break;
      }
      put(i, rLo, rHi);
    }
  }
}

/** 8- and 16-bit dtypes: pieces of 32-bit draws from a call-local buffer. */
function fillNarrow(
  state: Uint32Array,
  out: Int16Array | Uint16Array | Int8Array | Uint8Array,
  start: number,
  count: number,
  off: number,
  rng: number,
  bits: 8 | 16 | number,
): void {
  const end = start + count;
  const pieceMask = bits === 16 ? 0xffff : 0xff;
  const piecesLeft = bits === 16 ? 1 : 3;
  let buf = 0;
  let bcnt = 0;
  const piece = (): number => {
    if (bcnt === 0) {
      buf = nextUint32(state);
      bcnt = piecesLeft;
    } else {
      buf >>>= bits;
      bcnt -= 1;
    }
    return buf & pieceMask;
  };
  if (rng === 0) {
    out.fill(off, start, end);
  } else if (rng === pieceMask) {
    for (let i = start; i < end; i++) out[i] = off + piece(); // store wraps
  } else {
    const rngExcl = rng + 1;
    const threshold = (pieceMask - rng) % rngExcl;
    for (let i = start; i < end; i++) {
      let m = piece() * rngExcl;
      let leftover = m & pieceMask;
      if (leftover < rngExcl) {
        while (leftover < threshold) {
          m = piece() * rngExcl;
          leftover = m & pieceMask;
        }
      }
      out[i] = off + (m >>> bits);
    }
  }
}

/** bool: one bit per value from a call-local 32-bit buffer. */
function fillBool(state: Uint32Array, out: Uint8Array, start: number, count: number, off: number, rng: number): void {
  const end = start + count;
  if (rng === 0) {
    out.fill(off, start, end);
    return;
  }
  let buf = 0;
  let bcnt = 0;
  for (let i = start; i < end; i++) {
    if (bcnt === 0) {
      buf = nextUint32(state);
      bcnt = 31;
    } else {
      buf >>>= 1;
      bcnt -= 1;
    }
    out[i] = buf & 1;
  }
}
