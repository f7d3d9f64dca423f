import * as np from "tessera";
import { defineWorkload, fmtInt } from "../workload.js";

/** Integer arithmetic: c = a + b on int64, then c.sum() (64-bit integer kernels). */
export default defineWorkload({
  name: "int64_add",
  description: "c = a + b; c.sum(), int64",
  check: "int64",
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }) {
    const a = np.arange(n),
      b = np.arange(0, 3 * n, 3);
    Number(a.item(0));
    Number(b.item(0));
    return { a, b };
  },
  // The sum is the forcing read; Tessera may fuse it with the add (c is then never written).
  run({ a, b }) {
    const c = np.add(a, b);
    return Number(c.sum());
  },
  checksum: (_s, r) => r,
  numpy: ({ n }) => ({
    setup: `a = np.arange(${n}); b = np.arange(0, ${3 * n}, 3)`,
    body: `c = np.add(a, b)\nr = int(c.sum())`,
    checksum: `result = r`,
  }),
});
