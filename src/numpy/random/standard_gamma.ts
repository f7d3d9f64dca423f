// NumPy's standard gamma sampler, shared by Generator and RandomState: Marsaglia–Tsang for
// shape >= 1, Johnk-style rejection below. The APIs differ only in the exponential and
// normal variates it is built on (ziggurats for the Generator, inversion and the polar
// method for RandomState).

/** The variates the sampler draws, on a source of type S. */
export interface GammaDraws<S> {
  uniform(s: S): number;
  exponential(s: S): number;
  normal(s: S): number;
}

/** A standard gamma variate of the given shape (1: one exponential; 0: zero, no draws). */
export function standardGamma<S>(s: S, shape: number, d: GammaDraws<S>): number {
  if (shape === 1.0) return d.exponential(s);
  if (shape === 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const U = d.uniform(s);
      const V = d.exponential(s);
      if (U <= 1.0 - shape) {
        const X = Math.pow(U, 1 / shape);
        if (X <= V) return X;
      } else {
        const Y = -Math.log((1 - U) / shape);
        const X = Math.pow(1.0 - shape + shape * Y, 1 / shape);
        if (X <= V + Y) return X;
      }
    }
  }
  const b = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * b);
  for (;;) {
    let X: number, V: number;
    do {
      X = d.normal(s);
      V = 1.0 + c * X;
    } while (V <= 0.0);
    V = V * V * V;
    const U = d.uniform(s);
    if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return b * V;
    if (Math.log(U) < 0.5 * X * X + b * (1 - V + Math.log(V))) return b * V;
  }
}
