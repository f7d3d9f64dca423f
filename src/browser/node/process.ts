import "../thread.js";

/**
 * `process` for the browser bundle (esbuild injects it wherever the sources name the global).
 * `env` is `globalThis.TESSERA_ENV`, read live, so a program can set TESSERA_* options before
 * its first use of the runtime (or through `ready()`); threads get a copy at start. Log lines
 * go to the console.
 */
const g = globalThis as unknown as { TESSERA_ENV?: Record<string, string | undefined> };

export const process = {
  get env(): Record<string, string | undefined> {
    return (g.TESSERA_ENV ??= {});
  },
  argv: [] as string[],
  execArgv: [] as string[],
  arch: "browser",
  platform: "browser",
  pid: 0,
  on(): void {
    /* no process events in a browser */
  },
  stderr: {
    write(text: string): boolean {
      console.warn(text.replace(/\n$/, ""));
      return true;
    },
  },
};
