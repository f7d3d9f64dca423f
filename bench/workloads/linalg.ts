import * as np from "tessera";
import { defineWorkload, force } from "../workload.js";

/**
 * numpy.linalg on one large float64 matrix: each call is one LAPACK routine on one matrix,
 * which runs as a single point with the library's own threads on every core.
 * The checksums are invariant to LAPACK's sign choices.
 */
function linalgWorkload(name: string, what: string, spd: boolean, run: (a: np.ndarray, b: np.ndarray) => np.ndarray, body: string, checksum: string) {
  return defineWorkload({
    name,
    description: `${what}, float64`,
    check: "float64",
    params: (quick: boolean) => {
      const n = quick ? 500 : 2000;
      return { n, label: `${n}x${n}` };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      let a = rng.standard_normal([n, n]) as np.ndarray;
      // A well-conditioned matrix (positive definite for cholesky), the same on both sides.
      a = spd ? np.add(np.matmul(a, a.T), np.multiply(n, np.eye(n))) : np.add(a, np.multiply(Math.sqrt(n), np.eye(n)));
      const b = rng.standard_normal([n]) as np.ndarray;
      force(a);
      force(b);
      return { a, b };
    },
    run({ a, b }) {
      const r = run(a, b);
      force(r);
      return r;
    },
    checksum: (_s, r) => Number(np.abs(r).sum()),
    numpy: ({ n }, seed) => ({
      setup: `rng = np.random.default_rng(${seed})\na = rng.standard_normal((${n}, ${n}))\na = ${spd ? `a @ a.T + ${n} * np.eye(${n})` : `a + np.sqrt(${n}) * np.eye(${n})`}\nb = rng.standard_normal(${n})`,
      body: `r = ${body}\nr.flat[0]`,
      checksum: `result = float(np.abs(${checksum}).sum())`,
    }),
  });
}

export const cholesky = linalgWorkload("cholesky", "np.linalg.cholesky(a)", true, (a) => np.linalg.cholesky(a), "np.linalg.cholesky(a)", "r");
export const solve = linalgWorkload("solve", "np.linalg.solve(a, b)", false, (a, b) => np.linalg.solve(a, b), "np.linalg.solve(a, b)", "r");
export const inv = linalgWorkload("inv", "np.linalg.inv(a)", false, (a) => np.linalg.inv(a), "np.linalg.inv(a)", "r");
/** |R| is unique up to the signs of its rows, so its absolute sum is an invariant. */
export const qr = linalgWorkload("qr", "np.linalg.qr(a) (Q and R)", false, (a) => (np.linalg.qr(a) as np.ndarray[])[1], "np.linalg.qr(a)[1]", "r");
export const svd = linalgWorkload(
  "svd",
  "np.linalg.svd(a) (U, S, Vh)",
  false,
  (a) => (np.linalg.svd(a) as np.ndarray[])[1],
  "np.linalg.svd(a)[1]",
  "r",
);
export const eigh = linalgWorkload("eigh", "np.linalg.eigh(a) (values and vectors)", true, (a) => np.linalg.eigh(a)[0], "np.linalg.eigh(a)[0]", "r");
