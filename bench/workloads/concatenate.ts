import * as np from "tessera";
import { defineWorkload, fmtInt } from "../workload.js";

const PIECES = 8;

/** np.concatenate of 8 float64 arrays into one: a pure copy, bound by memory bandwidth. */
export default defineWorkload({
  name: "concatenate",
  description: `np.concatenate of ${PIECES} arrays, float64`,
  check: "float64",
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: `${PIECES} x ${fmtInt(n)}` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const parts = Array.from({ length: PIECES }, () => rng.random([n]) as np.ndarray);
    for (const p of parts) p.item(0);
    return { parts };
  },
  // One element of every piece: each copy has run, whatever the runtime waits for.
  run({ parts }, { n }) {
    const c = np.concatenate(parts);
    for (let k = 0; k < PIECES; k++) c.item(k * n);
    return c;
  },
  checksum: (_s, c) => Number(c.sum()),
  numpy: ({ n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\nparts = [rng.random(${n}) for _ in range(${PIECES})]`,
    body: `c = np.concatenate(parts)\nfloat(c[0])`,
    checksum: `result = c.sum()`,
  }),
});
