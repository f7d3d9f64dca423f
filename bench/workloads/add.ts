import * as np from "tessera";
import { type FloatDType, defineWorkload, f32Args, force, fmtInt } from "../workload.js";

/** c = a + b into a new array: allocation, one pass over three arrays. */
export function addWorkload(dtype: FloatDType) {
  const { suffix, dt, npDt, sum, npSum } = f32Args(dtype);
  return defineWorkload({
    name: `add${suffix}`,
    description: `c = a + b (new array), ${dtype}`,
    check: dtype,
    params: (quick: boolean) => {
      const n = quick ? 1_000_000 : 10_000_000;
      return { n, label: fmtInt(n) };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      const a = rng.random([n], dt) as np.ndarray,
        b = rng.random([n], dt) as np.ndarray;
      force(a);
      force(b);
      return { a, b };
    },
    // Reading one element computes all of c; summing c instead would let Tessera fuse the add
    // into the sum and never write c, which is not what this measures.
    run({ a, b }) {
      const c = np.add(a, b);
      force(c);
      return c;
    },
    checksum: (_s, c) => Number(c.sum(sum)),
    numpy: ({ n }, seed) => ({
      setup: `rng = np.random.default_rng(${seed})\na = rng.random(${n}${npDt}); b = rng.random(${n}${npDt})`,
      body: `c = np.add(a, b)\nfloat(c[0])`,
      checksum: `result = c.sum(${npSum})`,
    }),
  });
}

export default addWorkload("float64");
