import * as np from "tessera";
import { defineWorkload, force, fmtInt } from "../workload.js";
import { NUMPY_PRICES, NUMPY_SETUP, blackScholes } from "../../examples/blackscholes_model.js";

/** Black-Scholes call and put prices: a long chain of elementwise ufuncs with exp/log/sqrt. */
export default defineWorkload({
  name: "blackscholes",
  description: "Black-Scholes call+put, float64",
  check: "float64",
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: `${fmtInt(n)} options` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const S = rng.uniform(5, 30, [n]) as np.ndarray;
    const X = rng.uniform(1, 100, [n]) as np.ndarray;
    const T = rng.uniform(0.25, 10, [n]) as np.ndarray;
    force(S);
    force(X);
    force(T);
    return { S, X, T };
  },
  // As in the example, the two sums are the forcing reads (and the checksum).
  run({ S, X, T }) {
    const [call, put] = blackScholes(S, X, T);
    return Number(call.sum()) + Number(put.sum());
  },
  checksum: (_s, r) => r,
  numpy: ({ n }, seed) => ({
    setup: `
rng = np.random.default_rng(${seed})
S = rng.uniform(5, 30, ${n}); X = rng.uniform(1, 100, ${n}); T = rng.uniform(0.25, 10, ${n})
${NUMPY_SETUP}`,
    body: `${NUMPY_PRICES}
r = float(call.sum()) + float(put.sum())`,
    checksum: `result = r`,
  }),
});
