import type * as np from "tessera";
import { defineWorkload, randomDoubles, requireNp, type VectorParams } from "../workload.js";

/** np.median of random doubles: the two middle elements selected in parallel. */
export default defineWorkload<VectorParams, { a: np.ndarray }, number>({
  name: "median",
  description: "np.median(a), float64",
  check: "float64",
  needs: ["median"],
  params: randomDoubles.params,
  setup: randomDoubles.setup,
  run: ({ a }) => Number(requireNp("median")(a)),
  checksum: (_s, r) => r,
  numpy: ({ n }, seed) => ({
    setup: randomDoubles.numpySetup({ n }, seed),
    body: `r = float(np.median(a))`,
    checksum: `result = r`,
  }),
});
