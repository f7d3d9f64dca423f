import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.unique of random int64 (about 1/10 distinct): a parallel sort, neighbour compares, compaction. */
export default defineWorkload({
  name: "unique",
  description: "np.unique(a), int64, ~n/10 distinct",
  check: "int64",
  needs: ["unique"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).integers(0, Math.floor(n / 10), n) as np.ndarray;
    force(a);
    return { a };
  },
  run({ a }) {
    const u = requireNp("unique")(a);
    force(u);
    return u;
  },
  checksum: (_s, u) => Number(u.get("::97").sum()) + u.size,
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).integers(0, ${Math.floor(n / 10)}, ${n})`,
    body: `u = np.unique(a)\nint(u[0])`,
    checksum: `result = int(u[::97].sum()) + u.size`,
  }),
});
