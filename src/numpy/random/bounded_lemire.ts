// Bounded integers by Lemire's method on any bit source, as NumPy's Generator draws them
// (distributions.c: random_bounded_uint64_fill and the buffered 32/16/8-bit and bool fills
// with use_masked = false). The PCG64 fill kernels in distributions.ts do the same on raw
// state words, batched; this is the per-value form for other bit generators.

import type { BitSource } from "./bit_source.js";
import { mulHi32 } from "./distributions.js";

/** One value in [0, rng] (rng < 2**32 - 1) from 32-bit draws. */
export function lemire32(s: BitSource, rng: number): number {
  const excl = rng + 1;
  let x = s.next32();
  let leftover = Math.imul(x, excl) >>> 0;
  if (leftover < excl) {
    const threshold = (0xffffffff - rng) % excl;
    while (leftover < threshold) {
      x = s.next32();
      leftover = Math.imul(x, excl) >>> 0;
    }
  }
  return mulHi32(x, excl);
}

const M64 = (1n << 64n) - 1n;

function lemire64(s: BitSource, rng: bigint): bigint {
  const excl = rng + 1n;
  let m = s.next64() * excl;
  let leftover = m & M64;
  if (leftover < excl) {
    const threshold = (M64 - rng) % excl;
    while (leftover < threshold) {
      m = s.next64() * excl;
      leftover = m & M64;
    }
  }
  return m >> 64n;
}

/**
 * One fill call of `count` values in [0, rng] at the width of `bits` (64, 32, 16, 8, or 1
 * for bool); `put` receives offsets from `low`. Narrow widths share a call-local buffer of
 * 32-bit draws, as NumPy's do.
 */
export function fillLemire(s: BitSource, bits: number, rng: bigint, count: number, put: (i: number, v: number | bigint) => void): void {
  if (rng === 0n) {
    for (let i = 0; i < count; i++) put(i, 0);
    return;
  }
  if (bits === 1 || bits === 8 || bits === 16) {
    const r = Number(rng);
    const pieceMask = bits === 16 ? 0xffff : bits === 8 ? 0xff : 1;
    const refill = bits === 16 ? 1 : bits === 8 ? 3 : 31;
    let buf = 0,
      bcnt = 0;
    const piece = (): number => {
      if (bcnt === 0) {
        buf = s.next32();
        bcnt = refill;
      } else {
        buf >>>= bits;
        bcnt--;
      }
      return buf & pieceMask;
    };
    if (bits === 1 || r === pieceMask) {
      for (let i = 0; i < count; i++) put(i, piece());
      return;
    }
    const excl = r + 1;
    const threshold = (pieceMask - r) % excl;
    for (let i = 0; i < count; i++) {
      let m = piece() * excl;
      let leftover = m & pieceMask;
      if (leftover < excl) {
        while (leftover < threshold) {
          m = piece() * excl;
          leftover = m & pieceMask;
        }
      }
      put(i, m >>> bits);
    }
    return;
  }
  if (rng <= 0xffffffffn) {
    const r = Number(rng);
    for (let i = 0; i < count; i++) put(i, r === 0xffffffff ? s.next32() : lemire32(s, r));
    return;
  }
  for (let i = 0; i < count; i++) put(i, rng === M64 ? s.next64() : lemire64(s, rng));
}
