// np.random.SFC64 and np.random.PCG64DXSM: NumPy's other 64-bit bit generators, seeded
// through SeedSequence as NumPy's are. Their state is on the host (BigInt words); a Generator
// over either draws in order on the host.

import { fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { ValueError } from "../errors.js";
import { SeedSequence } from "./seed_sequence.js";
import type { GenSource } from "./bit_source.js";
import { BitGenerator } from "./bit_generator.js";
import { lcgAdvance } from "./pcg64.js";

const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;

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
export class SFC64 extends BitGenerator<SFC64State> {
  /** @internal */
  readonly _src = new SFC64Source();
  constructor(seed: unknown = null) {
    super(seed);
    const val = this._seed_seq!.generateState(3, "uint64");
    this._src.s.splice(0, 4, val[0]!, val[1]!, val[2]!, 1n);
    for (let i = 0; i < 12; i++) this._src.next64();
  }
  /** @internal */
  _host<T>(fn: (s: GenSource) => T): T {
    return fn(this._src);
  }
  protected _getState(): SFC64State {
    return {
      bit_generator: "SFC64",
      state: { state: fromTypedArray(BigUint64Array.from(this._src.s), [4], "uint64") },
      has_uint32: this._src.hasUint32,
      uinteger: this._src.uinteger,
    };
  }
  /** NumPy 2.4's message, its unformatted placeholder included. */
  protected override _wrongKind(): string {
    return "state must be for a {self.__class__.__name__} RNG";
  }
  protected _setState(value: SFC64State): void {
    const st = value.state.state;
    const words = st instanceof ndarray ? (st.astype("uint64").toTypedArray() as BigUint64Array) : BigUint64Array.from(st as bigint[]);
    this._src.s.splice(0, 4, ...Array.from(words.subarray(0, 4)));
    this._src.hasUint32 = value.has_uint32;
    this._src.uinteger = value.uinteger >>> 0;
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
export class PCG64DXSM extends BitGenerator<PCG64DXSMState> {
  /** @internal */
  readonly _src = new PCG64DXSMSource();
  constructor(seed: unknown = null) {
    super(seed);
    const v = this._seed_seq!.generateState(4, "uint64");
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
  _host<T>(fn: (s: GenSource) => T): T {
    return fn(this._src);
  }
  protected _getState(): PCG64DXSMState {
    return {
      bit_generator: "PCG64DXSM",
      state: { state: this._src.state, inc: this._src.inc },
      has_uint32: this._src.hasUint32,
      uinteger: this._src.uinteger,
    };
  }
  protected override _wrongKind(name: string): string {
    return `state must be for a ${name} RNG`;
  }
  protected _setState(value: PCG64DXSMState): void {
    this._src.state = BigInt(value.state.state) & M128;
    this._src.inc = BigInt(value.state.inc) & M128;
    this._src.hasUint32 = value.has_uint32;
    this._src.uinteger = value.uinteger >>> 0;
  }
  /** Jumps ahead by `delta` draws (mod 2**128) with the cheap multiplier, as `PCG64DXSM.advance`. */
  advance(delta: number | bigint): PCG64DXSM {
    this._src.state = lcgAdvance(this._src.state, this._src.inc, CHEAP, BigInt(delta));
    this._src.hasUint32 = 0;
    this._src.uinteger = 0;
    return this;
  }
}

const PHILOX_M0 = 0xd2e7470ee14c6c93n;
const PHILOX_M1 = 0xca5a826395121157n;
const PHILOX_W0 = 0x9e3779b97f4a7c15n;
const PHILOX_W1 = 0xbb67ae8584caa73bn;

/** Philox4x64-10 with NumPy's 4-word output buffer, as philox.h. */
class PhiloxSource extends Source64 {
  ctr: bigint[] = [0n, 0n, 0n, 0n];
  key: bigint[] = [0n, 0n];
  buffer: bigint[] = [0n, 0n, 0n, 0n];
  bufferPos = 4;
  next64(): bigint {
    if (this.bufferPos < 4) return this.buffer[this.bufferPos++]!;
    const c = this.ctr;
    for (let i = 0; i < 4; i++) {
      c[i] = (c[i]! + 1n) & M64; // carry into the next word only on wrap-around
      if (c[i] !== 0n) break;
    }
    let x = c.slice();
    let k0 = this.key[0]!,
      k1 = this.key[1]!;
    for (let r = 0; r < 10; r++) {
      if (r > 0) {
        k0 = (k0 + PHILOX_W0) & M64;
        k1 = (k1 + PHILOX_W1) & M64;
      }
      const p0 = PHILOX_M0 * x[0]!;
      const p1 = PHILOX_M1 * x[2]!;
      x = [(p1 >> 64n) ^ x[1]! ^ k0, p1 & M64, (p0 >> 64n) ^ x[3]! ^ k1, p0 & M64];
    }
    this.buffer = x;
    this.bufferPos = 1;
    return x[0]!;
  }
}

/** An int (little-endian 64-bit words) or a sequence of words, as NumPy's int_to_array. */
function toWords(v: unknown, name: string, bits: number): bigint[] {
  const n = bits / 64;
  if (typeof v === "number" || typeof v === "bigint") {
    let x = BigInt(v);
    if (x < 0n) throw new ValueError(`${name} must be positive`);
    if (x >= 1n << BigInt(bits)) throw new ValueError(`${name} must be positive and less than 2**${bits}.`);
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) {
      out.push(x & M64);
      x >>= 64n;
    }
    return out;
  }
  const arr = v instanceof ndarray ? (v.tolist({ bigint: true }) as (number | bigint)[]) : (v as (number | bigint)[]);
  if (!Array.isArray(arr) || arr.length !== n) throw new ValueError(`${name} must have ${n} elements`);
  return arr.map((w) => BigInt(w) & M64);
}

/** Philox's (seed, counter, key), keywords allowed as a trailing options object: new Philox({ key, counter }). */
function philoxArgs(seed: unknown, counter: unknown, key: unknown): [unknown, unknown, unknown] {
  if (seed !== null && typeof seed === "object" && !Array.isArray(seed) && !(seed instanceof ndarray) && !(seed instanceof SeedSequence)) {
    const o = seed as { seed?: unknown; counter?: unknown; key?: unknown };
    [seed, counter, key] = [o.seed ?? null, o.counter ?? counter, o.key ?? key];
  }
  if (seed !== null && key !== null) throw new ValueError("seed and key cannot be both used");
  return [seed, counter, key];
}

/** The state of a Philox as NumPy's `state` gives it. */
export interface PhiloxState {
  bit_generator: "Philox";
  state: { counter: ndarray; key: ndarray };
  buffer: ndarray;
  buffer_pos: number;
  has_uint32: number;
  uinteger: number;
}

/** np.random.Philox(seed=None, counter=None, key=None): the 4x64-10 counter-based generator. */
export class Philox extends BitGenerator<PhiloxState> {
  /** @internal */
  readonly _src = new PhiloxSource();
  constructor(seed: unknown = null, counter: unknown = null, key: unknown = null) {
    const [sd, ctr, k] = philoxArgs(seed, counter, key);
    super(sd);
    if (k !== null) {
      this._src.key = toWords(k, "key", 128);
      this._seed_seq = null; // as NumPy: an explicit key leaves nothing to spawn from
    } else this._src.key = Array.from(this._seed_seq!.generateState(2, "uint64"));
    this._src.ctr = toWords(ctr ?? 0, "counter", 256);
  }
  /** @internal */
  _host<T>(fn: (s: GenSource) => T): T {
    return fn(this._src);
  }
  protected _getState(): PhiloxState {
    const u64 = (xs: bigint[]) => fromTypedArray(BigUint64Array.from(xs), [xs.length], "uint64");
    const s = this._src;
    return {
      bit_generator: "Philox",
      state: { counter: u64(s.ctr), key: u64(s.key) },
      buffer: u64(s.buffer),
      buffer_pos: s.bufferPos,
      has_uint32: s.hasUint32,
      uinteger: s.uinteger,
    };
  }
  protected _setState(value: PhiloxState): void {
    const words = (x: unknown) => (x instanceof ndarray ? (x.tolist({ bigint: true }) as bigint[]) : (x as bigint[])).map((w) => BigInt(w));
    const s = this._src;
    s.ctr = words(value.state.counter);
    s.key = words(value.state.key);
    s.buffer = words(value.buffer);
    s.bufferPos = value.buffer_pos;
    s.hasUint32 = value.has_uint32;
    s.uinteger = value.uinteger >>> 0;
  }
}
