import type { ResourceLimits, Worker } from "node:worker_threads";
import { log } from "../../core/index.js";
import { startThread } from "../thread_options.js";
import { threadEnded } from "../liveness.js";
import { readText, waitSlice, writeText } from "../handshake.js";
import { ValueError } from "../../core/index.js";
import type { BatchOutcome, PointTask, TaskTiming } from "../../core/index.js";
import { TaskError } from "../../core/index.js";
import {
  type Batch,
  type Release,
  DEAD,
  DEATH_BYTES,
  DONE,
  ERROR_BYTES,
  EXIT,
  FAILED,
  PENDING,
  PROFILE_SLOTS,
  STATUS,
  TASK,
  TID,
  type WorkerInit,
  controlWords,
  readFailures,
  slot,
} from "./protocol.js";

/**
 * Each worker starts with this bootstrap. First of all it records the OS thread it runs on
 * (so that the main thread can see the thread end, however it ends), then arranges that a
 * death that still runs JavaScript (process.exit in a task, an uncaught error, a failure to
 * load the worker module itself) is reported through shared memory, since the main thread
 * may be blocked in Atomics.wait. Deaths that run no JavaScript at all (V8 out of memory,
 * terminate()) are found by the main thread's liveness checks (see WorkerPool.gone).
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
const control = new Int32Array(workerData.control);
const at = (field) => ${slot(0, 0)} + workerData.index * ${slot(1, 0) - slot(0, 0)} + field;
let tid = -1;
try { tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop()) || -1; } catch {}
Atomics.store(control, at(${TID}), tid);
process.on("exit", (code) => {
  // The text first, the status next, EXIT last: once EXIT is set, the report is complete.
  const text = new TextEncoder().encode("exited (code " + code + ")");
  new DataView(workerData.deaths, workerData.index * ${DEATH_BYTES}, 4).setUint32(0, text.length, true);
  new Uint8Array(workerData.deaths, workerData.index * ${DEATH_BYTES} + 4, text.length).set(text);
  if (Atomics.compareExchange(control, at(${STATUS}), ${PENDING}, ${DEAD}) === ${PENDING}) {
    Atomics.add(control, ${DONE}, 1);
    Atomics.notify(control, ${DONE});
  }
  Atomics.store(control, at(${EXIT}), code + 1);
});
import(workerData.url).catch((e) => { console.error(e); process.exit(70); });
`;

/** Dropped bytes that are told to the workers at once rather than with their next batch... */
const RELEASE_NOW_BYTES = 64 * 2 ** 20;
/** ... and beyond which they collect garbage when they hear of them. */
const COLLECT_BYTES = 16 * 2 ** 20;

export interface PoolOptions {
  /** V8 heap limits of each worker (e.g. a small maxOldGenerationSizeMb, to test running out). */
  resourceLimits?: ResourceLimits;
}

/** One worker thread and what the main thread knows of it. */
interface WorkerSlot {
  worker: Worker;
  /** Storage ids the worker already holds a buffer for, and libraries it has loaded. */
  mapped: Set<number>;
  libraries: Set<string>;
  /** Set by the thread's 'exit' event, when the main thread's event loop gets to run it. */
  exited: boolean;
  /** The thread's 'error' event (e.g. ERR_WORKER_OUT_OF_MEMORY), likewise. */
  error: Error | null;
}

/**
 * The CPU worker pool: worker_threads over SharedArrayBuffer memory. `run` hands each
 * worker a batch and blocks in Atomics.wait until all report. A worker may die however it
 * likes — process.exit or an uncaught error in a task (its exit hook reports it), V8 running
 * out of memory or terminate() (no JavaScript runs to report it: the waiting main thread
 * looks every LIVENESS_SLICE_MS whether the worker's thread still exists). Its death is
 * reported as a TaskError of the task it was running, the tasks it never reached are handed
 * back to be run elsewhere, and the pool is rebuilt on next use, so the runtime stays usable.
 */
export class WorkerPool {
  private slots: WorkerSlot[] = [];
  private control!: Int32Array;
  private errors!: SharedArrayBuffer;
  private deaths!: SharedArrayBuffer;
  private profile!: SharedArrayBuffer;
  private pendingRelease: number[] = [];
  /** Bytes let go of (not pooled) among the pending releases. */
  private pendingReleaseBytes = 0;

  constructor(
    readonly size: number,
    readonly options: PoolOptions = {},
  ) {}

