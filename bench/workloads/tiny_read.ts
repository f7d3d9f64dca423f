import * as np from "tessera";
import { defineWorkload } from "../workload.js";

/**
 * Per-operation latency when every result is read: c = a + b on 100 elements, then one
 * element of c, `iters` times. Nothing can be deferred or skipped: each add is computed
 * and each read waits for it.
 */
export default defineWorkload({
  name: "tiny_read",
  description: "c = a + b on 100 elements, reading c[i] each time",
  check: "float64",
  params: (quick: boolean) => {
    const iters = quick ? 2000 : 10_000;
    return { iters, label: `100 x${iters}` };
  },
  setup(_p, seed) {
    const rng = np.random.default_rng(seed);
    const a = rng.random([100]) as np.ndarray,
      b = rng.random([100]) as np.ndarray;
    Number(a.item(0));
    Number(b.item(0));
    return { a, b };
  },
  run({ a, b }, { iters }) {
    let acc = 0;
    for (let i = 0; i < iters; i++) acc += Number(np.add(a, b).item(i % 100));
    return acc;
  },
  checksum: (_s, r) => r,
  opsPerRun: ({ iters }) => iters,
  numpy: ({ iters }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = rng.random(100); b = rng.random(100)`,
    body: `
acc = 0.0
for i in range(${iters}):
    acc += float(np.add(a, b)[i % 100])`,
    checksum: `result = acc`,
  }),
});
