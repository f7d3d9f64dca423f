/**
 * Black-Scholes option pricing on 10M options, written as a NumPy user would, run by
 * Tessera on every CPU core (TESSERA_CPUS workers) and compared with NumPy in the same run.
 *
 *   npm run demo                       # all cores
 *   TESSERA_CPUS=1 node dist/examples/blackscholes.js
 *   node dist/examples/blackscholes.js 2000000   # fewer options
 */
import * as np from "tessera";
import { runtime } from "tessera/core";
import { runNumPy } from "../bench/numpy.js";

const N = Number(process.argv[2] ?? 10_000_000);
const R = 0.02, V = 0.3;

/** Cumulative normal distribution (Abramowitz-Stegun polynomial), elementwise. */
function cnd(d: np.ndarray): np.ndarray {
  const [A1, A2, A3, A4, A5] = [0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429];
  const RSQRT2PI = 0.3989422804014327;
  const K = np.divide(1.0, np.add(1.0, np.multiply(0.2316419, np.abs(d))));
  const poly = K.mul(K.mul(K.mul(K.mul(K.mul(A5).add(A4)).add(A3)).add(A2)).add(A1));
  const c = np.multiply(RSQRT2PI, np.exp(d.mul(d).mul(-0.5))).mul(poly);
  return np.where(d.gt(0), np.subtract(1.0, c), c);
}

function blackScholes(S: np.ndarray, X: np.ndarray, T: np.ndarray): [np.ndarray, np.ndarray] {
  const sqrtT = np.sqrt(T);
  const d1 = np.log(S.div(X)).add(T.mul(R + 0.5 * V * V)).div(sqrtT.mul(V));
  const d2 = d1.sub(sqrtT.mul(V));
  const cndd1 = cnd(d1), cndd2 = cnd(d2);
  const expRT = np.exp(T.mul(-R));
  const call = S.mul(cndd1).sub(X.mul(expRT).mul(cndd2));
  const put = X.mul(expRT).mul(np.subtract(1.0, cndd2)).sub(S.mul(np.subtract(1.0, cndd1)));
  return [call, put];
}

const rng = np.random.default_rng(7);
const S = rng.uniform(5, 30, [N]) as np.ndarray;
const X = rng.uniform(1, 100, [N]) as np.ndarray;
const T = rng.uniform(0.25, 10, [N]) as np.ndarray;
Number(S.sum()); // inputs ready before timing

let best = Infinity, checksum = 0;
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const [call, put] = blackScholes(S, X, T);
  checksum = Number(call.sum()) + Number(put.sum());
  best = Math.min(best, (performance.now() - t0) / 1000);
}
const cpus = runtime().machine.cpus;
console.log(`Black-Scholes, ${N.toLocaleString("en-US")} options (float64)`);
console.log(`  Tessera (${cpus} CPU worker${cpus > 1 ? "s" : ""}): ${best.toFixed(3)} s   checksum ${checksum.toPrecision(12)}`);

const np_ = runNumPy(`
rng = np.random.default_rng(7)
S = rng.uniform(5, 30, ${N}); X = rng.uniform(1, 100, ${N}); T = rng.uniform(0.25, 10, ${N})
R, V = 0.02, 0.3
def cnd(d):
    A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429
    K = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    c = 0.3989422804014327 * np.exp(d * d * -0.5) * (K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5)))))
    return np.where(d > 0, 1.0 - c, c)
`, `
sqrtT = np.sqrt(T)
d1 = (np.log(S / X) + T * (R + 0.5 * V * V)) / (sqrtT * V)
d2 = d1 - sqrtT * V
c1, c2 = cnd(d1), cnd(d2)
expRT = np.exp(T * -R)
call = S * c1 - X * expRT * c2
put = X * expRT * (1.0 - c2) - S * (1.0 - c1)
result = call.sum() + put.sum()`);
if (np_) {
  console.log(`  NumPy ${"".padEnd(16)}: ${np_.seconds.toFixed(3)} s   checksum ${np_.result.toPrecision(12)}`);
  console.log(`  speed-up vs NumPy: ${(np_.seconds / best).toFixed(2)}x   (results ${Math.abs(np_.result - checksum) <= 1e-9 * Math.abs(checksum) ? "agree" : "DIFFER"})`);
} else {
  console.log("  (python3 with numpy not found: no NumPy comparison)");
}
runtime().shutdown();
