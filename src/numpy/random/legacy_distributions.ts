// RandomState's distribution algorithms, as NumPy's legacy-distributions.c (frozen at
// NumPy 1.16 so old seeds keep their streams) and the parts of distributions.c it shares
// (Poisson, Laplace, Gumbel, logistic, triangular, geometric search, loggam). Each function
// consumes exactly the draws NumPy's consumes. Math.log/exp/pow/cos may differ from the C
// library in the last bit, so float results agree with NumPy to rounding, not always bit for bit.

import type { AugState, BitSource } from "./bit_source.js";
import { binomial } from "./binomial.js";
import { type GammaDraws, standardGamma } from "./standard_gamma.js";

/** Largest value of C `long` / int64 as a double. */
const LONG_MAX_D = 9223372036854775807;

/** `legacy_gauss`: Marsaglia's polar method; the second value is kept for the next call. */
export function legacyGauss(s: AugState): number {
  if (s.hasGauss) {
    const t = s.gauss;
    s.hasGauss = false;
    s.gauss = 0;
    return t;
  }
  let x1: number, x2: number, r2: number;
  do {
    x1 = 2.0 * s.bg.nextDouble() - 1.0;
    x2 = 2.0 * s.bg.nextDouble() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 === 0.0);
  const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
  s.gauss = f * x1;
  s.hasGauss = true;
  return f * x2;
}

export function legacyNormal(s: AugState, loc: number, scale: number): number {
  return loc + scale * legacyGauss(s);
}

export function legacyStandardExponential(s: AugState): number {
  return -Math.log(1.0 - s.bg.nextDouble());
}

export function legacyExponential(s: AugState, scale: number): number {
  return scale * legacyStandardExponential(s);
}

const GAMMA_DRAWS: GammaDraws<AugState> = { uniform: (s) => s.bg.nextDouble(), exponential: legacyStandardExponential, normal: legacyGauss };

/** `legacy_standard_gamma`, on the inversion exponential and the polar-method Gaussian. */
export function legacyStandardGamma(s: AugState, shape: number): number {
  return standardGamma(s, shape, GAMMA_DRAWS);
}

export function legacyGamma(s: AugState, shape: number, scale: number): number {
  return scale * legacyStandardGamma(s, shape);
}

export function legacyPareto(s: AugState, a: number): number {
  return Math.exp(legacyStandardExponential(s) / a) - 1;
}

export function legacyWeibull(s: AugState, a: number): number {
  if (a === 0.0) return 0.0;
  return Math.pow(legacyStandardExponential(s), 1 / a);
}

export function legacyPower(s: AugState, a: number): number {
  return Math.pow(1 - Math.exp(-legacyStandardExponential(s)), 1 / a);
}

export function legacyChisquare(s: AugState, df: number): number {
  return 2.0 * legacyStandardGamma(s, df / 2.0);
}

export function legacyRayleigh(s: AugState, mode: number): number {
  return mode * Math.sqrt(-2.0 * Math.log1p(-s.bg.nextDouble()));
}

export function legacyNoncentralChisquare(s: AugState, df: number, nonc: number): number {
  if (nonc === 0) return legacyChisquare(s, df);
  if (1 < df) {
    const chi2 = legacyChisquare(s, df - 1);
    const n = legacyGauss(s) + Math.sqrt(nonc);
    return chi2 + n * n;
  }
  const i = randomPoisson(s.bg, nonc / 2.0);
  const out = legacyChisquare(s, df + 2 * i);
  return Number.isNaN(nonc) ? Number.NaN : out;
}

export function legacyNoncentralF(s: AugState, dfnum: number, dfden: number, nonc: number): number {
  const t = legacyNoncentralChisquare(s, dfnum, nonc) * dfden;
  return t / (legacyChisquare(s, dfden) * dfnum);
}

