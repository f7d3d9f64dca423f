// NumPy's SeedSequence (numpy/random/bit_generator.pyx): hashes arbitrary
// integer entropy into a 128-bit pool and expands it into seed words for a
// bit generator. All arithmetic is on uint32 with wraparound, so Math.imul
// and `>>> 0` reproduce the C code exactly.

import { ValueError } from "../errors.js";
import { runtime } from "../../core/index.js";
import { stateFromSeed } from "./pcg64.js";

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const DEFAULT_POOL_SIZE = 4;

/** One integer of entropy, or a flat sequence of them. */
export type SeedEntropy = number | bigint | ArrayLike<number | bigint>;

function toBigIntChecked(v: number | bigint): bigint {
  if (typeof v === "bigint") {
    if (v < 0n) throw new ValueError("expected non-negative integer");
    return v;
  }
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError("seed must be integer");
  }
  if (v < 0) throw new ValueError("expected non-negative integer");
  if (!Number.isSafeInteger(v)) {
    // Beyond 2^53 a number no longer names a single integer the caller meant.
    throw new RangeError("integer seeds above 2**53 must be passed as bigint");
  }
  return BigInt(v);
}

/** An integer split into uint32 words, least significant first; 0 gives [0]. */
function intToWords(v: number | bigint, out: number[]): void {
  let n = toBigIntChecked(v);
  if (n === 0n) {
    out.push(0);
    return;
  }
  while (n > 0n) {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
}

/** NumPy's _coerce_to_uint32_array for an int or a flat sequence of ints. */
export function coerceToUint32Array(x: SeedEntropy): Uint32Array {
  const words: number[] = [];
  if (typeof x === "number" || typeof x === "bigint") {
    if (typeof x === "number" && !Number.isInteger(x)) throw new TypeError(`SeedSequence expects int or sequence of ints for entropy not ${x}`);
    intToWords(x, words);
  } else if (typeof x === "string" || x === null || typeof x !== "object") {
    throw new TypeError(`SeedSequence expects int or sequence of ints for entropy not ${String(x)}`);
  } else {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v !== "number" && typeof v !== "bigint") {
        throw new TypeError("SeedSequence does not accept nested sequences.");
      }
      intToWords(v, words);
    }
  }
  return Uint32Array.from(words);
}

/** Fresh entropy from the platform CSPRNG, like `secrets.randbits(bits)`. */
function randomEntropy(bits: number): bigint {
  let words = new Uint32Array(Math.ceil(bits / 32));
  const c = (globalThis as { crypto?: { getRandomValues<T extends ArrayBufferView>(a: T): T } }).crypto;
  if (c === undefined || typeof c.getRandomValues !== "function") {
    throw new Error("no crypto.getRandomValues available for unseeded default_rng()");
  }
  c.getRandomValues(words);
  // Across ranks every rank must draw the same stream: rank 0's entropy, shared.
  words = runtime().bcast(words);
  let n = 0n;
  for (let i = words.length - 1; i >= 0; i--) n = (n << 32n) | BigInt(words[i]!);
  return n;
}

export interface SeedSequenceOptions {
  spawnKey?: ArrayLike<number | bigint>;
  poolSize?: number;
  nChildrenSpawned?: number;
}

export class SeedSequence {
  /** The entropy as given, or the fresh 128-bit integer drawn when none was. */
  readonly entropy: SeedEntropy;
  readonly spawnKey: readonly (number | bigint)[];
  readonly poolSize: number;
  nChildrenSpawned: number;
  /** The mixed entropy pool (uint32 words). */
  readonly pool: Uint32Array;

  constructor(entropy?: SeedEntropy | null, options: SeedSequenceOptions = {}) {
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    if (!Number.isInteger(poolSize) || poolSize < DEFAULT_POOL_SIZE) {
      throw new RangeError(`The size of the entropy pool should be at least ${DEFAULT_POOL_SIZE}`);
    }
    this.entropy = entropy ?? randomEntropy(poolSize * 32);
    this.spawnKey = Array.from(options.spawnKey ?? []);
    this.poolSize = poolSize;
    this.nChildrenSpawned = options.nChildrenSpawned ?? 0;
    this.pool = new Uint32Array(poolSize);
    mixEntropy(this.pool, this.assembledEntropy());
  }

