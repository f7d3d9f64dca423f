// np.random.SFC64 and np.random.PCG64DXSM: NumPy's other 64-bit bit generators, seeded
// through SeedSequence as NumPy's are. Their state is on the host (BigInt words); a Generator
// over either draws in order on the host.

import { fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { OverflowError, ValueError } from "../errors.js";
import { SeedSequence } from "./seed_sequence.js";
import type { SeedEntropy } from "./seed_sequence.js";
import type { GenSource } from "./bit_source.js";

const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;

function seedSequence(seed: unknown): SeedSequence {
  return seed instanceof SeedSequence ? seed : new SeedSequence((seed ?? null) as SeedEntropy | null);
}

/** The buffered 32-bit half and the double, common to NumPy's 64-bit bit generators. */
abstract class Source64 implements GenSource {
  hasUint32 = 0;
  uinteger = 0;
  private readonly two = new Uint32Array(2);
  abstract next64(): bigint;
  next32(): number {
    if (this.hasUint32) {
      this.hasUint32 = 0;
      return this.uinteger;
    }
    const v = this.next64();
    this.hasUint32 = 1;
    this.uinteger = Number(v >> 32n);
    return Number(v & 0xffffffffn);
  }
  next64Words(): Uint32Array {
    const v = this.next64();
    this.two[0] = Number(v & 0xffffffffn);
    this.two[1] = Number(v >> 32n);
    return this.two;
  }
  nextDouble(): number {
    return Number(this.next64() >> 11n) / 9007199254740992;
  }
}

/** SFC64 (Chris Doty-Humphrey's small fast chaotic generator), as NumPy's sfc64.h. */
class SFC64Source extends Source64 {
  readonly s: bigint[] = [0n, 0n, 0n, 0n];
  next64(): bigint {
    const s = this.s;
    const tmp = (s[0]! + s[1]! + s[3]!) & M64;
    s[3] = (s[3]! + 1n) & M64;
    s[0] = s[1]! ^ (s[1]! >> 11n);
    s[1] = (s[2]! + (s[2]! << 3n)) & M64;
    s[2] = ((((s[2]! << 24n) | (s[2]! >> 40n)) & M64) + tmp) & M64;
    return tmp;
  }
}

/** The state of an SFC64 as NumPy's `state` gives it. */
export interface SFC64State {
  bit_generator: "SFC64";
  state: { state: ndarray };
  has_uint32: number;
  uinteger: number;
}

/** np.random.SFC64(seed=None). */
export class SFC64 {
  readonly seed_seq: SeedSequence;
  /** @internal */
  readonly _src = new SFC64Source();
  constructor(seed: unknown = null) {
    this.seed_seq = seedSequence(seed);
    const val = this.seed_seq.generateState(3, "uint64");
    this._src.s.splice(0, 4, val[0]!, val[1]!, val[2]!, 1n);
    for (let i = 0; i < 12; i++) this._src.next64();
  }
  /** @internal */
  _source(): GenSource {
    return this._src;
  }
  get state(): SFC64State {
    return {
      bit_generator: "SFC64",
      state: { state: fromTypedArray(BigUint64Array.from(this._src.s), [4], "uint64") },
      has_uint32: this._src.hasUint32,
      uinteger: this._src.uinteger,
    };
  }
  set state(value: SFC64State) {
    if (value === null || typeof value !== "object") throw new TypeError("state must be a dict");
    if (value.bit_generator !== "SFC64") throw new ValueError("state must be for a SFC64 PRNG");
    const st = value.state.state;
    const words = st instanceof ndarray ? (st.astype("uint64").toTypedArray() as BigUint64Array) : BigUint64Array.from(st as bigint[]);
    this._src.s.splice(0, 4, ...Array.from(words.subarray(0, 4)));
    this._src.hasUint32 = value.has_uint32;
    this._src.uinteger = value.uinteger >>> 0;
  }
  spawn(n_children: number): SFC64[] {
    if (n_children < 0) throw new OverflowError("can't convert negative value to uint32_t");
    return this.seed_seq.spawn(n_children).map((c) => new SFC64(c));
  }
}

const PCG_MULT = (2549297995355413924n << 64n) + 4865540595714422341n;
const CHEAP = 0xda942042e4dd58b5n;

/** PCG64 with the DXSM output on the pre-iterated state and the cheap 64-bit multiplier. */
class PCG64DXSMSource extends Source64 {
  state = 0n;
  inc = 0n;
  next64(): bigint {
    let hi = this.state >> 64n;
    const lo = (this.state & M64) | 1n;
    hi ^= hi >> 32n;
    hi = (hi * CHEAP) & M64;
    hi ^= hi >> 48n;
    hi = (hi * lo) & M64;
    this.state = (this.state * CHEAP + this.inc) & M128;
    return hi;
  }
}

/** The state of a PCG64DXSM as NumPy's `state` gives it. */
export interface PCG64DXSMState {
  bit_generator: "PCG64DXSM";
  state: { state: bigint; inc: bigint };
  has_uint32: number;
  uinteger: number;
}

/** np.random.PCG64DXSM(seed=None): seeded as PCG64 (pcg64_set_seed), drawing with DXSM. */
export class PCG64DXSM {
  readonly seed_seq: SeedSequence;
  /** @internal */
  readonly _src = new PCG64DXSMSource();
  constructor(seed: unknown = null) {
    this.seed_seq = seedSequence(seed);
    const v = this.seed_seq.generateState(4, "uint64");
    const initState = (v[0]! << 64n) | v[1]!;
    const initSeq = (v[2]! << 64n) | v[3]!;
    // pcg64_srandom_r: the default (128-bit) multiplier for seeding.
    const inc = ((initSeq << 1n) | 1n) & M128;
    let st = inc;
    st = (st + initState) & M128;
    st = (st * PCG_MULT + inc) & M128;
    this._src.state = st;
    this._src.inc = inc;
  }
  /** @internal */
  _source(): GenSource {
    return this._src;
  }
  get state(): PCG64DXSMState {
    return {
      bit_generator: "PCG64DXSM",
      state: { state: this._src.state, inc: this._src.inc },
      has_uint32: this._src.hasUint32,
      uinteger: this._src.uinteger,
    };
  }
  set state(value: PCG64DXSMState) {
    if (value === null || typeof value !== "object") throw new TypeError("state must be a dict");
    if (value.bit_generator !== "PCG64DXSM") throw new ValueError("state must be for a PCG64DXSM PRNG");
    this._src.state = BigInt(value.state.state) & M128;
    this._src.inc = BigInt(value.state.inc) & M128;
    this._src.hasUint32 = value.has_uint32;
    this._src.uinteger = value.uinteger >>> 0;
  }
  /** Jumps ahead by `delta` draws (mod 2**128) with the cheap multiplier, as `PCG64DXSM.advance`. */
  advance(delta: number | bigint): PCG64DXSM {
    let d = BigInt(delta) & M128;
    let curMult = CHEAP,
      curPlus = this._src.inc,
      accMult = 1n,
      accPlus = 0n;
    while (d > 0n) {
      if (d & 1n) {
        accMult = (accMult * curMult) & M128;
        accPlus = (accPlus * curMult + curPlus) & M128;
      }
      curPlus = ((curMult + 1n) * curPlus) & M128;
      curMult = (curMult * curMult) & M128;
      d >>= 1n;
    }
    this._src.state = (accMult * this._src.state + accPlus) & M128;
    this._src.hasUint32 = 0;
    this._src.uinteger = 0;
    return this;
  }
  spawn(n_children: number): PCG64DXSM[] {
    if (n_children < 0) throw new OverflowError("can't convert negative value to uint32_t");
    return this.seed_seq.spawn(n_children).map((c) => new PCG64DXSM(c));
  }
}
