/**
 * A CPU worker that dies without running JavaScript to say so (terminated mid-task, or V8
 * out of memory inside a task) is found within a second: the blocking point raises a
 * TaskError naming the task, the rest of the wave still runs, and the runtime stays usable.
 * The mid-task scenarios run in a process of their own with a timeout, so that a hang fails
 * the test rather than the suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtime } from "tessera/core";
import { variants } from "./faulty_tasks.js";

const child = fileURLToPath(new URL("./worker_death_child.js", import.meta.url));

function scenario(name: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [child, name], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  assert.equal(r.signal, null, `the ${name} scenario hung (killed by ${r.signal})\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as {
    error: { name: string; message: string; isTaskError: boolean } | null;
    detectMs: number;
    besideOk: boolean;
    againOk: boolean;
  };
}

test("a worker terminated mid-task is found at once: TaskError naming the task, the wave's other work done, the pool rebuilt", () => {
  const r = scenario("terminate");
  assert.ok(r.error?.isTaskError, JSON.stringify(r.error));
  assert.match(r.error!.message, /CPU worker \d+ died without reporting .* while running faulty\.block#\d+/);
  assert.ok(r.detectMs < 1000, `found after ${r.detectMs} ms`);
  assert.ok(r.besideOk, "the independent launch of the same wave ran");
  assert.ok(r.againOk, "the runtime is usable afterwards");
});

test("a worker out of memory inside a task is found: TaskError naming the task, the pool rebuilt", () => {
  const r = scenario("oom", { TESSERA_WORKER_HEAP_MB: "48" });
  assert.ok(r.error?.isTaskError, JSON.stringify(r.error));
  assert.match(r.error!.message, /CPU worker \d+ died without reporting .* while running faulty\.hog#\d+/);
  assert.ok(r.besideOk, "the independent launch of the same wave ran");
  assert.ok(r.againOk, "the runtime is usable afterwards");
});

test("a worker that died while idle is replaced, and the work it was handed runs all the same", async () => {
  const rt = runtime();
  const lib = rt.library("faulty", { module: new URL("./faulty_tasks.js", import.meta.url).href });
  for (const [k, v] of Object.entries(variants)) lib.registerTask(k, v);
  const BIG = 1 << 20;
  const run = () => {
    const out = rt.createStore([BIG], "float64");
    rt.submit(lib.launch("fill", { args: [{ store: out, privilege: "write" }] }));
    const d = rt.read(out) as Float64Array;
    return [d[0], d[BIG - 1]];
  };
  assert.deepEqual(run(), [0.5, BIG - 0.5]);
  const pool = (rt as unknown as { cpuProcessor: { pool: { threads: readonly { terminate(): Promise<number> }[] } } }).cpuProcessor.pool;
  // Dead and known to be (its exit event came): the next run starts a fresh pool.
  await pool.threads[0].terminate();
  assert.deepEqual(run(), [0.5, BIG - 0.5]);
  assert.ok(pool.threads.length > 0, "a fresh pool ran it");
  // Dying as it is handed the batch: the batch is run elsewhere.
  void pool.threads[0].terminate();
  assert.deepEqual(run(), [0.5, BIG - 0.5]);
  assert.deepEqual(run(), [0.5, BIG - 0.5]);
});
