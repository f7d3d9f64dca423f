// Generator's distribution algorithms (numpy/random/src/distributions/distributions.c) on a
// PCG64 bit source: the ziggurat normal and exponential, and the distributions built on them
// where they differ from RandomState's legacy ones. Those that did not change (Poisson,
// Laplace, Gumbel, logistic, triangular, geometric search, loggam) are shared with
// legacy_distributions.ts. Like those, float results agree with NumPy's to the last ulp or so
// of the C library's log/exp/pow.

import type { GenSource } from "./bit_source.js";
import { FI_DOUBLE, KI_DOUBLE, WI_DOUBLE, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from "./ziggurat_tables.js";
import { randomPoisson, randomVonmises } from "./legacy_distributions.js";
import { randomInterval } from "./bounded_masked.js";
import { logfactorial } from "./logfactorial.js";
import { binomial } from "./binomial.js";
import { type GammaDraws, standardGamma } from "./standard_gamma.js";
import { FE_DOUBLE, KE_DOUBLE, WE_DOUBLE, ZIGGURAT_EXP_R } from "./ziggurat_exp_tables.js";

export type Source = GenSource;

/** `random_standard_normal`: the ziggurat on 64-bit draws, as Generator.standard_normal. */
export function gNormal(s: Source): number {
  for (;;) {
    const w = s.next64Words();
    const lo = w[0]!,
      hi = w[1]!;
    // Low bits first: 8-bit layer index, sign, 52-bit magnitude.
    const idx = lo & 0xff;
    const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    let x = rabs * WI_DOUBLE[idx]!;
    if (lo & 0x100) x = -x;
    if (rabs < KI_DOUBLE[idx]!) return x;
    if (idx === 0) {
      for (;;) {
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-s.nextDouble());
        const yy = -Math.log1p(-s.nextDouble());
        // Bit 8 of rabs is bit 17 of the low word.
        if (yy + yy > xx * xx) return (lo >>> 17) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
      }
    }
    if ((FI_DOUBLE[idx - 1]! - FI_DOUBLE[idx]!) * s.nextDouble() + FI_DOUBLE[idx]! < Math.exp(-0.5 * x * x)) return x;
  }
}

/** `random_standard_exponential`: the exponential ziggurat on 64-bit draws. */
export function gStandardExponential(s: Source): number {
  for (;;) {
    const w = s.next64Words();
    const lo = w[0]!,
      hi = w[1]!;
    // ri = draw >> 3; idx = low 8 bits of ri; ri >>= 8: a 53-bit value.
    const idx = (lo >>> 3) & 0xff;
    const ri = hi * 2097152 + (lo >>> 11);
    const x = ri * WE_DOUBLE[idx]!;
    if (ri < KE_DOUBLE[idx]!) return x;
    if (idx === 0) return ZIGGURAT_EXP_R - Math.log1p(-s.nextDouble());
    if ((FE_DOUBLE[idx - 1]! - FE_DOUBLE[idx]!) * s.nextDouble() + FE_DOUBLE[idx]! < Math.exp(-x)) return x;
    // otherwise a fresh draw
  }
}

const GAMMA_DRAWS: GammaDraws<Source> = { uniform: (s) => s.nextDouble(), exponential: gStandardExponential, normal: gNormal };

/** `random_standard_gamma`, on the ziggurat exponential and normal. */
export function gStandardGamma(s: Source, shape: number): number {
  return standardGamma(s, shape, GAMMA_DRAWS);
}

const BETA_TINY_THRESHOLD = 3e-103;

export function gBeta(s: Source, a: number, b: number): number {
  if (a <= 1.0 && b <= 1.0) {
    if (a < BETA_TINY_THRESHOLD && b < BETA_TINY_THRESHOLD) {
      const U = s.nextDouble();
      return (a + b) * U < a ? 1 : 0;
    }
    for (;;) {
      const U = s.nextDouble();
      const V = s.nextDouble();
      const X = Math.pow(U, 1.0 / a);
      const Y = Math.pow(V, 1.0 / b);
      const XpY = X + Y;
      if (XpY <= 1.0 && U + V > 0.0) {
        if (X > 0 && Y > 0) return X / XpY;
        // X or Y underflowed: work with logarithms.
        const logX = Math.log(U) / a;
        const logY = Math.log(V) / b;
        const delta = logX - logY;
        return delta > 0 ? Math.exp(-Math.log1p(Math.exp(-delta))) : Math.exp(delta - Math.log1p(Math.exp(delta)));
      }
    }
  }
  const Ga = gStandardGamma(s, a);
  const Gb = gStandardGamma(s, b);
  return Ga / (Ga + Gb);
}

