import { runtime, DTYPES } from "../../core/index.js";
import { newStore } from "../alloc.js";
import { fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { type DType, dtype as toDType, intRange } from "../dtypes.js";
import type { DTypeLike } from "../dtypes.js";
import { def, method } from "../signature.js";
import { arg, conv, pyType, unsupported } from "../param_types.js";
import { OverflowError, ValueError } from "../errors.js";
import { toShape } from "../creation_shape.js";
import { numpyLibrary } from "../tasks/library.js";
import type { DrawKind } from "../tasks/rng/cpu.js";
import type { SeedEntropy, SeedSequence } from "./seed_sequence.js";
import type { GenSource } from "./bit_source.js";
import { PCG64 } from "./bit_generators.js";
import { BitGenerator } from "./bit_generator.js";
import { fillLemire } from "./bounded_lemire.js";
import { RandomState } from "./mtrand.js";
import { checkConstraint, drawEach, hostParam, indexMap, int64FromNumbers, outputShape, packInts, pyTuple, dirichletAlpha } from "./legacy_params.js";
import { kahanSum } from "./choice_cdf.js";
import type { ParamSpec } from "./legacy_params.js";
import * as G from "./generator_distributions.js";
import { multivariateNormal } from "./multivariate_normal.js";
import { type DistName, distSpec, sizeArg } from "./distribution_params.js";
import { randomGumbel, randomLaplace, randomLogistic, randomPoisson, randomTriangular } from "./legacy_distributions.js";
import { multivariateHypergeometric } from "./multivariate_hypergeometric.js";
import { choiceOf, permutationOf, permutedCopy, randomBytes, shuffleInPlace } from "./generator_sampling.js";

const bigInt = conv<number | bigint, bigint>((v): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return BigInt(v);
  throw new TypeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
});

/**
 * np.random.Generator(bit_generator): NumPy's Generator over PCG64 (default_rng) or MT19937.
 * Over PCG64 the state lives in a runtime store: the basic draws (random, uniform, normal,
 * standard_normal, integers) are deferred tasks ordered by their dependence on it, and
 * fixed-cost ones (random, uniform) are cut across workers, each jumping ahead to its own
 * block. The other methods draw on the host (`_host`). Over MT19937 every draw runs in order
 * on the host.
 */
/** Draws of at most this many values run in place on the state, in one point. */
const SERIAL_DRAW_MAX = 4096;

export class Generator {
  /** @internal */
  readonly _bitgen: BitGenerator;
  constructor(bit_generator: BitGenerator) {
    if (!(bit_generator instanceof BitGenerator))
      throw new TypeError("Generator() argument must be a BitGenerator (np.random.PCG64, MT19937, SFC64, PCG64DXSM or Philox)");
    this._bitgen = bit_generator;
  }

  /** The bit generator it draws from (its `state` is NumPy's dict). */
  get bit_generator(): BitGenerator {
    return this._bitgen;
  }

  /**
   * @internal Draws that run on the host (permutations, sampling, the distributions with
   * rejection loops). Over PCG64: a blocking read of the state, `fn` on a source over a copy,
   * and the advanced copy attached as the new state (an error leaves the state as it was).
   */
  _host<T>(fn: (s: GenSource) => T): T {
    return this._bitgen._host(fn);
  }

  /** @internal child generators over spawned bit generators (Generator.spawn's body). */
  _spawn(n: number): Generator[] {
    return this._bitgen.spawn(n).map((b) => new Generator(b));
  }

