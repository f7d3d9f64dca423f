import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.median of random doubles: the two middle elements selected in parallel. */
export default defineWorkload({
  name: "median",
  description: "np.median(a), float64",
  check: "float64",
  needs: ["median"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run: ({ a }) => Number(requireNp("median")(a)),
  checksum: (_s, r) => r,
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})`,
    body: `r = float(np.median(a))`,
    checksum: `result = r`,
  }),
});
