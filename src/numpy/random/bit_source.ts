// What the distribution algorithms draw from: NumPy's bitgen_t interface (next_uint32,
// next_uint64, next_double), and RandomState's augmented state (the cached second
// Gaussian of the polar method).

import { type MT19937State, mt19937Next32, mt19937NextDouble } from "./mt19937.js";

/** A bit generator as NumPy's `bitgen_t` sees it. */
export interface BitSource {
  next32(): number;
  /** The next 64-bit output (rarely needed: wide integer ranges only). */
  next64(): bigint;
  nextDouble(): number;
}

/** MT19937 as a bit source: next_uint64 is (first << 32) | second, as NumPy's mt19937_next64. */
export class MT19937Source implements BitSource {
  constructor(readonly state: MT19937State) {}
  next32(): number {
    return mt19937Next32(this.state);
  }
  next64(): bigint {
    const hi = mt19937Next32(this.state);
    const lo = mt19937Next32(this.state);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  nextDouble(): number {
    return mt19937NextDouble(this.state);
  }
}

/** NumPy's `aug_bitgen_t`: the bit source plus the legacy Gaussian cache. */
export interface AugState {
  bg: BitSource;
  hasGauss: boolean;
  gauss: number;
}
