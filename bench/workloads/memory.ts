import * as np from "tessera";

/**
 * Loops that run long without a blocking point that frees anything, written as a NumPy user
 * writes them; the `memory` benchmark (bench/memory.ts) reports the peak resident memory of
 * each, in Tessera and in NumPy. `target` is the bound Tessera is held to.
 */
export interface MemoryLoop {
  readonly name: string;
  readonly description: string;
  iterations(quick: boolean): number;
  /** Peak resident memory Tessera should stay under (MiB). */
  readonly targetMiB: number;
  /** Runs the loop; returns a checksum to compare with NumPy's. */
  tessera(iterations: number): number;
  /** Python source: the same loop; must leave a float in `result`. */
  numpy(iterations: number): string;
}

const N_LARGE = 10_000_000;

export const MEMORY_LOOPS: readonly MemoryLoop[] = [
  {
    name: "small_arrays",
    description: "s += a.add(b).item(i % 100), 100-element float64 arrays",
    iterations: (quick) => (quick ? 200_000 : 1_000_000),
    targetMiB: 400,
    tessera(iterations) {
      const a = np.arange(100, { dtype: "float64" }),
        b = np.ones(100);
      let s = 0;
      for (let i = 0; i < iterations; i++) s += a.add(b).item(i % 100) as number;
      return s;
    },
    numpy: (iterations) => `
a = np.arange(100, dtype=np.float64); b = np.ones(100)
s = 0.0
for i in range(${iterations}):
    s += np.add(a, b).item(i % 100)
result = s`,
  },
  {
    name: "large_arrays",
    description: "c = np.add(a, b); np.multiply(c, 1.5, out=c), 10M float64, read once at the end",
    iterations: (quick) => (quick ? 60 : 300),
    targetMiB: 1200,
    tessera(iterations) {
      const rng = np.random.default_rng(7);
      const a = rng.random([N_LARGE]) as np.ndarray,
        b = rng.random([N_LARGE]) as np.ndarray;
      a.item(0);
      b.item(0);
      let c = a;
      for (let i = 0; i < iterations; i++) {
        c = np.add(a, b);
        np.multiply(c, 1.5, { out: c });
      }
      return Number(np.sum(c));
    },
    numpy: (iterations) => `
rng = np.random.default_rng(7)
a = rng.random(${N_LARGE}); b = rng.random(${N_LARGE})
for i in range(${iterations}):
    c = np.add(a, b)
    np.multiply(c, 1.5, out=c)
result = float(np.sum(c))`,
  },
];
