/**
 * `npm run bench` entry point. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE change how OpenBLAS
 * behaves in whatever process loads it, so when they are set this process re-runs itself
 * without them before anything can load a BLAS; NumPy is started without them too.
 */
import { spawnSync } from "node:child_process";

const BLAS_VARS = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

const args = process.argv.slice(2);

if (BLAS_VARS.some((v) => process.env[v] !== undefined)) {
  const env = { ...process.env };
  for (const v of BLAS_VARS) delete env[v];
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env });
  process.exit(r.status ?? 1);
}

// Loaded only now, so that nothing BLAS-backed is imported before the environment is clean.
if (args[0] === "memory") {
  // Peak resident memory of long loops, next to NumPy's.
  const { memory } = await import("./memory.js");
  process.exitCode = await memory(args.slice(1));
} else if (args.some((a) => a === "--ranks" || a.startsWith("--ranks="))) {
  // Weak scaling over MPI ranks: a separate table (work per rank fixed).
  const { weakScaling } = await import("./weak.js");
  process.exitCode = await weakScaling(args);
} else {
  const { main } = await import("./runner.js");
  process.exitCode = await main(args);
}
