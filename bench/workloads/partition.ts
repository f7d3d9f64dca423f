import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.partition of random doubles at the middle position. */
export default defineWorkload({
  name: "partition",
  description: "np.partition(a, n // 2), float64",
  check: "float64",
  needs: ["partition"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a, k: Math.floor(n / 2) };
  },
  run({ a, k }) {
    const p = requireNp("partition")(a, k);
    force(p);
    return p;
  },
  // The order besides the kth position is the implementation's: the kth element and the sum
  // of those before it do not depend on it.
  checksum: ({ k }, p) => Number(p.item(k)) + Number(p.get(`:${k}`).sum()),
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})\nk = ${n} // 2`,
    body: `p = np.partition(a, k)\nfloat(p[k])`,
    checksum: `result = float(p[k]) + float(p[:k].sum())`,
  }),
});
