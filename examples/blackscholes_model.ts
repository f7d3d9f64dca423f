import * as np from "tessera";

/**
 * Black-Scholes option pricing written as a NumPy user would: one long chain of ufuncs.
 * Shared by examples/blackscholes.ts and the benchmark suite.
 */
export const R = 0.02,
  V = 0.3;

/** Cumulative normal distribution (Abramowitz-Stegun polynomial), elementwise. */
export function cnd(d: np.ndarray): np.ndarray {
  const [A1, A2, A3, A4, A5] = [0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429];
  const RSQRT2PI = 0.3989422804014327;
  const K = np.divide(1.0, np.add(1.0, np.multiply(0.2316419, np.abs(d))));
  const poly = K.mul(K.mul(K.mul(K.mul(K.mul(A5).add(A4)).add(A3)).add(A2)).add(A1));
  const c = np.multiply(RSQRT2PI, np.exp(d.mul(d).mul(-0.5))).mul(poly);
  return np.where(d.gt(0), np.subtract(1.0, c), c);
}

export function blackScholes(S: np.ndarray, X: np.ndarray, T: np.ndarray): [np.ndarray, np.ndarray] {
  const sqrtT = np.sqrt(T);
  const d1 = np
    .log(S.div(X))
    .add(T.mul(R + 0.5 * V * V))
    .div(sqrtT.mul(V));
  const d2 = d1.sub(sqrtT.mul(V));
  const cndd1 = cnd(d1),
    cndd2 = cnd(d2);
  const expRT = np.exp(T.mul(-R));
  const call = S.mul(cndd1).sub(X.mul(expRT).mul(cndd2));
  const put = X.mul(expRT)
    .mul(np.subtract(1.0, cndd2))
    .sub(S.mul(np.subtract(1.0, cndd1)));
  return [call, put];
}

/** The same model in NumPy (Python source), for side-by-side timing: defines `cnd`. */
export const NUMPY_SETUP = `
R, V = ${R}, ${V}
def cnd(d):
    A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429
    K = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    c = 0.3989422804014327 * np.exp(d * d * -0.5) * (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5)))))
    return np.where(d > 0, 1.0 - c, c)`;

/** NumPy body: prices from S, X, T into `call` and `put`. */
export const NUMPY_PRICES = `
sqrtT = np.sqrt(T)
d1 = (np.log(S / X) + T * (R + 0.5 * V * V)) / (sqrtT * V)
d2 = d1 - sqrtT * V
c1, c2 = cnd(d1), cnd(d2)
expRT = np.exp(T * -R)
call = S * c1 - X * expRT * c2
put = X * expRT * (1.0 - c2) - S * (1.0 - c1)`;
