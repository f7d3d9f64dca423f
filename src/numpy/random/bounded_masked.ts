// Bounded integers by masked rejection, as NumPy's RandomState draws them
// (distributions.c: random_bounded_uint64_fill and the buffered 32/16/8-bit and bool
// variants with use_masked = true), and random_interval (shuffle's index draws).

import type { BitSource } from "./bit_source.js";

/** Smallest all-ones mask >= max (gen_mask), for max below 2^32. */
function mask32(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function mask64(max: bigint): bigint {
  let m = max;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) m |= m >> s;
  return m;
}

/** `random_interval(max)`: uniform in [0, max] by masking 32-bit (or 64-bit) draws. */
export function randomInterval(bg: BitSource, max: number): number {
  if (max === 0) return 0;
  if (max <= 0xffffffff) {
    const m = mask32(max);
    let v: number;
    while ((v = (bg.next32() & m) >>> 0) > max);
    return v;
  }
  const big = BigInt(max);
  const m = mask64(big);
  let v: bigint;
  while ((v = bg.next64() & m) > big);
  return Number(v);
}

/**
 * One fill call of `count` values off + [0, rng] at the width of `bits` (64, 32, 16, 8, or
 * 1 for bool), as unsigned offsets from `off` (the caller wraps into the dtype). The 8/16-bit
 * and bool buffers live for the one call, as NumPy's do.
 */
export function fillMasked(bg: BitSource, bits: number, rng: bigint, count: number, put: (i: number, v: number | bigint) => void): void {
  if (rng === 0n) {
    for (let i = 0; i < count; i++) put(i, 0);
    return;
  }
  if (bits === 1) {
    let buf = 0,
      bcnt = 0;
    for (let i = 0; i < count; i++) {
      if (bcnt === 0) {
        buf = bg.next32();
        bcnt = 31;
      } else {
        buf >>>= 1;
        bcnt--;
      }
      put(i, buf & 1);
    }
    return;
  }
  if (bits === 8 || bits === 16) {
    const r = Number(rng);
    const pieceMask = bits === 16 ? 0xffff : 0xff;
    const refillCount = bits === 16 ? 1 : 3;
    let buf = 0,
      bcnt = 0;
    const piece = (): number => {
      if (bcnt === 0) {
        buf = bg.next32();
        bcnt = refillCount;
      } else {
        buf >>>= bits;
        bcnt--;
      }
      return buf & pieceMask;
    };
    if (r === pieceMask) {
      for (let i = 0; i < count; i++) put(i, piece());
      return;
    }
    const m = mask32(r);
    for (let i = 0; i < count; i++) {
      let v: number;
      while ((v = piece() & m) > r);
      put(i, v);
    }
    return;
  }
  if (rng <= 0xffffffffn) {
    const r = Number(rng);
    if (r === 0xffffffff) {
      for (let i = 0; i < count; i++) put(i, bg.next32());
      return;
    }
    const m = mask32(r);
    for (let i = 0; i < count; i++) {
      let v: number;
      while ((v = (bg.next32() & m) >>> 0) > r);
      put(i, v);
    }
    return;
  }
  // 64-bit dtypes with a range wider than 32 bits.
  if (rng === 0xffffffffffffffffn) {
    for (let i = 0; i < count; i++) put(i, bg.next64());
    return;
  }
  const m = mask64(rng);
  for (let i = 0; i < count; i++) {
    let v: bigint;
    while ((v = bg.next64() & m) > rng);
    put(i, v);
  }
}