export function legacyWald(s: AugState, mean: number, scale: number): number {
  const mu2l = mean / (2 * scale);
  let Y = legacyGauss(s);
  Y = mean * Y * Y;
  const X = mean + mu2l * (Y - Math.sqrt(4 * scale * Y + Y * Y));
  const U = s.bg.nextDouble();
  return U <= mean / (mean + X) ? X : (mean * mean) / X;
}

export function legacyLognormal(s: AugState, mean: number, sigma: number): number {
  return Math.exp(legacyNormal(s, mean, sigma));
}

export function legacyStandardT(s: AugState, df: number): number {
  const num = legacyGauss(s);
  const denom = legacyStandardGamma(s, df / 2);
  return (Math.sqrt(df / 2) * num) / Math.sqrt(denom);
}

export function legacyNegativeBinomial(s: AugState, n: number, p: number): number {
  const Y = legacyGamma(s, n, (1 - p) / p);
  return randomPoisson(s.bg, Y);
}

export function legacyStandardCauchy(s: AugState): number {
  return legacyGauss(s) / legacyGauss(s);
}

export function legacyBeta(s: AugState, a: number, b: number): number {
  if (a <= 1.0 && b <= 1.0) {
    // Johnk's algorithm
    for (;;) {
      const U = s.bg.nextDouble();
      const V = s.bg.nextDouble();
      const X = Math.pow(U, 1.0 / a);
      const Y = Math.pow(V, 1.0 / b);
      if (X + Y <= 1.0) {
        if (X + Y > 0) return X / (X + Y);
        let logX = Math.log(U) / a;
        let logY = Math.log(V) / b;
        const logM = logX > logY ? logX : logY;
        logX -= logM;
        logY -= logM;
        return Math.exp(logX - Math.log(Math.exp(logX) + Math.exp(logY)));
      }
    }
  }
  const Ga = legacyStandardGamma(s, a);
  const Gb = legacyStandardGamma(s, b);
  return Ga / (Ga + Gb);
}

export function legacyF(s: AugState, dfnum: number, dfden: number): number {
  return (legacyChisquare(s, dfnum) * dfden) / (legacyChisquare(s, dfden) * dfnum);
}

// ---- discrete

/** C's (int64_t) cast of a double that is known to be in range: truncation toward zero. */
const toInt = Math.trunc;

/** `legacy_random_binomial`. (NumPy caches the setup per (n, p); recomputing it gives the same values.) */
export function legacyBinomial(bg: BitSource, p: number, n: number): number {
  return binomial(bg, p, n, true);
}

/** `random_loggam`: log-gamma by Stirling's series, as NumPy's. */
export function randomLoggam(x: number): number {
  const a = [
    8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4, -1.917526917526918e-3,
    6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
  ];
  if (x === 1.0 || x === 2.0) return 0.0;
  const n = x < 7.0 ? toInt(7 - x) : 0;
  let x0 = x + n;
  const x2 = (1.0 / x0) * (1.0 / x0);
  const lg2pi = 1.8378770664093453;
  let gl0 = a[9]!;
  for (let k = 8; k >= 0; k--) {
    gl0 *= x2;
    gl0 += a[k]!;
  }
  let gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * Math.log(x0) - x0;
  if (x < 7.0) {
    for (let k = 1; k <= n; k++) {
      gl -= Math.log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return gl;
}

function poissonMult(bg: BitSource, lam: number): number {
  const enlam = Math.exp(-lam);
  let X = 0;
  let prod = 1.0;
  for (;;) {
    prod *= bg.nextDouble();
    if (prod > enlam) X += 1;
    else return X;
  }
}

function poissonPtrs(bg: BitSource, lam: number): number {
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = bg.nextDouble() - 0.5;
    const V = bg.nextDouble();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lam + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - randomLoggam(k + 1)) return k;
  }
}

/** `random_poisson`: PTRS for lam >= 10, multiplication below. */
export function randomPoisson(bg: BitSource, lam: number): number {
  if (lam >= 10) return poissonPtrs(bg, lam);
  if (lam === 0) return 0;
  return poissonMult(bg, lam);
}

