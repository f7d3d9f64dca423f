/**
 * Timings of the NumPy library's GPU task variants (arg-reductions, scans, sort, batched
 * matmul) with their results checked. Inputs are made and kept where the backend puts them;
 * each timing waits for the work to finish (rt.flush()) but reads nothing back. Run it once
 * with TESSERA_GPUS=1 and once without to compare the backends on the same machine.
 *
 *   TESSERA_GPUS=1 node dist/bench/gpu_variants.js [log2 elements]
 */
import * as np from "tessera";
import { runtime } from "tessera/core";

const N = 2 ** Number(process.argv[2] ?? 26);
const reps = 5;
const rt = runtime();

function time(label: string, f: () => unknown): number {
  f();
  rt.flush(); // warm-up: compile, upload
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    rt.flush();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`  ${label.padEnd(44)} ${best.toFixed(2).padStart(9)} ms`);
  return best;
}

console.log(`backend: ${rt.device ? `WebGPU, ${rt.device.description}` : `CPU, ${rt.machine.cpus} workers`}; N = 2^${Math.log2(N)}; best of ${reps}`);
// Pseudo-random float32 in [0, 1) made where the backend computes: fract(sin(i * 12.9898) * 43758.55).
const i = np.arange(N, { dtype: "float32" });
const noise = (x: np.ndarray) => {
  const s = np.sin(x.mul(12.9898)).mul(43758.55);
  return s.sub(np.floor(s));
};
const a = noise(i).copy();
a.set(N - 5, 2);
Number(a.get(0));

time(`argmax of ${N} float32`, () => np.argmax(a));
console.log(`    check: argmax = ${Number(np.argmax(a))} (expect ${N - 5})`);
const side = 2 ** Math.floor(Math.log2(N) / 2);
const sq = a.reshape(N / side, side);
time(`argmin along axis 1 of (${N / side}, ${side})`, () => np.argmin(sq, { axis: 1 }));

time(`cumsum of ${N} float32`, () => np.cumsum(a));
const cs = np.cumsum(a);
console.log(`    check: cumsum[-1] = ${Number(cs.get(-1)).toExponential(6)}, sum = ${Number(np.sum(a)).toExponential(6)}`);
const ints = a.mul(1000).astype("int32");
time(`cumsum of ${N} int32 (into int64)`, () => np.cumsum(ints));
time(`cumsum along axis 1 of (${N / side}, ${side}) float32`, () => np.cumsum(sq, { axis: 1 }));

const M = Math.min(N, 2 ** 24);
const b = a.get(`:${M}`).copy();
time(`sort of ${M} float32 (one row)`, () => np.sort(b));
const sb = np.sort(b);
console.log(`    check: sorted = ${np.all(sb.get("1:").ge(sb.get(":-1"))).item()}`);
const rows = b.reshape(M / 4096, 4096);
time(`sort of (${M / 4096}, 4096) float32 rows`, () => np.sort(rows, { axis: 1 }));

const A = np.ones([64, 512, 512], { dtype: "float32" }),
  B = np.ones([64, 512, 512], { dtype: "float32" });
Number(A.get(0, 0, 0));
Number(B.get(0, 0, 0));
const ms = time("matmul of 64 x (512x512 @ 512x512) float32", () => np.matmul(A, B));
console.log(
  `    check: C[63, 1, 2] = ${Number(np.matmul(A, B).get(63, 1, 2))} (expect 512); ${((2 * 64 * 512 ** 3) / (ms / 1000) / 1e12).toFixed(2)} TFLOP/s`,
);
rt.shutdown();
process.exit(0);
