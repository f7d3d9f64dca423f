import type * as np from "tessera";
import { defineWorkload, force, randomDoubles, requireNp, type VectorParams } from "../workload.js";

/** np.sort of random doubles. */
export default defineWorkload<VectorParams, { a: np.ndarray }, np.ndarray>({
  name: "sort",
  description: "np.sort(a), float64",
  check: "float64",
  needs: ["sort"],
  params: randomDoubles.params,
  setup: randomDoubles.setup,
  run({ a }) {
    const s = requireNp("sort")(a);
    force(s);
    return s;
  },
  // A strided sample depends on the order, unlike the sum of all elements.
  checksum: (_s, s) => Number(s.get("::997").sum()) + Number(s.item(0)) + 2 * Number(s.item(-1)),
  numpy: ({ n }, seed) => ({
    setup: randomDoubles.numpySetup({ n }, seed),
    body: `s = np.sort(a)\nfloat(s[0])`,
    checksum: `result = float(s[::997].sum()) + float(s[0]) + 2 * float(s[-1])`,
  }),
});