export function randomLaplace(bg: BitSource, loc: number, scale: number): number {
  for (;;) {
    const U = bg.nextDouble();
    if (U >= 0.5) return loc - scale * Math.log(2.0 - U - U);
    if (U > 0.0) return loc + scale * Math.log(U + U);
    // U == 0 is rejected: draw again
  }
}

export function randomGumbel(bg: BitSource, loc: number, scale: number): number {
  for (;;) {
    const U = 1.0 - bg.nextDouble();
    if (U < 1.0) return loc - scale * Math.log(-Math.log(U));
  }
}

export function randomLogistic(bg: BitSource, loc: number, scale: number): number {
  for (;;) {
    const U = bg.nextDouble();
    if (U > 0.0) return loc + scale * Math.log(U / (1.0 - U));
  }
}

export function randomTriangular(bg: BitSource, left: number, mode: number, right: number): number {
  const base = right - left;
  const leftbase = mode - left;
  const ratio = leftbase / base;
  const leftprod = leftbase * base;
  const rightprod = (right - mode) * base;
  const U = bg.nextDouble();
  return U <= ratio ? left + Math.sqrt(U * leftprod) : right - Math.sqrt((1.0 - U) * rightprod);
}

export function randomUniform(bg: BitSource, lower: number, range: number): number {
  return lower + range * bg.nextDouble();
}

function geometricSearch(bg: BitSource, p: number): number {
  let X = 1;
  let sum = p,
    prod = p;
  const q = 1.0 - p;
  const U = bg.nextDouble();
  while (U > sum) {
    prod *= q;
    sum += prod;
    X++;
  }
  return X;
}

export function legacyGeometric(bg: BitSource, p: number): number {
  if (p >= 0.333333333333333333333333) return geometricSearch(bg, p);
  return Math.ceil(Math.log1p(-bg.nextDouble()) / Math.log(1 - p));
}

export function legacyZipf(bg: BitSource, a: number): number {
  const am1 = a - 1.0;
  const b = Math.pow(2.0, am1);
  for (;;) {
    const U = 1.0 - bg.nextDouble();
    const V = bg.nextDouble();
    const X = Math.floor(Math.pow(U, -1.0 / am1));
    // Values beyond a C long are rejected: Zipf truncated to the long range.
    if (X > LONG_MAX_D || X < 1.0) continue;
    const T = Math.pow(1.0 + 1.0 / X, am1);
    if ((V * X * (T - 1.0)) / (b - 1.0) <= T / b) return X;
  }
}

function hypergeometricHyp(bg: BitSource, good: number, bad: number, sample: number): number {
  const d1 = bad + good - sample;
  const d2 = Math.min(bad, good);
  let y = d2;
  let k = sample;
  while (y > 0.0) {
    const u = bg.nextDouble();
    y -= Math.floor(u + y / (d1 + k));
    k--;
    if (k === 0) break;
  }
  let z = toInt(d2 - y);
  if (good > bad) z = sample - z;
  return z;
}

const D1 = 1.7155277699214135;
const D2 = 0.8989161620588988;

function hypergeometricHrua(bg: BitSource, good: number, bad: number, sample: number): number {
  const mingoodbad = Math.min(good, bad);
  const popsize = good + bad;
  const maxgoodbad = Math.max(good, bad);
  const m = Math.min(sample, popsize - sample);
  const d4 = mingoodbad / popsize;
  const d5 = 1.0 - d4;
  const d6 = m * d4 + 0.5;
  const d7 = Math.sqrt(((popsize - m) * sample * d4 * d5) / (popsize - 1) + 0.5);
  const d8 = D1 * d7 + D2;
  const d9 = Math.floor(((m + 1) * (mingoodbad + 1)) / (popsize + 2));
  const d10 = randomLoggam(d9 + 1) + randomLoggam(mingoodbad - d9 + 1) + randomLoggam(m - d9 + 1) + randomLoggam(maxgoodbad - m + d9 + 1);
  const d11 = Math.min(Math.min(m, mingoodbad) + 1.0, Math.floor(d6 + 16 * d7));
  let Z: number;
  for (;;) {
    const X = bg.nextDouble();
    const Y = bg.nextDouble();
    const W = d6 + (d8 * (Y - 0.5)) / X;
    if (W < 0.0 || W >= d11) continue;
    Z = Math.floor(W);
    const T = d10 - (randomLoggam(Z + 1) + randomLoggam(mingoodbad - Z + 1) + randomLoggam(m - Z + 1) + randomLoggam(maxgoodbad - m + Z + 1));
    if (X * (4.0 - X) - 3.0 <= T) break;
    if (X * (X - T) >= 1) continue;
    if (2.0 * Math.log(X) <= T) break;
  }
  if (good > bad) Z = m - Z;
  if (m < sample) Z = good - Z;
  return Z;
}

