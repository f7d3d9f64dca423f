import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { type TaskVariants, registerCompiler } from "../../core/task_api.js";
import { compileLibrary } from "./native.js";
import { runPointTask } from "./runner.js";
import {
  type Batch,
  DONE,
  FAILED,
  OK,
  PROFILE_SLOTS,
  type Release,
  STATUS,
  TASK,
  type TaskFailure,
  type WorkerInit,
  slot,
  writeFailures,
} from "./protocol.js";

/** A CPU worker: runs batches of point tasks on shared memory and reports through Atomics. */
const init = workerData as WorkerInit;
// Tasks with compiled variants (np.fft's) compile here as on the main thread (platform.ts).
registerCompiler(compileLibrary);
const control = new Int32Array(init.control);
const profile = new Float64Array(init.profile, init.index * PROFILE_SLOTS * 2 * 8, PROFILE_SLOTS * 2);
const buffers = new Map<number, SharedArrayBuffer>();
const libraries = new Map<string, Record<string, TaskVariants>>();

function finish(status: number): void {
  Atomics.store(control, slot(init.index, STATUS), status);
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}

// The bootstrap (pool.ts) reports this thread's death, whenever it happens, even while
// this module is still loading; deaths that run no JavaScript (out of memory, terminate())
// the main thread finds by itself.

const resolver = {
  buffer(id: number): SharedArrayBuffer {
    const b = buffers.get(id);
    if (!b) throw new Error(`storage ${id} is not mapped in worker ${init.index}`);
    return b;
  },
  variants(library: string, task: string): TaskVariants {
    const v = libraries.get(library)?.[task];
    if (!v) throw new Error(`task ${library}.${task} has no CPU variant in worker ${init.index}`);
    return v;
  },
};

/**
 * A buffer the main thread let go of is freed only once no thread holds it, and this
 * thread's heap (a few small objects) rarely fills enough for V8 to collect: when the main
 * thread says so (it has let go of many bytes), collect after forgetting. `gc` comes from a
 * fresh vm context once --expose-gc is set (see core/reclaim.ts); where that is
 * unavailable, collection is left to V8.
 */
let collect: (() => void) | null = null;
try {
  v8.setFlagsFromString("--expose-gc");
  collect = vm.runInNewContext("typeof gc === 'function' ? gc : null") as (() => void) | null;
} catch {
  collect = null;
}
function forget(ids: readonly number[], now = false): void {
  for (const id of ids) buffers.delete(id);
  if (now && collect) collect();
}

/** The current batch's failures, recorded at once (the thread may still die later in the batch). */
let failures: TaskFailure[] = [];
function report(task: number, e: unknown, label: string): void {
  const err = e as Error;
  const name = err?.name ?? "Error";
  // The class name travels, so data errors keep their class on the main thread.
  const message = `${err?.message ?? String(e)}${label && name !== "ValueError" ? ` (in ${label})` : ""}`;
  failures.push({ task, name, message });
  writeFailures(init.errors, init.index, failures);
}

parentPort!.on("message", async (message: Batch | Release) => {
  if (!("tasks" in message)) {
    forget(message.release, message.collect);
    return;
  }
  const batch = message;
  failures = [];
  // Releases first: a storage may be released and handed a new instance in one batch.
  forget(batch.release, batch.collect);
  for (const [id, sab] of batch.buffers) buffers.set(id, sab);
  let status = OK;
  try {
    for (const [name, url] of batch.libraries) {
      if (!libraries.has(name)) libraries.set(name, (await import(url)).variants as Record<string, TaskVariants>);
    }
  } catch (e) {
    report(-1, e, "");
    finish(FAILED);
    return;
  }
  // The point tasks of one batch belong to one wave: they are independent, so one that
  // throws does not stop the others. TASK names the running task, for a death's report
  // (the main thread set it to -1 before posting; the batch length means all have run).
  const current = slot(init.index, TASK);
  batch.tasks.forEach((t, i) => {
    Atomics.store(control, current, i);
    const start = performance.timeOrigin + performance.now();
    try {
      runPointTask(t, resolver);
    } catch (e) {
      status = FAILED;
      report(i, e, t.label);
    }
    if (i < PROFILE_SLOTS) {
      profile[2 * i] = start;
      profile[2 * i + 1] = performance.timeOrigin + performance.now();
    }
  });
  Atomics.store(control, current, batch.tasks.length);
  finish(status);
});
