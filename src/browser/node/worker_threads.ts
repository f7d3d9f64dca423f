import { THREAD_NAME, onParentMessage, postToParent, threadInit } from "../thread.js";

/**
 * `node:worker_threads` in the browser bundle, on Web Workers (module workers).
 *
 * A browser starts a worker only when the thread that created it returns to its event loop,
 * and Tessera's threads are created and then waited for synchronously (Atomics.wait). So
 * workers are started ahead of time by `prestart` (called from `ready()`), and `new Worker`
 * hands out one of those, sending it the `workerData`. An eval'd bootstrap (the CPU pool's,
 * which reports a Node thread's exit) is not run: the worker loads `workerData.url`, and a
 * module that fails to load fails `prestart` instead.
 */
type WebWorker = globalThis.Worker;

const spares = new Map<string, WebWorker[]>();
const wanted = new Map<string, number>();

function launch(url: string): Promise<WebWorker> {
  return new Promise((resolve, reject) => {
    const w = new globalThis.Worker(url, { type: "module", name: THREAD_NAME });
    const fail = (e: Event) => {
      w.terminate();
      const why = e.type === "messageerror" ? "a message could not be read" : (e as ErrorEvent).message || "the module did not load";
      reject(new Error(`could not start ${url}: ${why}`));
    };
    w.addEventListener("error", fail);
    w.addEventListener("messageerror", fail);
    w.addEventListener("message", function loaded(e: MessageEvent) {
      const step = (e.data as { tessera?: string })?.tessera;
      // Loaded; then a round trip, so that messages to it no longer wait on this thread.
      if (step === "loaded") w.postMessage({ tessera: "ping" });
      if (step !== "pong") return;
      w.removeEventListener("message", loaded);
      w.removeEventListener("error", fail);
      w.removeEventListener("messageerror", fail);
      resolve(w);
    });
  });
}

/** Start `count` workers of `url` now (they must be running before anyone blocks on them). */
export async function prestart(url: string, count: number): Promise<void> {
  wanted.set(url, Math.max(wanted.get(url) ?? 0, count));
  const have = spares.get(url)?.length ?? 0;
  const started = await Promise.all(Array.from({ length: Math.max(0, count - have) }, () => launch(url)));
  spares.set(url, [...(spares.get(url) ?? []), ...started]);
}

/**
 * Replace a thread that was stopped, in the background, so that a pool restarted later (after
 * `runtime().shutdown()`) finds one; it is ready once the program next yields.
 */
function replenish(url: string): void {
  void launch(url).then(
    (w) => {
      const list = spares.get(url) ?? [];
      if (list.length < (wanted.get(url) ?? 0)) {
        list.push(w);
        spares.set(url, list);
      } else w.terminate();
    },
    () => {
      /* reported when the next one is needed */
    },
  );
}

export class Worker {
  private readonly worker: WebWorker;
  private readonly url: string;

  constructor(script: string | URL, options: { eval?: boolean; workerData?: unknown } = {}) {
    const url = options.eval ? String((options.workerData as { url: string }).url) : String(script);
    const worker = spares.get(url)?.shift();
    if (!worker) {
      const main = (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === undefined;
      throw new Error(
        main
          ? "Tessera's worker threads and WebGPU need the program to run in a Web Worker (a page's main thread cannot wait); on the main thread, call `await ready()` first to run every task inline"
          : `no started thread for ${url}: call \`await ready()\` before using Tessera (a browser starts a worker only when its creator returns to the event loop)`,
      );
    }
    this.worker = worker;
    this.url = url;
    const env = (globalThis as { TESSERA_ENV?: Record<string, string> }).TESSERA_ENV ?? {};
    worker.postMessage({ data: options.workerData, env: { ...env } });
  }

  postMessage(message: unknown): void {
    this.worker.postMessage(message);
  }

  on(event: "message" | "error", cb: (arg: unknown) => void): this {
    this.worker.addEventListener(event, (e) => cb(event === "message" ? (e as MessageEvent).data : e));
    return this;
  }

  unref(): void {
    /* browsers keep no process alive */
  }

  terminate(): Promise<number> {
    this.worker.terminate();
    replenish(this.url);
    return Promise.resolve(0);
  }
}

export const workerData: unknown = threadInit?.data ?? null;

export const parentPort = threadInit
  ? {
      on(event: "message", cb: (message: unknown) => void): void {
        if (event === "message") onParentMessage(cb);
      },
      postMessage: postToParent,
    }
  : null;
