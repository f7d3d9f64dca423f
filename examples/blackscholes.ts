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
import { NUMPY_PRICES, NUMPY_SETUP, blackScholes } from "./blackscholes_model.js";

const N = Number(process.argv[2] ?? 10_000_000);
const rng = np.random.default_rng(7);
const S = rng.uniform(5, 30, [N]) as np.ndarray;
const X = rng.uniform(1, 100, [N]) as np.ndarray;
const T = rng.uniform(0.25, 10, [N]) as np.ndarray;
Number(S.sum()); // inputs ready before timing

let best = Infinity,
  checksum = 0;
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const [call, put] = blackScholes(S, X, T);
  checksum = Number(call.sum()) + Number(put.sum());
  best = Math.min(best, (performance.now() - t0) / 1000);
}
const { cpus, ranks, rank } = runtime().machine;
const workers = `${ranks > 1 ? `${ranks} ranks x ` : ""}${cpus} CPU worker${cpus > 1 ? "s" : ""}`;
console.log(`Black-Scholes, ${N.toLocaleString("en-US")} options (float64)`);
console.log(`  Tessera (${workers}): ${best.toFixed(3)} s   checksum ${checksum.toPrecision(12)}`);

const np_ =
  rank !== 0
    ? null
    : runNumPy(
        `
rng = np.random.default_rng(7)
S = rng.uniform(5, 30, ${N}); X = rng.uniform(1, 100, ${N}); T = rng.uniform(0.25, 10, ${N})
${NUMPY_SETUP}`,
        `${NUMPY_PRICES}
result = call.sum() + put.sum()`,
      );
if (np_) {
  console.log(`  NumPy ${"".padEnd(16)}: ${np_.seconds.toFixed(3)} s   checksum ${np_.result.toPrecision(12)}`);
  console.log(
    `  speed-up vs NumPy: ${(np_.seconds / best).toFixed(2)}x   (results ${Math.abs(np_.result - checksum) <= 1e-9 * Math.abs(checksum) ? "agree" : "DIFFER"})`,
  );
} else if (rank === 0) {
  console.log("  (python3 with numpy not found: no NumPy comparison)");
}
runtime().shutdown();
