// NumPy's bit generator objects: PCG64 and MT19937, seeded through SeedSequence as
// NumPy's are (the BitGenerator base), with their `state` dicts, and PCG64's `advance` /
// MT19937's legacy seeding. A Generator draws from one; np.random.Generator(np.random.PCG64(seed)) equals
// np.random.default_rng(seed).

import { runtime, type Store } from "../../core/index.js";
import type { ArrayLike as ArrayLikeNd } from "../creation_from_data.js";
import { asarray, fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { ValueError } from "../errors.js";
import { pyType } from "../param_types.js";
import { SeedSequence } from "./seed_sequence.js";
import { BitGenerator } from "./bit_generator.js";
import { type GenSource, MT19937Source, PCG64Source } from "./bit_source.js";
import { MT_N, type MT19937State, mt19937InitByArray, mt19937Seed, newMT19937State } from "./mt19937.js";
import { STATE_WORDS, advance, getState, setState } from "./pcg64.js";
import { seedState } from "./seed_sequence.js";

/** An integer argument (Python's operator.index). */
export function toIndexInt(v: unknown, what = "integer"): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return Number(v);
  if (v instanceof ndarray && v.ndim === 0 && (v.dtype.isInteger || v.dtype.kind === "b")) return Number(v.item());
  throw new TypeError(`'${pyType(v)}' object cannot be interpreted as an ${what}`);
}

/** `_legacy_seeding`: an int in [0, 2**32) through init_genrand, an array through init_by_array. */
export function legacySeed(mt: MT19937State, seed: unknown): void {
  if (seed === null || seed === undefined) {
    const val = new SeedSequence().generateState(MT_N, "uint32");
    mt.key[0] = 0x80000000;
    for (let i = 1; i < MT_N; i++) mt.key[i] = val[i]!;
    return;
  }
  let s = seed;
  if (s instanceof ndarray) s = s.squeeze();
  const isIndex =
    (typeof s === "number" && Number.isInteger(s)) ||
    typeof s === "bigint" ||
    typeof s === "boolean" ||
    (s instanceof ndarray && s.ndim === 0 && (s.dtype.isInteger || s.dtype.kind === "b"));
  if (isIndex) {
    const v = s instanceof ndarray ? BigInt(s.item({ bigint: true }) as bigint | number) : BigInt(s as number | bigint | boolean);
    if (v < 0n || v > 0xffffffffn) throw new ValueError("Seed must be between 0 and 2**32 - 1");
    mt19937Seed(mt, Number(v));
    return;
  }
  const obj = asarray(s as ArrayLikeNd);
  if (obj.ndim === 0 && !(obj.dtype.isInteger || obj.dtype.kind === "b"))
    throw new TypeError(`Cannot cast scalar from dtype('${obj.dtype.name}') to dtype('int64') according to the rule 'safe'`);
  if (obj.size === 0) throw new ValueError("Seed must be non-empty");
  if (!(obj.dtype.isInteger || obj.dtype.kind === "b") || obj.dtype.name === "uint64")
    throw new TypeError(`Cannot cast array data from dtype('${obj.dtype.name}') to dtype('int64') according to the rule 'safe'`);
  if (obj.ndim !== 1) throw new ValueError("Seed array must be 1-d");
  const words = (obj.astype("int64").toTypedArray() as BigInt64Array).map((x) => x);
  for (const w of words) if (w < 0n || w > 0xffffffffn) throw new ValueError("Seed must be between 0 and 2**32 - 1");
  mt19937InitByArray(
    mt,
    Array.from(words, (w) => Number(w)),
  );
}

/** PCG64's state as NumPy's `bit_generator.state` gives it. */
export interface PCG64State {
  bit_generator: "PCG64";
  state: { state: bigint; inc: bigint };
  has_uint32: number;
  uinteger: number;
}

/**
 * np.random.PCG64(seed=None). Its state lives in a runtime store, so that a Generator's
 * deferred draws are ordered by their dependence on it; reading `state` is a blocking point.
 */
