/**
 * Logging by topic: TESSERA_LOG=mapping,tasks,kernels,pool,dist (or "all"). Messages go to
 * stderr so they never mix with a program's output.
 */
export type LogTopic = "mapping" | "tasks" | "kernels" | "pool" | "dist";

const env = typeof process !== "undefined" ? (process.env.TESSERA_LOG ?? "") : "";
const topics = new Set(
  env
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

export function logEnabled(topic: LogTopic): boolean {
  return topics.has(topic) || topics.has("all");
}

export function log(topic: LogTopic, message: string | (() => string)): void {
  if (!logEnabled(topic)) return;
  const text = typeof message === "function" ? message() : message;
  process.stderr.write(`[tessera:${topic}] ${text}\n`);
}
