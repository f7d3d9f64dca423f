import { runtime, type Store, DTYPES } from "../../core/index.js";
import { newStore } from "../alloc.js";
import { ndarray } from "../ndarray.js";
import { type DType, dtype as toDType, intRange } from "../dtypes.js";
import type { DTypeLike } from "../dtypes.js";
import { def, method } from "../signature.js";
import { arg, conv, pyType } from "../param_types.js";
import { OverflowError, ValueError } from "../errors.js";
import { toShape } from "../creation_shape.js";
import { numpyLibrary } from "../tasks/library.js";
import type { DrawKind } from "../tasks/rng/cpu.js";
import { STATE_WORDS, getState } from "./pcg64.js";
import { seedState } from "./seed_sequence.js";
import type { Pcg64StateObject } from "./pcg64.js";
import type { SeedEntropy } from "./seed_sequence.js";

const bigInt = conv<number | bigint, bigint>((v): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return BigInt(v);
  throw new TypeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
});

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

  private draw(kind: DrawKind, size: number[] | null, dt: string, a: number | bigint = 0, b: number | bigint = 0): ndarray | number {
    const shape = size === null ? [] : toShape(size);
    const n = shape.reduce((p, x) => p * x, 1);
    const rt = runtime();
    const lib = numpyLibrary();
    const flat = newStore([n], toDType(dt));
    if (n > 0) {
      const parallel = kind === "random" || kind === "uniform";
      rt.submit(
        lib.launch("rng_fill", {
          args: [
            { store: this.state, privilege: parallel ? "read" : "readwrite" },
            { store: flat, privilege: "write" },
          ],
          scalars: [kind, a, b, dt, parallel],
          serial: !parallel,
        }),
      );
      if (parallel) rt.submit(lib.launch("rng_advance", { args: [{ store: this.state, privilege: "readwrite" }], scalars: [n], serial: true }));
    }
    const out = new ndarray(flat.reshape(shape)!);
    return size === null ? (out.item() as number) : out;
  }

  /** @internal one draw of `kind` into a new array of shape `size` (a number when size is None). */
  _draw(kind: DrawKind, size: number[] | null, dt: string, a: number | bigint = 0, b: number | bigint = 0): ndarray | number {
    return this.draw(kind, size, dt, a, b);
  }

  // ---- the Generator methods, declared with NumPy's signatures below
  declare random: GM["random"];
  declare uniform: GM["uniform"];
  declare standard_normal: GM["standard_normal"];
  declare normal: GM["normal"];
  declare integers: GM["integers"];
}

const size = conv<number | readonly number[] | null, number[] | null>((v, r): number[] | null => (v === null ? null : arg.shape(v, r)));
/** `out=`: the draw fills it (its shape is the size). */
function into(out: ndarray | null, sz: number[] | null, draw: (s: number[] | null) => ndarray | number): ndarray | number {
  if (out === null) return draw(sz);
  if (sz !== null && sz.join() !== out.shape.join()) throw new ValueError("size must match out.shape when used together");
  out.set("...", draw(out.shape));
  return out;
}
const floatDType = (name: string, allowed: DType[]) =>
  conv<DTypeLike, DType>((v): DType => {
    const d = toDType(v as DTypeLike);
    if (!allowed.includes(d)) throw new TypeError(`Unsupported dtype dtype('${d.name}') for ${name}`);
    return d;
  });

const GENERATOR_METHODS = {
  /** Floats in [0, 1): `random(size=None, dtype=float64, out=None)` (float32 too). */
  random: method(
    "random",
    "size=None, dtype=<class 'numpy.float64'>, out=None",
    { size, dtype: floatDType("random", [DTYPES.float64, DTYPES.float32]), out: arg.out },
    (g: Generator, p): ndarray | number => into(p.out, p.size, (s) => g._draw(p.dtype === DTYPES.float32 ? "random32" : "random", s, p.dtype.name)),
  ),
  /** Uniform floats in [low, high). */
  uniform: method("uniform", "low=0.0, high=1.0, size=None", { low: arg.float, high: arg.float, size }, (g: Generator, p): ndarray | number => {
    if (!Number.isFinite(p.high - p.low)) throw new OverflowError("high - low range exceeds valid bounds");
    return g._draw("uniform", p.size, "float64", p.low, p.high);
  }),
  /** Standard normal draws (NumPy's ziggurat), float64. */
  standard_normal: method(
    "standard_normal",
    "size=None, dtype=<class 'numpy.float64'>, out=None",
    { size, dtype: floatDType("standard_normal", [DTYPES.float64]), out: arg.out },
    (g: Generator, p): ndarray | number => into(p.out, p.size, (s) => g._draw("standard_normal", s, "float64")),
  ),
  /** Normal draws with mean `loc` and standard deviation `scale`. */
  normal: method("normal", "loc=0.0, scale=1.0, size=None", { loc: arg.float, scale: arg.float, size }, (g: Generator, p): ndarray | number => {
    if (p.scale < 0) throw new ValueError("scale < 0");
    return g._draw("normal", p.size, "float64", p.loc, p.scale);
  }),
  /** Integers in [low, high) (or [low, high] with `endpoint`); `integers(high)` means [0, high). */
  integers: method(
    "integers",
    "low, high=None, size=None, dtype=<class 'numpy.int64'>, endpoint=False",
    {
      low: bigInt,
      high: conv<number | bigint | null, bigint | null>((v, r): bigint | null => (v === null ? null : bigInt(v, r))),
      size,
      dtype: arg.dtype,
      endpoint: arg.bool,
    },
    (g: Generator, p): ndarray | number => {
      const dt = p.dtype ?? DTYPES.int64;
      if (!(dt.isInteger || dt.kind === "b")) throw new TypeError(`Unsupported dtype dtype('${dt.name}') for integers`);
      let lo = p.low,
        hi: bigint;
      if (p.high === null) {
        hi = lo;
        lo = 0n;
      } else hi = p.high;
      if (!p.endpoint) {
        if (lo >= hi) throw new ValueError(p.high === null ? "high <= 0" : "low >= high");
        hi -= 1n;
      } else if (lo > hi) throw new ValueError("low > high");
      const [min, max] = dt.kind === "b" ? [0n, 1n] : intRange(dt);
      if (lo < min) throw new ValueError("low is out of bounds for " + dt.name);
      if (hi > max) throw new ValueError("high is out of bounds for " + dt.name);
      return g._draw("integers", p.size, dt.name, lo, hi);
    },
  ),
};
type GM = typeof GENERATOR_METHODS;
for (const [name, fn] of Object.entries(GENERATOR_METHODS))
  Object.defineProperty(Generator.prototype, name, { value: fn, writable: true, configurable: true });

/** np.random.default_rng(seed=None): a Generator over PCG64. */
export const default_rng = def(
  "default_rng",
  "seed=None",
  { seed: conv<SeedEntropy | null>((v): SeedEntropy | null => v as SeedEntropy | null) },
  (p): Generator => new Generator(p.seed),
);