export function gChisquare(s: Source, df: number): number {
  return 2.0 * gStandardGamma(s, df / 2.0);
}

export function gF(s: Source, dfnum: number, dfden: number): number {
  const a = gChisquare(s, dfnum) * dfden;
  const b = gChisquare(s, dfden) * dfnum;
  return a / b;
}

export function gStandardCauchy(s: Source): number {
  const a = gNormal(s);
  const b = gNormal(s);
  return a / b;
}

export function gPareto(s: Source, a: number): number {
  return Math.expm1(gStandardExponential(s) / a);
}

export function gWeibull(s: Source, a: number): number {
  if (a === 0.0) return 0.0;
  return Math.pow(gStandardExponential(s), 1 / a);
}

export function gPower(s: Source, a: number): number {
  return Math.pow(-Math.expm1(-gStandardExponential(s)), 1 / a);
}

export function gLognormal(s: Source, mean: number, sigma: number): number {
  return Math.exp(mean + sigma * gNormal(s));
}

export function gRayleigh(s: Source, mode: number): number {
  return mode * Math.sqrt(2.0 * gStandardExponential(s));
}

export function gStandardT(s: Source, df: number): number {
  const num = gNormal(s);
  const denom = gStandardGamma(s, df / 2);
  return (Math.sqrt(df / 2) * num) / Math.sqrt(denom);
}

export function gNegativeBinomial(s: Source, n: number, p: number): number {
  const Y = ((1 - p) / p) * gStandardGamma(s, n);
  return randomPoisson(s, Y);
}

export function gNoncentralChisquare(s: Source, df: number, nonc: number): number {
  if (Number.isNaN(nonc)) return Number.NaN;
  if (nonc === 0) return gChisquare(s, df);
  if (1 < df) {
    const chi2 = gChisquare(s, df - 1);
    const n = gNormal(s) + Math.sqrt(nonc);
    return chi2 + n * n;
  }
  const i = randomPoisson(s, nonc / 2.0);
  return gChisquare(s, df + 2 * i);
}

export function gNoncentralF(s: Source, dfnum: number, dfden: number, nonc: number): number {
  const t = gNoncentralChisquare(s, dfnum, nonc) * dfden;
  return t / (gChisquare(s, dfden) * dfnum);
}

export function gWald(s: Source, mean: number, scale: number): number {
  let Y = gNormal(s);
  Y = mean * Y * Y;
  const d = 1 + Math.sqrt(1 + (4 * scale) / Y);
  const X = mean * (1 - 2 / d);
  const U = s.nextDouble();
  return U <= mean / (mean + X) ? X : (mean * mean) / X;
}

/** `random_vonmises`: the legacy sampler, with a wrapped normal for kappa > 1e6. */
export function gVonmises(s: Source, mu: number, kappa: number): number {
  return randomVonmises(s, mu, kappa, gNormal);
}

export function gLogseries(s: Source, p: number): number {
  const r = Math.log1p(-p);
  for (;;) {
    const V = s.nextDouble();
    if (V >= p) return 1;
    const U = s.nextDouble();
    const q = -Math.expm1(r * U);
    if (V <= q * q) {
      const result = Math.floor(1 + Math.log(V) / Math.log(q));
      if (result < 1 || V === 0.0) continue;
      return result;
    }
    return V >= q ? 1 : 2;
  }
}

export function gGeometric(s: Source, p: number): number {
  if (p >= 0.333333333333333333333333) {
    let X = 1;
    let sum = p,
      prod = p;
    const q = 1.0 - p;
    const U = s.nextDouble();
    while (U > sum) {
      prod *= q;
      sum += prod;
      X++;
    }
    return X;
  }
  const z = Math.ceil(-gStandardExponential(s) / Math.log1p(-p));
  return z >= 9.223372036854776e18 ? 9223372036854775807 : z;
}

