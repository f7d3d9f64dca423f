#!/usr/bin/env node
/**
 * The `tessera` launcher (like `legate`):
 *   tessera info [--json]                       the machine Tessera would use
 *   tessera run [--cpus N] [--gpus N] [--ranks N [--hostfile F]] [--profile out.json] [--log topics] script.js [args…]
 * With --ranks N the script runs as N MPI ranks under OpenMPI's mpirun (control replication).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { detectMachine, openLibrary, setting } from "../core/index.js";
import { GpuDevice } from "../backends/webgpu/gpu.js";
import { blasCoretypeChoice } from "../core/blas_coretype.js";
import { blasInfo } from "../numpy/tasks/matmul/blas.js";
import { lapack } from "../numpy/tasks/linalg/lapack.js";

const USAGE = `usage:
  tessera info [--json] [--cpus N] [--gpus N] [--ranks N]
  tessera run [--cpus N] [--gpus N] [--ranks N] [--hostfile FILE] [--profile FILE] [--log TOPICS] script.js [args...]

  --cpus N        CPU worker threads per rank (default: every core, shared among the ranks on
                  one host; env TESSERA_CPUS)
  --gpus N        GPUs to use (env TESSERA_GPUS)
  --ranks N       run N MPI ranks with mpirun (OpenMPI); every rank runs the same script
  --hostfile FILE hosts for the ranks (passed to mpirun; default: this machine)
  --profile FILE  write a Chrome-trace / Perfetto profile, one process per rank (env TESSERA_PROFILE)
  --log TOPICS    comma list of mapping,tasks,kernels,pool,dist or all (env TESSERA_LOG)`;

function fail(msg: string): never {
  process.stderr.write(`tessera: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function info(json: boolean, plannedRanks: number | null): void {
  let m;
  try {
    m = detectMachine();
  } catch (e) {
    fail((e as Error).message);
  }
  let adapter: unknown = null;
  if (m.gpus > 0) {
    try {
      const g = new GpuDevice();
      adapter = g.info;
      g.shutdown();
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const report = {
    tessera: "0.1.0",
    node: process.version,
    host: { cpuModel: os.cpus()[0]?.model ?? "unknown", cores: os.availableParallelism(), memoryBytes: os.totalmem() },
    processors: { cpu: m.cpus, gpu: m.gpus },
    gpuAdapter: adapter,
    memories: m.memories,
    ranks: plannedRanks ?? m.ranks,
    rank: m.rank,
    mpi: mpiLibrary(),
    blas: blasReport(),
    lapack: lapack().name,
    mapper: { name: "default", inlineBelowElements: 1 << 16, minPieceElements: 1 << 15 },
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`Tessera ${report.tessera} on Node ${report.node}`);
  console.log(`  host:       ${report.host.cpuModel}, ${report.host.cores} cores, ${(report.host.memoryBytes / 2 ** 30).toFixed(1)} GiB`);
  console.log(`  processors: ${m.cpus} CPU worker${m.cpus === 1 ? "" : "s"}, ${m.gpus} GPU${m.gpus === 1 ? "" : "s"}`);
  console.log(
    `  memories:   ${m.memories.map((x) => `${x.kind}${x.shared ? " (shared by all CPU workers)" : ""} ${(x.bytes / 2 ** 30).toFixed(1)} GiB`).join(", ")}`,
  );
  if (adapter) {
    const a = adapter as { description: string; vendor: string; architecture: string; maxBufferSize: number };
    console.log(
      `  gpu:        WebGPU adapter "${a.description || a.vendor}" (${a.architecture || "?"}), max buffer ${(a.maxBufferSize / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  console.log(
    `  ranks:      ${report.ranks}${m.ranks > 1 ? ` (this is rank ${m.rank})` : ""}; MPI library: ${report.mpi ?? "not found (apt-get install openmpi-bin libopenmpi-dev)"}`,
  );
  const b = report.blas;
  if ("refused" in b) console.log(`  blas:       ${b.refused}: matrix products use the JS gemm`);
  else if (!b.library) console.log("  blas:       no CBLAS library found: matrix products use the JS gemm (apt-get install libopenblas0-pthread)");
  else {
    console.log(`  blas:       ${b.library}${b.files.length ? ` (${b.files.join(", ")})` : ""}`);
    if (b.config) console.log(`              ${b.config}; core in use: ${b.core}`);
    if (b.coretype)
      console.log(`              core type ${b.coretype.set ? `${b.coretype.set} set by Tessera` : "not set by Tessera"}: ${b.coretype.reason}`);
  }
  console.log(
    `  lapack:     ${report.lapack === "portable" ? "portable (plain JS: no LAPACK library loads)" : report.lapack.replace(/^native: /, "")} (numpy.linalg)`,
  );
  console.log(`  mapper:     default (inline below ${report.mapper.inlineBelowElements} elements, else one piece per worker)`);
}

/**
 * The BLAS that matrix products load (loading it here, as a product would), what it says of
 * itself, and the core type Tessera chose for OpenBLAS before loading it, with the reason.
 */
