/**
 * Multi-rank runs under OpenMPI: the programs of rank_programs.ts, started with
 * `tessera run --ranks N`, must print the same results with 1, 2 and 4 ranks (oversubscribed
 * on small machines), and failures on one rank must end the job, never hang it: an error, a
 * killed rank, a rank that ends early, control flow or values that differ between ranks, a
 * signal to the launcher.
 * Every launch is cut into one piece per rank (TESSERA_INLINE_WORK=0), so even these small
 * arrays are sharded and their halos, partial reductions and gathers really cross ranks.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const cli = new URL("../../src/cli/tessera.js", import.meta.url).pathname;
const programs = new URL("./rank_programs.js", import.meta.url).pathname;
const TIMEOUT_MS = 180_000;

const haveMpi = spawnSync("mpirun", ["--version"], { encoding: "utf8" }).status === 0;
const skip = haveMpi ? false : process.env.TESSERA_CI ? false : "OpenMPI (mpirun) is not installed";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(program: string, ranks: number, env: Record<string, string> = {}, args: string[] = [], timeout = TIMEOUT_MS): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, "run", "--ranks", String(ranks), "--cpus", "1", ...args, programs], {
    // SIGTERM: the launcher passes it on to mpirun, which ends the ranks (a hung job too).
    encoding: "utf8",
    timeout,
    killSignal: "SIGTERM",
    env: { ...process.env, TESSERA_DIST_PROGRAM: program, TESSERA_INLINE_WORK: "0", TESSERA_MIN_PIECE_WORK: "1", TESSERA_GPUS: "0", ...env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function result(r: Run): unknown {
  assert.equal(r.status, 0, `exit status ${r.status}\n${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Equal, except that floats may differ by 1e-12 relative: a sum or a gemm cut into other
 * blocks rounds differently (as with other worker counts); everything else is exact.
 */
function assertClose(got: unknown, want: unknown, where: string): void {
  if (typeof want === "number" && typeof got === "number" && !Number.isInteger(want)) {
    assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${where}: ${got} vs ${want}`);
  } else if (Array.isArray(want) || (want && typeof want === "object")) {
    assert.deepEqual(Object.keys(got as object), Object.keys(want as object), where);
    for (const k of Object.keys(want as object))
      assertClose((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${where}.${k}`);
  } else assert.deepEqual(got, want, where);
}

describe("the same results on 1, 2 and 4 ranks", { skip }, () => {
  for (const program of ["stencil", "reductions", "transpose", "matmul", "sort", "fancy", "random", "taskError", "identical", "bcast"]) {
    test(program, () => {
      const one = result(run(program, 1));
      for (const ranks of [2, 4]) assertClose(result(run(program, ranks)), one, `${ranks} ranks`);
    });
  }

  test("save/load of sharded arrays", () => {
    const runIn = (ranks: number) => {
      const dir = mkdtempSync(path.join(tmpdir(), "tessera-io-"));
      try {
        return result(run("saveLoad", ranks, { TESSERA_DIST_TMP: dir }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const one = runIn(1) as { diffB: number; diffA: number; diffT: number };
    assert.equal(one.diffB, 0);
    assert.equal(one.diffA, 0);
    assert.equal(one.diffT, 0);
    for (const ranks of [2, 4]) assertClose(runIn(ranks), one, `${ranks} ranks`);
  });

  test("stencil agrees with a plain loop", () => {
    const got = result(run("stencil", 2)) as { u: number[][] };
    const n = 66;
    let u = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === 0 ? 1 : j === 0 ? 1 - i / (n - 1) : 0)));
    for (let k = 0; k < 8; k++) {
      const next = u.map((row) => [...row]);
      for (let i = 1; i < n - 1; i++) for (let j = 1; j < n - 1; j++) next[i][j] = (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1]) * 0.25;
      u = next;
    }
    u[0][0] = 1;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(got.u[i][j] - u[i][j]) <= 1e-15, `u[${i}][${j}]`);
  });

  test("a data error in one rank's points is raised on every rank", () => {
    const r = result(run("taskError", 2)) as { caught: string; message: string };
    assert.equal(r.caught, "ValueError");
    assert.match(r.message, /negative integer powers/);
  });

  test("the MPI binding: collectives and point-to-point on 2, 3 and 4 ranks", () => {
    for (const ranks of [2, 3, 4]) assert.deepEqual(result(run("collectives", ranks)), { ranks, ok: true });
  });

  test("output is printed once, by rank 0", () => {
    const r = run("print", 4);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split("[[0 1 2]").length - 1, 1, r.stdout);
  });
});

