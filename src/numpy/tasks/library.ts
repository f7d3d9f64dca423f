import { type Library, runtime } from "../../core/index.js";
import { variants } from "./index.js";

/**
 * The module worker threads import for the library's variants: tasks/index.ts. The browser
 * bundle emits it as tasks.js beside its chunks (scripts/build-browser.mjs).
 */
function workerModule(): string {
  return (process.platform as string) === "browser" ? new URL("./tasks.js", import.meta.url).href : new URL("./index.js", import.meta.url).href;
}

let lib: Library | null = null;

/** The "numpy" library in the core runtime, with its opaque tasks registered once. */
export function numpyLibrary(): Library {
  if (lib) return lib;
  lib = runtime().library("numpy", { module: workerModule() });
  for (const [name, v] of Object.entries(variants)) lib.registerTask(name, v);
  return lib;
}
