import * as np from "tessera";
import { defineWorkload } from "../workload.js";

/**
 * Per-operation overhead when each small op depends on the previous one (x = 0.5*x + a, two
 * ops per step), reading one element every 50 steps: every op has to be computed.
 */
export default defineWorkload({
  name: "tiny_chain",
  description: "x = 0.5*x + a on 100 elements, per op",
  check: "float64",
  params: (quick: boolean) => {
    const steps = quick ? 1000 : 5000;
    return { steps, label: `100 x${2 * steps}` };
  },
  setup(_p, seed) {
    const rng = np.random.default_rng(seed);
    const a = rng.random([100]) as np.ndarray,
      x0 = rng.random([100]) as np.ndarray;
    Number(a.item(0));
    Number(x0.item(0));
    return { a, x0 };
  },
  run({ a, x0 }, { steps }) {
    let acc = 0;
    let x = x0;
    for (let i = 0; i < steps; i++) {
      x = np.add(np.multiply(0.5, x), a);
      if (i % 50 === 49) acc += Number(x.item(((i / 50) % 100) | 0));
    }
    return acc + Number(x.sum());
  },
  checksum: (_s, r) => r,
  opsPerRun: ({ steps }) => 2 * steps,
  numpy: ({ steps }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = rng.random(100); x0 = rng.random(100)`,
    body: `
acc = 0.0
x = x0
for i in range(${steps}):
    x = np.add(np.multiply(0.5, x), a)
    if i % 50 == 49:
        acc += float(x[(i // 50) % 100])
acc += float(x.sum())`,
    checksum: `result = acc`,
  }),
});
