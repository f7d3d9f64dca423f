// np.random's legacy API: RandomState over MT19937, seeded and drawing exactly as NumPy's
// mtrand.pyx, and the module-level functions (np.random.rand, seed, ...) that share one
// global RandomState as NumPy's do. The twister is sequential: draws run in order on the
// host and the results are attached as new arrays.

import type { ArrayLike } from "../creation_from_data.js";
import { asarray, fromTypedArray } from "../creation_from_data.js";
import { ndarray } from "../ndarray.js";
import { def, method } from "../signature.js";
import type { BoundOf, ConvMap, NumpyMethod } from "../signature.js";
import { arg, conv, pyType, toShapeList, unsupported } from "../param_types.js";
import { IndexError, OverflowError, ValueError } from "../errors.js";
import { dtype as toDType, intRange } from "../dtypes.js";
import { MT_N, type MT19937State } from "./mt19937.js";
import { MT19937, legacySeed, toIndexInt } from "./bit_generators.js";
import { BitGenerator } from "./bit_generator.js";
import { type AugState, MT19937Source } from "./bit_source.js";
import { fillMasked } from "./bounded_masked.js";
import * as L from "./legacy_distributions.js";
import { drawEach, hostParam, outputShape, indexMap, checkConstraint, toArray, int64FromNumbers, packInts, dirichletAlpha } from "./legacy_params.js";
import type { ParamSpec } from "./legacy_params.js";
import { multivariateNormal } from "./multivariate_normal.js";
import { type DistName, type DistSpec, distSpec, sizeArg } from "./distribution_params.js";
import { choiceProbabilities, kahanSum, normalizedCdf, searchRight } from "./choice_cdf.js";
import { shuffleList, shuffledOrder } from "./fisher_yates.js";

type Size = number[] | null;
type Draw = ndarray | number;

/** The legacy state as `get_state()` returns it: ('MT19937', key, pos, has_gauss, gauss). */
export type LegacyStateTuple = [string, ndarray, number, number, number];
/** The state as `get_state(legacy=False)` returns it. */
export interface MT19937StateDict {
  bit_generator: string;
  state: { key: ndarray | readonly number[] | Uint32Array; pos: number };
  has_gauss?: number;
  gauss?: number;
}

/** `size`: None, an int, or a shape. */
const size = sizeArg;

/** An integer argument (Python's operator.index). */
const toInt = (v: unknown): number => toIndexInt(v);

/**
 * np.random.RandomState(seed=None): NumPy's legacy generator over MT19937. The same seed
 * and sequence of calls gives NumPy's values: integers and uniform floats bit for bit,
 * distributions that go through log/exp/pow to the last bit or so of the C library's.
 */
export class RandomState {
  /** @internal the twister's state */
  readonly _mt: MT19937State;
  /** @internal the MT19937 bit generator it draws from (shares _mt) */
  readonly _bitgen: MT19937;
  /** @internal the bit source and the cached Gaussian */
  readonly _aug: AugState;
  constructor(seed: unknown = null) {
    if (seed instanceof MT19937) this._bitgen = seed;
    else if (seed instanceof BitGenerator) unsupported("RandomState", "a bit generator other than MT19937");
    else {
      // MT19937() from fresh entropy, or seeded as RandomState(seed) seeds it.
      this._bitgen = new MT19937();
      if (seed !== null && seed !== undefined) this._bitgen._legacy_seeding(seed);
    }
    this._mt = this._bitgen._mt;
    this._aug = { bg: new MT19937Source(this._mt), hasGauss: false, gauss: 0 };
  }

  toString(): string {
    return "RandomState(MT19937)";
  }

  declare seed: RM["seed"];
  declare get_state: RM["get_state"];
  declare set_state: RM["set_state"];
  declare random_sample: RM["random_sample"];
  declare random: RM["random"];
  declare rand: RM["rand"];
  declare randn: RM["randn"];
  declare randint: RM["randint"];
  declare random_integers: RM["random_integers"];
  declare tomaxint: RM["tomaxint"];
  declare bytes: RM["bytes"];
  declare choice: RM["choice"];
  declare shuffle: RM["shuffle"];
  declare permutation: RM["permutation"];
  declare uniform: RM["uniform"];
  declare standard_normal: RM["standard_normal"];
  declare multivariate_normal: RM["multivariate_normal"];
  declare normal: RM["normal"];
  declare beta: RM["beta"];
  declare exponential: RM["exponential"];
  declare standard_exponential: RM["standard_exponential"];
  declare standard_gamma: RM["standard_gamma"];
  declare gamma: RM["gamma"];
  declare f: RM["f"];
  declare noncentral_f: RM["noncentral_f"];
  declare chisquare: RM["chisquare"];
  declare noncentral_chisquare: RM["noncentral_chisquare"];
  declare standard_cauchy: RM["standard_cauchy"];
  declare standard_t: RM["standard_t"];
  declare vonmises: RM["vonmises"];
  declare pareto: RM["pareto"];
  declare weibull: RM["weibull"];
  declare power: RM["power"];
  declare laplace: RM["laplace"];
  declare gumbel: RM["gumbel"];
  declare logistic: RM["logistic"];
  declare lognormal: RM["lognormal"];
  declare rayleigh: RM["rayleigh"];
  declare wald: RM["wald"];
  declare triangular: RM["triangular"];
  declare binomial: RM["binomial"];
  declare negative_binomial: RM["negative_binomial"];
  declare poisson: RM["poisson"];
  declare zipf: RM["zipf"];
  declare geometric: RM["geometric"];
  declare hypergeometric: RM["hypergeometric"];
  declare logseries: RM["logseries"];
  declare multinomial: RM["multinomial"];
  declare dirichlet: RM["dirichlet"];
}

