import { Worker } from "node:worker_threads";
import { log } from "../../core/log.js";
import { workerExecArgv } from "../thread_options.js";
import { ValueError } from "../../core/errors.js";
import { PointTask } from "./point_task.js";
import { Batch, DEAD, DONE, ERROR_BYTES, FAILED, PROFILE_SLOTS, STATUS, WorkerInit, readError } from "./protocol.js";

/**
 * Each worker starts with this bootstrap: it arranges first of all that the thread's death
 * (process.exit in a task, an uncaught error, or a failure to load the worker module itself)
 * is reported through shared memory, since the main thread may be blocked in Atomics.wait.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
const control = new Int32Array(workerData.control);
process.on("exit", (code) => {
  const text = new TextEncoder().encode("Error\\nCPU worker " + workerData.index + " exited (code " + code + ") while running a task");
  const view = new DataView(workerData.errors, workerData.index * ${ERROR_BYTES}, ${ERROR_BYTES});
  view.setUint32(0, text.length, true);
  new Uint8Array(workerData.errors, workerData.index * ${ERROR_BYTES} + 4, text.length).set(text);
  Atomics.store(control, ${STATUS} + workerData.index, ${DEAD});
  Atomics.add(control, ${DONE}, 1);
  Atomics.notify(control, ${DONE});
});
import(workerData.url).catch((e) => { console.error(e); process.exit(70); });
`;

/** Raised at a blocking point when a point task threw or a worker died. */
export class TaskError extends Error {
  override name = "TaskError";
}

export interface TaskTiming { worker: number; label: string; start: number; end: number }

/**
 * The CPU worker pool: worker_threads over SharedArrayBuffer memory. `run` hands each
 * worker a batch and blocks in Atomics.wait until all report. A worker that dies is reported
 * and the pool is rebuilt on next use, so the runtime stays usable.
 */
export class WorkerPool {
  private workers: Worker[] = [];
  private control!: Int32Array;
  private errors!: SharedArrayBuffer;
  private profile!: SharedArrayBuffer;
  /** Storage ids each worker already holds a buffer for. */
  private mapped: Set<number>[] = [];
  private libraries: Set<string>[] = [];
  private pendingRelease: number[] = [];

  constructor(readonly size: number) {}

  private start(): void {
    const control = new SharedArrayBuffer(4 * (STATUS + this.size));
    this.control = new Int32Array(control);
    this.errors = new SharedArrayBuffer(ERROR_BYTES * this.size);
    this.profile = new SharedArrayBuffer(PROFILE_SLOTS * 2 * 8 * this.size);
    const url = new URL("./worker.js", import.meta.url).href;
    for (let index = 0; index < this.size; index++) {
      const init: WorkerInit & { url: string } = { index, control, errors: this.errors, profile: this.profile, url };
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: init, execArgv: workerExecArgv() });
      w.unref();
      // Errors are reported through shared memory; the event only keeps Node from crashing.
      w.on("error", () => {});
      this.workers.push(w);
      this.mapped.push(new Set());
      this.libraries.push(new Set());
    }
    log("pool", `started ${this.size} CPU workers`);
  }

  get started(): boolean { return this.workers.length > 0; }

  /** Forget a storage everywhere (its buffer may then be collected). */
  release(id: number): void {
    if (this.started) this.pendingRelease.push(id);
  }

  /**
   * Run `batches[w]` on worker w while `inline` runs here, then wait for every worker.
   * Returns per-task timings; throws TaskError naming the first failure.
   */
  run(batches: PointTask[][], buffer: (id: number) => SharedArrayBuffer, libraryModule: (name: string) => string, inline: () => void): TaskTiming[] {
    // A worker that died while idle would never answer: start afresh.
    if (this.started && this.workers.some((_, w) => Atomics.load(this.control, STATUS + w) === DEAD)) this.shutdown();
    if (!this.started) this.start();
    const release = this.pendingRelease;
    this.pendingRelease = [];
    let expected = 0;
    Atomics.store(this.control, DONE, 0);
    batches.forEach((tasks, w) => {
      for (const id of release) this.mapped[w].delete(id);
      if (tasks.length === 0) {
        if (release.length) this.workers[w].postMessage({ buffers: [], release, libraries: [], tasks: [] } satisfies Batch);
        if (release.length) expected++;
        return;
      }
      const buffers: [number, SharedArrayBuffer][] = [];
      const libs: [string, string][] = [];
      for (const t of tasks) {
        for (const v of t.views) {
          if (!this.mapped[w].has(v.storage)) { this.mapped[w].add(v.storage); buffers.push([v.storage, buffer(v.storage)]); }
        }
        if (t.kind === "task" && !this.libraries[w].has(t.library)) {
          this.libraries[w].add(t.library);
          libs.push([t.library, libraryModule(t.library)]);
        }
      }
      Atomics.store(this.control, STATUS + w, 0);
      this.workers[w].postMessage({ buffers, release, libraries: libs, tasks } satisfies Batch);
      expected++;
    });
    let inlineError: unknown = null;
    try { inline(); } catch (e) { inlineError = e; }
    this.wait(expected);
    const failures: string[] = [];
    let dead = false;
    batches.forEach((tasks, w) => {
      const status = Atomics.load(this.control, STATUS + w);
      if (status === FAILED || status === DEAD) failures.push(readError(this.errors, w));
      if (status === DEAD) dead = true;
    });
    if (dead) this.shutdown();
    if (inlineError) throw inlineError;
    if (failures.length) {
      const [name, ...rest] = failures[0].split("\n");
      const message = rest.join("\n");
      throw name === "ValueError" ? new ValueError(message) : new TaskError(`${name}: ${message}`);
    }
    const timings: TaskTiming[] = [];
    const prof = new Float64Array(this.profile);
    batches.forEach((tasks, w) => tasks.forEach((t, i) => {
      if (i < PROFILE_SLOTS) timings.push({ worker: w, label: t.label, start: prof[(w * PROFILE_SLOTS + i) * 2], end: prof[(w * PROFILE_SLOTS + i) * 2 + 1] });
    }));
    return timings;
  }

  /** Block until `expected` workers report. A dying worker reports too (see worker.ts). */
  private wait(expected: number): void {
    for (;;) {
      const done = Atomics.load(this.control, DONE);
      if (done >= expected) return;
      Atomics.wait(this.control, DONE, done, 1000);
    }
  }

  /** Stop every worker; the next `run` starts a fresh pool. */
  shutdown(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
    this.mapped = [];
    this.libraries = [];
    this.pendingRelease = [];
    log("pool", "CPU workers stopped");
  }
}
