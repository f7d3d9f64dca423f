/**
 * `npm run bench -- --ranks 1,2`: weak scaling under MPI. The work per rank is fixed (Jacobi
 * and CG keep the grid/matrix area per rank, Black-Scholes the options per rank, the 2-D FFT
 * its rows per rank), each rank
 * count runs as its own `mpirun` job with one CPU worker per rank, and efficiency is
 * T(1 rank) / T(N ranks) (1.0 = perfect). Beside it, "NumPy ×ranks" is the same ratio for
 * N independent NumPy processes each doing one rank's work at once: what the machine itself
 * allows when its cores share memory bandwidth.
 *
 * The same file is the per-rank program (`--rank-job`): it builds the workload at the size
 * for that rank count, times `run` (best of the repeats, after a warm-up) and prints one
 * JSON line from rank 0.
 */
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runtime } from "tessera/core";
import type { AnyWorkload } from "./workload.js";
import { runNumPyConcurrent } from "./numpy.js";
import jacobi from "./workloads/jacobi.js";
import blackscholes from "./workloads/blackscholes.js";
import cg from "./workloads/cg.js";
import { fft2d } from "./workloads/fft.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const TAG = "@@tessera-weak ";

/** Per-rank work of each workload, as its params for `ranks` ranks. */
const SCALED: Record<string, { workload: AnyWorkload; params(ranks: number, quick: boolean): object }> = {
  jacobi: {
    workload: jacobi,
    params: (r, q) => {
      const n = Math.round((q ? 1024 : 2896) * Math.sqrt(r));
      return { n, sweeps: 10, label: `${n}x${n} x10` };
    },
  },
  blackscholes: {
    workload: blackscholes,
    params: (r, q) => {
      const n = (q ? 1_000_000 : 5_000_000) * r;
      return { n, label: `${n / 1e6}M options` };
    },
  },
  fft2: {
    workload: fft2d,
    params: (r, q) => {
      // rows × 4096 complex: the row transforms stay on each rank, the column transforms
      // need every row (the runtime's all-to-all exchange moves them).
      const n = q ? 1024 : 4096;
      return { n, rows: n * r, label: `${n * r}x${n}` };
    },
  },
  cg: {
    workload: cg,
    params: (r, q) => {
      const n = Math.round((q ? 1000 : 2828) * Math.sqrt(r));
      return { n, iters: 50, label: `${n}x${n} x50` };
    },
  },
};

interface Result {
  workload: string;
  ranks: number;
  label: string;
  seconds: number;
  checksum: number;
  bytesSent: number;
}

function rankJob(name: string, ranks: number, quick: boolean, repeats: number): void {
  const { workload, params } = SCALED[name];
  const p = params(ranks, quick);
  const s = workload.setup(p, 42);
  let best = Infinity,
    r: unknown;
  for (let i = 0; i <= repeats; i++) {
    workload.prepare?.(s, p);
    const t0 = performance.now();
    r = workload.run(s, p);
    const t = (performance.now() - t0) / 1000;
    if (i > 0) best = Math.min(best, t); // the first run warms caches and compiles kernels
  }
  const checksum = workload.checksum(s, r, p);
  const dist = runtime().dist;
  const out: Result = {
    workload: name,
    ranks,
    label: (p as { label: string }).label,
    seconds: best,
    checksum,
    bytesSent: dist?.stats.bytesSent ?? 0,
  };
  console.log(TAG + JSON.stringify(out));
}

export async function weakScaling(argv: string[]): Promise<number> {
  let ranksList = [1, 2],
    quick = false,
    repeats = 3,
    only = Object.keys(SCALED);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--ranks") ranksList = value().split(",").map(Number);
    else if (flag === "--quick") quick = true;
    else if (flag === "--repeats") repeats = Number(value());
    else if (flag === "--only")
      only = value()
        .split(",")
        .filter((n) => n in SCALED);
    else {
      console.error(`weak scaling: unknown argument ${argv[i]} (takes --ranks, --only, --repeats, --quick)`);
      return 2;
    }
  }
  if (ranksList.some((r) => !Number.isInteger(r) || r < 1)) {
    console.error("--ranks takes a list of positive integers, e.g. 1,2");
    return 2;
  }
  const root = process.getuid?.() === 0 ? ["--allow-run-as-root"] : [];
  console.log(`Weak scaling on ${os.cpus()[0]?.model ?? "?"} (${os.availableParallelism()} cores), one CPU worker per rank, work per rank fixed\n`);
  console.log(
    `${"workload".padEnd(14)}${"ranks".padStart(6)}  ${"size".padEnd(22)}${"time (s)".padStart(10)}${"efficiency".padStart(12)}${"sent/rank".padStart(12)}${"NumPy ×ranks".padStart(14)}`,
  );
  const results: (Result & { efficiency: number; numpyEfficiency: number | null })[] = [];
  const numpyOne = new Map<string, number | null>();
  let status = 0;
  for (const name of only) {
    let base: Result | null = null;
    for (const ranks of ranksList) {
      // One core per rank (its one CPU worker), as on a cluster; unbound when oversubscribed.
      const binding = ranks <= os.availableParallelism() ? ["--bind-to", "core", "--map-by", "core"] : ["--oversubscribe", "--bind-to", "none"];
      const args = [
        ...root,
        ...binding,
        "-np",
        String(ranks),
        process.execPath,
        fileURLToPath(import.meta.url),
        "--rank-job",
        name,
        String(ranks),
        String(repeats),
        quick ? "quick" : "full",
      ];
      const r = spawnSync("mpirun", args, { encoding: "utf8", env: { ...process.env, TESSERA_CPUS: "1" }, maxBuffer: 1 << 26 });
      const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith(TAG));
      if (r.status !== 0 || !line) {
        console.error(`${name} on ${ranks} ranks failed (status ${r.status}):\n${r.stderr}`);
        status = 1;
        continue;
      }
      const res = JSON.parse(line.slice(TAG.length)) as Result;
      base ??= res;
      const efficiency = base.seconds / res.seconds;
      // The machine's own ceiling: as many independent NumPy processes as ranks, each with
      // one rank's work, against one such process alone.
      const py = SCALED[name].workload.numpy(SCALED[name].params(1, quick), 42);
      if (!numpyOne.has(name)) numpyOne.set(name, await runNumPyConcurrent(py, 1, repeats));
      const t1 = numpyOne.get(name),
        tn = t1 === null ? null : await runNumPyConcurrent(py, ranks, repeats);
      const numpyEfficiency = t1 && tn ? t1 / tn : null;
      results.push({ ...res, efficiency, numpyEfficiency });
      console.log(
        `${name.padEnd(14)}${String(ranks).padStart(6)}  ${res.label.padEnd(22)}${res.seconds.toFixed(3).padStart(10)}${efficiency.toFixed(2).padStart(12)}${`${(res.bytesSent / 2 ** 20).toFixed(1)} MiB`.padStart(12)}${(numpyEfficiency === null ? "—" : numpyEfficiency.toFixed(2)).padStart(14)}`,
      );
    }
  }
  mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  const file = path.join(ROOT, "bench", "results", "weak.json");
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), host: os.cpus()[0]?.model, cores: os.availableParallelism(), results }, null, 2),
  );
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  return status;
}

if (process.argv[2] === "--rank-job") {
  const [, , , name, ranks, repeats, mode] = process.argv;
  rankJob(name, Number(ranks), mode === "quick", Number(repeats));
}
