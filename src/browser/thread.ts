/**
 * The worker side of a browser thread (a CPU worker or the GPU device thread), started by
 * the `node:worker_threads` shim. Such a worker is started ahead of time (see `ready`), loads
 * its module graph, says so, and then waits here — a top-level await, before any other module
 * of the graph runs — for the init message that carries its `workerData` and environment.
 * Before that it answers a ping: the parent's messages reach a worker directly only once the
 * parent has seen the worker's top-level script run (until then the browser holds them on the
 * parent's side, which a blocked parent never gets to), and the answer proves that it has.
 */
export const THREAD_NAME = "tessera-thread";

export interface ThreadInit {
  data: unknown;
  env: Record<string, string>;
}

type MessageHandler = (message: unknown) => void;
const scope = globalThis as unknown as {
  name?: string;
  WorkerGlobalScope?: unknown;
  TESSERA_ENV?: Record<string, string>;
  addEventListener(type: "message", cb: (e: MessageEvent) => void): void;
  postMessage(message: unknown): void;
};

/** Whether this global scope is a thread the shim started. */
export const isThread = scope.WorkerGlobalScope !== undefined && scope.name === THREAD_NAME;

const handlers: MessageHandler[] = [];
const queued: unknown[] = [];

/** Messages after the init one go to the module's handler; early ones wait for it. */
export function onParentMessage(cb: MessageHandler): void {
  handlers.push(cb);
  for (const m of queued.splice(0)) cb(m);
}

export function postToParent(message: unknown): void {
  scope.postMessage(message);
}

export const threadInit: ThreadInit | null = isThread
  ? await new Promise<ThreadInit>((resolve) => {
      let started = false;
      scope.addEventListener("message", (e) => {
        if ((e.data as { tessera?: string })?.tessera === "ping") {
          postToParent({ tessera: "pong" });
          return;
        }
        if (!started) {
          started = true;
          resolve(e.data as ThreadInit);
          return;
        }
        if (handlers.length) for (const h of handlers) h(e.data);
        else queued.push(e.data);
      });
      postToParent({ tessera: "loaded" });
    })
  : null;

if (threadInit) scope.TESSERA_ENV = { ...threadInit.env };
