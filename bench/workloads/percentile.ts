import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.percentile of random doubles at three q: the elements each needs are selected. */
export default defineWorkload({
  name: "percentile",
  description: "np.percentile(a, [5, 50, 95]), float64",
  check: "float64",
  needs: ["percentile"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run: ({ a }) => (requireNp("percentile")(a, [5, 50, 95]) as np.ndarray).tolist() as number[],
  checksum: (_s, r) => r[0] + 2 * r[1] + 3 * r[2],
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})`,
    body: `r = np.percentile(a, [5, 50, 95]).tolist()`,
    checksum: `result = r[0] + 2 * r[1] + 3 * r[2]`,
  }),
});