  private draw(kind: DrawKind, size: number[] | null, dt: string, a: number | bigint = 0, b: number | bigint = 0): ndarray | number {
    const shape = size === null ? [] : toShape(size);
    const bg = this._bitgen;
    if (!(bg instanceof PCG64)) return bg._host((s) => hostDraw(s, kind, size, shape, dt, a, b));
    const n = shape.reduce((p, x) => p * x, 1);
    const rt = runtime();
    const lib = numpyLibrary();
    const flat = newStore([n], toDType(dt));
    if (n > 0) {
      // A small draw is one point whatever the mapper says: drawn in place, without the
      // copy of the state and the separate jump ahead (a BigInt jump costs more than 100 draws).
      const parallel = (kind === "random" || kind === "uniform") && n > SERIAL_DRAW_MAX;
      rt.submit(
        lib.launch("rng_fill", {
          args: [
            { store: bg._store, privilege: parallel ? "read" : "readwrite" },
            { store: flat, privilege: "write" },
          ],
          scalars: [kind, a, b, dt, parallel],
          serial: !parallel,
        }),
      );
      if (parallel) rt.submit(lib.launch("rng_advance", { args: [{ store: bg._store, privilege: "readwrite" }], scalars: [n], serial: true }));
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
  declare spawn: GM["spawn"];
  declare choice: GM["choice"];
  declare shuffle: GM["shuffle"];
  declare permutation: GM["permutation"];
  declare permuted: GM["permuted"];
  declare bytes: GM["bytes"];
  declare standard_exponential: GM["standard_exponential"];
  declare exponential: GM["exponential"];
  declare standard_gamma: GM["standard_gamma"];
  declare gamma: GM["gamma"];
  declare beta: GM["beta"];
  declare chisquare: GM["chisquare"];
  declare f: GM["f"];
  declare noncentral_chisquare: GM["noncentral_chisquare"];
  declare noncentral_f: GM["noncentral_f"];
  declare standard_cauchy: GM["standard_cauchy"];
  declare standard_t: GM["standard_t"];
  declare pareto: GM["pareto"];
  declare weibull: GM["weibull"];
  declare power: GM["power"];
  declare laplace: GM["laplace"];
  declare gumbel: GM["gumbel"];
  declare logistic: GM["logistic"];
  declare lognormal: GM["lognormal"];
  declare rayleigh: GM["rayleigh"];
  declare wald: GM["wald"];
  declare vonmises: GM["vonmises"];
  declare triangular: GM["triangular"];
  declare binomial: GM["binomial"];
  declare negative_binomial: GM["negative_binomial"];
  declare poisson: GM["poisson"];
  declare geometric: GM["geometric"];
  declare logseries: GM["logseries"];
  declare zipf: GM["zipf"];
  declare hypergeometric: GM["hypergeometric"];
  declare multinomial: GM["multinomial"];
  declare dirichlet: GM["dirichlet"];
  declare multivariate_hypergeometric: GM["multivariate_hypergeometric"];
  declare multivariate_normal: GM["multivariate_normal"];
}

const size = sizeArg;
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

const INT_BITS: Record<string, number> = { int64: 64, uint64: 64, int32: 32, uint32: 32, int16: 16, uint16: 16, int8: 8, uint8: 8, bool: 1 };

/** The basic draws over a bit generator other than PCG64, on the host and in order. */
function hostDraw(
  s: GenSource,
  kind: DrawKind,
  size: number[] | null,
  shape: number[],
  dt: string,
  a: number | bigint,
  b: number | bigint,
): ndarray | number {
  const n = shape.reduce((p, x) => p * x, 1);
  let out: ndarray;
  if (kind === "integers") {
    const lo = a as bigint;
    const vals: bigint[] = new Array(n);
    fillLemire(s, INT_BITS[dt]!, (b as bigint) - lo, n, (i, v) => {
      vals[i] = lo + BigInt(v);
    });
    out = fromTypedArray(packInts(vals, dt), shape, dt);
  } else if (kind === "random32") {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (s.next32() >>> 8) * (1 / 16777216);
    out = fromTypedArray(v, shape, "float32");
  } else {
    const v = new Float64Array(n);
    const lo = a as number,
      hi = b as number;
    for (let i = 0; i < n; i++) {
      if (kind === "random") v[i] = s.nextDouble();
      else if (kind === "uniform") v[i] = lo + (hi - lo) * s.nextDouble();
      else if (kind === "standard_normal") v[i] = G.gNormal(s);
      else v[i] = lo + hi * G.gNormal(s);
    }
    out = fromTypedArray(v, shape, "float64");
  }
  return size === null ? (out.item() as number) : out;
}

/** A distribution of the shared table as a Generator method, drawn on the host. */
function dist<const K extends DistName>(
  name: K,
  draw: (s: GenSource, a: number, b: number, c: number) => number,
  dtype: "float64" | "int64" = "float64",
) {
  const d = distSpec<K, Generator, GenSource>(name, (g, fn) => g._host(fn), draw, dtype);
  return method(name, d.params, d.convs, d.body);
}
/** Generator.triangular's checks: left <= mode <= right, left < right. */
function checkTriangular(left: unknown, mode: unknown, right: unknown): void {
  const [l, m, r] = [left, mode, right].map((v) => hostParam(v));
  const shape = outputShape(null, [l!.shape, m!.shape, r!.shape]);
  const maps = [l!, m!, r!].map((q) => indexMap(q.shape, shape));
  const n = shape.reduce((a, b) => a * b, 1);
  const at = (j: number, i: number): number => [l!, m!, r!][j]!.data[maps[j] ? maps[j]![i]! : 0]!;
  const check = (f: (i: number) => boolean, msg: string): void => {
    for (let i = 0; i < n; i++) if (f(i)) throw new ValueError(msg);
  };
  check((i) => at(0, i) > at(1, i), "left > mode");
  check((i) => at(1, i) > at(2, i), "mode > right");
  check((i) => at(0, i) === at(2, i), "left == right");
}
/** POISSON_LAM_MAX: the largest lam Generator.poisson accepts. */
const POISSON_LAM_MAX = 9223372036854775807 - Math.sqrt(9223372036854775807) * 10;
/** Generator.negative_binomial's checks, including the Poisson rate it would reach. */
function checkNegativeBinomial(nArg: unknown, pArg: unknown): void {
  const n = hostParam(nArg),
    p = hostParam(pArg);
  checkConstraint(n, "n", "posNotNan");
  checkConstraint(p, "p", "boundedGt01");
  const shape = outputShape(null, [n.shape, p.shape]);
  const nm = indexMap(n.shape, shape),
    pm = indexMap(p.shape, shape);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    const nv = n.data[nm ? nm[i]! : 0]!,
      pv = p.data[pm ? pm[i]! : 0]!;
    if (((1 - pv) / pv) * (nv + 10 * Math.sqrt(nv)) > POISSON_LAM_MAX)
      throw new ValueError("n too large or p too small, see Generator.negative_binomial Notes");
  }
}

/** Generator.multinomial: scalar n over 1-d pvals, or n and the rows of pvals broadcast. */
function multinomialDraw(s: GenSource, nArg: unknown, pvals: unknown, sz: number[] | null): ndarray {
  const on = hostParam(nArg, "int64");
  const pa = hostParam(pvals);
  const ndim = pa.shape.length;
  const d = ndim >= 1 ? pa.shape[ndim - 1]! : 0;
  if (d === 0) throw new ValueError("pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.");
  checkConstraint(pa, "pvals", "bounded01");
  for (let off = 0; off < pa.data.length; off += d)
    if (kahanSum(pa.data, off, d - 1) > 1.0 + 1e-12) throw new ValueError(`sum(pvals${ndim === 1 ? "[:-1]" : "[...,:-1]"}) > 1.0`);
  if (on.shape.length !== 0 || ndim > 1) {
    checkConstraint({ data: on.data, shape: on.shape.length ? on.shape : [1] }, "n", "nonneg");
    const rows = pa.shape.slice(0, -1);
    let it = outputShape(null, [on.shape, rows]);
    if (sz !== null) {
      const full = outputShape(null, [on.shape, rows, sz]);
      if (full.join() !== sz.join() || full.length !== sz.length)
        throw new ValueError(`Output size ${pyTuple(sz)} is not compatible with broadcast dimensions of inputs ${pyTuple(full)}.`);
      it = full;
    }
    const nm = indexMap(on.shape, it),
      rm = indexMap(rows, it);
    const count = it.reduce((a, b) => a * b, 1);
    const out = new Float64Array(count * d);
    for (let i = 0; i < count; i++) G.gMultinomial(s, on.data[nm ? nm[i]! : 0]!, out, i * d, pa.data, (rm ? rm[i]! : 0) * d, d);
    return fromTypedArray(int64FromNumbers(out), [...it, d], "int64");
  }
  const n = on.data[0]!;
  if (n < 0) throw new ValueError("n < 0");
  const shape = sz === null ? [d] : [...sz, d];
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  for (let off = 0; off < total; off += d) G.gMultinomial(s, n, out, off, pa.data, 0, d);
  return fromTypedArray(int64FromNumbers(out), shape, "int64");
}

/** Generator.dirichlet. */
function dirichletDraw(s: GenSource, alpha: unknown, sz: number[] | null): ndarray {
  const a = dirichletAlpha(alpha);
  const k = a.data.length;
  if (a.data.some((x) => x < 0)) throw new ValueError("alpha < 0");
  const shape = sz === null ? [k] : [...sz, k];
  const total = shape.reduce((x, y) => x * y, 1);
  const out = new Float64Array(total);
  const al = a.data;
  let maxAlpha = -Infinity;
  for (const x of al) maxAlpha = Number.isNaN(x) || x > maxAlpha ? x : maxAlpha;
  if (k > 0 && maxAlpha < 0.1) {
    // Small alphas: stick-breaking with beta draws (gamma variates would underflow).
    const csum = new Float64Array(k);
    let c = 0;
    for (let j = k - 1; j >= 0; j--) {
      c += al[j]!;
      csum[j] = c;
    }
    if (c > 0) {
      for (let i = 0; i < total; i += k) {
        let acc = 1;
        for (let j = 0; j < k - 1; j++) {
          const v = G.gBeta(s, al[j]!, csum[j + 1]!);
          out[i + j] = acc * v;
          acc *= 1 - v;
          if (csum[j + 1] === 0) break;
        }
        out[i + k - 1] = acc;
      }
    }
  } else {
    for (let i = 0; i < total; i += k) {
      let acc = 0;
      for (let j = 0; j < k; j++) {
        out[i + j] = G.gStandardGamma(s, al[j]!);
        acc += out[i + j]!;
      }
      const inv = 1 / acc;
      for (let j = 0; j < k; j++) out[i + j] = out[i + j]! * inv;
    }
  }
  return fromTypedArray(out, shape, "float64");
}

const GENERATOR_METHODS = {
  /** Floats in [0, 1): `random(size=None, dtype=float64, out=None)` (float32 too). */
  random: method(
    "random",
    "size=None, dtype=<class 'numpy.float64'>, out=None",
    { size, dtype: floatDType("random", [DTYPES.float64, DTYPES.float32]), out: arg.out },
    (g: Generator, p): ndarray | number => into(p.out, p.size, (s) => g._draw(p.dtype === DTYPES.float32 ? "random32" : "random", s, p.dtype.name)),
  ),
  /** Uniform floats in [low, high). */
  uniform: method("uniform", "low=0.0, high=1.0, size=None", { low: arg.any, high: arg.any, size }, (g: Generator, p): ndarray | number => {
    const lo = hostParam(p.low),
      hi = hostParam(p.high);
    if (lo.shape.length === 0 && hi.shape.length === 0) {
      const [l, h] = [lo.data[0]!, hi.data[0]!];
      if (!Number.isFinite(h - l)) throw new OverflowError("high - low range exceeds valid bounds");
      if (h - l < 0 || Object.is(h - l, -0)) throw new ValueError("high - low < 0");
      return g._draw("uniform", p.size, "float64", l, h);
    }
    // Array bounds broadcast: drawn on the host, low + (high - low) * next_double.
    const shape = outputShape(null, [lo.shape, hi.shape]);
    const lm = indexMap(lo.shape, shape),
      hm = indexMap(hi.shape, shape);
    const n = shape.reduce((a, b) => a * b, 1);
    const lows = new Float64Array(n),
      range = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lows[i] = lo.data[lm ? lm[i]! : 0]!;
      range[i] = hi.data[hm ? hm[i]! : 0]! - lows[i]!;
      if (!Number.isFinite(range[i]!)) throw new OverflowError("Range exceeds valid bounds");
    }
    const specs: ParamSpec[] = [
      [fromTypedArray(lows, shape, "float64"), "", "none"],
      [fromTypedArray(range, shape, "float64"), "high - low", "nonneg"],
    ];
    return g._host((s) => drawEach(p.size, specs, (a, b) => a + b * s.nextDouble()));
  }),
  /** Standard normal draws (NumPy's ziggurat), float64. */
  standard_normal: method(
    "standard_normal",
    "size=None, dtype=<class 'numpy.float64'>, out=None",
    { size, dtype: floatDType("standard_normal", [DTYPES.float64, DTYPES.float32]), out: arg.out },
    (g: Generator, p): ndarray | number => {
      if (p.dtype === DTYPES.float32) unsupported("standard_normal", "dtype=float32 (the float32 ziggurat)");
      return into(p.out, p.size, (s) => g._draw("standard_normal", s, "float64"));
    },
  ),
  /** Normal draws with mean `loc` and standard deviation `scale`. */
  normal: method("normal", "loc=0.0, scale=1.0, size=None", { loc: arg.any, scale: arg.any, size }, (g: Generator, p): ndarray | number => {
    const loc = hostParam(p.loc),
      scale = hostParam(p.scale);
    if (loc.shape.length === 0 && scale.shape.length === 0) {
      checkConstraint(scale, "scale", "nonneg");
      return g._draw("normal", p.size, "float64", loc.data[0]!, scale.data[0]!);
    }
    const specs: ParamSpec[] = [
      [p.loc, "", "none"],
      [p.scale, "scale", "nonneg"],
    ];
    return g._host((s) => drawEach(p.size, specs, (a, b) => a + b * G.gNormal(s)));
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
  /** Independent child generators (from SeedSequence.spawn), as `rng.spawn(n_children)`. */
  spawn: method("spawn", "n_children", { n_children: arg.cint }, (g: Generator, p): Generator[] => g._spawn(p.n_children)),
  /** A random sample from `a` (an int means arange(a)), with or without replacement, weighted by `p`. */
  choice: method(
    "choice",
    "a, size=None, replace=True, p=None, axis=0, shuffle=True",
    { a: arg.any, size, replace: arg.bool, p: arg.any, axis: arg.int, shuffle: arg.bool },
    (g: Generator, p): ndarray | number => g._host((s) => choiceOf(s, p.a, p.size, p.replace, p.p, p.axis, p.shuffle)),
  ),
  /** Shuffles `x` in place along `axis`. */
  shuffle: method("shuffle", "x, axis=0", { x: arg.any, axis: arg.int }, (g: Generator, p): void => g._host((s) => shuffleInPlace(s, p.x, p.axis))),
  /** A shuffled copy of `x` along `axis` (an int means arange(x)). */
  permutation: method(
    "permutation",
    "x, axis=0",
    { x: arg.any, axis: arg.int },
    (g: Generator, p): ndarray => g._host((s) => permutationOf(s, p.x, p.axis)),
  ),
  /** A copy of `x` with each slice along `axis` shuffled independently (all elements when axis is None). */
  permuted: method("permuted", "x, *, axis=None, out=None", { x: arg.any, axis: arg.axis, out: arg.out }, (g: Generator, p): ndarray => {
    const r = g._host((s) => permutedCopy(s, p.x, p.axis));
    if (p.out === null) return r;
    if (p.out.shape.join() !== r.shape.join()) throw new ValueError("out must have the same shape as x");
    p.out.set("...", r);
    return p.out;
  }),
  /** `length` random bytes (a Uint8Array). */
  bytes: method("bytes", "length", { length: arg.cint }, (g: Generator, p): Uint8Array => g._host((s) => randomBytes(s, p.length))),
  /** Standard exponential draws (NumPy's exponential ziggurat, or inversion with method='inv'). */
  standard_exponential: method(
    "standard_exponential",
    "size=None, dtype=<class 'numpy.float64'>, method='zig', out=None",
    { size, dtype: arg.dtype, method: arg.str, out: arg.out },
    (g: Generator, p): ndarray | number => {
      if (p.dtype !== null && p.dtype !== DTYPES.float64) {
        if (p.dtype === DTYPES.float32) unsupported("standard_exponential", "dtype=float32");
        throw new TypeError(`Unsupported dtype dtype('${p.dtype.name}') for standard_exponential`);
      }
      const f = p.method === "zig" ? G.gStandardExponential : (s: GenSource) => -Math.log1p(-s.nextDouble());
      return into(p.out, p.size, (sz) => g._host((s) => drawEach(sz, [], () => f(s))));
    },
  ),
  /** Exponential draws with the given scale. */
  exponential: dist("exponential", (s, a) => a * G.gStandardExponential(s)),
  /** Standard gamma draws (Marsaglia–Tsang on the ziggurat normal). */
  standard_gamma: method(
    "standard_gamma",
    "shape, size=None, dtype=<class 'numpy.float64'>, out=None",
    { shape: arg.any, size, dtype: arg.dtype, out: arg.out },
    (g: Generator, p): ndarray | number => {
      if (p.dtype !== null && p.dtype !== DTYPES.float64) {
        if (p.dtype === DTYPES.float32) unsupported("standard_gamma", "dtype=float32");
        throw new TypeError(`Unsupported dtype dtype('${p.dtype.name}') for standard_gamma`);
      }
      const specs: ParamSpec[] = [[p.shape, "shape", "nonneg"]];
      return into(p.out, p.size, (sz) => g._host((s) => drawEach(sz, specs, (a) => G.gStandardGamma(s, a))));
    },
  ),
  gamma: dist("gamma", (s, a, b) => b * G.gStandardGamma(s, a)),
  beta: dist("beta", G.gBeta),
  chisquare: dist("chisquare", G.gChisquare),
  f: dist("f", G.gF),
  noncentral_chisquare: dist("noncentral_chisquare", G.gNoncentralChisquare),
  noncentral_f: dist("noncentral_f", G.gNoncentralF),
  standard_cauchy: dist("standard_cauchy", G.gStandardCauchy),
  standard_t: dist("standard_t", G.gStandardT),
  pareto: dist("pareto", G.gPareto),
  weibull: dist("weibull", G.gWeibull),
  power: dist("power", G.gPower),
  laplace: dist("laplace", randomLaplace),
  gumbel: dist("gumbel", randomGumbel),
  logistic: dist("logistic", randomLogistic),
  lognormal: dist("lognormal", G.gLognormal),
  rayleigh: dist("rayleigh", G.gRayleigh),
  wald: dist("wald", G.gWald),
  vonmises: dist("vonmises", G.gVonmises),
  /** Triangular draws on [left, right] with the given mode. */
  triangular: method(
    "triangular",
    "left, mode, right, size=None",
    { left: arg.any, mode: arg.any, right: arg.any, size },
    (g: Generator, p): ndarray | number => {
      checkTriangular(p.left, p.mode, p.right);
      return g._host((s) =>
        drawEach(
          p.size,
          [
            [p.left, "", "none"],
            [p.mode, "", "none"],
            [p.right, "", "none"],
          ],
          (a, b, c) => randomTriangular(s, a, b, c),
        ),
      );
    },
  ),
  /** Binomial counts (NumPy's inversion / corrected BTPE), int64. */
  binomial: method("binomial", "n, p, size=None", { n: arg.any, p: arg.any, size }, (g: Generator, p): ndarray | number =>
    g._host((s) =>
      drawEach(
        p.size,
        [
          [p.p, "p", "bounded01"],
          [p.n, "n", "nonneg"],
        ],
        (pv, nv) => G.gBinomial(s, pv, nv),
        "int64",
        "float64",
      ),
    ),
  ),
  negative_binomial: method("negative_binomial", "n, p, size=None", { n: arg.any, p: arg.any, size }, (g: Generator, p): ndarray | number => {
    checkNegativeBinomial(p.n, p.p);
    return g._host((s) =>
      drawEach(
        p.size,
        [
          [p.n, "n", "none"],
          [p.p, "p", "none"],
        ],
        (a, b) => G.gNegativeBinomial(s, a, b),
        "int64",
      ),
    );
  }),
  poisson: dist("poisson", randomPoisson, "int64"),
  geometric: dist("geometric", G.gGeometric, "int64"),
  logseries: dist("logseries", G.gLogseries, "int64"),
  zipf: dist("zipf", G.gZipf, "int64"),
  /** Hypergeometric counts (NumPy's HRUA / direct sampling), int64. */
  hypergeometric: method(
    "hypergeometric",
    "ngood, nbad, nsample, size=None",
    { ngood: arg.any, nbad: arg.any, nsample: arg.any, size },
    (g: Generator, p): ndarray | number => {
      const [gd, bd, sm] = [p.ngood, p.nbad, p.nsample].map((v) => hostParam(v, "int64"));
      const shape = outputShape(null, [gd!.shape, bd!.shape, sm!.shape]);
      const maps = [gd!, bd!, sm!].map((q) => indexMap(q.shape, shape));
      const at = (j: number, i: number): number => [gd!, bd!, sm!][j]!.data[maps[j] ? maps[j]![i]! : 0]!;
      const n = shape.reduce((a, b) => a * b, 1);
      if (gd!.data.some((x) => x >= 1e9) || bd!.data.some((x) => x >= 1e9)) throw new ValueError("both ngood and nbad must be less than 1000000000");
      for (let i = 0; i < n; i++) if (at(0, i) + at(1, i) < at(2, i)) throw new ValueError("ngood + nbad < nsample");
      return g._host((s) =>
        drawEach(
          p.size,
          [
            [p.ngood, "ngood", "nonneg"],
            [p.nbad, "nbad", "nonneg"],
            [p.nsample, "nsample", "nonneg"],
          ],
          (a, b, c) => G.gHypergeometric(s, a, b, c),
          "int64",
          "int64",
        ),
      );
    },
  ),
  /** Multinomial counts: `n` trials over the categories of `pvals` (broadcast over leading axes), int64. */
  multinomial: method(
    "multinomial",
    "n, pvals, size=None",
    { n: arg.any, pvals: arg.any, size },
    (g: Generator, p): ndarray => g._host((s) => multinomialDraw(s, p.n, p.pvals, p.size)),
  ),
  /** Multivariate normal draws: standard normals times a factor of `cov` (its SVD, eigh or Cholesky), plus `mean`. */
  multivariate_normal: method(
    "multivariate_normal",
    "mean, cov, size=None, check_valid='warn', tol=1e-08, *, method='svd'",
    { mean: arg.any, cov: arg.any, size, check_valid: arg.any, tol: arg.float, method: arg.any },
    (g: Generator, p): ndarray =>
      multivariateNormal((shape) => g.standard_normal(shape) as ndarray, p.mean, p.cov, p.size, p.check_valid, p.tol, p.method, false),
  ),
  /** Dirichlet draws (gamma variates normalised; NumPy's stick-breaking with beta draws when max(alpha) < 0.1). */
  dirichlet: method(
    "dirichlet",
    "alpha, size=None",
    { alpha: arg.any, size },
    (g: Generator, p): ndarray => g._host((s) => dirichletDraw(s, p.alpha, p.size)),
  ),
  /** Counts of each color in `nsample` draws without replacement from `colors` (method 'marginals' or 'count'), int64. */
  multivariate_hypergeometric: method(
    "multivariate_hypergeometric",
    "colors, nsample, size=None, method='marginals'",
    { colors: arg.any, nsample: arg.any, size, method: arg.any },
    (g: Generator, p): ndarray => {
      const sample = multivariateHypergeometric(p.colors, p.nsample, p.size, p.method);
      return g._host(sample);
    },
  ),
};
type GM = typeof GENERATOR_METHODS;
for (const [name, fn] of Object.entries(GENERATOR_METHODS))
  Object.defineProperty(Generator.prototype, name, { value: fn, writable: true, configurable: true });

/** np.random.default_rng(seed=None): a Generator over PCG64 (a bit generator or Generator passes through). */
export const default_rng = def(
  "default_rng",
  "seed=None",
  { seed: conv<SeedEntropy | SeedSequence | BitGenerator | Generator | null, unknown>((v): unknown => v) },
  (p): Generator => {
    const seed = p.seed as unknown;
    if (seed instanceof Generator) return seed;
    if (seed instanceof BitGenerator) return new Generator(seed);
    if (seed instanceof RandomState) return new Generator(seed._bitgen);
    return new Generator(new PCG64(seed));
  },
);