// ---- the bodies, shared by the methods and the module functions

function getState(rs: RandomState, legacy: boolean): LegacyStateTuple | MT19937StateDict {
  const key = fromTypedArray(rs._mt.key.slice(), [MT_N], "uint32");
  const hasGauss = rs._aug.hasGauss ? 1 : 0;
  if (legacy) return ["MT19937", key, rs._mt.pos, hasGauss, rs._aug.gauss];
  return { bit_generator: "MT19937", state: { key, pos: rs._mt.pos }, has_gauss: hasGauss, gauss: rs._aug.gauss };
}

function setState(rs: RandomState, state: unknown): void {
  let st: MT19937StateDict;
  if (Array.isArray(state)) {
    if (state[0] !== "MT19937") throw new ValueError("set_state can only be used with legacy MT19937 state instances.");
    if (state.length !== 3 && state.length !== 5) throw new ValueError("state is not a legacy MT19937 state");
    st = { bit_generator: state[0], state: { key: state[1], pos: state[2] } };
    if (state.length > 3) {
      st.has_gauss = state[3];
      st.gauss = state[4];
    }
  } else if (state !== null && typeof state === "object" && !(state instanceof ndarray)) {
    if (!("bit_generator" in state) || !("state" in state)) throw new ValueError("state dictionary is not valid.");
    st = state as MT19937StateDict;
  } else throw new TypeError("state must be a dict or a tuple.");
  if (st.bit_generator !== "MT19937") throw new ValueError("state must be for a MT19937 PRNG");
  const keyIn = st.state.key instanceof ndarray ? st.state.key.astype("uint32").toTypedArray() : Uint32Array.from(st.state.key);
  if (keyIn.length < MT_N) throw new IndexError("index out of range");
  const gauss = Number(st.gauss ?? 0);
  const hasGauss = toInt(st.has_gauss ?? 0);
  rs._mt.key.set((keyIn as Uint32Array).subarray(0, MT_N));
  rs._mt.pos = toInt(st.state.pos);
  rs._aug.gauss = gauss;
  rs._aug.hasGauss = hasGauss !== 0;
}

function randomSample(rs: RandomState, sz: Size): Draw {
  const bg = rs._aug.bg;
  if (sz === null) return bg.nextDouble();
  const n = sz.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = bg.nextDouble();
  return fromTypedArray(out, sz, "float64");
}

function standardNormal(rs: RandomState, sz: Size): Draw {
  return drawEach(sz, [], () => L.legacyGauss(rs._aug));
}

/** The dtypes randint accepts, with the width its bounded draw works at. */
const RANDINT_BITS: Record<string, number> = { int64: 64, uint64: 64, int32: 32, uint32: 32, int16: 16, uint16: 16, int8: 8, uint8: 8, bool: 1 };

/** `format_bounds_error`. */
const boundsError = (lowIsZero: boolean): string => (lowIsZero ? "high <= 0" : "low >= high");

function intBound(v: unknown): { data: bigint[]; shape: number[] } {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new OverflowError("cannot convert float infinity to integer");
    return { data: [BigInt(Math.trunc(v))], shape: [] };
  }
  if (typeof v === "bigint") return { data: [v], shape: [] };
  if (typeof v === "boolean") return { data: [BigInt(v)], shape: [] };
  const a = asarray(v as ArrayLike);
  const vals = a.flatValues().map((x) => (typeof x === "bigint" ? x : BigInt(Math.trunc(Number(x)))));
  return { data: vals, shape: a.shape };
}

