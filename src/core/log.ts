import { setting } from "./settings.js";

/**
 * Logging by topic: TESSERA_LOG=mapping,tasks,kernels,pool,dist (or "all"). Messages go to
 * stderr so they never mix with a program's output.
 */
export type LogTopic = "mapping" | "tasks" | "kernels" | "pool" | "dist";

const topics = new Set(setting("TESSERA_LOG"));
/** Read once: small launches ask on every step. */
const enabled: Record<LogTopic, boolean> = { mapping: false, tasks: false, kernels: false, pool: false, dist: false };
for (const t of Object.keys(enabled) as LogTopic[]) enabled[t] = topics.has(t) || topics.has("all");

export function logEnabled(topic: LogTopic): boolean {
  return enabled[topic];
}

export function log(topic: LogTopic, message: string | (() => string)): void {
  if (!logEnabled(topic)) return;
  const text = typeof message === "function" ? message() : message;
  process.stderr.write(`[tessera:${topic}] ${text}\n`);
}
