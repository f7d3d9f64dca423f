/**
 * Jacobi iteration for the 2-D Laplace equation — steady heat on a square plate whose top
 * edge is held at 100 degrees and the other edges at 0 — written with slices as in NumPy:
 *
 *   u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
 *
 * Run by Tessera on every CPU core (TESSERA_CPUS workers) and, when python3 with numpy is
 * present, by NumPy in the same run.
 *
 *   node dist/examples/jacobi.js                 # 2048 x 2048 grid, 10 sweeps
 *   node dist/examples/jacobi.js 1024 100        # grid size, sweeps
 */
import * as np from "tessera";
import { runtime } from "tessera/core";
import { runNumPy } from "../bench/numpy.js";

const N = Number(process.argv[2] ?? 2048);
const SWEEPS = Number(process.argv[3] ?? 10);
const HOT = 100.0;

/** A plate at 0 degrees with its top edge at HOT. */
function initialPlate(n: number): np.ndarray {
  const u = np.zeros([n, n]);
  u.set("0, :", HOT);
  return u;
}

/** One Jacobi sweep: every interior point becomes the mean of its four neighbours. */
function sweep(u: np.ndarray): void {
  // The right side is evaluated in full before u is written, as in NumPy.
  const up = u.get(":-2, 1:-1"),
    down = u.get("2:, 1:-1"),
    left = u.get("1:-1, :-2"),
    right = u.get("1:-1, 2:");
  u.set("1:-1, 1:-1", np.multiply(0.25, up.add(down).add(left).add(right)));
}

function solve(n: number, sweeps: number): { u: np.ndarray; checksum: number } {
  const u = initialPlate(n);
  for (let k = 0; k < sweeps; k++) sweep(u);
  return { u, checksum: Number(u.sum()) }; // reading the sum runs the deferred sweeps
}

solve(64, 2); // warm-up: generates (and compiles) the kernels before timing

const t0 = performance.now();
const { u, checksum } = solve(N, SWEEPS);
const seconds = (performance.now() - t0) / 1000;
const nearEdge = Number(u.item(N + Math.floor(N / 2))); // just below the middle of the hot edge

const { cpus, ranks, rank } = runtime().machine;
const workers = `${ranks > 1 ? `${ranks} ranks x ` : ""}${cpus} CPU worker${cpus > 1 ? "s" : ""}`;
console.log(`Jacobi, ${N}x${N} grid, ${SWEEPS} sweeps (float64)`);
console.log(
  `  Tessera (${workers}): ${seconds.toFixed(3)} s  (${((seconds / SWEEPS) * 1e3).toFixed(1)} ms/sweep)   checksum ${checksum.toPrecision(12)}   u[1, n/2] ${nearEdge.toPrecision(6)}`,
);

const ref =
  rank !== 0
    ? null
    : runNumPy(
        `
def solve(n, sweeps):
    u = np.zeros((n, n))
    u[0, :] = ${HOT}
    for _ in range(sweeps):
        u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return u
`,
        `result = solve(${N}, ${SWEEPS}).sum()`,
        1,
      );
if (ref) {
  const agree = Math.abs(ref.result - checksum) <= 1e-9 * Math.abs(ref.result);
  console.log(
    `  NumPy ${"".padEnd(16)}: ${ref.seconds.toFixed(3)} s  (${((ref.seconds / SWEEPS) * 1e3).toFixed(1)} ms/sweep)   checksum ${ref.result.toPrecision(12)}`,
  );
  console.log(`  speed-up vs NumPy: ${(ref.seconds / seconds).toFixed(2)}x   (results ${agree ? "agree" : "DIFFER"})`);
} else if (rank === 0) {
  console.log("  (python3 with numpy not found: no NumPy comparison)");
}
runtime().shutdown();
