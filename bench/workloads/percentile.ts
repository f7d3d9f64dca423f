import type * as np from "tessera";
import { defineWorkload, randomDoubles, requireNp, type VectorParams } from "../workload.js";

/** np.percentile of random doubles at three q: the elements each needs are selected. */
export default defineWorkload<VectorParams, { a: np.ndarray }, number[]>({
  name: "percentile",
  description: "np.percentile(a, [5, 50, 95]), float64",
  check: "float64",
  needs: ["percentile"],
  params: randomDoubles.params,
  setup: randomDoubles.setup,
  run: ({ a }) => (requireNp("percentile")(a, [5, 50, 95]) as np.ndarray).tolist() as number[],
  checksum: (_s, r) => r[0] + 2 * r[1] + 3 * r[2],
  numpy: ({ n }, seed) => ({
    setup: randomDoubles.numpySetup({ n }, seed),
    body: `r = np.percentile(a, [5, 50, 95]).tolist()`,
    checksum: `result = r[0] + 2 * r[1] + 3 * r[2]`,
  }),
});
