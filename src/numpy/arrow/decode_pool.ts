import { Worker } from "node:worker_threads";
import { workerPlatform } from "../../core/index.js";
import { ValueError } from "../errors.js";
import type { DecodeJob, DecodeResult } from "./parquet_worker.js";

/**
 * The Parquet decode threads: started on first use (each instantiates parquet-wasm from the
 * module the main thread compiled), kept idle between reads without holding the process
 * open, one job at a time each. A thread that dies (the decoder aborting on a corrupt page)
 * fails its job and is replaced by the next read.
 */

interface Reply {
  result?: DecodeResult;
  error?: { name: string; message: string };
}

const idle: Worker[] = [];

function start(): Worker {
  const w = new Worker(new URL("./parquet_worker.js", import.meta.url), { workerData: { platform: workerPlatform() } });
  w.unref();
  return w;
}

/** Run one job on an idle thread (a new one if none is idle). */
export function decodeOnThread(job: DecodeJob, invalid: (why: string) => Error): Promise<DecodeResult> {
  const w = idle.pop() ?? start();
  return new Promise<DecodeResult>((resolve, reject) => {
    const cleanup = (): void => {
      w.unref(); // idle threads do not keep the process alive
      w.off("message", onMessage);
      w.off("error", onError);
      w.off("exit", onExit);
    };
    const onMessage = (m: Reply): void => {
      cleanup();
      idle.push(w);
      if (m.result) return resolve(m.result);
      const e = m.error as { name: string; message: string };
      reject(e.name === "TypeError" ? new TypeError(e.message) : e.name === "ValueError" ? new ValueError(e.message) : invalid(e.message));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(invalid(`the decoder aborted (${e.message})`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(invalid(`the decoder stopped (exit code ${code})`));
    };
    w.on("message", onMessage);
    w.on("error", onError);
    w.on("exit", onExit);
    w.ref(); // a job in flight does
    w.postMessage(job);
  });
}
