/**
 * Python's warnings, as NumPy issues them (`RuntimeWarning: Mean of empty slice`): written to
 * stderr as `RuntimeWarning: <message>`. Like Python's default filter, which shows a warning
 * once per place it is raised from, each distinct message is shown once per process.
 */

const shown = new Set<string>();

/**
 * Issue a warning of `category` (RuntimeWarning unless given); `always` shows it every time,
 * as NumPy's 'always' filter for RankWarning does.
 */
export function warn(message: string, category = "RuntimeWarning", always = false): void {
  const line = `${category}: ${message}`;
  if (shown.has(line) && !always) return;
  shown.add(line);
  if (typeof process !== "undefined" && process.stderr) process.stderr.write(`${line}\n`);
  else console.warn(line);
}

/** Forget which warnings were shown (tests that check each warning appears). */
export function resetWarnings(): void {
  shown.clear();
}
