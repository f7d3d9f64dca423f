import { runtime, type Runtime } from "../core/index.js";
import { detectMachine } from "../core/index.js";
import type { Mapper, Mapping } from "../core/index.js";
import { prestart } from "./node/worker_threads.js";

/**
 * Starting Tessera in a browser. Call `await ready()` once, before any other use:
 *
 * - In a dedicated Web Worker (the recommended place) it starts the CPU workers and, with
 *   `gpus: 1`, the GPU device thread on `navigator.gpu`, then the whole synchronous API works
 *   there (`tolist()`, `Number(a)`, …) with every core and the GPU.
 * - On a page's main thread, where a thread cannot wait, every task runs inline on that
 *   thread (JavaScript kernels, one core, no GPU); the API works, and `await a.data()` /
 *   `await a.array()` read values as anywhere else.
 *
 * The page must be cross-origin isolated (served with `Cross-Origin-Opener-Policy:
 * same-origin` and `Cross-Origin-Embedder-Policy: require-corp`): the runtime's memory is
 * SharedArrayBuffer.
 */
export interface ReadyOptions {
  /** CPU worker threads (default: navigator.hardwareConcurrency). */
  cpus?: number;
  /** 1: run what WebGPU supports on the GPU (an error where there is no adapter). */
  gpus?: number;
  /** Other TESSERA_* settings (TESSERA_GPU_MIN, TESSERA_FUSION, TESSERA_LOG …). */
  env?: Record<string, string>;
}

/** Runs every launch on the calling thread: for a page's main thread. */
export class InlineMapper implements Mapper {
  readonly name = "inline";
  mapLaunch(): Mapping {
    return { target: "inline", pieces: 1 };
  }
}

const g = globalThis as unknown as { TESSERA_ENV?: Record<string, string>; WorkerGlobalScope?: unknown; crossOriginIsolated?: boolean };

/** Whether this scope can block (Atomics.wait): a worker, not a page's main thread. */
export const canBlock = (): boolean => g.WorkerGlobalScope !== undefined;

let started: Promise<Runtime> | null = null;

export function ready(options: ReadyOptions = {}): Promise<Runtime> {
  return (started ??= start(options));
}

async function start(options: ReadyOptions): Promise<Runtime> {
  if (!g.crossOriginIsolated) {
    throw new Error(
      "Tessera needs SharedArrayBuffer: serve the page with the headers 'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'",
    );
  }
  const env = (g.TESSERA_ENV ??= {});
  Object.assign(env, options.env ?? {});
  if (options.cpus !== undefined) env.TESSERA_CPUS = String(options.cpus);
  if (options.gpus !== undefined) env.TESSERA_GPUS = String(options.gpus);
  if (!canBlock()) {
    if (Number(env.TESSERA_GPUS ?? 0) > 0)
      throw new Error("WebGPU in Tessera needs the program to run in a Web Worker: a page's main thread cannot wait for the GPU");
    const rt = runtime();
    rt.setMapper(new InlineMapper());
    return rt;
  }
  const machine = detectMachine();
  await Promise.all([
    prestart(new URL("./worker.js", import.meta.url).href, machine.cpus),
    machine.gpus > 0 ? prestart(new URL("./device_worker.js", import.meta.url).href, 1) : null,
  ]);
  return runtime();
}

/** Whether WebGPU gives an adapter here (for choosing `gpus`). */
export async function webgpuAvailable(): Promise<boolean> {
  const gpu = (globalThis as unknown as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}
