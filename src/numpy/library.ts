import { Library, runtime } from "../core/index.js";
import { variants } from "./tasks.js";

let lib: Library | null = null;

/** The "numpy" library in the core runtime, with its opaque tasks registered once. */
export function numpyLibrary(): Library {
  if (lib) return lib;
  lib = runtime().library("numpy", { module: new URL("./tasks.js", import.meta.url).href });
  for (const [name, v] of Object.entries(variants)) lib.registerTask(name, v);
  return lib;
}
