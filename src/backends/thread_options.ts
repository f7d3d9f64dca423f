/**
 * Node options for worker threads: the parent's, minus those that name the parent's own
 * program (`-e script`, `--input-type`), which a worker would otherwise try to run.
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-e" || a === "--eval" || a === "-p" || a === "--print") {
      i++;
      continue;
    }
    if (/^(--eval|--print|--input-type)(=|$)/.test(a)) continue;
    out.push(a);
  }
  return out;
}