  private start(): void {
    const control = new SharedArrayBuffer(4 * controlWords(this.size));
    this.control = new Int32Array(control);
    this.errors = new SharedArrayBuffer(ERROR_BYTES * this.size);
    this.deaths = new SharedArrayBuffer(DEATH_BYTES * this.size);
    this.profile = new SharedArrayBuffer(PROFILE_SLOTS * 2 * 8 * this.size);
    const url = new URL("./worker.js", import.meta.url).href;
    for (let index = 0; index < this.size; index++) {
      const init: WorkerInit & { url: string } = { index, control, errors: this.errors, deaths: this.deaths, profile: this.profile, url };
      const worker = startThread(BOOTSTRAP, { eval: true, workerData: init, resourceLimits: this.options.resourceLimits });
      worker.unref();
      const ws: WorkerSlot = { worker, mapped: new Set(), libraries: new Set(), exited: false, error: null };
      // Whenever the event loop gets to run them: what became of the thread, for gone() and the log.
      worker.on("error", (e) => {
        ws.error = e;
        log("pool", `CPU worker ${index}: ${e.message}`);
      });
      worker.on("exit", (code) => {
        ws.exited = true;
        log("pool", `CPU worker ${index} exited (code ${code})`);
      });
      this.slots.push(ws);
    }
    log("pool", `started ${this.size} CPU workers`);
  }

  get started(): boolean {
    return this.slots.length > 0;
  }

