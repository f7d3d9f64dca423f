import { complexPlan, unitRoot } from "./complex_plan.js";
import type { ComplexPlan } from "./complex_plan.js";

/**
 * Real FFTs (rfft: n reals to n//2+1 complex values; irfft: back), unnormalised. An even
 * length is one complex FFT of half the length over the even and odd samples packed as
 * (re, im), then split apart with the twiddles exp(-2πik/n); an odd length is a complex FFT
 * of the whole line. Side-effect free: worker threads import it through tasks/index.ts.
 */
export class RealPlan {
  readonly half: number;
  readonly cplan: ComplexPlan;
  /** exp(2πik/n) for k ≤ n/2 (even n only). */
  readonly tw: Float64Array;
  /** Lanes of scratch `forward` and `backward` need. */
  readonly scratch: number;
  constructor(readonly n: number) {
    const even = n % 2 === 0;
    this.half = Math.floor(n / 2);
    this.cplan = complexPlan(even ? n / 2 : n);
    this.tw = new Float64Array(even ? 2 * (this.half + 1) : 0);
    if (even) for (let k = 0; k <= this.half; k++) [this.tw[2 * k], this.tw[2 * k + 1]] = unitRoot(k, n);
    this.scratch = 2 * n + this.cplan.scratch;
  }

  /** x: n reals; out: n//2+1 complex values (interleaved). */
  forward(x: Float64Array, out: Float64Array, work: Float64Array): void {
    const { n, half: h, cplan, tw } = this;
    const z = work.subarray(0, 2 * n),
      w = work.subarray(2 * n);
    if (n % 2 === 1) {
      for (let j = 0; j < n; j++) {
        z[2 * j] = x[j];
        z[2 * j + 1] = 0;
      }
      cplan.exec(z, w, true);
      out.set(z.subarray(0, 2 * (h + 1)));
      return;
    }
    // z_j = x_2j + i·x_2j+1 is x itself, read as h complex values.
    z.set(x.subarray(0, n));
    cplan.exec(z, w, true);
    for (let k = 0; k <= h; k++) {
      const p = 2 * (k === h ? 0 : k),
        q = 2 * (k === 0 ? 0 : h - k);
      const zr = z[p],
        zi = z[p + 1],
        cr = z[q],
        ci = -z[q + 1];
      // E = (Z_k + conj Z_{h-k})/2, O = (Z_k - conj Z_{h-k})/2i, X_k = E + exp(-2πik/n)·O
      const er = 0.5 * (zr + cr),
        ei = 0.5 * (zi + ci),
        or = 0.5 * (zi - ci),
        oi = -0.5 * (zr - cr);
      const wr = tw[2 * k],
        wi = -tw[2 * k + 1];
      out[2 * k] = er + wr * or - wi * oi;
      out[2 * k + 1] = ei + wr * oi + wi * or;
    }
  }

  /**
   * X: n//2+1 complex values (the imaginary parts of X_0 and, for even n, X_n/2 are ignored,
   * as a real signal's are zero); out: n reals.
   */
  backward(X: Float64Array, out: Float64Array, work: Float64Array): void {
    const { n, half: h, cplan, tw } = this;
    const z = work.subarray(0, 2 * n),
      w = work.subarray(2 * n);
    if (n % 2 === 1) {
      // The Hermitian spectrum in full: Y_n-k = conj(Y_k).
      z[0] = X[0];
      z[1] = 0;
      for (let k = 1; k <= h; k++) {
        z[2 * k] = z[2 * (n - k)] = X[2 * k];
        z[2 * k + 1] = X[2 * k + 1];
        z[2 * (n - k) + 1] = -X[2 * k + 1];
      }
      cplan.exec(z, w, false);
      for (let j = 0; j < n; j++) out[j] = z[2 * j];
      return;
    }
    // Z_k = (Y_k + Y_k+h) + i·exp(2πik/n)·(Y_k - Y_k+h), Y_k+h = conj(X_h-k); then the
    // inverse of length h gives x_2j + i·x_2j+1.
    for (let k = 0; k < h; k++) {
      const yr = X[2 * k],
        yi = k === 0 ? 0 : X[2 * k + 1];
      const ur = X[2 * (h - k)],
        ui = k === 0 ? 0 : -X[2 * (h - k) + 1];
      const sr = yr + ur,
        si = yi + ui,
        dr = yr - ur,
        di = yi - ui;
      const wr = tw[2 * k],
        wi = tw[2 * k + 1];
      // i·w·d
      const tr = wr * dr - wi * di,
        ti = wr * di + wi * dr;
      z[2 * k] = sr - ti;
      z[2 * k + 1] = si + tr;
    }
    cplan.exec(z, w, false);
    out.set(z.subarray(0, n));
  }
}

const plans = new Map<number, RealPlan>();
let cachedLanes = 0;
/** At most this many lanes of tables (its complex plan's included) stay cached per thread. */
const CACHE_LANES = 2 ** 24;

/** The real plan for length n, built once per thread. */
export function realPlan(n: number): RealPlan {
  let p = plans.get(n);
  if (!p) {
    p = new RealPlan(n);
    const lanes = p.tw.length + p.cplan.lanes;
    if (plans.size >= 64 || cachedLanes + lanes > CACHE_LANES) {
      plans.clear();
      cachedLanes = 0;
    }
    plans.set(n, p);
    cachedLanes += lanes;
  }
  return p;
}
