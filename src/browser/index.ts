/** The browser build of `tessera`: the NumPy API, plus `ready()` to start the runtime. */
import "../platform.js";

export * from "../numpy/index.js";
export { ready, webgpuAvailable, InlineMapper } from "./ready.js";
export type { ReadyOptions } from "./ready.js";
