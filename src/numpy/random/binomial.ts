// NumPy's binomial sampler, shared by Generator and RandomState: inversion for small n*p,
// BTPE (Kachitvichyanukul & Schmeiser) otherwise. The two APIs differ in two constants only.

import type { BitSource } from "./bit_source.js";

function binomialInversion(s: BitSource, n: number, p: number, legacy: boolean): number {
  const q = 1.0 - p;
  // RandomState keeps log(q); the Generator's log1p(-p) is the more accurate.
  const qn = Math.exp(n * (legacy ? Math.log(q) : Math.log1p(-p)));
  const np = n * p;
  const bound = Math.trunc(Math.min(n, np + 10.0 * Math.sqrt(np * q + 1)));
  let X = 0;
  let px = qn;
  let U = s.nextDouble();
  while (U > px) {
    X++;
    if (X > bound) {
      X = 0;
      px = qn;
      U = s.nextDouble();
    } else {
      U -= px;
      px = ((n - X + 1) * p * px) / (X * q);
    }
  }
  return X;
}

/**
 * BTPE. The Generator's has the corrected Stirling terms (13860, the third and fourth
 * subtracted); RandomState keeps the old ones (13680, all four added).
 */
function binomialBtpe(s: BitSource, n: number, p: number, legacy: boolean): number {
  const st = legacy ? 13680 : 13860;
  const sign = legacy ? 1 : -1;
  const r = Math.min(p, 1.0 - p);
  const q = 1.0 - r;
  const fm = n * r + r;
  const m = Math.floor(fm);
  const p1 = Math.floor(2.195 * Math.sqrt(n * r * q) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1.0 + a / 2.0);
  const p2 = p1 * (1.0 + 2.0 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;
  const done = (y: number): number => (p > 0.5 ? n - y : y);
  for (;;) {
    const nrq = n * r * q;
    const u = s.nextDouble() * p4;
    let v = s.nextDouble();
    let y: number;
    if (u <= p1) return done(Math.floor(xm - p1 * v + u));
    if (u <= p2) {
      const x = xl + (u - p1) / c;
      v = v * c + 1.0 - Math.abs(m - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0 || v === 0.0) continue;
      v = v * (u - p2) * laml;
    } else {
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n || v === 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    const k = Math.abs(y - m);
    if (!(k > 20 && k < nrq / 2.0 - 1)) {
      const sr = r / q;
      const aa = sr * (n + 1);
      let F = 1.0;
      if (m < y) for (let i = m + 1; i <= y; i++) F *= aa / i - sr;
      else if (m > y) for (let i = y + 1; i <= m; i++) F /= aa / i - sr;
      if (v > F) continue;
      return done(y);
    }
    const rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const A = Math.log(v);
    if (A < t - rho) return done(y);
    if (A > t + rho) continue;
    const x1 = y + 1;
    const f1 = m + 1;
    const z = n + 1 - m;
    const w = n - y + 1;
    const x2 = x1 * x1;
    const f2 = f1 * f1;
    const z2 = z * z;
    const w2 = w * w;
    if (
      A >
      xm * Math.log(f1 / x1) +
        (n - m + 0.5) * Math.log(z / w) +
        (y - m) * Math.log((w * r) / (x1 * q)) +
        (st - (462 - (132 - (99 - 140 / f2) / f2) / f2) / f2) / f1 / 166320 +
        (st - (462 - (132 - (99 - 140 / z2) / z2) / z2) / z2) / z / 166320 +
        sign * ((st - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x1 / 166320) +
        sign * ((st - (462 - (132 - (99 - 140 / w2) / w2) / w2) / w2) / w / 166320)
    )
      continue;
    return done(y);
  }
}

/** Binomial(n, p) by inversion (n*min(p, 1-p) <= 30) or BTPE, over the smaller of p and 1 - p. */
export function binomial(s: BitSource, p: number, n: number, legacy: boolean): number {
  if (p <= 0.5) return p * n <= 30.0 ? binomialInversion(s, n, p, legacy) : binomialBtpe(s, n, p, legacy);
  const q = 1.0 - p;
  return q * n <= 30.0 ? n - binomialInversion(s, n, q, legacy) : n - binomialBtpe(s, n, q, legacy);
}