/** `random_binomial`: no draws when n or p is zero. */
export function gBinomial(s: Source, p: number, n: number): number {
  return n === 0 || p === 0.0 ? 0 : binomial(s, p, n, false);
}

const RAND_INT_MAX = 9223372036854775807;

/** `random_zipf`: rejection from (Umin, 1], values beyond int64 rejected. */
export function gZipf(s: Source, a: number): number {
  if (a >= 1025) return 1;
  const am1 = a - 1.0;
  const b = Math.pow(2.0, am1);
  const Umin = Math.pow(RAND_INT_MAX, -am1);
  for (;;) {
    const U01 = s.nextDouble();
    const U = U01 * Umin + (1 - U01);
    const V = s.nextDouble();
    const X = Math.floor(Math.pow(U, -1.0 / am1));
    if (X > RAND_INT_MAX || X < 1.0) continue;
    const T = Math.pow(1.0 + 1.0 / X, am1);
    if ((V * X * (T - 1.0)) / (b - 1.0) <= T / b) return X;
  }
}

function hypergeometricSample(s: Source, good: number, bad: number, sample: number): number {
  const total = good + bad;
  const half = Math.trunc(total / 2);
  let computed = sample > half ? total - sample : sample;
  let remTotal = total;
  let remGood = good;
  while (computed > 0 && remGood > 0 && remTotal > remGood) {
    --remTotal;
    if (randomInterval(s, remTotal) < remGood) --remGood;
    --computed;
  }
  if (remTotal === remGood) remGood -= computed;
  return sample > half ? remGood : good - remGood;
}

const HD1 = 1.7155277699214135;
const HD2 = 0.8989161620588988;

function hypergeometricHrua(s: Source, good: number, bad: number, sample: number): number {
  const popsize = good + bad;
  const computed = Math.min(sample, popsize - sample);
  const mingoodbad = Math.min(good, bad);
  const maxgoodbad = Math.max(good, bad);
  const p = mingoodbad / popsize;
  const q = maxgoodbad / popsize;
  const mu = computed * p;
  const a = mu + 0.5;
  const v = ((popsize - computed) * computed * p * q) / (popsize - 1);
  const c = Math.sqrt(v + 0.5);
  const h = HD1 * c + HD2;
  const m = Math.floor(((computed + 1) * (mingoodbad + 1)) / (popsize + 2));
  const g = logfactorial(m) + logfactorial(mingoodbad - m) + logfactorial(computed - m) + logfactorial(maxgoodbad - computed + m);
  const b = Math.min(Math.min(computed, mingoodbad) + 1, Math.floor(a + 16 * c));
  let K: number;
  for (;;) {
    const U = s.nextDouble();
    const V = s.nextDouble();
    const X = a + (h * (V - 0.5)) / U;
    if (X < 0.0 || X >= b) continue;
    K = Math.floor(X);
    const gp = logfactorial(K) + logfactorial(mingoodbad - K) + logfactorial(computed - K) + logfactorial(maxgoodbad - computed + K);
    const T = g - gp;
    if (U * (4.0 - U) - 3.0 <= T) break;
    if (U * (U - T) >= 1) continue;
    if (2.0 * Math.log(U) <= T) break;
  }
  if (good > bad) K = computed - K;
  if (computed < sample) K = good - K;
  return K;
}

/** `random_hypergeometric`: HRUA for 10 <= sample <= total - 10, direct sampling otherwise. */
export function gHypergeometric(s: Source, good: number, bad: number, sample: number): number {
  if (sample >= 10 && sample <= good + bad - 10) return hypergeometricHrua(s, good, bad, sample);
  return hypergeometricSample(s, good, bad, sample);
}

/** `random_multinomial` into out[off .. off + d). */
export function gMultinomial(s: Source, n: number, out: Float64Array, off: number, pix: Float64Array, pOff: number, d: number): void {
  let remaining = 1.0;
  let dn = n;
  for (let j = 0; j < d - 1; j++) {
    out[off + j] = gBinomial(s, pix[pOff + j]! / remaining, dn);
    dn -= out[off + j]!;
    if (dn <= 0) break;
    remaining -= pix[pOff + j]!;
  }
  if (dn > 0) out[off + d - 1] = dn;
}