export function legacyHypergeometric(bg: BitSource, good: number, bad: number, sample: number): number {
  if (sample > 10) return hypergeometricHrua(bg, good, bad, sample);
  if (sample > 0) return hypergeometricHyp(bg, good, bad, sample);
  return 0;
}

export function legacyLogseries(bg: BitSource, p: number): number {
  const r = Math.log(1.0 - p);
  for (;;) {
    const V = bg.nextDouble();
    if (V >= p) return 1;
    const U = bg.nextDouble();
    const q = 1.0 - Math.exp(r * U);
    if (V <= q * q) {
      const result = Math.floor(1 + Math.log(V) / Math.log(q));
      if (result < 1 || V === 0.0) continue;
      return result;
    }
    return V >= q ? 1 : 2;
  }
}

/** `legacy_random_multinomial` into out[off .. off + d). */
export function legacyMultinomial(bg: BitSource, n: number, out: Float64Array | number[], off: number, pix: Float64Array): void {
  const d = pix.length;
  let remaining = 1.0;
  let dn = n;
  for (let j = 0; j < d - 1; j++) {
    out[off + j] = legacyBinomial(bg, pix[j]! / remaining, dn);
    dn -= out[off + j]!;
    if (dn <= 0) break;
    remaining -= pix[j]!;
  }
  if (dn > 0) out[off + d - 1] = dn;
}

/**
 * `legacy_vonmises` (Best & Fisher's rejection); given `wrappedNormal`, `random_vonmises`,
 * which switches to a wrapped normal for kappa > 1e6.
 */
export function randomVonmises<S extends BitSource>(bg: S, mu: number, kappa: number, wrappedNormal?: (s: S) => number): number {
  if (Number.isNaN(kappa)) return Number.NaN;
  if (kappa < 1e-8) return Math.PI * (2 * bg.nextDouble() - 1);
  let s: number;
  if (kappa < 1e-5) s = 1 / kappa + kappa;
  else if (kappa > 1e6 && wrappedNormal) {
    let result = mu + Math.sqrt(1 / kappa) * wrappedNormal(bg);
    if (result < -Math.PI) result += 2 * Math.PI;
    if (result > Math.PI) result -= 2 * Math.PI;
    return result;
  } else {
    const r = 1 + Math.sqrt(1 + 4 * kappa * kappa);
    const rho = (r - Math.sqrt(2 * r)) / (2 * kappa);
    s = (1 + rho * rho) / (2 * rho);
  }
  let W: number;
  for (;;) {
    const U = bg.nextDouble();
    const Z = Math.cos(Math.PI * U);
    W = (1 + s * Z) / (s + Z);
    const Y = kappa * (s - W);
    const V = bg.nextDouble();
    if (Y * (2 - Y) - V >= 0 || Math.log(Y / V) + 1 - Y >= 0) break;
  }
  const U = bg.nextDouble();
  let result = Math.acos(W);
  if (U < 0.5) result = -result;
  result += mu;
  const neg = result < 0;
  let mod = Math.abs(result);
  mod = ((mod + Math.PI) % (2 * Math.PI)) - Math.PI;
  if (neg) mod *= -1;
  return mod;
}
