#!/usr/bin/env node
/**
 * The `tessera` launcher (like `legate`):
 *   tessera info [--json]                       the machine Tessera would use
 *   tessera run [--cpus N] [--gpus N] [--ranks N] [--profile out.json] [--log topics] script.js [args…]
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { detectMachine } from "../core/machine.js";
import { GpuDevice } from "../backends/webgpu/gpu.js";

const USAGE = `usage:
  tessera info [--json] [--cpus N] [--gpus N]
  tessera run [--cpus N] [--gpus N] [--ranks N] [--profile FILE] [--log TOPICS] script.js [args...]

  --cpus N       CPU worker threads (default: every core; env TESSERA_CPUS)
  --gpus N       GPUs to use (env TESSERA_GPUS; needs a GPU backend)
  --ranks N      MPI ranks (needs the MPI backend)
  --profile FILE write a Chrome-trace / Perfetto profile (env TESSERA_PROFILE)
  --log TOPICS   comma list of mapping,tasks,kernels,pool or all (env TESSERA_LOG)`;

function fail(msg: string): never {
  process.stderr.write(`tessera: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function info(json: boolean): void {
  let m;
  try { m = detectMachine(); } catch (e) { fail((e as Error).message); }
  let adapter: unknown = null;
  if (m.gpus > 0) {
    try { const g = new GpuDevice(); adapter = g.info; g.shutdown(); } catch (e) { fail((e as Error).message); }
  }
  const report = {
    tessera: "0.1.0",
    node: process.version,
    host: { cpuModel: os.cpus()[0]?.model ?? "unknown", cores: os.availableParallelism(), memoryBytes: os.totalmem() },
    processors: { cpu: m.cpus, gpu: m.gpus },
    gpuAdapter: adapter,
    memories: m.memories,
    ranks: m.ranks,
    mapper: { name: "default", inlineBelowElements: 1 << 16, minPieceElements: 1 << 15 },
  };
  if (json) { console.log(JSON.stringify(report, null, 2)); return; }
  console.log(`Tessera ${report.tessera} on Node ${report.node}`);
  console.log(`  host:       ${report.host.cpuModel}, ${report.host.cores} cores, ${(report.host.memoryBytes / 2 ** 30).toFixed(1)} GiB`);
  console.log(`  processors: ${m.cpus} CPU worker${m.cpus === 1 ? "" : "s"}, ${m.gpus} GPU${m.gpus === 1 ? "" : "s"}`);
  console.log(`  memories:   ${m.memories.map((x) => `${x.kind}${x.shared ? " (shared by all CPU workers)" : ""} ${(x.bytes / 2 ** 30).toFixed(1)} GiB`).join(", ")}`);
  if (adapter) {
    const a = adapter as { description: string; vendor: string; architecture: string; maxBufferSize: number };
    console.log(`  gpu:        WebGPU adapter "${a.description || a.vendor}" (${a.architecture || "?"}), max buffer ${(a.maxBufferSize / 2 ** 20).toFixed(0)} MiB`);
  }
  console.log(`  ranks:      ${m.ranks}`);
  console.log(`  mapper:     default (inline below ${report.mapper.inlineBelowElements} elements, else one piece per worker)`);
}

function run(args: string[]): void {
  const env = { ...process.env };
  let i = 0;
  const value = (flag: string) => {
    const v = args[++i];
    if (v === undefined) fail(`${flag} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--cpus") env.TESSERA_CPUS = value(a);
    else if (a === "--gpus") env.TESSERA_GPUS = value(a);
    else if (a === "--ranks") { const n = value(a); if (n !== "1") fail("--ranks > 1 needs the MPI backend, which this build does not include"); }
    else if (a === "--profile") env.TESSERA_PROFILE = value(a);
    else if (a === "--log") env.TESSERA_LOG = value(a);
    else if (a.startsWith("--")) fail(`unknown option ${a}`);
    else break;
  }
  const script = args[i];
  if (!script) fail("run needs a script");
  const r = spawnSync(process.execPath, [script, ...args.slice(i + 1)], { stdio: "inherit", env });
  if (r.error) fail(r.error.message);
  process.exit(r.status ?? (r.signal ? 128 : 1));
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "info") {
  // info takes the same machine options as run.
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--cpus") process.env.TESSERA_CPUS = rest[++i];
    else if (rest[i] === "--gpus") process.env.TESSERA_GPUS = rest[++i];
    else if (rest[i] !== "--json") fail(`unknown option ${rest[i]}`);
  }
  info(rest.includes("--json"));
}
else if (cmd === "run") run(rest);
else if (cmd === "--help" || cmd === "-h" || cmd === undefined) console.log(USAGE);
else fail(`unknown command '${cmd}'`);
