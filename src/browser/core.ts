/** The browser build of `tessera/core`, plus `ready()` to start the runtime. */
import "../platform.js";

export * from "../core/index.js";
export { ready, webgpuAvailable, InlineMapper } from "./ready.js";
export type { ReadyOptions } from "./ready.js";
