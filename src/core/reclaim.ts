import v8 from "node:v8";
import vm from "node:vm";
import { setting } from "./settings.js";
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

/** Bytes of host buffers let go of (not kept for reuse) and not yet collected. */
let dropped = 0;
/** A host buffer of `bytes` was let go of: its memory comes back at the next collection. */
export function noteDropped(bytes: number): void {
  dropped += bytes;
}
/**
 * Bytes handed out again from the pool since the last collection: a loop has mostly dropped
 * them again by the time it needs more, so they count as growth (see reclaimDue).
 */
let reused = 0;
/** A pooled buffer of `bytes` was handed out again. */
export function noteReused(bytes: number): void {
  reused += bytes;
}
/** What finalisers drop is worth a second collection at once beyond this. */
const DROPPED_NOW = 16 * 2 ** 20;

/** Whether dead objects can be found synchronously here. */
export const canReclaim = (): boolean => gc !== null && typeof registries[0]?.cleanupSome === "function";

let collections = 0;
/** How long the last collection took, and when it ended (ms). */
let lastTook = 0,
  lastEnd = 0;
/** Collect garbage now and run the finalisers of everything that died. */
export function reclaim(why: string): void {
  if (!gc) return;
  const start = performance.now();
  gc();
  dropped = 0;
  for (const r of registries) r.cleanupSome?.();
  // What the finalisers let go of (buffers the pool does not keep) is garbage only now: a
  // second collection frees it at once instead of at some later major collection.
  if (dropped >= DROPPED_NOW) gc();
  dropped = 0;
  reused = 0;
  collections++;
  lastEnd = performance.now();
  lastTook = lastEnd - start;
  log("tasks", () => `garbage collection #${collections} (${why}, ${lastTook.toFixed(1)} ms)`);
}

/** Collections so far (for tests and tuning). */
export function reclaimCount(): number {
  return collections;
}

/**
 * A collection is worth it once memory has grown by a quarter, at least this much, since the
 * last... A full collection costs 10-20 ms here (a 16 MB heap) and a loop that reuses what the
 * last one freed runs until the pool is dry (URGENT × this), so this sets how often such a
 * loop collects: at 64 MiB, 200,000-element steps (`medium_steps`, 3.2 MB of new arrays per
 * step) spent a quarter of their time collecting; at 128 MiB they run 1.50-1.68x NumPy
 * against 1.24-1.31x, with the same peak memory in `npm run bench -- memory`.
 */
const RECLAIM_MIN = 128 * 2 ** 20;
/** ... and is due once it has grown by this much (TESSERA_RECLAIM_BYTES), whatever was held before. */
const RECLAIM_MAX = setting("TESSERA_RECLAIM_BYTES");
/**
 * What a host buffer costs beyond its bytes (its SharedArrayBuffer, backing store and the
 * runtime's records of it), so that a loop of tiny arrays counts too. Measured: a loop
 * making 800-byte arrays grows by about 1.7 KB per array.
 */
const ALLOCATION_OVERHEAD = 1024;
/**
 * A full collection takes time (tens of ms with a large heap): collections are spaced so as
 * to take at most about 1/PACE of the time, unless memory grows by URGENT steps meanwhile.
 */
const PACE = 10,
  URGENT = 2;
/**
 * Fresh memory faulted in per millisecond on first touch, about (4 KiB pages: 2.4 MB/ms
 * measured on the 2-core test VM; a few MB/ms is typical). A large buffer whose faults would
 * cost more than a collection takes is worth a collection out of pace, if the last one gave
 * memory back.
 */
const FAULT_BYTES_PER_MS = 2.5 * 2 ** 20,
  FRESH_PACE = 3;
/** The last collection made for an allocation found a buffer to reuse (noteReclaimed). */
let lastFound = true;
/** Whether the collection made before allocating found a pooled buffer to hand out instead. */
export function noteReclaimed(found: boolean): void {
  lastFound = found;
}
/** Resident memory is sampled every this many allocations (and at every large one). */
const RSS_SAMPLE = 256;
const LARGE = 2 ** 20;

let seen = -1,
  heldAtLast = 0,
  rssAtLast = 0,
  allocations = 0;

/**
 * Whether to collect before allocating a fresh host buffer of `bytes`, with `held` bytes in
 * host buffers (live, dead but not yet known to be, pooled for reuse). A program in a
 * synchronous loop gives JavaScript no chance to report dead arrays, so their memory comes
 * back only through `reclaim()`. Every allocation counts, however small, at its bytes plus
 * ALLOCATION_OVERHEAD: a collection is due once what is held (with buffers dropped but not yet
 * collected) has grown since the last one by a quarter (at least RECLAIM_MIN, at most
 * RECLAIM_MAX), or once the process's resident memory has — which also catches memory held
 * elsewhere that only a collection gives back —, paced by what collections cost (PACE),
 * unless memory grows fast (URGENT). Bytes reused from the pool since then (noteReused) count
 * as growth too, so a loop keeps reusing its buffers instead of taking fresh memory (whose
 * first touch costs a page fault per 4 KiB).
 */
export function reclaimDue(bytes: number, held: number): boolean {
  if (seen !== collections) {
    // The first allocation after a collection sets the baselines.
    seen = collections;
    heldAtLast = held;
    rssAtLast = rss();
    allocations = 0;
  }
  allocations++;
  const step = Math.min(RECLAIM_MAX, Math.max(RECLAIM_MIN, heldAtLast / 4));
  let grown = held + bytes + dropped + reused + allocations * ALLOCATION_OVERHEAD - heldAtLast;
  if (grown < step && (bytes >= LARGE || allocations % RSS_SAMPLE === 0)) grown = Math.max(grown, rss() + bytes - rssAtLast);
  // A loop that drops a large array each step (a Jacobi sweep's old grid, read by dead lazy
  // values) gets it back from a collection for less than faulting in a fresh one.
  // (Only once a collection has been timed, the first is not spent on a guess; and at most a
  // quarter of the time, since each fresh buffer also makes the next collections rarer.)
  const since = performance.now() - lastEnd;
  if (bytes >= LARGE && collections > 0 && lastFound && bytes / FAULT_BYTES_PER_MS > lastTook && since >= FRESH_PACE * lastTook) return true;
  if (grown < step) return false;
  return grown >= URGENT * step || since >= PACE * lastTook;
}

/**
 * Collect now if collections so far leave room for one (at most about 1/PACE of the time):
 * for memory that only a collection can show to be free (small results' slabs). Returns
 * whether it collected.
 */
export function reclaimPaced(why: string): boolean {
  if (!canReclaim() || performance.now() - lastEnd < PACE * lastTook) return false;
  reclaim(why);
  return true;
}

function rss(): number {
  try {
    return process.memoryUsage.rss();
  } catch {
    return 0;
  }
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
