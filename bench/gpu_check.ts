/**
 * GPU figures on a real device: elementwise bandwidth and a reduction on the WebGPU backend,
 * next to the CPU backend on the same machine. Values stay resident on the GPU between
 * launches; each timing waits for the GPU to finish (rt.flush()) but reads nothing back.
 *
 *   TESSERA_GPUS=1 node dist/bench/gpu_check.js [elements]
 */
import * as np from "tessera";
import { runtime, Runtime, detectMachine } from "tessera/core";
import type { WebgpuProcessor } from "../src/backends/webgpu/processor.js";

const N = Number(process.argv[2] ?? 1 << 26);
const reps = 10;
/** Launches per blocking point: one shows the round trip, many the kernels' own speed. */
const BATCH = Number(process.argv[3] ?? 20);

function time(label: string, rt: Runtime, f: () => void, bytes: number): { ms: number; gbs: number } {
  f();
  rt.flush(); // warm-up: compile, upload
  const run = (k: number) => {
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      for (let i = 0; i < k; i++) f();
      rt.flush();
      best = Math.min(best, (performance.now() - t0) / k);
    }
    return best;
  };
  const one = run(1),
    many = run(BATCH);
  const gbs = bytes / (many / 1000) / 1e9;
  console.log(
    `  ${label.padEnd(34)} ${one.toFixed(3).padStart(8)} ms alone, ${many.toFixed(3).padStart(8)} ms each in a batch of ${BATCH}: ${gbs.toFixed(1).padStart(7)} GB/s`,
  );
  return { ms: many, gbs };
}

const rt = runtime();
console.log(`GPU: ${rt.device ? JSON.stringify((rt.device as WebgpuProcessor).info) : "none (set TESSERA_GPUS=1)"}`);
console.log(`elements: ${N} float32 (${((N * 4) / 2 ** 20).toFixed(0)} MiB per array), best of ${reps}`);
const a = np.arange(N, { dtype: "float32" }).mul(1e-6);
const b = np.ones(N, { dtype: "float32" });
const c = np.zeros(N, { dtype: "float32" });
Number(a.get(0));
Number(b.get(0));
Number(c.get(0));
const add = time("c = a + b (out=c)", rt, () => np.add(a, b, { out: c }), 3 * N * 4);
time("c = 2.5*a + b (triad, out=c)", rt, () => np.add(np.multiply(a, 2.5), b, { out: c }), 3 * N * 4);
time("c = exp(sin(a))*b + sqrt(a) (fused)", rt, () => np.add(np.multiply(np.exp(np.sin(a)), b), np.sqrt(a), { out: c }), 3 * N * 4);
let s = 0;
const t = np.zeros([], { dtype: "float32" });
time("sum(a) (out=0-d array)", rt, () => np.sum(a, { out: t }), N * 4);
s = Number(np.sum(a));
console.log(`  check: sum(a) = ${s.toExponential(6)} (exact ${((1e-6 * N * (N - 1)) / 2).toExponential(6)}), c[7] = ${c.item(7)}`);
console.log(`elementwise add bandwidth: ${add.gbs.toFixed(1)} GB/s`);

// Dense float32 matmul (tiled WGSL kernel): throughput against the GPU's FP32 rate.
for (const m of (process.env.GPU_CHECK_MATMUL ?? "2048,4096,8192").split(",").map(Number)) {
  const A = np.ones([m, m], { dtype: "float32" }),
    B = np.ones([m, m], { dtype: "float32" });
  const Cm = np.zeros([m, m], { dtype: "float32" });
  Number(A.get(0, 0));
  Number(B.get(0, 0));
  Number(Cm.get(0, 0));
  np.matmul(A, B, { out: Cm });
  rt.flush();
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    np.matmul(A, B, { out: Cm });
    rt.flush();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(
    `  matmul f32 ${m}x${m}x${m}`.padEnd(38) +
      `${best.toFixed(2).padStart(9)} ms  ${((2 * m ** 3) / (best / 1000) / 1e12).toFixed(2)} TFLOP/s; C[1,2] = ${Cm.item(m + 2)} (expect ${m})`,
  );
  A.dispose();
  B.dispose();
  Cm.dispose();
}

// Batched float32 FFT (radix-2 Stockham passes, tasks/fft/webgpu.ts): every row of a complex64 image.
{
  const [rows, n] = (process.env.GPU_CHECK_FFT ?? "4096,4096").split(",").map(Number);
  const X = np.ones([rows, n], { dtype: "complex64" }),
    Y = np.zeros([rows, n], { dtype: "complex64" });
  Number(X.item(0));
  Number(Y.item(0));
  // Each pass reads and writes every value once.
  const fft = time(`fft of ${rows} rows of ${n} complex64`, rt, () => np.fft.fft(X, { out: Y }), 2 * Math.log2(n) * rows * n * 8);
  console.log(
    `  check: Y[0, 0] = ${JSON.stringify(Y.item(0))} (expect ${n}), Y[0, 1] = ${JSON.stringify(Y.item(1))} (expect 0); ${fft.ms.toFixed(2)} ms`,
  );
  X.dispose();
  Y.dispose();
}

// float32 Cholesky (tasks/linalg/webgpu.ts): a blocked factorization in one chain of dispatches.
for (const n of (process.env.GPU_CHECK_CHOLESKY ?? "2048,4096").split(",").map(Number)) {
  const G = np.ones([n, n], { dtype: "float32" });
  // Positive definite: ones plus n on the diagonal.
  const A = np.add(G, np.multiply(np.eye(n, { dtype: "float32" }), n));
  Number(A.item(0));
  const chol = time(`cholesky f32 ${n}x${n}`, rt, () => np.linalg.cholesky(A), 0);
  const L = np.linalg.cholesky(A);
  console.log(`  check: L[1, 0] = ${L.item(n)} (expect ${1 / Math.sqrt(n + 1)}); ${(n ** 3 / 3 / (chol.ms / 1000) / 1e12).toFixed(3)} TFLOP/s`);
  // solve with n right-hand sides (an n x n output, which the mapper sends to the GPU) and qr.
  const solve = time(`solve f32 ${n}x${n}, ${n} right-hand sides`, rt, () => np.linalg.solve(A, G), 0);
  const x00 = np.linalg.solve(A, G).item(0);
  console.log(`  check: x[0, 0] = ${x00} (expect ${1 / (2 * n)}); ${(((8 / 3) * n ** 3) / (solve.ms / 1000) / 1e12).toFixed(3)} TFLOP/s`);
  time(`qr f32 ${n}x${n}`, rt, () => np.linalg.qr(A), 0);
  G.dispose();
}

// The same work on the CPU backend of this machine, for reference.
const cpu = new Runtime({ ...detectMachine(), gpus: 0 });
const ca = cpu.attach([N], "float32", a.toTypedArray());
const cb = cpu.attach([N], "float32", b.toTypedArray());
const cc = cpu.createStore([N], "float32");
const L = (i: number) => ({ k: "load" as const, arg: i, dtype: "float32" as const });
console.log(`CPU backend, ${cpu.machine.cpus} workers:`);
time(
  "c = a + b",
  cpu,
  () =>
    cpu.submit({
      kind: "map",
      name: "add",
      inputs: [ca, cb],
      outputs: [{ store: cc, expr: { k: "binary", fn: "add", a: L(0), b: L(1), dtype: "float32" } }],
      scalars: [],
    }),
  3 * N * 4,
);
cpu.shutdown();
rt.shutdown();
process.exit(0);