function blasReport():
  | { refused: string }
  | { library: string | null; files: string[]; config: string | null; core: string | null; coretype: { set: string | null; reason: string } | null } {
  const b = blasInfo();
  if (b && "refused" in b) return b;
  const c = blasCoretypeChoice();
  return {
    library: b?.path ?? null,
    files: loadedBlasFiles(),
    config: b?.config ?? null,
    core: b?.corename ?? null,
    coretype: c ? { set: c.coretype, reason: c.reason } : null,
  };
}

/** The BLAS and LAPACK files this process has loaded (where the loader says: Linux). */
function loadedBlasFiles(): string[] {
  try {
    const paths = readFileSync("/proc/self/maps", "utf8")
      .split("\n")
      .map((l) => l.slice(l.indexOf("/")))
      .filter((p) => p.startsWith("/") && /blas|lapack/i.test(p.slice(p.lastIndexOf("/"))));
    return [...new Set(paths)];
  } catch {
    return [];
  }
}

/** The MPI library a multi-rank run would load, or null. */
function mpiLibrary(): string | null {
  const lib = setting("TESSERA_MPI_LIB");
  try {
    openLibrary(lib);
    return lib;
  } catch {
    return null;
  }
}

function run(args: string[]): void {
  const env = { ...process.env };
  let i = 0,
    ranks = 1,
    hostfile: string | null = null;
  const value = (flag: string) => {
    const v = args[++i];
    if (v === undefined) fail(`${flag} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--cpus") env.TESSERA_CPUS = value(a);
    else if (a === "--gpus") env.TESSERA_GPUS = value(a);
    else if (a === "--ranks") {
      ranks = Number(value(a));
      if (!Number.isInteger(ranks) || ranks < 1) fail(`--ranks needs a positive integer, got '${args[i]}'`);
    } else if (a === "--hostfile") hostfile = value(a);
    else if (a === "--profile") env.TESSERA_PROFILE = value(a);
    else if (a === "--log") env.TESSERA_LOG = value(a);
    else if (a.startsWith("--")) fail(`unknown option ${a}`);
    else break;
  }
  const script = args[i];
  if (!script) fail("run needs a script");
  let cmd = process.execPath,
    argv = [script, ...args.slice(i + 1)];
  if (ranks > 1 || hostfile) {
    // Ranks on one host share its cores unless told otherwise.
    if (!hostfile && env.TESSERA_CPUS === undefined) env.TESSERA_CPUS = String(Math.max(1, Math.floor(os.availableParallelism() / ranks)));
    const mpi: string[] = ["-np", String(ranks), "--bind-to", "none"];
    if (process.getuid?.() === 0) mpi.push("--allow-run-as-root");
    if (hostfile) mpi.push("--hostfile", hostfile);
    else mpi.push("--oversubscribe");
    // Settings travel to every rank, remote hosts included.
    for (const k of Object.keys(env)) if (k.startsWith("TESSERA_")) mpi.push("-x", k);
    argv = [...mpi, process.execPath, ...argv];
    cmd = env.TESSERA_MPIRUN ?? "mpirun";
  }
  launch(cmd, argv, env);
}

/** Signals passed on to the job (a terminal's Ctrl-C, a batch scheduler's timeout, a hangup). */
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** How long a job may take to end after a forwarded signal before its group is killed. */
const KILL_GRACE_MS = 10_000;

/**
 * Run the job (node, or mpirun and its ranks) in its own process group, pass the signals
 * the launcher gets on to that whole group, and exit as the job did: its status, or 128 +
 * the signal's number when a signal ended it (as a shell reports). After a forwarded
 * signal the launcher reports that signal unless the job still ended cleanly; a job still
 * running KILL_GRACE_MS after it is killed outright.
 */
function launch(cmd: string, argv: string[], env: NodeJS.ProcessEnv): void {
  const child = spawn(cmd, argv, { stdio: "inherit", env, detached: true });
  let received: NodeJS.Signals | null = null;
  const forward = (sig: NodeJS.Signals) => {
    received ??= sig;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* the group is gone already */
    }
    // A job that ignores the signal is killed after a grace period.
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, KILL_GRACE_MS).unref();
  };
  for (const sig of FORWARDED) process.on(sig, forward);
  child.on("error", (e) => fail(`${cmd}: ${e.message}${cmd === "mpirun" ? " (install OpenMPI: apt-get install openmpi-bin libopenmpi-dev)" : ""}`));
  child.on("exit", (code, signal) => {
    // Whatever the job left behind in its group (ranks of a dying mpirun) goes with it.
    if (signal || received) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* none left */
      }
    }
    const sig = signal ?? (received && code !== 0 ? received : null);
    process.exit(sig ? 128 + (os.constants.signals[sig] ?? 0) : (code ?? 1));
  });
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "info") {
  let planned: number | null = null;
  // info takes the same machine options as run.
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--cpus") process.env.TESSERA_CPUS = rest[++i];
    else if (rest[i] === "--gpus") process.env.TESSERA_GPUS = rest[++i];
    else if (rest[i] === "--ranks") planned = Number(rest[++i]);
    else if (rest[i] !== "--json") fail(`unknown option ${rest[i]}`);
  }
  info(rest.includes("--json"), planned);
} else if (cmd === "run") run(rest);
else if (cmd === "--help" || cmd === "-h" || cmd === undefined) console.log(USAGE);
else fail(`unknown command '${cmd}'`);
