// np.random.BitGenerator: NumPy's abstract base of the bit generators (bit_generator.pyx).
// It holds what they share: the seeding through SeedSequence, `seed_seq`, `spawn`,
// `random_raw` and the checks of a `state` dict written back. A subclass gives its state
// dict and a bit source over its state (`_host`).

import { fromTypedArray } from "../creation_from_data.js";
import { OverflowError, ValueError } from "../errors.js";
import type { ndarray } from "../ndarray.js";
import { NotImplementedError, arg, unsupported } from "../param_types.js";
import { method } from "../signature.js";
import type { GenSource } from "./bit_source.js";
import { sizeArg } from "./distribution_params.js";
import { SeedSequence } from "./seed_sequence.js";
import type { SeedEntropy } from "./seed_sequence.js";

/**
 * np.random.BitGenerator(seed=None): the base class of PCG64, MT19937, SFC64, PCG64DXSM and
 * Philox. As in NumPy it cannot be instantiated itself. There is no `lock` (JavaScript draws
 * on one thread; a Generator's deferred draws are ordered by the runtime), and `ctypes`,
 * `cffi` and `capsule` (the C interfaces) are not supported.
 */
export abstract class BitGenerator<S extends object = object> {
  /** @internal the SeedSequence it was seeded from; null after legacy seeding or an explicit key */
  _seed_seq: SeedSequence | null;
  constructor(seed: unknown = null) {
    if (new.target === BitGenerator) throw new NotImplementedError("BitGenerator is a base class and cannot be instantized");
    this._seed_seq = seed instanceof SeedSequence ? seed : new SeedSequence((seed ?? null) as SeedEntropy | null);
  }

  /** The SeedSequence it was seeded from (null where it was not). */
  get seed_seq(): SeedSequence | null {
    return this._seed_seq;
  }

  /** The state as NumPy's dict (`bit_generator` names the class). */
  get state(): S {
    return this._getState();
  }
  /** Restores a state dict of this kind of bit generator. */
  set state(value: S) {
    const name = this.constructor.name;
    if (value === null || typeof value !== "object") throw new TypeError("state must be a dict");
    if ((value as { bit_generator?: unknown }).bit_generator !== name) throw new ValueError(this._wrongKind(name));
    this._setState(value);
  }
  /** @internal NumPy's message for a state dict of another kind (its wording differs by class). */
  protected _wrongKind(name: string): string {
    return `state must be for a ${name} PRNG`;
  }

  /** @internal the state dict */
  protected abstract _getState(): S;
  /** @internal writes a state dict whose kind has been checked */
  protected abstract _setState(value: S): void;
  /**
   * @internal `fn` on a bit source over the state, in order on the host (PCG64 reads its
   * state out of the runtime store and writes it back).
   */
  abstract _host<T>(fn: (s: GenSource) => T): T;
  /** @internal NumPy's `next_raw`: the generator's native output (64 bits; MT19937's 32). */
  _nextRaw(s: GenSource): bigint {
    return s.next64();
  }

  /** Not supported: NumPy's `threading.RLock`; draws here run on one thread. */
  get lock(): never {
    return unsupported("BitGenerator.lock", "a thread lock");
  }
  /** Not supported: the C interface through ctypes. */
  get ctypes(): never {
    return unsupported("BitGenerator.ctypes", "the ctypes interface");
  }
  /** Not supported: the C interface through cffi. */
  get cffi(): never {
    return unsupported("BitGenerator.cffi", "the cffi interface");
  }
  /** Not supported: the PyCapsule of the C bitgen_t. */
  get capsule(): never {
    return unsupported("BitGenerator.capsule", "the bitgen_t capsule");
  }

  declare random_raw: BM["random_raw"];
  declare spawn: BM["spawn"];
}

const BITGEN_METHODS = {
  /** The raw outputs as uint64 (a bigint when size is None); with output=False, draws and returns null. */
  random_raw: method("random_raw", "size=None, output=True", { size: sizeArg, output: arg.bool }, (bg: BitGenerator, p): ndarray | bigint | null => {
    if (p.size !== null && p.size.some((d) => d < 0)) throw new ValueError("negative dimensions are not allowed");
    return bg._host((s) => {
      if (p.size === null) {
        const v = bg._nextRaw(s);
        return p.output ? v : null;
      }
      if (!p.output) {
        // NumPy draws np.asarray(size).sum() values here (not the product).
        const n = p.size.reduce((a, b) => a + b, 0);
        for (let i = 0; i < n; i++) bg._nextRaw(s);
        return null;
      }
      const out = new BigUint64Array(p.size.reduce((a, b) => a * b, 1));
      for (let i = 0; i < out.length; i++) out[i] = bg._nextRaw(s);
      return fromTypedArray(out, p.size, "uint64");
    });
  }),
  /** Child bit generators of the same kind, seeded from `seed_seq.spawn(n_children)`. */
  spawn: method("spawn", "n_children", { n_children: arg.cint }, (bg: BitGenerator, p): BitGenerator[] => {
    if (bg._seed_seq === null) throw new TypeError("The underlying SeedSequence does not implement spawning.");
    if (p.n_children < 0) throw new OverflowError("can't convert negative value to uint32_t");
    const kind = bg.constructor as new (seed: SeedSequence) => BitGenerator;
    return bg._seed_seq.spawn(p.n_children).map((c) => new kind(c));
  }),
};
type BM = typeof BITGEN_METHODS;
for (const [name, fn] of Object.entries(BITGEN_METHODS))
  Object.defineProperty(BitGenerator.prototype, name, { value: fn, writable: true, configurable: true });
