import v8 from "node:v8";
import vm from "node:vm";
import { log } from "./log.js";

/**
 * Synchronous reclamation of dead arrays. JavaScript tells a program that an object died
 * only through FinalizationRegistry callbacks, which run after the current job, i.e. never
 * during a long synchronous NumPy-style loop; its memory would pile up. V8 has
 * `FinalizationRegistry.prototype.cleanupSome` (run pending callbacks now) and `gc()` behind
 * flags; both are taken from a fresh vm context created after the flags are set. Where that
 * is unavailable (other engines), reclamation simply happens later, between jobs.
 */
type Registry<T> = FinalizationRegistry<T> & { cleanupSome?: (cb?: (held: T) => void) => void };
type RegistryCtor = new <T>(cb: (held: T) => void) => Registry<T>;

let ctor: RegistryCtor = FinalizationRegistry as unknown as RegistryCtor;
let gc: (() => void) | null = null;
try {
  v8.setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
  v8.setFlagsFromString("--expose-gc");
  const context = vm.createContext({});
  const FR = vm.runInContext("FinalizationRegistry", context) as RegistryCtor;
  if (typeof (FR.prototype as { cleanupSome?: unknown }).cleanupSome === "function") ctor = FR;
  const g = vm.runInContext("typeof gc === 'function' ? gc : null", context) as (() => void) | null;
  gc = g;
} catch {
  gc = null;
}

const registries: Registry<unknown>[] = [];

/** A FinalizationRegistry whose callbacks `reclaim()` can run synchronously. */
export function registry<T>(cb: (held: T) => void): Registry<T> {
  const r = new ctor<T>(cb);
  registries.push(r as Registry<unknown>);
  return r;
}

/** Whether dead objects can be found synchronously here. */
export const canReclaim = (): boolean => gc !== null && typeof registries[0]?.cleanupSome === "function";

let collections = 0;
/** Collect garbage now and run the finalisers of everything that died. */
export function reclaim(why: string): void {
  if (!gc) return;
  gc();
  for (const r of registries) r.cleanupSome?.();
  collections++;
  log("tasks", () => `garbage collection #${collections} (${why})`);
}

// Finaliser tasks V8 posted but the event loop did not reach before it emptied would run
// while Node tears the process down, when JavaScript may no longer be called ("illegal
// access" crashes at exit). So when the loop empties, run every pending finaliser now and
// give already-posted tasks one more turn of the loop, while calling into JS is allowed.
let drained = false;
process.on("beforeExit", () => {
  if (drained || registries.length === 0) return;
  drained = true;
  reclaim("exit");
  setImmediate(() => {});
});