  /** The worker threads (to inspect them, or to terminate one in a test). */
  get threads(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /**
   * Forget a storage everywhere (its buffer may then be collected). `dropped`: the bytes that
   * are freed once every thread has let go of the buffer (0 when the main thread keeps it
   * for reuse). Workers hear of it with their next batch; when many dropped bytes wait, at
   * once, and they collect garbage so that the memory is really freed.
   */
  release(id: number, dropped = 0): void {
    if (!this.started) return;
    this.pendingRelease.push(id);
    this.pendingReleaseBytes += dropped;
    if (this.pendingReleaseBytes >= RELEASE_NOW_BYTES) this.postReleases();
  }

  /** Tell every worker now which storages to forget, and to collect (only between runs). */
  private postReleases(): void {
    const release = this.pendingRelease;
    this.pendingRelease = [];
    this.pendingReleaseBytes = 0;
    for (const ws of this.slots) {
      for (const id of release) ws.mapped.delete(id);
      ws.worker.postMessage({ release, collect: true } satisfies Release);
    }
  }

  /**
   * Run `batches[w]` on worker w while `inline` runs here, then wait for every worker (or
   * its death). Returns per-task timings and, per worker, which tasks failed and which never
   * ran; throws only what `inline` throws.
   */
  run(
    batches: readonly PointTask[][],
    buffer: (id: number) => SharedArrayBuffer,
    libraryModule: (name: string) => string,
    inline: () => void,
  ): { timings: TaskTiming[]; outcomes: BatchOutcome[] } {
    // A worker known to have died while idle would never answer: start afresh. (One that
    // died unnoticed is found while waiting, and its batch runs elsewhere.)
    if (this.started && this.slots.some((_, w) => this.exited(w))) {
      log("pool", "a CPU worker died while idle: restarting the pool");
      this.shutdown();
    }
    if (!this.started) this.start();
    const release = this.pendingRelease;
    const collect = this.pendingReleaseBytes >= COLLECT_BYTES;
    this.pendingRelease = [];
    this.pendingReleaseBytes = 0;
    const posted: number[] = [];
    batches.forEach((tasks, w) => {
      const ws = this.slots[w];
      for (const id of release) ws.mapped.delete(id);
      if (tasks.length === 0 && release.length === 0) return;
      const buffers: [number, SharedArrayBuffer][] = [];
      const libs: [string, string][] = [];
      for (const t of tasks) {
        for (const v of t.views) {
          if (!ws.mapped.has(v.storage)) {
            ws.mapped.add(v.storage);
            buffers.push([v.storage, buffer(v.storage)]);
          }
        }
        if (t.kind === "task" && !ws.libraries.has(t.library)) {
          ws.libraries.add(t.library);
          libs.push([t.library, libraryModule(t.library)]);
        }
      }
      Atomics.store(this.control, slot(w, TASK), -1);
      new DataView(this.errors, w * ERROR_BYTES, 4).setUint32(0, 0, true); // no failures yet
      Atomics.store(this.control, slot(w, STATUS), PENDING);
      ws.worker.postMessage({ buffers, release, collect, libraries: libs, tasks } satisfies Batch);
      posted.push(w);
    });
    let inlineError: unknown = null;
    try {
      inline();
    } catch (e) {
      inlineError = e;
    }
    this.wait(posted);
    const outcomes: BatchOutcome[] = batches.map((tasks) => ({ failed: new Map(), unrunFrom: tasks.length }));
    let dead = false;
    for (const w of posted) {
      const outcome = outcomes[w];
      const status = Atomics.load(this.control, slot(w, STATUS));
      // Failures the worker recorded (before it finished, or died).
      if (status === FAILED || status === DEAD)
        for (const f of readFailures(this.errors, w)) outcome.failed.set(f.task, taskError(f.name, f.message));
      if (status !== DEAD) continue;
      dead = true;
      // TASK is the task the worker was running: -1 before the first, the batch length after the last.
      const at = Atomics.load(this.control, slot(w, TASK));
      const tasks = batches[w];
      const how = readText(this.deaths, w, DEATH_BYTES);
      if (at >= 0 && at < tasks.length) {
        outcome.failed.set(at, new TaskError(`CPU worker ${w} ${how} while running ${tasks[at].label}`));
        outcome.unrunFrom = at + 1;
      } else if (at < 0) {
        // Dead before it started on the batch (it died idle, or loading a library): no task
        // is to blame, and none ran.
        outcome.unrunFrom = 0;
      }
      log("pool", `CPU worker ${w} ${how}`);
    }
    if (dead) this.shutdown();
    if (inlineError) throw inlineError;
    const timings: TaskTiming[] = [];
    const prof = new Float64Array(this.profile);
    batches.forEach((tasks, w) =>
      tasks.forEach((t, i) => {
        if (i < PROFILE_SLOTS && i < outcomes[w].unrunFrom)
          timings.push({ worker: w, label: t.label, start: prof[(w * PROFILE_SLOTS + i) * 2], end: prof[(w * PROFILE_SLOTS + i) * 2 + 1] });
      }),
    );
    return { timings, outcomes };
  }

  /**
   * Block until every worker in `posted` has reported or is found dead. Atomics.wait blocks
   * this thread's event loop, so the workers' 'exit' events cannot arrive meanwhile: the
   * wait is cut into slices, after each of which the workers' threads are looked for.
   */
  private wait(posted: readonly number[]): void {
    let look = false;
    for (;;) {
      const seen = Atomics.load(this.control, DONE);
      let waiting = false;
      for (const w of posted) {
        if (Atomics.load(this.control, slot(w, STATUS)) !== PENDING) continue;
        if (look && this.gone(w)) {
          this.declareDead(w);
          continue;
        }
        waiting = true;
      }
      if (!waiting) return;
      // Threads are looked for only when a whole slice passed without a report.
      look = waitSlice(this.control, DONE, seen);
    }
  }

  /**
   * Whether worker w's thread has ended or is ending: its exit hook says so when JavaScript
   * still ran, the 'exit' event once the event loop has run; otherwise see liveness.ts (the
   * bootstrap recorded the thread's OS id).
   */
  private gone(w: number): boolean {
    return this.exited(w) || threadEnded(Atomics.load(this.control, slot(w, TID)), this.slots[w].worker);
  }

  /** Whether worker w is known to have exited: its exit hook ran, or its 'exit' event came. */
  private exited(w: number): boolean {
    return this.slots[w].exited || Atomics.load(this.control, slot(w, EXIT)) !== 0;
  }

  /** A worker whose thread ended without reporting its batch: it is dead. */
  private declareDead(w: number): void {
    if (Atomics.compareExchange(this.control, slot(w, STATUS), PENDING, DEAD) !== PENDING) return;
    const e = this.slots[w].error;
    writeText(this.deaths, w, `died without reporting (${e ? e.message : "out of memory, or terminated"})`, DEATH_BYTES);
  }

  /** Stop every worker; the next `run` starts a fresh pool. */
  shutdown(): void {
    for (const s of this.slots) void s.worker.terminate();
    this.slots = [];
    this.pendingRelease = [];
    this.pendingReleaseBytes = 0;
    log("pool", "CPU workers stopped");
  }
}

/** A failure reported by a worker, as the class the program sees (data errors keep theirs). */
function taskError(name: string, message: string): Error {
  return name === "ValueError" ? new ValueError(message) : new TaskError(`${name}: ${message}`);
}