export class PCG64 extends BitGenerator<PCG64State> {
  /** @internal the state words (see pcg64.ts) */
  _store: Store;
  constructor(seed: unknown = null) {
    super(seed);
    this._store = runtime().attach([STATE_WORDS], "uint32", seedState(this._seed_seq!));
  }

  /** @internal `fn` on a host copy of the state words; the advanced copy replaces the store. */
  _withWords<T>(fn: (words: Uint32Array) => T): T {
    const rt = runtime();
    const old = this._store;
    const words = (rt.read(old) as Uint32Array).slice(old.offset, old.offset + STATE_WORDS);
    const r = fn(words);
    this._store = rt.attach([STATE_WORDS], "uint32", words);
    rt.dispose(old);
    return r;
  }

  /** @internal draws on the host: a blocking read of the state, `fn` over a copy (an error leaves the state as it was). */
  _host<T>(fn: (s: GenSource) => T): T {
    return this._withWords((w) => fn(new PCG64Source(w)));
  }

  protected _getState(): PCG64State {
    const s = this._store;
    const st = getState((runtime().read(s) as Uint32Array).slice(s.offset, s.offset + STATE_WORDS));
    return { bit_generator: "PCG64", state: { state: st.state, inc: st.inc }, has_uint32: st.has_uint32, uinteger: st.uinteger };
  }
  protected override _wrongKind(name: string): string {
    return `state must be for a ${name} RNG`;
  }
  protected _setState(value: PCG64State): void {
    this._withWords((w) => {
      setState({ state: BigInt(value.state.state), inc: BigInt(value.state.inc), has_uint32: value.has_uint32, uinteger: value.uinteger }, w);
    });
  }

  /** Jumps the state ahead by `delta` draws (mod 2**128), as `PCG64.advance`. */
  advance(delta: number | bigint): PCG64 {
    this._withWords((w) => advance(w, BigInt(delta)));
    return this;
  }
}

/** MT19937's state as NumPy's `bit_generator.state` gives it. */
export interface MT19937StateDict {
  bit_generator: "MT19937";
  state: { key: ndarray; pos: number };
}

/**
 * np.random.MT19937(seed=None): seeded through SeedSequence (624 words, key[0] = 2**31, pos
 * 623, as NumPy leaves it), or with `_legacy_seeding` as RandomState seeds. Its state is on
 * the host: the twister is sequential.
 */
export class MT19937 extends BitGenerator<MT19937StateDict> {
  /** @internal */
  readonly _mt: MT19937State = newMT19937State();
  constructor(seed: unknown = null) {
    super(seed);
    const val = this._seed_seq!.generateState(MT_N, "uint32");
    this._mt.key.set(val);
    this._mt.key[0] = 0x80000000;
    this._mt.pos = MT_N - 1;
  }

  /** Seeds as RandomState(seed) does (init_genrand for an int, init_by_array for an array). */
  _legacy_seeding(seed: unknown): void {
    legacySeed(this._mt, seed);
    this._seed_seq = null;
  }

  /** @internal */
  _host<T>(fn: (s: GenSource) => T): T {
    return fn(new MT19937Source(this._mt));
  }
  /** @internal NumPy's mt19937_raw: one 32-bit output. */
  override _nextRaw(s: GenSource): bigint {
    return BigInt(s.next32());
  }

  protected _getState(): MT19937StateDict {
    return { bit_generator: "MT19937", state: { key: fromTypedArray(this._mt.key.slice(), [MT_N], "uint32"), pos: this._mt.pos } };
  }
  protected _setState(value: MT19937StateDict): void {
    const key =
      value.state.key instanceof ndarray ? value.state.key.astype("uint32").toTypedArray() : Uint32Array.from(value.state.key as ArrayLike<number>);
    this._mt.key.set((key as Uint32Array).subarray(0, MT_N));
    this._mt.pos = toIndexInt(value.state.pos);
  }
}
