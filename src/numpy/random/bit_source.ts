// What the distribution algorithms draw from: NumPy's bitgen_t interface (next_uint32,
// next_uint64, next_double), and RandomState's augmented state (the cached second
// Gaussian of the polar method).

import { type MT19937State, mt19937Next32, mt19937NextDouble } from "./mt19937.js";
import { nextDouble, nextUint32, nextUint64 } from "./pcg64.js";

/** A bit generator as NumPy's `bitgen_t` sees it. */
export interface BitSource {
  next32(): number;
  /** The next 64-bit output (rarely needed: wide integer ranges only). */
  next64(): bigint;
  nextDouble(): number;
}

/** A bit source that also gives 64-bit draws as [low, high] words (the ziggurats' input). */
export interface GenSource extends BitSource {
  next64Words(): Uint32Array;
}

/** MT19937 as a bit source: next_uint64 is (first << 32) | second, as NumPy's mt19937_next64. */
export class MT19937Source implements GenSource {
  private readonly two = new Uint32Array(2);
  constructor(readonly state: MT19937State) {}
  next64Words(): Uint32Array {
    this.two[1] = mt19937Next32(this.state);
    this.two[0] = mt19937Next32(this.state);
    return this.two;
  }
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

/** PCG64 (a Generator's state words) as a bit source: NumPy's next_uint32 buffering included. */
export class PCG64Source implements GenSource {
  private readonly two = new Uint32Array(2);
  constructor(readonly state: Uint32Array) {}
  next32(): number {
    return nextUint32(this.state);
  }
  next64(): bigint {
    nextUint64(this.state, this.two);
    return (BigInt(this.two[1]!) << 32n) | BigInt(this.two[0]!);
  }
  /** The next 64-bit output as [low, high] words. */
  next64Words(): Uint32Array {
    nextUint64(this.state, this.two);
    return this.two;
  }
  nextDouble(): number {
    return nextDouble(this.state);
  }
}
