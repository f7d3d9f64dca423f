import * as np from "tessera";
import { defineWorkload, force, requireNp } from "../workload.js";

/** einsum('bij,bjk->bik'): a batch of matrix products (one batched matmul). */
export const einsumBijBjk = defineWorkload({
  name: "einsum_bij_bjk",
  description: "einsum('bij,bjk->bik'), float64",
  check: "float64",
  needs: ["einsum"],
  params: (quick: boolean) => {
    const batch = quick ? 8 : 64,
      n = 256;
    return { batch, n, label: `${batch}x${n}x${n}` };
  },
  setup({ batch, n }, seed) {
    const rng = np.random.default_rng(seed);
    const A = rng.random([batch, n, n]) as np.ndarray;
    const B = rng.random([batch, n, n]) as np.ndarray;
    force(A);
    force(B);
    return { A, B };
  },
  run({ A, B }) {
    const C = requireNp("einsum")("bij,bjk->bik", A, B);
    force(C);
    return C;
  },
  checksum: (_s, C) => Number(C.sum()),
  numpy: ({ batch, n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\nA = rng.random((${batch}, ${n}, ${n})); B = rng.random((${batch}, ${n}, ${n}))`,
    body: `C = np.einsum('bij,bjk->bik', A, B)\nfloat(C[0, 0, 0])`,
    checksum: "result = C.sum()",
  }),
});

/** einsum('ij,ij->i'): row-wise dot products (a fused multiply and sum). */
export const einsumIjIjI = defineWorkload({
  name: "einsum_ij_ij_i",
  description: "einsum('ij,ij->i'), float64",
  check: "float64",
  needs: ["einsum"],
  params: (quick: boolean) => {
    const n = quick ? 1000 : 4000;
    return { n, label: `${n}x${n}` };
  },
  setup({ n }, seed) {
    const rng = np.random.default_rng(seed);
    const A = rng.random([n, n]) as np.ndarray;
    const B = rng.random([n, n]) as np.ndarray;
    force(A);
    force(B);
    return { A, B };
  },
  run({ A, B }) {
    const r = requireNp("einsum")("ij,ij->i", A, B);
    force(r);
    return r;
  },
  checksum: (_s, r) => Number(r.sum()),
  numpy: ({ n }, seed) => ({
    setup: `rng = np.random.default_rng(${seed})\nA = rng.random((${n}, ${n})); B = rng.random((${n}, ${n}))`,
    body: `r = np.einsum('ij,ij->i', A, B)\nfloat(r[0])`,
    checksum: "result = r.sum()",
  }),
});
