import type * as np from "tessera";
import { defineWorkload, force, randomDoubles, requireNp, type VectorParams } from "../workload.js";

/** np.partition of random doubles at the middle position. */
export default defineWorkload<VectorParams, { a: np.ndarray; k: number }, np.ndarray>({
  name: "partition",
  description: "np.partition(a, n // 2), float64",
  check: "float64",
  needs: ["partition"],
  params: randomDoubles.params,
  setup: (p, seed) => ({ ...randomDoubles.setup(p, seed), k: Math.floor(p.n / 2) }),
  run({ a, k }) {
    const p = requireNp("partition")(a, k);
    force(p);
    return p;
  },
  // The order besides the kth position is the implementation's: the kth element and the sum
  // of those before it do not depend on it.
  checksum: ({ k }, p) => Number(p.item(k)) + Number(p.get(`:${k}`).sum()),
  numpy: ({ n }, seed) => ({
    setup: `${randomDoubles.numpySetup({ n }, seed)}\nk = ${n} // 2`,
    body: `p = np.partition(a, k)\nfloat(p[k])`,
    checksum: `result = float(p[k]) + float(p[:k].sum())`,
  }),
});
