import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { detectMachine, runtime, type Mapper } from "tessera/core";
import { MAX_WARMUPS, WARMUP_SECONDS, numpyInfo, runNumPyTimed } from "./numpy.js";
import { type AnyWorkload, type Params, disposeAll, npFunction, tolerance } from "./workload.js";
import { GPU_WORKLOADS, WORKLOADS } from "./workloads/index.js";

const USAGE = `usage: npm run bench -- [--only name1,name2] [--repeats N] [--quick] [--json out.json] [--seed N] [--gpus 1]
workloads: ${WORKLOADS.map((w) => w.name).join(", ")}
with --gpus 1, also (CPU and GPU): ${GPU_WORKLOADS.map((w) => w.name).join(", ")}`;

interface Options {
  only: string[] | null;
  repeats: number;
  quick: boolean;
  json: string;
  seed: number;
  gpus: number;
  child: string | null;
}

const workload = (name: string): AnyWorkload | undefined => WORKLOADS.find((w) => w.name === name) ?? GPU_WORKLOADS.find((w) => w.name === name);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Marks the line on which a workload process reports its result. */
const RESULT_TAG = "@@tessera-bench-result ";

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    only: null,
    repeats: 5,
    quick: false,
    json: path.join(ROOT, "bench", "results", "latest.json"),
    seed: 42,
    gpus: 0,
    child: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--only":
        o.only = value()
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case "--repeats":
        o.repeats = Number(value());
        if (!Number.isInteger(o.repeats) || o.repeats < 1) throw new UsageError("--repeats needs an integer >= 1");
        break;
      case "--quick":
        o.quick = true;
        break;
      case "--json":
        o.json = path.resolve(value());
        break;
      case "--seed":
        o.seed = Number(value());
        if (!Number.isInteger(o.seed) || o.seed < 0) throw new UsageError("--seed needs an integer >= 0");
        break;
      case "--gpus":
        o.gpus = Number(value());
        if (o.gpus !== 0 && o.gpus !== 1) throw new UsageError("--gpus takes 0 or 1 (one GPU per process)");
        break;
      case "--child":
        o.child = value();
        break; // internal: run one workload's Tessera side
      case "--help":
      case "-h":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown argument ${argv[i]}`);
    }
  }
  const unknown = [...(o.only ?? []), ...(o.child ? [o.child] : [])].filter((n) => !workload(n));
  if (unknown.length) throw new UsageError(`unknown workload(s): ${unknown.join(", ")}`);
  return o;
}

interface Side {
  seconds: number;
  runs: number[];
  checksum: number;
  /** Most memory the Tessera runtime held right after a run (inputs and unreleased temporaries). */
  liveMiB?: number;
  /** Peak resident memory of the workload's process. */
  peakRssMiB?: number;
  /** With a GPU: its adapter, and where the mapper sent the launches of every run. */
  device?: string;
  launches?: Record<string, number>;
}

interface Row {
  name: string;
  description: string;
  size: string;
  status: "ok" | "mismatch" | "skipped" | "failed";
  note: string;
  tessera: Side | null;
  numpy: Side | null;
  /** NumPy time / Tessera time: above 1 means Tessera is faster. */
  ratio: number | null;
  verified: boolean | null;
  relativeError: number | null;
  tolerance: number;
  opsPerRun: number | null;
}

function machineInfo() {
  const cpus = os.cpus();
  const npi = numpyInfo();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    tesseraCpus: detectMachine().cpus,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    numpy: npi?.numpy ?? null,
    python: npi?.python ?? null,
    numpyBlas: npi?.blas ?? null,
    env: Object.fromEntries(
      ["TESSERA_CPUS", "TESSERA_FUSION", "TESSERA_KERNELS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"].map(
        (k) => [k, process.env[k] ?? null],
      ),
    ),
  };
}

// ---- the Tessera side, in its own process per workload ------------------------------------

// Tessera frees unreachable arrays' memory only after a garbage collection and a turn of the
// event loop, and V8 rarely collects on its own when its heap is small: without this, the
// temporaries of earlier runs pile up (gigabytes) and slow or break later ones.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Collect garbage and let finalizers release array memory (untimed, before the runs). */
async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    gc();
    await sleep(20);
  }
}

/**
 * With a GPU, count where the mapper sends the launches of the timed runs (not of setup or
 * checksums), so that the GPU column is known to be the GPU's.
 */
function countLaunches(): { counts: Record<string, number>; on: boolean } | undefined {
  const rt = runtime();
  if (!rt.device) return undefined;
  const c = { counts: { webgpu: 0, cpu: 0, inline: 0 } as Record<string, number>, on: false };
  const base: Mapper = rt.mapper;
  rt.setMapper({
    name: "counting",
    mapLaunch(info, machine) {
      const m = base.mapLaunch(info, machine);
      if (c.on) c.counts[m.target] = (c.counts[m.target] ?? 0) + 1;
      return m;
    },
  });
  return c;
}

async function timeTessera(w: AnyWorkload, p: Params, seed: number, repeats: number): Promise<Side> {
  const launches = countLaunches();
  const state = w.setup(p, seed);
  try {
    const runs: number[] = [];
    let checksum = NaN;
    let liveMiB = 0;
    const once = async (timed: boolean) => {
      w.prepare?.(state, p);
      if (launches) launches.on = timed;
      const t0 = performance.now();
      const r = await w.run(state, p); // np.read_parquet is asynchronous
      const dt = (performance.now() - t0) / 1000;
      if (launches) launches.on = false;
      return { r, dt };
    };
    // Setup's garbage is collected first. Then, as on NumPy's side, warm-up runs (kernel
    // generation and compilation; a fresh process's first small arrays fault in fresh pages) and
    // the timed runs follow one another as a loop's steps do: the collections Tessera needs count
    // in its time, and its workers are not left idle (after which this VM runs them up to 2x slower).
    await settle();
    const warmStart = performance.now();
    let warmups = 0;
    do {
      disposeAll((await once(false)).r);
      warmups++;
    } while (warmups < MAX_WARMUPS && performance.now() - warmStart < WARMUP_SECONDS * 1000);
    for (let k = 1; k <= repeats; k++) {
      const { r, dt } = await once(true);
      runs.push(dt);
      liveMiB = Math.max(liveMiB, runtime().liveBytes / 2 ** 20);
      if (k === repeats) checksum = w.checksum(state, r, p);
      disposeAll(r);
    }
    const device = runtime().device?.description;
    return {
      seconds: Math.min(...runs),
      runs,
      checksum,
      liveMiB: +liveMiB.toFixed(1),
      peakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
      device,
      launches: launches?.counts,
    };
  } finally {
    disposeAll(state);
  }
}

async function childMain(o: Options): Promise<number> {
  const w = workload(o.child!)!;
  let out: { side: Side } | { error: string; stack: string };
  try {
    out = { side: await timeTessera(w, w.params(o.quick), o.seed, o.repeats) };
  } catch (e) {
    out = { error: errorLine(e), stack: String((e as Error)?.stack ?? e) };
  }
  runtime().shutdown();
  process.stdout.write(`\n${RESULT_TAG}${JSON.stringify(out)}\n`);
  return 0;
}

/**
 * Each workload's Tessera side runs in a fresh process: one workload's memory, JIT state or
 * crash (an out-of-memory kill included) cannot affect the next.
 */
function runTesseraChild(w: AnyWorkload, o: Options, gpus?: number): Side {
  const args = [
    ...process.execArgv,
    process.argv[1],
    "--child",
    w.name,
    "--repeats",
    String(o.repeats),
    "--seed",
    String(o.seed),
    ...(o.quick ? ["--quick"] : []),
  ];
  const env = gpus === undefined ? process.env : { ...process.env, TESSERA_GPUS: String(gpus) };
  // Dawn reports the limits it lowers on every start; the rest of a GPU child's stderr is shown.
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", gpus ? "pipe" : "inherit"], maxBuffer: 1 << 26, env });
  const stderr = (r.stderr ?? "").split("\n").filter((l) => l && !/^Warning: max\w+ artificially reduced/.test(l));
  if (stderr.length) process.stderr.write(`\n${stderr.join("\n")}\n`);
  const line = r.stdout
    ?.split("\n")
    .reverse()
    .find((l) => l.startsWith(RESULT_TAG));
  if (!line) {
    if (r.signal) throw new Error(`process killed by ${r.signal}${r.signal === "SIGKILL" ? " (out of memory?)" : ""}`);
    throw new Error(`process exited with status ${r.status}${r.error ? `: ${r.error.message}` : ""}`);
  }
  const res = JSON.parse(line.slice(RESULT_TAG.length)) as { side: Side } | { error: string; stack: string };
  if ("error" in res) {
    const e = new Error(res.error);
    e.stack = res.stack;
    throw e;
  }
  return res.side;
}

// ---- the parent: NumPy side, comparison, table ---------------------------------------------

function packageVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function fmtTime(s: number | undefined | null): string {
  if (s === undefined || s === null || !Number.isFinite(s)) return "-";
  if (s >= 1) return `${s.toFixed(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(2)} ms`;
  return `${(s * 1e6).toFixed(1)} us`;
}

function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function errorLine(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.split("\n").find((l) => l.trim()) ?? s;
}

function runOne(w: AnyWorkload, o: Options, haveNumPy: boolean): Row {
  const p = w.params(o.quick);
  const row: Row = {
    name: w.name,
    description: w.description,
    size: p.label,
    status: "ok",
    note: "",
    tessera: null,
    numpy: null,
    ratio: null,
    verified: null,
    relativeError: null,
    tolerance: tolerance(w.check),
    opsPerRun: w.opsPerRun?.(p) ?? null,
  };
  const missing = (w.needs ?? []).filter((n) => !npFunction(n));
  if (missing.length) {
    row.status = "skipped";
    row.note = `needs ${missing.map((n) => `np.${n}`).join(", ")}`;
    console.log(`  ${w.name}: skipped, ${row.note}`);
    return row;
  }
  process.stdout.write(`  ${w.name} (${p.label}): tessera...`);
  try {
    row.tessera = runTesseraChild(w, o);
  } catch (e) {
    row.status = "failed";
    row.note = `Tessera: ${errorLine(e)}`;
    console.log(
      ` FAILED\n    ${String((e as Error)?.stack ?? e)
        .split("\n")
        .slice(0, 8)
        .join("\n    ")}`,
    );
    return row;
  }
  process.stdout.write(` ${fmtTime(row.tessera.seconds)}`);
  if (haveNumPy) {
    process.stdout.write(", numpy...");
    try {
      const r = runNumPyTimed(w.numpy(p, o.seed), o.repeats);
      if (r) row.numpy = { seconds: r.seconds, runs: r.runs, checksum: r.result };
    } catch (e) {
      row.status = "failed";
      row.note = `NumPy: ${errorLine(e)}`;
      console.log(
        ` FAILED\n    ${String((e as Error)?.message ?? e)
          .split("\n")
          .slice(-4)
          .join("\n    ")}`,
      );
      return row;
    }
    process.stdout.write(` ${fmtTime(row.numpy?.seconds)}`);
  }
  if (row.numpy) {
    row.ratio = row.numpy.seconds / row.tessera.seconds;
    row.relativeError = relErr(row.tessera.checksum, row.numpy.checksum);
    row.verified = row.relativeError <= row.tolerance; // NaN compares false: a mismatch
    if (!row.verified) {
      row.status = "mismatch";
      row.note = `MISMATCH tessera ${row.tessera.checksum} numpy ${row.numpy.checksum} (rel ${row.relativeError.toExponential(2)})`;
    }
  }
  if (row.opsPerRun) {
    const per = (s: Side | null) => (s ? `${((s.seconds / row.opsPerRun!) * 1e6).toFixed(2)} us` : "-");
    row.note = [`${per(row.tessera)}/op vs NumPy ${per(row.numpy)}/op`, row.note].filter(Boolean).join("; ");
  }
  console.log(row.status === "mismatch" ? `  *** ${row.note} ***` : "");
  return row;
}

// ---- with --gpus 1: the float32 workloads on the CPU backend and on WebGPU ------------------

interface GpuRow {
  name: string;
  size: string;
  status: "ok" | "mismatch" | "failed";
  note: string;
  cpu: Side | null;
  gpu: Side | null;
  numpy: Side | null;
  /** Tessera CPU time / Tessera GPU time: above 1 means the GPU is faster. */
  gpuSpeedup: number | null;
  verified: boolean | null;
  tolerance: number;
}

/** Software Vulkan/WebGPU adapters: they run on the CPU, so their times say nothing of GPUs. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

/** One float32 workload on the CPU backend (reusing the main table's run) and with TESSERA_GPUS=1. */
function runGpuOne(w: AnyWorkload, o: Options, haveNumPy: boolean, done: Row | undefined): GpuRow {
  const p = w.params(o.quick);
  const row: GpuRow = {
    name: w.name,
    size: p.label,
    status: "ok",
    note: "",
    cpu: null,
    gpu: null,
    numpy: null,
    gpuSpeedup: null,
    verified: null,
    tolerance: tolerance(w.check),
  };
  process.stdout.write(`  ${w.name} (${p.label}):`);
  const step = (label: string, f: () => Side | null): Side | null => {
    if (row.status === "failed") return null;
    process.stdout.write(` ${label}...`);
    try {
      const side = f();
      process.stdout.write(` ${fmtTime(side?.seconds)}`);
      return side;
    } catch (e) {
      row.status = "failed";
      row.note = `${label}: ${errorLine(e)}`;
      process.stdout.write(" FAILED");
      return null;
    }
  };
  row.cpu = step("cpu", () => done?.tessera ?? runTesseraChild(w, o, 0));
  row.gpu = step("gpu", () => runTesseraChild(w, o, 1));
  if (haveNumPy)
    row.numpy = step(
      "numpy",
      () =>
        done?.numpy ??
        (() => {
          const r = runNumPyTimed(w.numpy(p, o.seed), o.repeats);
          return r && { seconds: r.seconds, runs: r.runs, checksum: r.result };
        })(),
    );
  console.log("");
  if (row.status === "failed" || !row.cpu || !row.gpu) return row;
  row.gpuSpeedup = row.cpu.seconds / row.gpu.seconds;
  // Both Tessera results against NumPy's (or, without NumPy, the GPU's against the CPU's).
  const want = row.numpy?.checksum ?? row.cpu.checksum;
  const off = [
    ["cpu", row.cpu],
    ["gpu", row.gpu],
  ]
    .filter(([, side]) => !(relErr((side as Side).checksum, want) <= row.tolerance))
    .map(([k]) => k);
  row.verified = off.length === 0;
  const l = row.gpu.launches ?? {};
  const notes = [`timed launches on the GPU: ${l.webgpu ?? 0} of ${Object.values(l).reduce((a, b) => a + b, 0)}`];
  if (!row.verified) {
    row.status = "mismatch";
    notes.push(
      `MISMATCH ${off.join(", ")}: cpu ${row.cpu.checksum} gpu ${row.gpu.checksum} ${row.numpy ? `numpy ${row.numpy.checksum}` : ""}`.trim(),
    );
  }
  row.note = notes.join("; ");
  return row;
}

function printGpuTable(rows: readonly GpuRow[]): void {
  const head = ["workload", "size", "Tessera CPU", "Tessera GPU", "CPU/GPU", "NumPy", "verified", "note"];
  printColumns(
    head,
    rows.map((r) => [
      r.name,
      r.size,
      r.cpu ? fmtTime(r.cpu.seconds) : "FAILED",
      r.gpu ? fmtTime(r.gpu.seconds) : "FAILED",
      r.gpuSpeedup === null ? "-" : `${r.gpuSpeedup.toFixed(2)}x`,
      r.numpy ? fmtTime(r.numpy.seconds) : "n/a",
      r.verified === null ? "-" : r.verified ? "yes" : "NO (MISMATCH)",
      r.note,
    ]),
    new Set([2, 3, 4, 5]),
  );
}

function printColumns(head: string[], cells: string[][], right: ReadonlySet<number>): void {
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (right.has(i) ? x.padStart(width[i]) : x.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  console.log(line(head));
  console.log(width.map((n) => "-".repeat(n)).join("  "));
  for (const c of cells) console.log(line(c));
}

function printTable(rows: readonly Row[]): void {
  const head = ["workload", "size", "Tessera", "NumPy", "NumPy/Tessera", "verified", "note"];
  const cells = rows.map((r) => [
    r.name,
    r.size,
    r.status === "skipped" ? "skipped" : r.tessera ? fmtTime(r.tessera.seconds) : "FAILED",
    r.numpy ? fmtTime(r.numpy.seconds) : r.status === "skipped" ? "-" : "n/a",
    r.ratio === null ? "-" : `${r.ratio.toFixed(2)}x`,
    r.verified === null ? "-" : r.verified ? "yes" : "NO (MISMATCH)",
    r.note,
  ]);
  printColumns(head, cells, new Set([2, 3, 4]));
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(e.message);
    console.error(USAGE);
    return e.message ? 2 : 0;
  }
  if (o.child) return childMain(o);

  const machine = machineInfo();
  console.log("Tessera benchmarks" + (o.quick ? " (quick sizes)" : ""));
  console.log(`  CPU: ${machine.cpuModel}, ${machine.cores} cores (available parallelism ${machine.availableParallelism}), ${machine.memoryGiB} GiB`);
  console.log(
    `  Tessera: ${machine.tesseraCpus} CPU worker${machine.tesseraCpus === 1 ? "" : "s"} (TESSERA_CPUS=${machine.env.TESSERA_CPUS ?? "unset"})`,
  );
  console.log(
    `  node ${machine.node}; ` +
      (machine.numpy
        ? `numpy ${machine.numpy} (python ${machine.python}, BLAS ${machine.numpyBlas ?? "unknown"})`
        : "python3 with numpy not found: Tessera only, nothing verified"),
  );
  console.log(`  repeats: best of ${o.repeats} after one warm-up; seed ${o.seed}`);
  console.log("");

  const chosen = o.only ? WORKLOADS.filter((w) => o.only!.includes(w.name)) : WORKLOADS;
  const rows: Row[] = [];
  const started = Date.now();
  for (const w of chosen) rows.push(runOne(w, o, machine.numpy !== null));

  const gpuRows: GpuRow[] = [];
  if (o.gpus) {
    console.log(`${rows.length ? "\n" : ""}GPU (WebGPU, TESSERA_GPUS=1) next to the CPU backend, float32:`);
    for (const w of o.only ? GPU_WORKLOADS.filter((g) => o.only!.includes(g.name)) : GPU_WORKLOADS) {
      gpuRows.push(
        runGpuOne(
          w,
          o,
          machine.numpy !== null,
          rows.find((r) => r.name === w.name && r.status === "ok"),
        ),
      );
    }
  }
  const device = gpuRows.find((r) => r.gpu?.device)?.gpu?.device ?? null;

  if (rows.length) {
    console.log("");
    printTable(rows);
  }
  if (gpuRows.length) {
    console.log("");
    console.log(`GPU: ${device ?? "none (every GPU run failed)"}`);
    if (device && SOFTWARE_ADAPTER.test(device))
      console.log(
        "  a software adapter (Vulkan run on the CPU): these figures show that the GPU path works and agrees with NumPy; they are not GPU speed claims",
      );
    printGpuTable(gpuRows);
  }
  const mismatches = [...rows, ...gpuRows].filter((r) => r.status === "mismatch");
  const failures = [...rows, ...gpuRows].filter((r) => r.status === "failed");
  const skipped = rows.filter((r) => r.status === "skipped");
  console.log("");
  if (skipped.length) console.log(`skipped: ${skipped.map((r) => `${r.name} (${r.note})`).join(", ")}`);
  if (failures.length) console.log(`FAILED: ${failures.map((r) => `${r.name}${"gpu" in r ? " (GPU table)" : ""} (${r.note})`).join("; ")}`);
  if (mismatches.length) console.log(`*** MISMATCH: ${mismatches.map((r) => r.name).join(", ")}: Tessera and NumPy disagree ***`);

  mkdirSync(path.dirname(o.json), { recursive: true });
  writeFileSync(
    o.json,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick: o.quick,
        repeats: o.repeats,
        seed: o.seed,
        totalSeconds: (Date.now() - started) / 1000,
        machine,
        tesseraVersion: packageVersion(),
        results: rows,
        ...(o.gpus ? { gpu: { device, results: gpuRows } } : {}),
      },
      null,
      2,
    ) + "\n",
  );
  const shown = path.relative(process.cwd(), o.json);
  console.log(`results written to ${shown && !shown.startsWith("..") ? shown : o.json}`);
  return mismatches.length || failures.length ? 1 : 0;
}
