import { spawnSync } from "node:child_process";

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
  const indent = (s: string) => s.split("\n").map((l) => "        " + l).join("\n");
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
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8", env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`NumPy workload failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}
