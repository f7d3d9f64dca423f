import * as np from "tessera";
import { defineWorkload, fmtInt, force } from "../workload.js";

/**
 * k-means (Lloyd's algorithm), float32, as a NumPy user writes it: squared distances of every
 * point to every centroid by broadcasting, the nearest centroid by argmin, then each centroid
 * as the mean of its points (a boolean mask per cluster).
 */
export default defineWorkload({
  name: "kmeans",
  description: "k-means, float32 (distances, argmin, means by mask)",
  check: "float32",
  params: (quick: boolean) => {
    const n = quick ? 10_000 : 100_000,
      d = 16,
      k = 8,
      iters = 10;
    return { n, d, k, iters, label: `${fmtInt(n)}x${d} k=${k} x${iters}` };
  },
  setup({ n, d, k }, seed) {
    const rng = np.random.default_rng(seed);
    const X = (rng.standard_normal([n, d]) as np.ndarray).astype("float32");
    const C0 = X.get(`:${k}`).copy();
    force(X);
    force(C0);
    return { X, C0 };
  },
  run({ X, C0 }, { k, iters }) {
    let C = C0;
    for (let it = 0; it < iters; it++) {
      const diff = np.subtract(X.get(":, np.newaxis, :"), C.get("np.newaxis, :, :"));
      const labels = np.argmin(np.sum(np.multiply(diff, diff), { axis: 2 }), { axis: 1 });
      C = np.stack(Array.from({ length: k }, (_, j) => np.mean(X.get(labels.eq(j)), { axis: 0 })));
    }
    force(C);
    return C;
  },
  checksum: (_s, C) => Number(np.sum(C, { dtype: "float64" })),
  numpy: ({ n, d, k, iters }, seed) => ({
    setup: `
rng = np.random.default_rng(${seed})
X = rng.standard_normal((${n}, ${d})).astype(np.float32)
C0 = X[:${k}].copy()`,
    body: `
C = C0
for _ in range(${iters}):
    diff = X[:, np.newaxis, :] - C[np.newaxis, :, :]
    labels = np.argmin(np.sum(diff * diff, axis=2), axis=1)
    C = np.stack([X[labels == j].mean(axis=0) for j in range(${k})])
float(C[0, 0])`,
    checksum: `result = C.sum(dtype=np.float64)`,
  }),
});
