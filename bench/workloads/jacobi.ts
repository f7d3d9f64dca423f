import * as np from "tessera";
import { type FloatDType, defineWorkload, f32Args, force } from "../workload.js";

/** 5-point Jacobi stencil written with slices, as a NumPy user writes it. */
export function jacobiWorkload(dtype: FloatDType) {
  const { suffix, dt, npDt, sum, npSum } = f32Args(dtype);
  return defineWorkload({
    name: `jacobi${suffix}`,
    description: `5-point Jacobi stencil with slices, ${dtype}`,
    check: dtype,
    params: (quick: boolean) => {
      const n = quick ? 1024 : 4096,
        sweeps = 10;
      return { n, sweeps, label: `${n}x${n} x${sweeps}` };
    },
    setup({ n }, seed) {
      const u0 = np.random.default_rng(seed).random([n, n], dt) as np.ndarray;
      force(u0);
      return { u0, u: u0 };
    },
    prepare(s) {
      if (s.u !== s.u0) s.u.dispose();
      s.u = s.u0.copy();
      force(s.u);
    },
    run({ u }, { sweeps }) {
      for (let k = 0; k < sweeps; k++) {
        // The right side reads u where it is written; like NumPy it is evaluated before the store.
        u.set("1:-1, 1:-1", np.multiply(0.25, u.get(":-2, 1:-1").add(u.get("2:, 1:-1")).add(u.get("1:-1, :-2")).add(u.get("1:-1, 2:"))));
      }
      return Number(u.item(u.shape[1] + 1)); // u[1, 1], an updated element
    },
    checksum: ({ u }) => Number(u.sum(sum)),
    numpy: ({ n, sweeps }, seed) => ({
      setup: `u0 = np.random.default_rng(${seed}).random((${n}, ${n})${npDt})`,
      prepare: `u = u0.copy()`,
      body: `
for _ in range(${sweeps}):
    u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
float(u[1, 1])`,
      checksum: `result = u.sum(${npSum})`,
    }),
  });
}

export default jacobiWorkload("float64");
