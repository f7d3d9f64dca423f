import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/**
 * Chrome-trace / Perfetto profile: TESSERA_PROFILE=out.json records every point task (one
 * track per worker, plus the main thread) and writes the file when the process exits.
 * Open it at https://ui.perfetto.dev or chrome://tracing.
 */
interface TraceEvent { name: string; ph: "X"; ts: number; dur: number; pid: number; tid: number; args?: Record<string, unknown> }

const path = process.env.TESSERA_PROFILE;
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

export function writeProfile(): void {
  if (!path) return;
  const meta = [...new Set(events.map((e) => e.tid))].map((tid) => ({
    name: "thread_name", ph: "M", pid: 0, tid, args: { name: tid === 0 ? "main" : `cpu worker ${tid - 1}` },
  }));
  writeFileSync(path, JSON.stringify({ traceEvents: [...meta, ...events], displayTimeUnit: "ms" }));
}
