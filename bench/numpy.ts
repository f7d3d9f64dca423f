import { spawn, spawnSync } from "node:child_process";

/** Whether python3 with numpy can be run here. */
export function numpyAvailable(): boolean {
  const r = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
  return r.status === 0;
}

/**
 * Run a NumPy workload in a python3 subprocess. `setup` builds inputs; `body` is timed
 * (best of `repeats` after one warm-up) and must leave a float in `result` for checking.
 * OPENBLAS_* tuning variables are removed for NumPy exactly as for Tessera.
 */
export function runNumPy(setup: string, body: string, repeats = 3): { seconds: number; result: number } | null {
  if (!numpyAvailable()) return null;
  const indent = (s: string) =>
    s
      .split("\n")
      .map((l) => "        " + l)
      .join("\n");
  const code = `
import json, time
import numpy as np
${setup}
def work():
    global result
    if True:
${indent(body)}
    return result
work()
best = float("inf")
for _ in range(${repeats}):
    t = time.perf_counter(); r = work(); best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "result": float(r)}))
`;
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8", env: numpyEnv(), maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`NumPy workload failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** Versions and BLAS of the python3/numpy that runNumPy uses, or null without numpy. */
export function numpyInfo(): { numpy: string; python: string; blas: string | null } | null {
  if (!numpyAvailable()) return null;
  const code = `
import json, platform
import numpy as np
blas = None
try:
    cfg = np.show_config(mode="dicts")
    b = cfg["Build Dependencies"]["blas"]
    blas = f'{b.get("name")} {b.get("version", "")}'.strip()
except Exception:
    pass
print(json.dumps({"numpy": np.__version__, "python": platform.python_version(), "blas": blas}))
`;
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8", env: numpyEnv() });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** A NumPy workload for runNumPyTimed; each part is Python source. */
export interface NumPyBench {
  /** Runs once: imports beyond numpy, inputs. `np` is imported. */
  setup: string;
  /** Runs before every timed run, untimed (e.g. a fresh copy of an array updated in place). */
  prepare?: string;
  /** The timed part. */
  body: string;
  /** Runs after the timed part, untimed; must set `result` to a float. */
  checksum: string;
}

/**
 * Both sides warm up (untimed runs) for at least one run and WARMUP_SECONDS, at most
 * MAX_WARMUPS runs, and then time their runs back to back: what a loop's steady state costs.
 */
export const WARMUP_SECONDS = 0.5,
  MAX_WARMUPS = 200;

/**
 * Run a NumPy workload: the warm-up, then `repeats` timed runs of `body` alone (prepare and
 * checksum are outside the clock). Returns the best time, every time, and the checksum of the
 * last run; null without numpy.
 */
export function runNumPyTimed(w: NumPyBench, repeats = 5): { seconds: number; runs: number[]; result: number } | null {
  if (!numpyAvailable()) return null;
  const r = spawnSync("python3", ["-c", timedScript(w, repeats)], { encoding: "utf8", env: numpyEnv(), maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`NumPy workload failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/**
 * `copies` NumPy processes running the same workload at the same time; returns the slowest
 * one's best time (null without numpy). Against one process's time it shows how much the
 * machine itself slows down when its cores share memory bandwidth.
 */
export async function runNumPyConcurrent(w: NumPyBench, copies: number, repeats = 3): Promise<number | null> {
  if (!numpyAvailable()) return null;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      // One thread per process, like one rank with one CPU worker (NumPy's BLAS would
      // otherwise start a thread per core in every copy).
      const p = spawn("python3", ["-c", timedScript(w, repeats)], {
        env: { ...numpyEnv(), OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
      });
      let out = "",
        err = "";
      p.stdout.on("data", (d) => {
        out += d;
      });
      p.stderr.on("data", (d) => {
        err += d;
      });
      p.on("close", (code) =>
        code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!).seconds) : reject(new Error(`NumPy workload failed:\n${err}`)),
      );
    });
  const times = await Promise.all(Array.from({ length: copies }, one));
  return Math.max(...times);
}

function timedScript(w: NumPyBench, repeats: number): string {
  const indent = (s: string) =>
    s
      .split("\n")
      .map((l) => "    " + l)
      .join("\n");
  // prepare, body and checksum share one function scope, so names flow from one to the next.
  const code = `
import json, time
import numpy as np
${w.setup}
def work():
    result = None
${indent(w.prepare ?? "pass")}
    _t0 = time.perf_counter()
${indent(w.body)}
    _t1 = time.perf_counter()
${indent(w.checksum)}
    return _t1 - _t0, float(result)
_w0 = time.perf_counter()
work()
_n = 1
while _n < ${MAX_WARMUPS} and time.perf_counter() - _w0 < ${WARMUP_SECONDS}:
    work()
    _n += 1
runs = []
for _ in range(${repeats}):
    dt, r = work()
    runs.append(dt)
print(json.dumps({"seconds": min(runs), "runs": runs, "result": r}))
`;
  return code;
}

export function numpyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}
