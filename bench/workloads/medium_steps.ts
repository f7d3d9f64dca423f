import * as np from "tessera";
import { defineWorkload, fmtInt } from "../workload.js";

/**
 * A loop over medium arrays (200,000 float64, 1.6 MB each) with a scalar read every step, as
 * a simulation or an iterative method has: x += dt*v; v -= dt*x; e = sum(x*x + v*v). Each step
 * is a few hundred µs of work: the cost of handing launches to workers shows here.
 */
export default defineWorkload({
  name: "medium_steps",
  description: "x += dt*v; v -= dt*x; e = sum(x*x + v*v) on 200,000 elements, per step",
  check: "float64",
  params: (quick: boolean) => {
    const n = 200_000,
      steps = quick ? 20 : 100;
    return { n, steps, label: `${fmtInt(n)} x${steps}` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const x0 = rng.random([n]) as np.ndarray,
      v0 = rng.random([n]) as np.ndarray;
    Number(x0.item(0));
    Number(v0.item(0));
    return { x0, v0 };
  },
  run({ x0, v0 }, { steps }) {
    let x = x0,
      v = v0,
      e = 0;
    for (let i = 0; i < steps; i++) {
      x = np.add(x, np.multiply(0.01, v));
      v = np.subtract(v, np.multiply(0.01, x));
      e = Number(np.sum(np.add(np.multiply(x, x), np.multiply(v, v))));
    }
    return e;
  },
  checksum: (_s, r) => r,
  opsPerRun: ({ steps }) => steps,
  numpy: ({ n, steps }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\nx0 = rng.random(${n}); v0 = rng.random(${n})`,
    body: `
x = x0; v = v0
for i in range(${steps}):
    x = x + 0.01 * v
    v = v - 0.01 * x
    e = float(np.sum(x * x + v * v))`,
    checksum: `result = e`,
  }),
});
