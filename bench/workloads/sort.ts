import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.sort of random doubles. */
export default defineWorkload({
  name: "sort",
  description: "np.sort(a), float64",
  check: "float64",
  needs: ["sort"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run({ a }) {
    const s = requireNp("sort")(a);
    force(s);
    return s;
  },
  // A strided sample depends on the order, unlike the sum of all elements.
  checksum: (_s, s) => Number(s.get("::997").sum()) + Number(s.item(0)) + 2 * Number(s.item(-1)),
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})`,
    body: `s = np.sort(a)\nfloat(s[0])`,
    checksum: `result = float(s[::997].sum()) + float(s[0]) + 2 * float(s[-1])`,
  }),
});
