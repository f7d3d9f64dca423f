import { runtime } from "../../core/runtime.js";
import { Store } from "../../core/store.js";
import { DTYPES } from "../../core/dtype.js";
import { newStore } from "../alloc.js";
import { ndarray } from "../ndarray.js";
import { DTypeLike, dtype as toDType, intRange } from "../dtypes.js";
import { OverflowError, ValueError } from "../errors.js";
import { toShape } from "../creation_shape.js";
import { numpyLibrary } from "../library.js";
import { DrawKind } from "../tasks.js";
import { STATE_WORDS, seedState, getState, Pcg64StateObject } from "./pcg64.js";
import { SeedEntropy } from "./seed_sequence.js";

type Size = number | readonly number[] | null | undefined;

/**
 * np.random.Generator over PCG64, seeded through SeedSequence exactly as NumPy, so the
 * same seed gives NumPy's numbers. The generator state lives in a runtime store: draws are
 * deferred tasks ordered by their dependence on it. Fixed-cost draws (random, uniform) are
 * cut across workers, each jumping ahead to its own block; others run as one serial task.
 */
export class Generator {
  private readonly state: Store;
  constructor(seed?: SeedEntropy | null) {
    this.state = runtime().attach([STATE_WORDS], "uint32", seedState(seed ?? undefined));
  }

  /** The PCG64 state, as NumPy's `rng.bit_generator.state` (a blocking read). */
  get bit_generator(): { state: Pcg64StateObject } {
    const data = runtime().read(this.state) as Uint32Array;
    return { state: getState(data.slice(0, STATE_WORDS)) };
  }

  private draw(kind: DrawKind, size: Size, dt: string, a: number | bigint = 0, b: number | bigint = 0): ndarray | number {
    const shape = size === null || size === undefined ? [] : toShape(size as number | number[]);
    const n = shape.reduce((p, x) => p * x, 1);
    const rt = runtime();
    const lib = numpyLibrary();
    const flat = newStore([n], toDType(dt));
    if (n > 0) {
      const parallel = kind === "random" || kind === "uniform";
      rt.submit(lib.launch("rng_fill", {
        args: [{ store: this.state, privilege: parallel ? "read" : "readwrite" }, { store: flat, privilege: "write" }],
        scalars: [kind, a, b, dt, parallel], serial: !parallel,
      }));
      if (parallel) rt.submit(lib.launch("rng_advance", { args: [{ store: this.state, privilege: "readwrite" }], scalars: [n], serial: true }));
    }
    const out = new ndarray(flat.reshape(shape)!);
    return size === null || size === undefined ? (out.item() as number) : out;
  }

  /** Floats in [0, 1): `random(size, {dtype: "float64" | "float32"})`. */
  random(size?: Size, opts: { dtype?: DTypeLike } = {}): ndarray | number {
    const dt = toDType(opts.dtype ?? "float64");
    if (dt !== DTYPES.float64 && dt !== DTYPES.float32) throw new TypeError(`Unsupported dtype dtype('${dt.name}') for random`);
    return this.draw(dt === DTYPES.float32 ? "random32" : "random", size, dt.name);
  }

  /** Uniform floats in [low, high). */
  uniform(low = 0, high = 1, size?: Size): ndarray | number {
    if (!Number.isFinite(high - low)) throw new OverflowError("high - low range exceeds valid bounds");
    return this.draw("uniform", size, "float64", low, high);
  }

  /** Standard normal draws (NumPy's ziggurat). */
  standard_normal(size?: Size, opts: { dtype?: DTypeLike } = {}): ndarray | number {
    const dt = toDType(opts.dtype ?? "float64");
    if (dt !== DTYPES.float64) throw new TypeError(`Unsupported dtype dtype('${dt.name}') for standard_normal`);
    return this.draw("standard_normal", size, "float64");
  }

  /** Normal draws with mean `loc` and standard deviation `scale`. */
  normal(loc = 0, scale = 1, size?: Size): ndarray | number {
    if (scale < 0) throw new ValueError("scale < 0");
    return this.draw("normal", size, "float64", loc, scale);
  }

  /** Integers in [low, high) (or [low, high] with `endpoint`); `integers(high)` means [0, high). */
  integers(low: number | bigint, high?: number | bigint | null, size?: Size, opts: { dtype?: DTypeLike; endpoint?: boolean } = {}): ndarray | number {
    const dt = toDType(opts.dtype ?? "int64");
    if (!(dt.isInteger || dt.kind === "b")) throw new TypeError(`Unsupported dtype dtype('${dt.name}') for integers`);
    let lo = BigInt(low), hi: bigint;
    if (high === undefined || high === null) { hi = lo; lo = 0n; } else hi = BigInt(high);
    if (!opts.endpoint) {
      if (lo >= hi) throw new ValueError(high === undefined || high === null ? "high <= 0" : "low >= high");
      hi -= 1n;
    } else if (lo > hi) throw new ValueError("low > high");
    const [min, max] = dt.kind === "b" ? [0n, 1n] : intRange(dt);
    if (lo < min) throw new ValueError("low is out of bounds for " + dt.name);
    if (hi > max) throw new ValueError("high is out of bounds for " + dt.name);
    const r = this.draw("integers", size, dt.name, lo, hi);
    return r;
  }
}



/** np.random.default_rng(seed): a Generator over PCG64. */
export function default_rng(seed?: SeedEntropy | null): Generator {
  return new Generator(seed);
}
