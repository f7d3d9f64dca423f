import { existsSync, readlinkSync } from "node:fs";
import type { Worker } from "node:worker_threads";

/**
 * Whether a worker thread still lives, asked synchronously by a main thread that is blocked
 * in Atomics.wait (so that the worker's 'exit' event cannot reach it). A thread that dies
 * running no JavaScript — V8 out of memory, terminate() — cannot say so itself; the thread
 * records its OS thread id when it starts (`osThreadId`), and the main thread then looks for
 * it in /proc/self/task (Linux). Elsewhere it asks Node's handle of the worker.
 */

/** Linux lists each live thread of this process here, by OS thread id; not in a browser. */
const PROC_TASKS = (() => {
  try {
    return existsSync("/proc/self/task");
  } catch {
    return false;
  }
})();

/** The calling thread's OS thread id, or -1 where it cannot be known. */
export function osThreadId(): number {
  try {
    return Number(readlinkSync("/proc/thread-self").split("/").pop()) || -1;
  } catch {
    return -1;
  }
}

/**
 * Whether the thread of `worker`, which recorded `tid` (from osThreadId; 0: not started yet,
 * so not known to have ended), has ended.
 */
export function threadEnded(tid: number, worker: Worker): boolean {
  if (tid === 0) return false;
  if (tid > 0 && PROC_TASKS) return !existsSync(`/proc/self/task/${tid}`);
  return handleStopped(worker);
}

let handleKey: symbol | null | undefined;
/**
 * Without /proc: whether Node's native handle of the worker reports its thread stopped (its
 * loop idle time reads -1 once the thread's environment is gone). This reads a Node
 * internal; where it is not there, deaths that run no JavaScript go unnoticed.
 */
function handleStopped(worker: Worker): boolean {
  if (handleKey === undefined) handleKey = Object.getOwnPropertySymbols(worker).find((s) => s.description === "kHandle") ?? null;
  if (!handleKey) return false;
  const handle = (worker as unknown as Record<symbol, { loopIdleTime?: () => number } | null>)[handleKey];
  if (!handle) return true; // dropped once the thread has exited
  return typeof handle.loopIdleTime === "function" && handle.loopIdleTime() === -1;
}