describe("failures end the whole job", { skip }, () => {
  test("an exception on one rank: its error, a non-zero status, no hang", () => {
    const r = run("fail", 2);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /\[tessera rank 1\/2\] Error: planned failure \(sum 4950\)/);
    assert.ok(r.ms < TIMEOUT_MS);
  });

  test("rank-dependent control flow is detected and reported", () => {
    const r = run("diverge", 2);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DivergenceError: control flow differs between ranks/);
  });

  test("a value that differs between ranks is reported, naming the operation", () => {
    const cases: Record<string, RegExp> = {
      rank: /values differ between ranks: the first difference is event \d+, add \(scalar values\): \[0\] on rank 0, \[1\] on rank 1/,
      random:
        /values differ between ranks: the first difference is event \d+, (fill \(scalar values\)|attach\( float64\) \(data\)): \[0\.\d+\] on rank 0, \[0\.\d+\] on rank 1/,
      list: /values differ between ranks: the first difference is event \d+, attach\(3 int64\) \(data\): \[1n, 2n, 0n\] on rank 0, \[1n, 2n, 1n\] on rank 1/,
      negzero: /values differ between ranks: the first difference is event \d+, multiply \(scalar values\): \[0\] on rank 0, \[-0\] on rank 1/,
      nan: /values differ between ranks: .*\[NaN\(0x7ff8000000000000\)\] on rank 0, \[NaN\(0x7ff8000000000001\)\] on rank 1/,
    };
    for (const [c, message] of Object.entries(cases)) {
      const r = run("valueDiverge", 2, { TESSERA_DIST_CASE: c });
      assert.notEqual(r.status, 0, `${c}: exit status 0`);
      assert.match(r.stderr, /DivergenceError: values differ/, c);
      assert.match(r.stderr, message, c);
    }
  });

  test("a rank that ends early with status 0 ends the job within seconds", () => {
    // A hang (ranks meeting different collectives) would run into the timeout.
    const r = run("early", 2, {}, [], 60_000);
    assert.notEqual(r.status, 0, r.stderr);
    assert.match(r.stderr, /DivergenceError: control flow differs between ranks: rank 1 stopped after event \d+, where rank 0 went on with/);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  });

  test("a rank that is killed ends the job", () => {
    const r = run("crash", 2);
    assert.notEqual(r.status, 0);
    assert.ok(r.ms < TIMEOUT_MS);
  });
});

/** Processes (by pid) whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, "utf8").includes(marker)) found.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return found;
}

describe("the launcher and signals", { skip }, () => {
  for (const ranks of [1, 2]) {
    test(`SIGTERM to \`tessera run --ranks ${ranks}\` ends the job: status 143, no process left`, async () => {
      // A marker on the command line finds the job's processes (mpirun and the ranks).
      const marker = `tessera-signal-test-${process.pid}-${ranks}`;
      const child = spawn(process.execPath, [cli, "run", "--ranks", String(ranks), "--cpus", "1", programs, marker], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TESSERA_DIST_PROGRAM: "sleep", TESSERA_GPUS: "0" },
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal })),
      );
      try {
        await new Promise<void>((resolve, reject) => {
          let out = "";
          const timer = setTimeout(() => reject(new Error(`job not ready in 60 s\n${stderr}`)), 60_000);
          child.stdout.on("data", (d) => {
            out += d;
            if (out.includes('"ready":true')) {
              clearTimeout(timer);
              resolve();
            }
          });
          void exited.then(() => {
            clearTimeout(timer);
            reject(new Error(`job ended before the signal\n${stderr}`));
          });
        });
        assert.ok(processesWith(marker).length >= ranks, "the job's processes are not found");
        const t0 = Date.now();
        child.kill("SIGTERM");
        const end = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
        const ms = Date.now() - t0;
        assert.ok(end, "the launcher did not exit within 20 s of SIGTERM");
        assert.deepEqual(end, { code: 143, signal: null }, stderr);
        assert.ok(ms < 10_000, `took ${ms} ms`);
        // Ranks may take a moment to be reaped after mpirun has gone.
        let left = processesWith(marker);
        for (let i = 0; i < 20 && left.length; i++) {
          await new Promise((r) => setTimeout(r, 100));
          left = processesWith(marker);
        }
        assert.deepEqual(left, [], "processes of the job are still running");
      } finally {
        for (const pid of processesWith(marker)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone */
          }
        }
        try {
          child.kill("SIGKILL");
        } catch {
          /* gone */
        }
      }
    });
  }
});

describe("profile", { skip }, () => {
  test("--profile writes one trace with a process per rank", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tessera-")), "trace.json");
    const r = run("reductions", 2, {}, ["--profile", file]);
    assert.equal(r.status, 0, r.stderr);
    const trace = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: { name: string; ph: string; pid: number; args?: { name?: string } }[] };
    rmSync(path.dirname(file), { recursive: true, force: true });
    const names = trace.traceEvents
      .filter((e) => e.name === "process_name")
      .map((e) => e.args?.name)
      .sort();
    assert.deepEqual(names, ["rank 0", "rank 1"]);
    for (const pid of [0, 1])
      assert.ok(
        trace.traceEvents.some((e) => e.ph === "X" && e.pid === pid),
        `no spans for rank ${pid}`,
      );
    assert.ok(
      trace.traceEvents.some((e) => e.ph === "X" && e.name.startsWith("exchange")),
      "no communication spans",
    );
    // Full float64 sums combine their partials with one MPI_Allreduce.
    assert.ok(
      trace.traceEvents.some((e) => e.ph === "X" && e.name.startsWith("allreduce")),
      "no allreduce spans",
    );
  });
});
