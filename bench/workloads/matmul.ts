import * as np from "tessera";
import { defineWorkload, force, requireNp } from "../workload.js";

/** C = A @ B on square matrices; NumPy calls its BLAS (multi-threaded). */
function matmulWorkload(dtype: "float64" | "float32") {
  return defineWorkload({
    name: `matmul_${dtype === "float64" ? "f64" : "f32"}`,
    description: `C = A @ B, ${dtype}`,
    check: dtype,
    needs: ["matmul"],
    params: (quick: boolean) => {
      const n = quick ? 1024 : 2048;
      return { n, label: `${n}x${n}` };
    },
    setup({ n }, seed) {
      const rng = np.random.default_rng(seed);
      const A = rng.random([n, n], { dtype }) as np.ndarray;
      const B = rng.random([n, n], { dtype }) as np.ndarray;
      force(A);
      force(B);
      return { A, B };
    },
    run({ A, B }) {
      const C = requireNp("matmul")(A, B);
      force(C);
      return C;
    },
    // Summed in float64 so that the checksum's own rounding does not blur the comparison.
    checksum: (_s, C) => Number(C.sum({ dtype: "float64" })),
    numpy: ({ n }, seed) => ({
      setup: `rng = np.random.default_rng(${seed})\nA = rng.random((${n}, ${n}), dtype=np.${dtype}); B = rng.random((${n}, ${n}), dtype=np.${dtype})`,
      body: `C = np.matmul(A, B)\nfloat(C[0, 0])`,
      checksum: `result = C.sum(dtype=np.float64)`,
    }),
  });
}

export const matmulF64 = matmulWorkload("float64");
export const matmulF32 = matmulWorkload("float32");
