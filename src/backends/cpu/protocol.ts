import type { PointTask } from "../../core/task_api.js";
import { readText, writeText } from "../handshake.js";

/**
 * Shared-memory layout between the main thread and CPU workers. The main thread blocks in
 * Atomics.wait on DONE, so results, failures and deaths travel through shared memory, not
 * messages.
 */
/** Bumped (and notified) by every report: the word the main thread waits on. */
export const DONE = 0;
/** Per-worker words start here, WORKER_WORDS of them per worker. */
const WORKER_BASE = 1;
export const WORKER_WORDS = 4;
/** Fields of a worker's words. */
export const STATUS = 0,
  TID = 1,
  TASK = 2,
  EXIT = 3;
/** Statuses: PENDING from posting a batch until the worker reports it (or is found dead). */
export const OK = 0,
  FAILED = 1,
  DEAD = 2,
  PENDING = 3;
/** Index of `field` of worker `index` in the control array. */
export function slot(index: number, field: number): number {
  return WORKER_BASE + index * WORKER_WORDS + field;
}
/** Int32 words of the control array of a pool of `workers`. */
export function controlWords(workers: number): number {
  return WORKER_BASE + workers * WORKER_WORDS;
}
/** Per-worker error area: the failures of the current batch (see writeFailures). */
export const ERROR_BYTES = 64 * 1024;
/** Per-worker text of a death, in a buffer of its own: "exited (code 1)", "died without reporting (…)". */
export const DEATH_BYTES = 1024;
/** Per-worker profile slots: [start, end] wall-clock ms per task of the current batch. */
export const PROFILE_SLOTS = 4096;

export interface WorkerInit {
  index: number;
  control: SharedArrayBuffer;
  errors: SharedArrayBuffer;
  deaths: SharedArrayBuffer;
  profile: SharedArrayBuffer;
}

/** A point task of the current batch that threw (task -1: the batch failed before its tasks ran). */
export interface TaskFailure {
  task: number;
  name: string;
  message: string;
}

export interface Batch {
  buffers: [number, SharedArrayBuffer][];
  release: number[];
  /** Collect garbage after forgetting: buffers let go of everywhere wait for it to be freed. */
  collect?: boolean;
  libraries: [string, string][];
  tasks: PointTask[];
}

/** Storages to forget now, between batches: nothing is reported back. */
export interface Release {
  release: number[];
  collect?: boolean;
}

/**
 * Record the failures of a batch so far (rewritten after each, so that they survive the
 * thread's death later in the batch). Messages are shortened as needed to fit; which tasks
 * failed is always kept, unless even that does not fit (then the batch as a whole failed).
 */
export function writeFailures(errors: SharedArrayBuffer, index: number, failures: readonly TaskFailure[]): void {
  const fits = (text: string) => new TextEncoder().encode(text).length <= ERROR_BYTES - 4;
  for (const limit of [4000, 500, 0]) {
    const text = JSON.stringify(failures.map((f) => [f.task, f.name, f.message.length > limit ? `${f.message.slice(0, limit)}…` : f.message]));
    if (fits(text)) {
      writeText(errors, index, text, ERROR_BYTES);
      return;
    }
  }
  writeText(errors, index, JSON.stringify([[-1, failures[0].name, failures[0].message.slice(0, 4000)]]), ERROR_BYTES);
}

export function readFailures(errors: SharedArrayBuffer, index: number): TaskFailure[] {
  if (new DataView(errors, index * ERROR_BYTES, 4).getUint32(0, true) === 0) return [];
  try {
    return (JSON.parse(readText(errors, index, ERROR_BYTES)) as [number, string, string][]).map(([task, name, message]) => ({ task, name, message }));
  } catch {
    return [{ task: -1, name: "Error", message: "a CPU worker's failure report could not be read" }];
  }
}
