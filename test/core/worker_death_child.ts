/**
 * One worker-death scenario, run in a process of its own by worker_death.test.ts (so that a
 * regression that hangs fails that test by its timeout instead of hanging the suite). Prints
 * one JSON line: the error raised, how long after the death it came, and what the runtime
 * did afterwards. Without a scenario it does nothing (so the plain test runner may load it).
 */
import type { Worker } from "node:worker_threads";
import { Runtime, detectMachine, ir, runtime, type Store, TaskError } from "tessera/core";
import { hooks, variants } from "./faulty_tasks.js";
import type { WebgpuProcessor } from "../../src/backends/webgpu/processor.js";

const scenario = process.argv[2];
if (scenario === "gpu") await gpuScenario();
else if (scenario) cpuScenario(scenario);

/**
 * The GPU device thread, terminated: the next wait finds it gone (GpuError, the device lost),
 * host copies stay readable, GPU-only values are reported, later work runs on the CPU.
 */
async function gpuScenario(): Promise<never> {
  const rt = new Runtime({ ...detectMachine(), gpus: 1 });
  rt.fusion = false;
  const N = 1 << 17,
    f32 = "float32" as const;
  const a = rt.attach(
    [N],
    f32,
    Float32Array.from({ length: N }, (_, i) => i),
  );
  const map = (inputs: Store[], expr: ir.Expr) => {
    const out = rt.createStore([N], f32);
    rt.submit({ kind: "map", name: "t", inputs, outputs: [{ store: out, expr }], scalars: [] });
    return out;
  };
  const onHost = map([a], ir.binary("add", ir.load(0, f32), ir.constant(1, f32)));
  const onGpu = map([a], ir.binary("add", ir.load(0, f32), ir.constant(2, f32)));
  rt.read(onHost);
  rt.flush();
  const gpu = rt.device as WebgpuProcessor;
  const onGpuThere = onGpu.storage.residency.validIn(gpu.memory) && !onGpu.storage.hostValid;
  void (gpu.gpu as unknown as { worker: Worker }).worker.terminate();
  const t0 = performance.now();
  let error: { name: string; message: string } | null = null;
  try {
    gpu.gpu.run([{ op: "alloc", id: -7, bytes: 16 }]);
  } catch (e) {
    error = { name: (e as Error).name, message: (e as Error).message };
  }
  const detectMs = performance.now() - t0;
  const hostOk = (rt.read(onHost) as Float32Array)[3] === 4;
  let gpuOnly = "";
  try {
    rt.read(onGpu);
  } catch (e) {
    gpuOnly = (e as Error).message;
  }
  const c = map([onHost], ir.binary("mul", ir.load(0, f32), ir.constant(2, f32)));
  const cpuOk = (rt.read(c) as Float32Array)[3] === 8 && !c.storage.residency.allocatedIn(gpu.memory);
  process.stdout.write(`${JSON.stringify({ error, detectMs, onGpuThere, lost: gpu.lost, hostOk, gpuOnly, cpuOk })}\n`);
  process.exit(0);
}

/** The CPU pool: a worker terminated mid-task ("terminate") or out of memory ("oom"). */
function cpuScenario(scenario: string): never {
  const rt = runtime();
  const lib = rt.library("faulty", { module: new URL("./faulty_tasks.js", import.meta.url).href });
  for (const [k, v] of Object.entries(variants)) lib.registerTask(k, v);
  const BIG = 1 << 20;

  const fill = (s: Store) => rt.submit(lib.launch("fill", { args: [{ store: s, privilege: "write" }] }));
  const filled = (s: Store) => {
    const d = rt.read(s) as Float64Array;
    return d[0] === 0.5 && d[BIG - 1] === BIG - 0.5;
  };

  const victim = rt.createStore([BIG], "float64");
  const beside = rt.createStore([BIG], "float64");
  let diedAt = 0;
  if (scenario === "terminate") {
    // `block` runs alone on a worker (serial); `kill`, small, runs here meanwhile and
    // terminates that worker mid-task; `fill` shares the wave.
    const sab = new SharedArrayBuffer(8);
    // `kill` must share block's wave: small as it is, it must not run when submitted.
    rt.eager.maxSize = 0;
    hooks.kill = (tid) => {
      const pool = (rt as unknown as { cpuProcessor: { pool: { threads: readonly Worker[] } } }).cpuProcessor.pool;
      const w = pool.threads.find((t) => t.threadId === tid);
      if (!w) throw new Error(`no worker runs thread ${tid}`);
      void w.terminate();
      diedAt = performance.now();
    };
    rt.submit(lib.launch("block", { args: [{ store: victim, privilege: "write" }], scalars: [sab], serial: true }));
    rt.submit(lib.launch("kill", { args: [{ store: rt.createStore([1], "float64"), privilege: "write" }], scalars: [sab] }));
  } else if (scenario === "oom") {
    // Run with TESSERA_WORKER_HEAP_MB set small: the worker's V8 heap runs out.
    rt.submit(lib.launch("hog", { args: [{ store: victim, privilege: "write" }], serial: true }));
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  fill(beside);
  const t0 = performance.now();
  let error: { name: string; message: string; isTaskError: boolean } | null = null;
  try {
    rt.read(victim);
  } catch (e) {
    error = { name: (e as Error).name, message: (e as Error).message, isTaskError: e instanceof TaskError };
  }
  const detectMs = performance.now() - (diedAt || t0);
  const besideOk = filled(beside);
  // Usable afterwards: the pool is rebuilt and runs work on every worker.
  const again = rt.createStore([BIG], "float64");
  fill(again);
  const againOk = filled(again);
  rt.shutdown();
  process.stdout.write(`${JSON.stringify({ error, detectMs, besideOk, againOk })}\n`);
  process.exit(0);
}
