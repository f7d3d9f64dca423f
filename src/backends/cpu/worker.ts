import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { TaskVariants } from "../../core/task.js";
import { runPointTask } from "./point_task.js";
import { Batch, DONE, FAILED, OK, PROFILE_SLOTS, STATUS, WorkerInit, writeError } from "./protocol.js";

/** A CPU worker: runs batches of point tasks on shared memory and reports through Atomics. */
const init = workerData as WorkerInit;
const control = new Int32Array(init.control);
const profile = new Float64Array(init.profile, init.index * PROFILE_SLOTS * 2 * 8, PROFILE_SLOTS * 2);
const buffers = new Map<number, SharedArrayBuffer>();
const libraries = new Map<string, Record<string, TaskVariants>>();

function finish(status: number): void {
  Atomics.store(control, STATUS + init.index, status);
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}

// The bootstrap (pool.ts) reports this thread's death, whenever it happens, even while
// this module is still loading.

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

parentPort!.on("message", async (batch: Batch) => {
  // Releases first: a storage may be released and handed a new instance in one batch.
  for (const id of batch.release) buffers.delete(id);
  for (const [id, sab] of batch.buffers) buffers.set(id, sab);
  let status = OK;
  let current = "";
  try {
    for (const [name, url] of batch.libraries) {
      if (!libraries.has(name)) libraries.set(name, (await import(url)).variants as Record<string, TaskVariants>);
    }
    batch.tasks.forEach((t, i) => {
      current = t.label;
      const start = performance.timeOrigin + performance.now();
      runPointTask(t, resolver);
      if (i < PROFILE_SLOTS) { profile[2 * i] = start; profile[2 * i + 1] = performance.timeOrigin + performance.now(); }
    });
  } catch (e) {
    status = FAILED;
    const err = e as Error;
    // First line: the class name, so data errors keep their class on the main thread.
    writeError(init.errors, init.index, `${err?.name ?? "Error"}\n${err?.message ?? String(e)}${current && err?.name !== "ValueError" ? ` (in ${current})` : ""}`);
  }
  finish(status);
});
