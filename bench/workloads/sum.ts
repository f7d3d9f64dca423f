import * as np from "tessera";
import { type FloatDType, defineWorkload, f32Args, force, fmtInt } from "../workload.js";

/** np.sum over a large vector: a parallel reduction against NumPy's pairwise sum. */
export function sumWorkload(dtype: FloatDType) {
  const { suffix, dt, npDt } = f32Args(dtype);
  return defineWorkload({
    name: `sum${suffix}`,
    description: `np.sum(a), ${dtype}`,
    check: dtype,
    params: (quick: boolean) => {
      const n = quick ? 1_000_000 : 10_000_000;
      return { n, label: fmtInt(n) };
    },
    setup({ n }, seed) {
      const a = np.random.default_rng(seed).random([n], dt) as np.ndarray;
      force(a);
      return { a };
    },
    run: ({ a }) => Number(np.sum(a)),
    checksum: (_s, r) => r,
    numpy: ({ n }, seed) => ({
      setup: `a = np.random.default_rng(${seed}).random(${n}${npDt})`,
      body: `r = float(np.sum(a))`,
      checksum: `result = r`,
    }),
  });
}

export default sumWorkload("float64");
