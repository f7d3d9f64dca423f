import { runtime } from "../../core/index.js";
import type { Library, TaskVariants } from "../../core/index.js";
import { gather, nonzero, scatter } from "./gather/cpu.js";
import { gatherWebgpu, scatterWebgpu } from "./gather/webgpu.js";
import { matmul } from "./matmul/cpu.js";
import { matmulWebgpu } from "./matmul/webgpu.js";
import { rngAdvance, rngFill } from "./rng/cpu.js";
import { binCount, digitize } from "./histogram/cpu.js";
import { correlate } from "./correlate/cpu.js";
import { cumulate } from "./scan/cpu.js";
import { cumulateWebgpu } from "./scan/webgpu.js";
import { argsortRows, mergeRuns, sampleSort, sortRows } from "./sort/cpu.js";
import { mergeRunsWebgpu, sortRowsWebgpu } from "./sort/webgpu.js";

/**
 * The NumPy library's opaque tasks, one folder per family (tasks/<family>/{cpu,webgpu}.ts),
 * and their registration with the core. CPU worker threads import this module to find the
 * variants, so it and the task modules it imports import nothing of the NumPy API and have
 * no side effects when loaded.
 */
export const variants: Record<string, TaskVariants> = {
  // np.random: draws on a Generator's state
  rng_fill: { cpu: rngFill },
  rng_advance: { cpu: rngAdvance },
  // matmul, dot …
  matmul: { cpu: matmul, webgpu: matmulWebgpu },
  // np.sort / argsort: sorted blocks, merged runs, a sample sort across ranks
  sort_rows: { cpu: sortRows, webgpu: sortRowsWebgpu },
  merge_runs: { cpu: mergeRuns, webgpu: mergeRunsWebgpu },
  sample_sort: { cpu: sampleSort },
  argsort_rows: { cpu: argsortRows },
  // advanced indexing: a[idx], a[idx] = v, nonzero
  gather: { cpu: gather, webgpu: gatherWebgpu },
  scatter: { cpu: scatter, webgpu: scatterWebgpu },
  nonzero: { cpu: nonzero },
  // np.cumsum / cumprod
  cumulate: { cpu: cumulate, webgpu: cumulateWebgpu },
  // np.histogram / bincount: per-chunk counts; np.digitize
  bin_count: { cpu: binCount },
  digitize: { cpu: digitize },
  // np.correlate / np.convolve
  correlate: { cpu: correlate },
};

/**
 * The module worker threads import: this one. The browser bundle emits it as tasks.js beside
 * its chunks (scripts/build-browser.mjs), and there this code runs from a chunk.
 */
function workerModule(): string {
  return (process.platform as string) === "browser" ? new URL("./tasks.js", import.meta.url).href : import.meta.url;
}

let lib: Library | null = null;

/** The "numpy" library in the core runtime, with its opaque tasks registered once. */
export function numpyLibrary(): Library {
  if (lib) return lib;
  lib = runtime().library("numpy", { module: workerModule() });
  for (const [name, v] of Object.entries(variants)) lib.registerTask(name, v);
  return lib;
}