  private assembledEntropy(): Uint32Array {
    let run = coerceToUint32Array(this.entropy);
    const spawn = coerceToUint32Array(this.spawnKey);
    // Pad so that spawn-key words can never alias plain entropy words.
    if (spawn.length > 0 && run.length < this.poolSize) {
      const padded = new Uint32Array(this.poolSize);
      padded.set(run);
      run = padded;
    }
    const all = new Uint32Array(run.length + spawn.length);
    all.set(run);
    all.set(spawn, run.length);
    return all;
  }

  /**
   * Seed words for a bit generator. With 'uint64', twice as many uint32 words
   * are drawn and paired little-endian, exactly as NumPy does.
   */
  generateState(nWords: number, dtype: "uint32"): Uint32Array;
  generateState(nWords: number, dtype: "uint64"): BigUint64Array;
  generateState(nWords: number, dtype?: "uint32" | "uint64"): Uint32Array | BigUint64Array;
  generateState(nWords: number, dtype: "uint32" | "uint64" = "uint32"): Uint32Array | BigUint64Array {
    if (dtype !== "uint32" && dtype !== "uint64") throw new TypeError("only support uint32 or uint64");
    const words = generateWords(this.pool, dtype === "uint64" ? nWords * 2 : nWords);
    if (dtype === "uint32") return words;
    const out = new BigUint64Array(nWords);
    for (let i = 0; i < nWords; i++) {
      out[i] = (BigInt(words[2 * i + 1]!) << 32n) | BigInt(words[2 * i]!);
    }
    return out;
  }

  /** Child sequences with extended spawn keys, as `SeedSequence.spawn`. */
  spawn(nChildren: number): SeedSequence[] {
    if (!Number.isInteger(nChildren) || nChildren < 0) {
      throw new RangeError("n_children must be non-negative");
    }
    const seqs: SeedSequence[] = [];
    for (let i = this.nChildrenSpawned; i < this.nChildrenSpawned + nChildren; i++) {
      seqs.push(new SeedSequence(this.entropy, { spawnKey: [...this.spawnKey, i], poolSize: this.poolSize }));
    }
    this.nChildrenSpawned += nChildren;
    return seqs;
  }
}

/** uint32 words from the pool (the loop body of generate_state). */
export function generateWords(pool: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n);
  let hashConst = INIT_B;
  for (let i = 0; i < n; i++) {
    let v = (pool[i % pool.length]! ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_B) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    v = (v ^ (v >>> XSHIFT)) >>> 0;
    out[i] = v;
  }
  return out;
}

function mixEntropy(mixer: Uint32Array, entropy: Uint32Array): void {
  const hc = { v: INIT_A };
  const hashmix = (value: number): number => {
    value = (value ^ hc.v) >>> 0;
    hc.v = Math.imul(hc.v, MULT_A) >>> 0;
    value = Math.imul(value, hc.v) >>> 0;
    return (value ^ (value >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> XSHIFT)) >>> 0;
  };
  const n = mixer.length;
  for (let i = 0; i < n; i++) {
    mixer[i] = hashmix(i < entropy.length ? entropy[i]! : 0);
  }
  for (let src = 0; src < n; src++) {
    for (let dst = 0; dst < n; dst++) {
      if (src !== dst) mixer[dst] = mix(mixer[dst]!, hashmix(mixer[src]!));
    }
  }
  for (let src = n; src < entropy.length; src++) {
    for (let dst = 0; dst < n; dst++) {
      mixer[dst] = mix(mixer[dst]!, hashmix(entropy[src]!));
    }
  }
}

/** State words for `np.random.default_rng(seed)` (PCG64 over SeedSequence). */
export function seedState(seed?: SeedEntropy | SeedSequence | null): Uint32Array {
  const seq = seed instanceof SeedSequence ? seed : new SeedSequence(seed ?? null);
  const w = seq.generateState(8, "uint32");
  // generate_state(4, uint64) pairs words little-endian: val[k] = w[2k] | w[2k+1] << 32,
  // and NumPy reads (val[0], val[1]) as (high, low) of the initial state.
  const u64 = (k: number): bigint => (BigInt(w[2 * k + 1]!) << 32n) | BigInt(w[2 * k]!);
  return stateFromSeed((u64(0) << 64n) | u64(1), (u64(2) << 64n) | u64(3));
}
