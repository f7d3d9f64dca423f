import * as np from "tessera";
import { defineWorkload } from "../workload.js";

/**
 * Per-operation overhead on 100-element arrays: `iters` times c = a + b, reading one element
 * every 100 iterations and at the end. Elementwise results nobody reads may never be
 * computed by Tessera (deferred, fused); NumPy computes each.
 */
export default defineWorkload({
  name: "tiny_ops",
  description: "c = a + b on 100 elements, per op",
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
    let c = a;
    for (let i = 0; i < iters; i++) {
      c = np.add(a, b);
      if (i % 100 === 99) acc += Number(c.item(((i / 100) % 100) | 0));
    }
    return acc + Number(c.item(99));
  },
  checksum: (_s, r) => r,
  opsPerRun: ({ iters }) => iters,
  numpy: ({ iters }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = rng.random(100); b = rng.random(100)`,
    body: `
acc = 0.0
for i in range(${iters}):
    c = np.add(a, b)
    if i % 100 == 99:
        acc += float(c[(i // 100) % 100])
acc += float(c[99])`,
    checksum: `result = acc`,
  }),
});
