import { Worker, type WorkerOptions } from "node:worker_threads";
import { log } from "../core/index.js";

/** Flags of the parent that Node refused for a worker (per-process ones such as --expose-gc). */
const refused = new Set<string>();

/**
 * Node options for worker threads: the parent's, minus those that name the parent's own
 * program (`-e script`, `--input-type`), which a worker would otherwise try to run, and
 * those Node does not allow in a worker.
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") {
      i++;
      continue;
    }
    if (/^(--eval|--print|--input-type)(=|$)/.test(a) || refused.has(a)) continue;
    out.push(a);
  }
  return out;
}

/**
 * Start a thread with the parent's Node options. Options Node accepts only for a whole
 * process (`node --expose-gc app.js`) make it refuse the worker: those are left out, once
 * and for all, and the thread is started without them.
 */
export function startThread(script: string | URL, options: Omit<WorkerOptions, "execArgv">): Worker {
  try {
    return new Worker(script, { ...options, execArgv: workerExecArgv() });
  } catch (e) {
    const bad = (e as { code?: string }).code === "ERR_WORKER_INVALID_EXEC_ARGV" ? /flags: (.*)$/.exec((e as Error).message) : null;
    if (!bad) throw e;
    for (const flag of bad[1].split(", ")) refused.add(flag);
    log("pool", `threads start without ${bad[1]} (not allowed in a worker)`);
    return new Worker(script, { ...options, execArgv: workerExecArgv() });
  }
}
