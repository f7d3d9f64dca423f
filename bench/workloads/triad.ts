import * as np from "tessera";
import { type FloatDType, defineWorkload, f32Args, force, fmtInt } from "../workload.js";

const S = 3.0;

/** STREAM triad a = b + s*c: two ufuncs NumPy runs as two passes with a temporary. */
export function triadWorkload(dtype: FloatDType) {
  const { suffix, dt, npDt, sum, npSum } = f32Args(dtype);
  return defineWorkload({
    name: `triad${suffix}`,
    description: `a = b + s*c, ${dtype}`,
    check: dtype,
    params: (quick: boolean) => {
      const n = quick ? 1_000_000 : 10_000_000;
      return { n, label: fmtInt(n) };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      const b = rng.random([n], dt) as np.ndarray,
        c = rng.random([n], dt) as np.ndarray;
      force(b);
      force(c);
      return { b, c };
    },
    run({ b, c }) {
      const a = np.add(b, np.multiply(S, c));
      force(a);
      return a;
    },
    checksum: (_s, a) => Number(a.sum(sum)),
    numpy: ({ n }, seed) => ({
      setup: `rng = np.random.default_rng(${seed})\nb = rng.random(${n}${npDt}); c = rng.random(${n}${npDt})\ns = ${S}`,
      body: `a = b + s * c\nfloat(a[0])`,
      checksum: `result = a.sum(${npSum})`,
    }),
  });
}

export default triadWorkload("float64");
