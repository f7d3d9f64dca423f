import * as np from "tessera";
import { defineWorkload, force, fmtInt } from "../workload.js";

/** np.add(a, b, out=c): the same pass with no allocation. */
export default defineWorkload({
  name: "add_out",
  description: "np.add(a, b, out=c), float64",
  check: "float64",
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const a = rng.random([n]) as np.ndarray,
      b = rng.random([n]) as np.ndarray;
    const c = np.zeros([n]);
    force(a);
    force(b);
    force(c);
    return { a, b, c };
  },
  run({ a, b, c }) {
    np.add(a, b, { out: c });
    force(c);
  },
  checksum: ({ c }) => Number(c.sum()),
  numpy: ({ n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = rng.random(${n}); b = rng.random(${n})\nc = np.zeros(${n})`,
    body: `np.add(a, b, out=c)\nfloat(c[0])`,
    checksum: `result = c.sum()`,
  }),
});
