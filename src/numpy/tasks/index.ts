import type { TaskVariants } from "../../core/task_api.js";
import { fft } from "./fft/cpu.js";
import { fftWebgpu } from "./fft/webgpu.js";
import { gather, nonzero, scatter } from "./gather/cpu.js";
import { gatherWebgpu, scatterWebgpu } from "./gather/webgpu.js";
import { linalg } from "./linalg/cpu.js";
import { linalgWebgpu } from "./linalg/webgpu.js";
import { cholPotrf, cholTrsm, cholUpdate } from "./linalg/tiled.js";
import { luPanel, luSwap, luTrsm, luUpdate } from "./linalg/tiled_lu.js";
import { matmul } from "./matmul/cpu.js";
import { matmulWebgpu } from "./matmul/webgpu.js";
import { rngAdvance, rngFill } from "./rng/cpu.js";
import { binCount, digitize } from "./histogram/cpu.js";
import { correlate } from "./correlate/cpu.js";
import { cumulate } from "./scan/cpu.js";
import { concatenate } from "./copy/cpu.js";
import { cumulateWebgpu } from "./scan/webgpu.js";
import { argsortRows, mergePairs, mergeRuns, sampleSort, sortRows } from "./sort/cpu.js";
import { searchsorted } from "./search/cpu.js";
import { interp } from "./interp/cpu.js";
import { partitionBlocks, partitionFill, partitionJoin, selectGather, selectRows, selectSample } from "./select/cpu.js";
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
  // numpy.linalg: one LAPACK routine per matrix of a batch
  linalg: { cpu: linalg, webgpu: linalgWebgpu },
  // the blocked Cholesky's tile tasks (diagonal factor, panel solve, trailing update)
  chol_potrf: { cpu: cholPotrf },
  chol_trsm: { cpu: cholTrsm },
  chol_update: { cpu: cholUpdate },
  lu_panel: { cpu: luPanel },
  lu_swap: { cpu: luSwap },
  lu_trsm: { cpu: luTrsm },
  lu_update: { cpu: luUpdate },
  // np.sort / argsort: sorted blocks, merged runs (serially, or pairwise on every worker), a sample sort across ranks
  sort_rows: { cpu: sortRows, webgpu: sortRowsWebgpu },
  merge_runs: { cpu: mergeRuns, webgpu: mergeRunsWebgpu },
  merge_pairs: { cpu: mergePairs },
  sample_sort: { cpu: sampleSort },
  argsort_rows: { cpu: argsortRows },
  // np.partition / median / quantile: introselect of rows; a long row by sample, counts and the candidates inside brackets
  select_rows: { cpu: selectRows },
  select_sample: { cpu: selectSample },
  select_gather: { cpu: selectGather },
  partition_fill: { cpu: partitionFill },
  partition_blocks: { cpu: partitionBlocks },
  partition_join: { cpu: partitionJoin },
  // np.searchsorted: needles cut, the sorted array seen whole
  searchsorted: { cpu: searchsorted },
  // np.interp: NumPy's loop over each point's block of x, the sample points seen whole
  interp: { cpu: interp },
  // advanced indexing: a[idx], a[idx] = v, nonzero
  gather: { cpu: gather, webgpu: gatherWebgpu },
  scatter: { cpu: scatter, webgpu: scatterWebgpu },
  nonzero: { cpu: nonzero },
  // np.cumsum / cumprod
  cumulate: { cpu: cumulate, webgpu: cumulateWebgpu },
  // np.concatenate: one launch writes the whole result
  concatenate: { cpu: concatenate },
  // np.fft: the 1-D transforms of every line along one axis
  fft: { cpu: fft, webgpu: fftWebgpu },
  // np.histogram / bincount: per-chunk counts; np.digitize
  bin_count: { cpu: binCount },
  digitize: { cpu: digitize },
  // np.correlate / np.convolve
  correlate: { cpu: correlate },
};