/** `randint(low, high, size, dtype)`: [low, high) by masked rejection, as RandomState's _rand_<dtype>. */
function randint_(rs: RandomState, lowArg: unknown, highArg: unknown, sz: Size, dtypeArg: unknown, closed = false): Draw {
  let lowV = lowArg,
    highV = highArg;
  if (highV === null || highV === undefined) {
    highV = lowV;
    lowV = 0;
  }
  const dt = dtypeArg === "int" || dtypeArg === "long" ? toDType("int64") : toDType(dtypeArg as string);
  const bits = RANDINT_BITS[dt.name];
  if (bits === undefined) throw new TypeError(`Unsupported dtype dtype('${dt.name}') for randint`);
  const [lb, ub] = dt.name === "bool" ? [0n, 1n] : intRange(dt);
  if (sz !== null && sz.reduce((a, b) => a * b, 1) === 0) return toArray(new Float64Array(0), sz, "float64").astype(dt.name);
  const lo = intBound(lowV),
    hi = intBound(highV);
  const open = closed ? 0n : 1n;
  const scalar = lo.shape.length === 0 && hi.shape.length === 0;
  let shape: number[];
  let lowAt: (i: number) => bigint, highAt: (i: number) => bigint;
  if (scalar) {
    const l = lo.data[0]!,
      h = hi.data[0]! - open;
    if (l < lb) throw new ValueError(`low is out of bounds for ${dt.name}`);
    if (h > ub) throw new ValueError(`high is out of bounds for ${dt.name}`);
    if (l > h) throw new ValueError(closed ? (l === 0n ? "high < 0" : "low > high") : boundsError(l === 0n));
    shape = sz ?? [];
    lowAt = () => l;
    highAt = () => h;
  } else {
    if (lo.data.some((x) => x < lb)) throw new ValueError(`low is out of bounds for ${dt.name}`);
    if (hi.data.some((x) => x - open > ub)) throw new ValueError(`high is out of bounds for ${dt.name}`);
    shape = sz ?? outputShape(null, [lo.shape, hi.shape]);
    const lm = indexMap(lo.shape, shape),
      hm = indexMap(hi.shape, shape);
    lowAt = (i) => lo.data[lm === null ? 0 : lm[i]!]!;
    highAt = (i) => hi.data[hm === null ? 0 : hm[i]!]! - open;
    const n = shape.reduce((a, b) => a * b, 1);
    const lowAllZero = lo.data.every((x) => x === 0n);
    for (let i = 0; i < n; i++) if (lowAt(i) > highAt(i)) throw new ValueError(boundsError(lowAllZero));
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const bg = rs._aug.bg;
  if (scalar && bits !== 64 && bits !== 1) {
    // Narrow dtypes: plain numbers; the typed array wraps offsets into the dtype.
    const NARROW: Record<
      string,
      Int32ArrayConstructor | Uint32ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
    > = { int32: Int32Array, uint32: Uint32Array, int16: Int16Array, uint16: Uint16Array, int8: Int8Array, uint8: Uint8Array };
    const T = NARROW[dt.name]!;
    const vals = new T(n);
    const l = Number(lowAt(0));
    fillMasked(bg, bits, highAt(0) - lowAt(0), n, (i, v) => {
      vals[i] = l + (v as number);
    });
    const arr = fromTypedArray(vals, shape, dt.name);
    return sz === null ? (arr.item() as number) : arr;
  }
  const l0 = scalar ? lowAt(0) : 0n;
  if (scalar && bits === 64 && highAt(0) - l0 <= 0xffffffffn && dt.name === "int64" && l0 >= -(2n ** 52n) && l0 <= 2n ** 52n) {
    // int64 with a 32-bit range: safe-integer sums written as int64 words.
    const vals = new Float64Array(n);
    const l = Number(l0);
    fillMasked(bg, bits, highAt(0) - l0, n, (i, v) => {
      vals[i] = l + (v as number);
    });
    const arr = fromTypedArray(int64FromNumbers(vals), shape, "int64");
    return sz === null ? (arr.item() as number) : arr;
  }
  const out = new Array<bigint>(n);
  if (scalar) {
    const l = lowAt(0);
    fillMasked(bg, bits, highAt(0) - l, n, (i, v) => {
      out[i] = l + BigInt(v);
    });
  } else {
    // One bounded draw per element; the 8/16-bit and bool buffers carry across the call.
    const piece = bitsDrawer(bg, bits);
    for (let i = 0; i < n; i++) out[i] = lowAt(i) + piece(highAt(i) - lowAt(i));
  }
  const typed = packInts(out, dt.name);
  const arr = fromTypedArray(typed, shape, dt.name);
  return sz === null && scalar ? (arr.item() as number) : arr;
}

/** Per-element bounded draws that share one buffer across calls (the broadcast path). */
function bitsDrawer(bg: MT19937Source | AugState["bg"], bits: number): (rng: bigint) => bigint {
  if (bits === 64 || bits === 32) {
    return (rng) => {
      let r = 0n;
      fillMasked(bg, bits, rng, 1, (_i, v) => {
        r = BigInt(v);
      });
      return r;
    };
  }
  // 8, 16 and bool: the buffer of 32-bit draws persists between elements.
  let buf = 0,
    bcnt = 0;
  const pieceMask = bits === 16 ? 0xffff : bits === 8 ? 0xff : 1;
  const refill = bits === 16 ? 1 : bits === 8 ? 3 : 31;
  const piece = (): number => {
    if (bcnt === 0) {
      buf = bg.next32();
      bcnt = refill;
    } else {
      buf >>>= bits;
      bcnt--;
    }
    return buf & pieceMask;
  };
  return (rngB) => {
    const rng = Number(rngB);
    if (rng === 0) return 0n;
    if (bits === 1 || rng === pieceMask) return BigInt(piece());
    let m = rng;
    m |= m >>> 1;
    m |= m >>> 2;
    m |= m >>> 4;
    m |= m >>> 8;
    let v: number;
    while ((v = piece() & m) > rng);
    return BigInt(v);
  };
}

function shuffle_(rs: RandomState, x: unknown): void {
  if (Array.isArray(x)) {
    shuffleList(rs._aug.bg, x);
    return;
  }
  if (!(x instanceof ndarray)) throw new TypeError(`object of type '${pyType(x)}' has no len()`);
  if (x.ndim === 0) throw new TypeError("len() of unsized object");
  if (x.size === 0) return;
  const perm = shuffledOrder(rs._aug.bg, x.shape[0]!);
  const idx = fromTypedArray(int64FromNumbers(perm), [perm.length], "int64");
  x.set("...", x.get(idx).copy());
}

function permutation_(rs: RandomState, x: unknown): ndarray {
  if ((typeof x === "number" && Number.isInteger(x)) || typeof x === "bigint") {
    const n = Number(x);
    if (n < 0) throw new ValueError("negative dimensions are not allowed");
    const perm = shuffledOrder(rs._aug.bg, n);
    return fromTypedArray(int64FromNumbers(perm), [n], "int64");
  }
  const arr = asarray(x as ArrayLike);
  if (arr.ndim < 1) throw new IndexError("x must be an integer or at least 1-dimensional");
  if (arr.size === 0 && arr.ndim === 1) return arr.copy();
  if (arr.ndim > 1 && arr.size === 0) {
    // shuffle of an index array still draws (its size is the first axis, not zero).
    const perm = shuffledOrder(rs._aug.bg, arr.shape[0]!);
    return arr.get(fromTypedArray(int64FromNumbers(perm), [perm.length], "int64"));
  }
  const perm = shuffledOrder(rs._aug.bg, arr.shape[0]!);
  return arr.get(fromTypedArray(int64FromNumbers(perm), [perm.length], "int64")).copy();
}

function choice_(rs: RandomState, aArg: unknown, sz: Size, replace: boolean, pArg: unknown): Draw {
  const a = asarray(aArg as ArrayLike);
  const nSamples = sz === null ? 1 : sz.reduce((x, y) => x * y, 1);
  let popSize: number;
  if (a.ndim === 0) {
    if (!(a.dtype.isInteger || a.dtype.kind === "b")) throw new ValueError("a must be 1-dimensional or an integer");
    popSize = Number(a.item());
    if (popSize <= 0 && nSamples !== 0) throw new ValueError("a must be greater than 0 unless no samples are taken");
  } else if (a.ndim !== 1) throw new ValueError("a must be 1-dimensional");
  else {
    popSize = a.shape[0]!;
    if (popSize === 0 && nSamples !== 0) throw new ValueError("'a' cannot be empty unless no samples are taken");
  }
  const p = pArg !== null && pArg !== undefined ? choiceProbabilities(pArg, popSize, "legacy") : null;
  const shape = sz ?? [];
  let idx: Float64Array;
  if (replace) {
    if (p !== null) {
      const cdf = normalizedCdf(p);
      idx = new Float64Array(nSamples);
      for (let i = 0; i < nSamples; i++) idx[i] = searchRight(cdf, rs._aug.bg.nextDouble());
    } else {
      const r = randint_(rs, 0, popSize, shape, "int64");
      idx = Float64Array.from((r as ndarray).toTypedArray() as BigInt64Array, (v) => Number(v));
    }
  } else {
    if (nSamples > popSize) throw new ValueError("Cannot take a larger sample than population when 'replace=False'");
    if (p !== null) {
      if (p.filter((x) => x > 0).length < nSamples) throw new ValueError("Fewer non-zero entries in p than size");
      const pc = p.slice();
      const found = new Float64Array(nSamples);
      let nUniq = 0;
      while (nUniq < nSamples) {
        const m = nSamples - nUniq;
        const x = new Float64Array(m);
        for (let i = 0; i < m; i++) x[i] = rs._aug.bg.nextDouble();
        for (let i = 0; i < nUniq; i++) pc[found[i]!] = 0;
        const cdf = normalizedCdf(pc);
        // new = searchsorted(cdf, x); keep the first occurrence of each value, in draw order.
        const seen = new Set<number>();
        for (let i = 0; i < m; i++) {
          const v = searchRight(cdf, x[i]!);
          if (!seen.has(v)) {
            seen.add(v);
            found[nUniq++] = v;
          }
        }
      }
      idx = found;
    } else {
      const perm = shuffledOrder(rs._aug.bg, popSize);
      idx = Float64Array.from(perm.subarray(0, nSamples));
    }
  }
  if (sz === null) {
    const i = idx[0]!;
    return a.ndim === 0 ? i : (a.get(i).item() as number);
  }
  const idxArr = toArray(idx, shape, "int64");
  if (a.ndim === 0) return idxArr;
  return a.get(idxArr);
}

/** `uniform(low, high, size)`: low + (high - low) * random_sample, NumPy's range checks. */
function uniform_(rs: RandomState, low: unknown, high: unknown, sz: Size): Draw {
  const lo = hostParam(low),
    hi = hostParam(high);
  const bg = rs._aug.bg;
  if (lo.shape.length === 0 && hi.shape.length === 0) {
    const range = hi.data[0]! - lo.data[0]!;
    if (!Number.isFinite(range)) throw new OverflowError("Range exceeds valid bounds");
    const l = lo.data[0]!;
    return drawEach(sz, [], () => L.randomUniform(bg, l, range));
  }
  const shape = broadcastPair(lo.shape, hi.shape);
  const lm = indexMap(lo.shape, shape),
    hm = indexMap(hi.shape, shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const range = new Float64Array(n),
    lows = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lows[i] = lo.data[lm === null ? 0 : lm[i]!]!;
    range[i] = hi.data[hm === null ? 0 : hm[i]!]! - lows[i]!;
    if (!Number.isFinite(range[i]!)) throw new OverflowError("Range exceeds valid bounds");
  }
  const specs: ParamSpec[] = [
    [fromTypedArray(lows, shape, "float64"), "", "none"],
    [fromTypedArray(range, shape, "float64"), "", "none"],
  ];
  return drawEach(sz, specs, (a, b) => L.randomUniform(bg, a, b));
}

function broadcastPair(a: readonly number[], b: readonly number[]): number[] {
  return outputShape(null, [a, b]);
}

function triangular_(rs: RandomState, left: unknown, mode: unknown, right: unknown, sz: Size): Draw {
  const l = hostParam(left),
    m = hostParam(mode),
    r = hostParam(right);
  const bg = rs._aug.bg;
  const specs: ParamSpec[] = [
    [left, "", "none"],
    [mode, "", "none"],
    [right, "", "none"],
  ];
  if (l.shape.length === 0 && m.shape.length === 0 && r.shape.length === 0) {
    if (l.data[0]! > m.data[0]!) throw new ValueError("left > mode");
    if (m.data[0]! > r.data[0]!) throw new ValueError("mode > right");
    if (l.data[0] === r.data[0]) throw new ValueError("left == right");
  } else {
    const shape = outputShape(null, [l.shape, m.shape, r.shape]);
    const [lm, mm, rm] = [l, m, r].map((p) => indexMap(p.shape, shape));
    const n = shape.reduce((a, b) => a * b, 1);
    const at = (p: typeof l, map: Int32Array | null | undefined, i: number) => p.data[map ? map[i]! : 0]!;
    const check = (f: (i: number) => boolean, msg: string) => {
      for (let i = 0; i < n; i++) if (f(i)) throw new ValueError(msg);
    };
    check((i) => at(l, lm, i) > at(m, mm, i), "left > mode");
    check((i) => at(m, mm, i) > at(r, rm, i), "mode > right");
    check((i) => at(l, lm, i) === at(r, rm, i), "left == right");
  }
  return drawEach(sz, specs, (a, b, c) => L.randomTriangular(bg, a, b, c));
}

function binomial_(rs: RandomState, n: unknown, p: unknown, sz: Size): Draw {
  const pp = hostParam(p),
    nn = hostParam(n, "int64");
  const bg = rs._aug.bg;
  if (pp.shape.length === 0 && nn.shape.length === 0 && !(n instanceof ndarray)) {
    if (typeof n === "number" && !Number.isInteger(n)) throw new TypeError("'float' object cannot be interpreted as an integer");
  }
  return drawEach(
    sz,
    [
      [p, "p", "bounded01"],
      [nn.shape.length === 0 ? nn.data[0]! : fromTypedArray(nn.data, nn.shape, "float64"), "n", "nonnegLong"],
    ],
    (pv, nv) => L.legacyBinomial(bg, pv, nv),
    "int64",
  );
}

function hypergeometric_(rs: RandomState, ngood: unknown, nbad: unknown, nsample: unknown, sz: Size): Draw {
  const g = hostParam(ngood, "int64"),
    b = hostParam(nbad, "int64"),
    s = hostParam(nsample, "int64");
  const bg = rs._aug.bg;
  if (g.shape.length === 0 && b.shape.length === 0 && s.shape.length === 0) {
    if (g.data[0]! + b.data[0]! < s.data[0]!) throw new ValueError("ngood + nbad < nsample");
  } else {
    const shape = outputShape(null, [g.shape, b.shape, s.shape]);
    const maps = [g, b, s].map((p) => indexMap(p.shape, shape));
    const n = shape.reduce((x, y) => x * y, 1);
    const at = (j: number, i: number) => [g, b, s][j]!.data[maps[j] ? maps[j]![i]! : 0]!;
    for (let i = 0; i < n; i++) if (at(0, i) + at(1, i) < at(2, i)) throw new ValueError("ngood + nbad < nsample");
  }
  const asArg = (p: typeof g) => (p.shape.length === 0 ? p.data[0]! : fromTypedArray(p.data, p.shape, "float64"));
  return drawEach(
    sz,
    [
      [asArg(g), "ngood", "nonnegLong"],
      [asArg(b), "nbad", "nonneg"],
      [asArg(s), "nsample", "gte1"],
    ],
    (x, y, z) => L.legacyHypergeometric(bg, x, y, z),
    "int64",
  );
}

/** size None → (d,), an int → (size, d), a shape → shape + (d,). */
function withLast(sz: Size, d: number): number[] {
  return sz === null ? [d] : [...sz, d];
}

function multinomial_(rs: RandomState, n: number, pvals: unknown, sz: Size): ndarray {
  const p = hostParam(pvals);
  if (p.shape.length === 0) throw new TypeError("pvals must be a 1-d sequence");
  if (p.shape.length > 1)
    throw new ValueError("setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.");
  const d = p.data.length;
  checkConstraint(p, "pvals", "bounded01");
  if (d && kahanSum(p.data, 0, d - 1) > 1.0 + 1e-12) throw new ValueError("sum(pvals[:-1]) > 1.0");
  const shape = withLast(sz, d);
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  if (n < 0) throw new ValueError("n < 0");
  const niter = d ? total / d : 0;
  for (let i = 0; i < niter; i++) L.legacyMultinomial(rs._aug.bg, n, out, i * d, p.data);
  return toArray(out, shape, "int64");
}

function dirichlet_(rs: RandomState, alpha: unknown, sz: Size): ndarray {
  const a = dirichletAlpha(alpha);
  const k = a.data.length;
  if (a.data.some((x) => x <= 0)) throw new ValueError("alpha <= 0");
  const shape = withLast(sz, k);
  const total = shape.reduce((x, y) => x * y, 1);
  const out = new Float64Array(total);
  for (let i = 0; i < total; i += k) {
    let acc = 0;
    for (let j = 0; j < k; j++) {
      out[i + j] = L.legacyStandardGamma(rs._aug, a.data[j]!);
      acc += out[i + j]!;
    }
    const inv = 1 / acc;
    for (let j = 0; j < k; j++) out[i + j] = out[i + j]! * inv;
  }
  return fromTypedArray(out, shape, "float64");
}

function bytes_(rs: RandomState, length: number): Uint8Array {
  if (length < 0) throw new ValueError("negative dimensions are not allowed");
  const nWords = Math.floor((length - 1) / 4) + 1;
  const words = new Uint32Array(Math.max(0, nWords));
  fillMasked(rs._aug.bg, 32, 0xffffffffn, nWords, (i, v) => {
    words[i] = Number(v);
  });
  // little-endian bytes of the words
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff;
  return out;
}

// ---- the declarations: each becomes a RandomState method and a module function

interface Spec<S extends string, C extends ConvMap, R> {
  params: S;
  convs: C;
  body: (rs: RandomState, p: BoundOf<S, C>) => R;
}
function spec<const S extends string, C extends ConvMap, R>(params: S, convs: C, body: (rs: RandomState, p: BoundOf<S, C>) => R): Spec<S, C, R> {
  return { params, convs, body };
}

const float = arg.any;
/** A distribution of the shared table, drawn on the legacy state (NumPy's aug_bitgen_t). */
const dist = <const K extends DistName>(
  name: K,
  draw: (s: AugState, a: number, b: number, c: number) => number,
  dtype: "float64" | "int64" = "float64",
): DistSpec<K, RandomState> => distSpec<K, RandomState, AugState>(name, (rs, fn) => fn(rs._aug), draw, dtype);
/** set_state's argument: a tuple (JS array) or a dict (a plain object, not the options). */
const stateArg = Object.assign(
  conv<LegacyStateTuple | MT19937StateDict | unknown[], unknown>((v): unknown => v),
  { takesObject: true },
);
const SPECS = {
  seed: spec("seed=None", { seed: arg.any }, (rs, p): void => {
    legacySeed(rs._mt, p.seed);
    rs._aug.hasGauss = false;
    rs._aug.gauss = 0;
  }),
  get_state: spec("legacy=True", { legacy: arg.bool }, (rs, p): LegacyStateTuple | MT19937StateDict => getState(rs, p.legacy)),
  set_state: spec("state", { state: stateArg }, (rs, p): void => setState(rs, p.state)),
  random_sample: spec("size=None", { size }, (rs, p): Draw => randomSample(rs, p.size)),
  random: spec("size=None", { size }, (rs, p): Draw => randomSample(rs, p.size)),
  rand: spec("*args", { args: conv<number, number>((v): number => toInt(v)) }, (rs, p): Draw => randomSample(rs, p.args.length ? p.args : null)),
  randn: spec("*args", { args: conv<number, number>((v): number => toInt(v)) }, (rs, p): Draw => standardNormal(rs, p.args.length ? p.args : null)),
  randint: spec(
    "low, high=None, size=None, dtype=<class 'int'>",
    { low: arg.any, high: arg.any, size, dtype: arg.any },
    (rs, p): Draw => randint_(rs, p.low, p.high, p.size, p.dtype),
  ),
  tomaxint: spec("size=None", { size }, (rs, p): Draw => {
    // random_positive_int: next_uint64 >> 1 (a C long is 64 bits here).
    const n = p.size === null ? 1 : p.size.reduce((a, b) => a * b, 1);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = rs._aug.bg.next64() >> 1n;
    const arr = fromTypedArray(out, p.size ?? [], "int64");
    return p.size === null ? (arr.item() as number) : arr;
  }),
  random_integers: spec("low, high=None, size=None", { low: arg.any, high: arg.any, size }, (rs, p): Draw => {
    // Deprecated in NumPy: randint over the closed interval [low, high] (or [1, low]).
    const [lo, hi] = p.high === null ? [1, p.low] : [p.low, p.high];
    return randint_(rs, lo, hi, p.size, "int64", true);
  }),
  bytes: spec("length", { length: arg.cint }, (rs, p): Uint8Array => bytes_(rs, p.length)),
  choice: spec(
    "a, size=None, replace=True, p=None",
    { a: arg.any, size, replace: arg.bool, p: arg.any },
    (rs, p): Draw => choice_(rs, p.a, p.size, p.replace, p.p),
  ),
  shuffle: spec("x", { x: arg.any }, (rs, p): void => shuffle_(rs, p.x)),
  permutation: spec("x", { x: arg.any }, (rs, p): ndarray => permutation_(rs, p.x)),
  uniform: spec("low=0.0, high=1.0, size=None", { low: float, high: float, size }, (rs, p): Draw => uniform_(rs, p.low, p.high, p.size)),
  standard_normal: spec("size=None", { size }, (rs, p): Draw => standardNormal(rs, p.size)),
  multivariate_normal: spec(
    "mean, cov, size=None, check_valid='warn', tol=1e-08",
    { mean: arg.any, cov: arg.any, size, check_valid: arg.any, tol: arg.float },
    (rs, p): ndarray => multivariateNormal((shape) => standardNormal(rs, shape) as ndarray, p.mean, p.cov, p.size, p.check_valid, p.tol, "svd", true),
  ),
  normal: dist("normal", (s, a, b) => L.legacyNormal(s, a, b)),
  beta: dist("beta", (s, a, b) => L.legacyBeta(s, a, b)),
  exponential: dist("exponential", (s, a) => L.legacyExponential(s, a)),
  standard_exponential: dist("standard_exponential", (s) => L.legacyStandardExponential(s)),
  standard_gamma: dist("standard_gamma", (s, a) => L.legacyStandardGamma(s, a)),
  gamma: dist("gamma", (s, a, b) => L.legacyGamma(s, a, b)),
  f: dist("f", (s, a, b) => L.legacyF(s, a, b)),
  noncentral_f: dist("noncentral_f", L.legacyNoncentralF),
  chisquare: dist("chisquare", (s, a) => L.legacyChisquare(s, a)),
  noncentral_chisquare: dist("noncentral_chisquare", (s, a, b) => L.legacyNoncentralChisquare(s, a, b)),
  standard_cauchy: dist("standard_cauchy", (s) => L.legacyStandardCauchy(s)),
  standard_t: dist("standard_t", (s, a) => L.legacyStandardT(s, a)),
  vonmises: dist("vonmises", (s, a, b) => L.randomVonmises(s.bg, a, b)),
  pareto: dist("pareto", (s, a) => L.legacyPareto(s, a)),
  weibull: dist("weibull", (s, a) => L.legacyWeibull(s, a)),
  power: dist("power", (s, a) => L.legacyPower(s, a)),
  laplace: dist("laplace", (s, a, b) => L.randomLaplace(s.bg, a, b)),
  gumbel: dist("gumbel", (s, a, b) => L.randomGumbel(s.bg, a, b)),
  logistic: dist("logistic", (s, a, b) => L.randomLogistic(s.bg, a, b)),
  lognormal: dist("lognormal", (s, a, b) => L.legacyLognormal(s, a, b)),
  rayleigh: dist("rayleigh", (s, a) => L.legacyRayleigh(s, a)),
  wald: dist("wald", (s, a, b) => L.legacyWald(s, a, b)),
  triangular: spec(
    "left, mode, right, size=None",
    { left: float, mode: float, right: float, size },
    (rs, p): Draw => triangular_(rs, p.left, p.mode, p.right, p.size),
  ),
  binomial: spec("n, p, size=None", { n: arg.any, p: float, size }, (rs, p): Draw => binomial_(rs, p.n, p.p, p.size)),
  negative_binomial: spec(
    "n, p, size=None",
    { n: float, p: float, size },
    (rs, p): Draw =>
      drawEach(
        p.size,
        [
          [p.n, "n", "pos"],
          [p.p, "p", "bounded01"],
        ],
        (a, b) => L.legacyNegativeBinomial(rs._aug, a, b),
        "int64",
      ),
  ),
  poisson: dist("poisson", (s, a) => L.randomPoisson(s.bg, a), "int64"),
  zipf: dist("zipf", (s, a) => L.legacyZipf(s.bg, a), "int64"),
  geometric: dist("geometric", (s, a) => L.legacyGeometric(s.bg, a), "int64"),
  hypergeometric: spec(
    "ngood, nbad, nsample, size=None",
    { ngood: arg.any, nbad: arg.any, nsample: arg.any, size },
    (rs, p): Draw => hypergeometric_(rs, p.ngood, p.nbad, p.nsample, p.size),
  ),
  logseries: dist("logseries", (s, a) => L.legacyLogseries(s.bg, a), "int64"),
  multinomial: spec("n, pvals, size=None", { n: arg.cint, pvals: arg.any, size }, (rs, p): ndarray => multinomial_(rs, p.n, p.pvals, p.size)),
  dirichlet: spec("alpha, size=None", { alpha: arg.any, size }, (rs, p): ndarray => dirichlet_(rs, p.alpha, p.size)),
};

type Specs = typeof SPECS;
type MethodType<K extends keyof Specs> = NumpyMethod<Specs[K]["params"], Specs[K]["convs"], ReturnType<Specs[K]["body"]>>;
type RM = { [K in keyof Specs]: MethodType<K> };

for (const [name, s] of Object.entries(SPECS) as unknown as [string, Spec<string, ConvMap, unknown>][]) {
  Object.defineProperty(RandomState.prototype, name, {
    value: method(name, s.params, s.convs, s.body as (rs: RandomState, p: unknown) => unknown),
    writable: true,
    configurable: true,
  });
}

/** The RandomState behind np.random's module functions (NumPy's `_rand`). */
let global: RandomState | null = null;
function globalState(): RandomState {
  global ??= new RandomState();
  return global;
}

/** The module function over the global RandomState, with the method's declaration. */
function moduleFn<const K extends keyof Specs>(name: K) {
  const s = SPECS[name] as Specs[K] & Spec<string, ConvMap, unknown>;
  type S = Specs[K]["params"];
  type C = Specs[K]["convs"];
  type R = ReturnType<Specs[K]["body"]>;
  return def(name, s.params as S, s.convs as unknown as C, (p: BoundOf<S, C>): R => s.body(globalState(), p as never) as R);
}

export const seed = moduleFn("seed");
export const get_state = moduleFn("get_state");
export const set_state = moduleFn("set_state");
export const random_sample = moduleFn("random_sample");
export const random = moduleFn("random");
export const rand = moduleFn("rand");
export const randn = moduleFn("randn");
export const randint = moduleFn("randint");
export const random_integers = moduleFn("random_integers");
export const bytes = moduleFn("bytes");
export const choice = moduleFn("choice");
export const shuffle = moduleFn("shuffle");
export const permutation = moduleFn("permutation");
export const uniform = moduleFn("uniform");
export const standard_normal = moduleFn("standard_normal");
export const multivariate_normal = moduleFn("multivariate_normal");
export const normal = moduleFn("normal");
export const beta = moduleFn("beta");
export const exponential = moduleFn("exponential");
export const standard_exponential = moduleFn("standard_exponential");
export const standard_gamma = moduleFn("standard_gamma");
export const gamma = moduleFn("gamma");
export const f = moduleFn("f");
export const noncentral_f = moduleFn("noncentral_f");
export const chisquare = moduleFn("chisquare");
export const noncentral_chisquare = moduleFn("noncentral_chisquare");
export const standard_cauchy = moduleFn("standard_cauchy");
export const standard_t = moduleFn("standard_t");
export const vonmises = moduleFn("vonmises");
export const pareto = moduleFn("pareto");
export const weibull = moduleFn("weibull");
export const power = moduleFn("power");
export const laplace = moduleFn("laplace");
export const gumbel = moduleFn("gumbel");
export const logistic = moduleFn("logistic");
export const lognormal = moduleFn("lognormal");
export const rayleigh = moduleFn("rayleigh");
export const wald = moduleFn("wald");
export const triangular = moduleFn("triangular");
export const binomial = moduleFn("binomial");
export const negative_binomial = moduleFn("negative_binomial");
export const poisson = moduleFn("poisson");
export const zipf = moduleFn("zipf");
export const geometric = moduleFn("geometric");
export const hypergeometric = moduleFn("hypergeometric");
export const logseries = moduleFn("logseries");
export const multinomial = moduleFn("multinomial");
export const dirichlet = moduleFn("dirichlet");

/** np.random.get_bit_generator(): the MT19937 behind the module functions. */
export const get_bit_generator = def("get_bit_generator", "", {}, (): MT19937 => globalState()._bitgen);
/** np.random.set_bit_generator(bitgen): the module functions draw from `bitgen` (an MT19937) from now on. */
export const set_bit_generator = def("set_bit_generator", "bitgen", { bitgen: arg.any }, (p): void => {
  if (!(p.bitgen instanceof MT19937)) unsupported("set_bit_generator", "a bit generator other than MT19937");
  global = new RandomState(p.bitgen);
});

/** np.random.sample / ranf: old aliases of random_sample(*args, **kwargs). */
function alias(name: string) {
  const sizeLike = conv<number | readonly number[] | null, unknown>((v): unknown => v);
  return def(name, "*args, **kwargs", { args: sizeLike, kwargs: sizeLike }, (p): Draw => {
    const a = p.args as unknown[];
    const kw = p.kwargs as Record<string, unknown>;
    for (const k of Object.keys(kw)) if (k !== "size") throw new TypeError(`random_sample() got an unexpected keyword argument '${k}'`);
    if (a.length > 1) throw new TypeError(`random_sample() takes at most 1 positional argument (${a.length} given)`);
    if (a.length === 1 && "size" in kw) throw new TypeError("argument for random_sample() given by name ('size') and position (1)");
    const sz = a.length === 1 ? a[0] : (kw.size ?? null);
    return randomSample(globalState(), sz === null || sz === undefined ? null : toShapeList(sz));
  });
}
export const sample = alias("sample");
export const ranf = alias("ranf");
