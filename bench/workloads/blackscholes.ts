import * as np from "tessera";
import { type FloatDType, defineWorkload, f32Args, force, fmtInt } from "../workload.js";
import { NUMPY_PRICES, NUMPY_SETUP, blackScholes } from "../../examples/blackscholes_model.js";

/** Black-Scholes call and put prices: a long chain of elementwise ufuncs with exp/log/sqrt. */
export function blackscholesWorkload(dtype: FloatDType) {
  const { suffix, sum, npSum } = f32Args(dtype);
  const f32 = dtype === "float32";
  return defineWorkload({
    name: `blackscholes${suffix}`,
    description: `Black-Scholes call+put, ${dtype}`,
    check: dtype,
    params: (quick: boolean) => {
      const n = quick ? 1_000_000 : 10_000_000;
      return { n, label: `${fmtInt(n)} options` };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      // float32 inputs stay float32 through the model: its constants are weak scalars (NEP 50).
      const as = (a: np.ndarray) => (f32 ? a.astype("float32") : a);
      const S = as(rng.uniform(5, 30, [n]) as np.ndarray);
      const X = as(rng.uniform(1, 100, [n]) as np.ndarray);
      const T = as(rng.uniform(0.25, 10, [n]) as np.ndarray);
      force(S);
      force(X);
      force(T);
      return { S, X, T };
    },
    // As in the example, the two sums are the forcing reads (and the checksum).
    run({ S, X, T }) {
      const [call, put] = blackScholes(S, X, T);
      return Number(call.sum(sum)) + Number(put.sum(sum));
    },
    checksum: (_s, r) => r,
    numpy: ({ n }, seed) => ({
      setup: `
rng = np.random.default_rng(${seed})
S = rng.uniform(5, 30, ${n}); X = rng.uniform(1, 100, ${n}); T = rng.uniform(0.25, 10, ${n})
${f32 ? "S, X, T = S.astype(np.float32), X.astype(np.float32), T.astype(np.float32)" : ""}
${NUMPY_SETUP}`,
      body: `${NUMPY_PRICES}
r = float(call.sum(${npSum})) + float(put.sum(${npSum}))`,
      checksum: `result = r`,
    }),
  });
}

export default blackscholesWorkload("float64");
