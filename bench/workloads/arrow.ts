import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as np from "tessera";
import { defineWorkload, fmtInt, force } from "../workload.js";

/**
 * Arrow interop. `arrow_zero_copy`: a.to_arrow() then np.from_arrow() of the vector: both
 * share the array's memory, so the time does not grow with the size (NumPy's side is the
 * buffer protocol's equivalent, np.frombuffer(memoryview(a))). `parquet_read`,
 * `parquet_read_snappy`: np.read_parquet of a 4-column float64 file (10 row groups),
 * uncompressed and snappy-compressed, against NumPy's np.load of the same values as .npy —
 * the yardstick is "within 2x of np.load".
 */

export const arrowZeroCopy = defineWorkload({
  name: "arrow_zero_copy",
  description: "np.from_arrow(a.to_arrow()), float64",
  check: "float64",
  needs: ["from_arrow"],
  params: (quick: boolean) => {
    const n = quick ? 10_000_000 : 100_000_000;
    return { n, label: fmtInt(n) };
  },
  setup({ n }, seed) {
    const a = np.random.default_rng(seed).random([n]) as np.ndarray;
    force(a);
    return { a };
  },
  run: ({ a }) => np.from_arrow(a.to_arrow()) as np.ndarray,
  checksum: (_s, r, { n }) => r.item(n - 1) as number,
  numpy: ({ n }, seed) => ({
    setup: `a = np.random.default_rng(${seed}).random(${n})`,
    body: `r = np.frombuffer(memoryview(a), dtype=np.float64)`,
    checksum: `result = float(r[${n} - 1])`,
  }),
});

function parquetRead(name: string, compression: "uncompressed" | "snappy") {
  return defineWorkload({
    name,
    description: `np.read_parquet, 4 float64 columns, ${compression} (NumPy: np.load of .npy)`,
    check: "float64",
    needs: ["read_parquet"],
    params: (quick: boolean) => {
      const n = quick ? 1_000_000 : 10_000_000;
      return { n, label: `${fmtInt(n)}x4` };
    },
    setup({ n }, seed) {
      const x = np.random.default_rng(seed).random([4, n]) as np.ndarray;
      const file = join(tmpdir(), `tessera-bench-${name}-${process.pid}.parquet`);
      np.save_parquet(file, { a: x.get(0), b: x.get(1), c: x.get(2), d: x.get(3) }, { compression, row_group_size: Math.ceil(n / 10) });
      // A few hundred MB per run: gone with the process.
      process.once("exit", () => rmSync(file, { force: true }));
      return { file };
    },
    run: ({ file }) => np.read_parquet(file) as Promise<Record<string, np.ndarray>>,
    checksum: (_s, r: Record<string, np.ndarray>) => Object.values(r).reduce((t, c) => t + (np.sum(c).item() as number), 0),
    numpy: ({ n }, seed) => ({
      setup: `import atexit, os, tempfile\npath = os.path.join(tempfile.gettempdir(), 'tessera-bench-${name}-%d.npy' % os.getpid())\nnp.save(path, np.random.default_rng(${seed}).random((4, ${n})))\natexit.register(os.remove, path)`,
      body: `r = np.load(path)`,
      checksum: `result = float(r.sum())`,
    }),
  });
}

export const parquetReadPlain = parquetRead("parquet_read", "uncompressed");
export const parquetReadSnappy = parquetRead("parquet_read_snappy", "snappy");
