import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

/** np.searchsorted: n/10 random needles into n sorted doubles (needles cut among the workers). */
export default defineWorkload({
  name: "searchsorted",
  description: "np.searchsorted(sorted a, v), float64, |v| = n/10",
  check: "int64",
  needs: ["searchsorted"],
  params: (quick: boolean) => {
    const n = quick ? 1_000_000 : 10_000_000;
    return { n, label: `${fmtInt(n / 10)} in ${fmtInt(n)}` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const a = np.sort(rng.random([n]) as np.ndarray);
    const v = rng.random([n / 10]) as np.ndarray;
    force(a);
    force(v);
    return { a, v };
  },
  run({ a, v }) {
    const i = requireNp("searchsorted")(a, v);
    force(i);
    return i;
  },
  checksum: (_s, i) => Number(i.get("::7").sum()),
  numpy: ({ n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\na = np.sort(rng.random(${n}))\nv = rng.random(${n / 10})`,
    body: `i = np.searchsorted(a, v)\nint(i[0])`,
    checksum: `result = int(i[::7].sum())`,
  }),
});
