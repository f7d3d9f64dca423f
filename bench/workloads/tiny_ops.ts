import * as np from "tessera";
import { defineWorkload } from "../workload.js";

/**
 * Per-operation overhead on 100-element arrays: `iters` times c = a + b, reading one element
 * of c every `every` iterations and at the end. `tiny_ops` reads one result in 100 (results
 * nobody reads may never be computed by a deferring runtime; NumPy computes each);
 * `tiny_read` reads every one, so each add is computed and each read waits for it.
 */
function tinyAdd(name: string, every: number) {
  return defineWorkload({
    name,
    description: every === 1 ? "c = a + b on 100 elements, reading c[i] each time" : `c = a + b on 100 elements, per op, one read in ${every}`,
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
        if (i % every === every - 1) acc += Number(c.item(((i / every) % 100) | 0));
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
    if i % ${every} == ${every - 1}:
        acc += float(c[(i // ${every}) % 100])
acc += float(c[99])`,
      checksum: `result = acc`,
    }),
  });
}

export const tinyRead = tinyAdd("tiny_read", 1);
export default tinyAdd("tiny_ops", 100);
