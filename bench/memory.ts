/**
 * `npm run bench -- memory`: peak resident memory of long loops (bench/workloads/memory.ts)
 * in Tessera and in NumPy, each loop in a fresh process of its own (Tessera's peak is the
 * process's maxRSS; NumPy's is ru_maxrss of its python3 process). Exits non-zero when a
 * Tessera loop goes over its target or the two disagree.
 */
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numpyAvailable, numpyEnv } from "./numpy.js";
import { MEMORY_LOOPS, type MemoryLoop } from "./workloads/memory.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULT_TAG = "@@tessera-memory-result ";
const USAGE = `usage: npm run bench -- memory [--quick] [--only name1,name2] [--iterations N] [--json out.json]
loops: ${MEMORY_LOOPS.map((l) => l.name).join(", ")}`;

interface Side {
  peakRssMiB: number;
  seconds: number;
  checksum: number;
}
interface Row {
  name: string;
  description: string;
  iterations: number;
  targetMiB: number;
  tessera: Side | null;
  numpy: Side | null;
  withinTarget: boolean | null;
  verified: boolean | null;
  note: string;
}

const mib = (kib: number) => +(kib / 1024).toFixed(1);

/** The Tessera side of one loop, in this (child) process. */
function childMain(name: string, iterations: number): number {
  const loop = MEMORY_LOOPS.find((l) => l.name === name)!;
  const t0 = performance.now();
  const checksum = loop.tessera(iterations);
  const seconds = (performance.now() - t0) / 1000;
  const side: Side = { peakRssMiB: mib(process.resourceUsage().maxRSS), seconds, checksum };
  process.stdout.write(`\n${RESULT_TAG}${JSON.stringify(side)}\n`);
  return 0;
}

function runTessera(loop: MemoryLoop, iterations: number): Side {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], "memory", "--child", loop.name, "--iterations", String(iterations)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  const line = r.stdout
    ?.split("\n")
    .reverse()
    .find((l) => l.startsWith(RESULT_TAG));
  if (!line)
    throw new Error(r.signal ? `killed by ${r.signal}${r.signal === "SIGKILL" ? " (out of memory?)" : ""}` : `exited with status ${r.status}`);
  return JSON.parse(line.slice(RESULT_TAG.length)) as Side;
}

function runNumPy(loop: MemoryLoop, iterations: number): Side | null {
  if (!numpyAvailable()) return null;
  const indent = (s: string) =>
    s
      .split("\n")
      .map((l) => "    " + l)
      .join("\n");
  const code = `
import json, resource, time
import numpy as np
def work():
    result = None
${indent(loop.numpy(iterations))}
    return result
t0 = time.perf_counter()
r = work()
dt = time.perf_counter() - t0
print(json.dumps({"peakRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "seconds": dt, "checksum": float(r)}))
`;
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8", env: numpyEnv(), maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`NumPy loop failed:\n${r.stderr}`);
  const o = JSON.parse(r.stdout.trim().split("\n").pop()!) as { peakRssKiB: number; seconds: number; checksum: number };
  return { peakRssMiB: mib(o.peakRssKiB), seconds: o.seconds, checksum: o.checksum };
}

function table(rows: readonly Row[]): void {
  const head = ["loop", "iterations", "Tessera peak RSS", "target", "NumPy peak RSS", "Tessera time", "NumPy time", "verified"];
  const fmt = (s: Side | null, f: (s: Side) => string) => (s ? f(s) : "-");
  const cells = rows.map((r) => [
    r.name,
    String(r.iterations),
    fmt(r.tessera, (s) => `${s.peakRssMiB.toFixed(0)} MiB`) + (r.withinTarget === false ? " OVER" : ""),
    `< ${r.targetMiB} MiB`,
    fmt(r.numpy, (s) => `${s.peakRssMiB.toFixed(0)} MiB`),
    fmt(r.tessera, (s) => `${s.seconds.toFixed(2)} s`),
    fmt(r.numpy, (s) => `${s.seconds.toFixed(2)} s`),
    r.verified === null ? "-" : r.verified ? "yes" : "NO (MISMATCH)",
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i >= 1 && i <= 6 ? x.padStart(width[i]) : x.padEnd(width[i])))
      .join("  ")
      .trimEnd();
  console.log(line(head));
  console.log(width.map((n) => "-".repeat(n)).join("  "));
  for (const c of cells) console.log(line(c));
}

export async function memory(argv: readonly string[]): Promise<number> {
  let quick = false,
    only: string[] | null = null,
    iterations: number | null = null,
    child: string | null = null;
  let json = path.join(ROOT, "bench", "results", "memory.json");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") quick = true;
    else if (a === "--only")
      only = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === "--iterations") iterations = Number(value());
    else if (a === "--json") json = path.resolve(value());
    else if (a === "--child") child = value();
    else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  const unknown = [...(only ?? []), ...(child ? [child] : [])].filter((n) => !MEMORY_LOOPS.some((l) => l.name === n));
  if (unknown.length) {
    console.error(`unknown loop(s): ${unknown.join(", ")}\n${USAGE}`);
    return 2;
  }
  if (iterations !== null && !(Number.isInteger(iterations) && iterations > 0)) {
    console.error("--iterations needs an integer >= 1");
    return 2;
  }
  if (child) return childMain(child, iterations!);

  console.log(`Tessera memory benchmark${quick ? " (quick)" : ""}: peak resident memory of long loops, each in a fresh process`);
  console.log(
    `  ${os.cpus()[0]?.model ?? "CPU"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; TESSERA_CPUS=${process.env.TESSERA_CPUS ?? "unset"}`,
  );
  const haveNumPy = numpyAvailable();
  if (!haveNumPy) console.log("  python3 with numpy not found: Tessera only");
  console.log("");
  const rows: Row[] = [];
  for (const loop of MEMORY_LOOPS.filter((l) => !only || only.includes(l.name))) {
    const n = iterations ?? loop.iterations(quick);
    const row: Row = {
      name: loop.name,
      description: loop.description,
      iterations: n,
      targetMiB: loop.targetMiB,
      tessera: null,
      numpy: null,
      withinTarget: null,
      verified: null,
      note: "",
    };
    process.stdout.write(`  ${loop.name} (${n} iterations): tessera...`);
    try {
      row.tessera = runTessera(loop, n);
      row.withinTarget = row.tessera.peakRssMiB < loop.targetMiB;
      process.stdout.write(` ${row.tessera.peakRssMiB.toFixed(0)} MiB`);
      if (haveNumPy) {
        process.stdout.write(", numpy...");
        row.numpy = runNumPy(loop, n);
        process.stdout.write(` ${row.numpy!.peakRssMiB.toFixed(0)} MiB`);
        const a = row.tessera.checksum,
          b = row.numpy!.checksum;
        row.verified = a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
      }
    } catch (e) {
      row.note = String((e as Error)?.message ?? e);
      process.stdout.write(` FAILED: ${row.note}`);
    }
    console.log("");
    rows.push(row);
  }
  console.log("");
  table(rows);
  mkdirSync(path.dirname(json), { recursive: true });
  writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, results: rows }, null, 2) + "\n");
  console.log(`\nresults written to ${path.relative(process.cwd(), json) || json}`);
  const bad = rows.filter((r) => !r.tessera || r.withinTarget === false || r.verified === false);
  if (bad.length)
    console.log(
      `FAILED: ${bad.map((r) => `${r.name} (${!r.tessera ? r.note : r.withinTarget === false ? "over its target" : "mismatch"})`).join(", ")}`,
    );
  return bad.length ? 1 : 0;
}
