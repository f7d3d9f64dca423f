import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.histogram of random normals into 100 equal bins over the data's range. */
export default defineWorkload({
  name: "histogram",
  description: "np.histogram(a, 100), float64",
  check: "float64",
  needs: ["histogram"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).standard_normal([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run({ a }) {
    const [h] = requireNp("histogram")(a, 100) as unknown as [np.ndarray, np.ndarray];
    force(h);
    return h;
  },
  // Counts weighted by bin index: any misplaced element changes it.
  checksum: (_s, h) => Number(h.mul(np.arange(100)).sum()) + Number(h.item(0)),
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).standard_normal(${n})`,
    body: `h, e = np.histogram(a, 100)\nint(h[0])`,
    checksum: `result = float((h * np.arange(100)).sum()) + float(h[0])`,
  }),
});
