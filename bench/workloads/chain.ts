import * as np from "tessera";
import { defineWorkload, force, fmtInt } from "../workload.js";

/**
 * A fused elementwise chain with its reduction, float32: sum(exp(sin(a))*b + sqrt(a)) is one
 * kernel in Tessera (CPU or GPU), four passes and three temporaries in NumPy.
 */
export default defineWorkload({
  name: "chain_f32",
  description: "sum(exp(sin(a))*b + sqrt(a)), float32",
  check: "float32",
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const a = rng.random([n], { dtype: "float32" }) as np.ndarray,
      b = rng.random([n], { dtype: "float32" }) as np.ndarray;
    force(a);
    force(b);
    return { a, b };
  },
  run: ({ a, b }) => Number(np.sum(np.add(np.multiply(np.exp(np.sin(a)), b), np.sqrt(a)))),
  checksum: (_s, r) => r,
  numpy: ({ n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = rng.random(${n}, dtype=np.float32); b = rng.random(${n}, dtype=np.float32)`,
    body: `r = float(np.sum(np.exp(np.sin(a)) * b + np.sqrt(a)))`,
    checksum: `result = r`,
  }),
});
