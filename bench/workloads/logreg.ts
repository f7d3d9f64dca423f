import * as np from "tessera";
import { defineWorkload, force, requireNp, fmtInt } from "../workload.js";

const LR = 0.5;

/** Logistic regression by gradient descent: tall-skinny X @ w and X.T @ v each step. */
export default defineWorkload({
  name: "logreg",
  description: "logistic regression gradient descent, float64",
  check: "float64",
  needs: ["matmul"],
  params: (quick: boolean) => {
    const n = quick ? 100_000 : 1_000_000,
      d = 32,
      iters = 10;
    return { n, d, iters, label: `${fmtInt(n)}x${d} x${iters}` };
  },
  setup({ n, d }, seed) {
    const rng = np.random.default_rng(seed);
    const X = rng.standard_normal([n, d]) as np.ndarray;
    const noise = rng.standard_normal([n]) as np.ndarray;
    const y = np.add(X.get(":, 0"), np.multiply(0.5, noise)).gt(0).astype("float64");
    force(X);
    force(y);
    noise.dispose();
    return { X, y, w: np.zeros([d]) };
  },
  prepare(s, { d }) {
    s.w = np.zeros([d]);
    force(s.w);
  },
  run({ X, y, w }, { n, iters }) {
    const matmul = requireNp("matmul");
    for (let i = 0; i < iters; i++) {
      const p = np.divide(1.0, np.add(1.0, np.exp(np.negative(matmul(X, w)))));
      const grad = np.divide(matmul(X.T, np.subtract(p, y)), n);
      np.subtract(w, np.multiply(LR, grad), { out: w });
    }
    return force(w);
  },
  checksum: ({ w }) => Number(w.sum()),
  numpy: ({ n, d, iters }, seed) => ({
    setup: `
rng = np.random.default_rng(${seed})
X = rng.standard_normal((${n}, ${d})); noise = rng.standard_normal(${n})
y = (X[:, 0] + 0.5 * noise > 0).astype(np.float64)
del noise
n, lr = ${n}, ${LR}`,
    prepare: `w = np.zeros(${d})`,
    body: `
for _ in range(${iters}):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    grad = X.T @ (p - y) / n
    w -= lr * grad
float(w[0])`,
    checksum: `result = w.sum()`,
  }),
});
