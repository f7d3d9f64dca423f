import * as np from "tessera";
import { defineWorkload, force, fmtInt } from "../workload.js";

/** np.sum over a large vector: a parallel reduction against NumPy's pairwise sum. */
export default defineWorkload({
  name: "sum",
  description: "np.sum(a), float64",
  check: "float64",
  params: (quick: boolean) => { const n = quick ? 1_000_000 : 10_000_000; return { n, label: fmtInt(n) }; },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run: ({ a }) => Number(np.sum(a)),
  checksum: (_s, r) => r,
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})`,
    body: `r = float(np.sum(a))`,
    checksum: `result = r`,
  }),
});
