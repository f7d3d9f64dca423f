/** `node:perf_hooks` in the browser bundle. */
export const performance = globalThis.performance;
