import * as np from "tessera";
import { defineWorkload, force, requireNp } from "../workload.js";

/**
 * Dense conjugate gradient: one matrix-vector product and a few vector updates per
 * iteration. The scalars (r·r, alpha) stay 0-d arrays, as np's `r @ r` gives, so nothing
 * blocks inside the loop.
 */
export default defineWorkload({
  name: "cg",
  description: "dense conjugate gradient, float64",
  check: "float64",
  needs: ["matmul"],
  params: (quick: boolean) => {
    const n = quick ? 1280 : 4000,
      iters = 50;
    return { n, iters, label: `${n}x${n} x${iters}` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const M = rng.random([n, n]) as np.ndarray;
    const b = rng.random([n]) as np.ndarray;
    // Symmetric and diagonally dominant, hence positive definite.
    const A = np.add(np.multiply(np.add(M, M.T), 0.5), np.multiply(n, np.eye(n)));
    force(A);
    force(b);
    M.dispose();
    return { A, b };
  },
  run({ A, b }, { n, iters }) {
    const matmul = requireNp("matmul");
    const x = np.zeros([n]);
    const r = b.copy();
    let p = r.copy();
    let rs = matmul(r, r);
    for (let i = 0; i < iters; i++) {
      const Ap = matmul(A, p);
      const alpha = np.divide(rs, matmul(p, Ap));
      np.add(x, np.multiply(alpha, p), { out: x });
      np.subtract(r, np.multiply(alpha, Ap), { out: r });
      const rsNew = matmul(r, r);
      p = np.add(r, np.multiply(np.divide(rsNew, rs), p));
      rs = rsNew;
    }
    force(x);
    return x;
  },
  checksum: (_s, x) => Number(x.sum()),
  numpy: ({ n, iters }, seed) => ({
    setup: `
rng = np.random.default_rng(${seed})
M = rng.random((${n}, ${n})); b = rng.random(${n})
A = (M + M.T) * 0.5 + ${n} * np.eye(${n})
del M`,
    body: `
x = np.zeros(${n})
r = b.copy()
p = r.copy()
rs = r @ r
for _ in range(${iters}):
    Ap = A @ p
    alpha = rs / (p @ Ap)
    x += alpha * p
    r -= alpha * Ap
    rs_new = r @ r
    p = r + (rs_new / rs) * p
    rs = rs_new
float(x[0])`,
    checksum: `result = x.sum()`,
  }),
});
