import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setting } from "./settings.js";

/**
 * Chrome-trace / Perfetto profile: TESSERA_PROFILE=out.json records every point task (one
 * track per worker, plus the main thread) and writes the file when the process exits.
 * Open it at https://ui.perfetto.dev or chrome://tracing.
 */
export interface TraceEvent {
  name: string;
  ph: "X";
  ts: number;
  dur: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

const path = setting("TESSERA_PROFILE");
const events: TraceEvent[] = [];
let hooked = false;

export const profiling = (): boolean => !!path;

export const now = (): number => performance.timeOrigin + performance.now();

/** Record a span; `tid` 0 is the main thread, worker w is w + 1. Times in ms since epoch. */
export function traceSpan(name: string, tid: number, startMs: number, endMs: number, args?: Record<string, unknown>): void {
  if (!path) return;
  events.push({ name, ph: "X", ts: startMs * 1000, dur: Math.max(0, (endMs - startMs) * 1000), pid: 0, tid, args });
  if (!hooked) {
    hooked = true;
    process.on("exit", writeProfile);
  }
}

/** The events recorded so far in this process. */
export function profileEvents(): readonly TraceEvent[] {
  return events;
}

let external = false;
/** Someone else writes the file (the rank that merges every rank's events). */
export function profileWrittenElsewhere(): void {
  external = true;
}

export function writeProfile(): void {
  if (!path || external) return;
  writeTrace(events);
}

/** Write `evs` as one trace file: a process per `pid` (named by `processName`), a track per thread. */
export function writeTrace(evs: readonly TraceEvent[], processName?: (pid: number) => string): void {
  if (!path) return;
  const threads = new Map<string, { pid: number; tid: number }>();
  for (const e of evs) threads.set(`${e.pid}/${e.tid}`, { pid: e.pid, tid: e.tid });
  const meta: object[] = [...threads.values()].map(({ pid, tid }) => ({
    name: "thread_name",
    ph: "M",
    pid,
    tid,
    args: { name: tid === 0 ? "main" : `cpu worker ${tid - 1}` },
  }));
  if (processName)
    for (const pid of new Set(evs.map((e) => e.pid))) meta.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name: processName(pid) } });
  writeFileSync(path, JSON.stringify({ traceEvents: [...meta, ...evs], displayTimeUnit: "ms" }));
}
