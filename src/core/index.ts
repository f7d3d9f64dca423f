/**
 * tessera/core — the task runtime: stores, tasks with per-processor variants, partitioning
 * constraints, a deferred dependence-ordered operation stream and a replaceable mapper. It
 * also states the contracts that processors (src/backends) and the rank layer (src/ranks)
 * implement. Everything outside src/core imports the core through this file, or, for code
 * that runs inside tasks on worker threads, through its task-side part (task_api.ts).
 */
export * from "./task_api.js";
export { runtime, Runtime } from "./runtime.js";
export { Library } from "./library.js";
export { coalesce } from "./expand.js";
export { Store, Storage, Residency, HOST_MEMORY, rowMajorStrides, sameArray } from "./store.js";
export { align, alignDims, balancedTiling, broadcast, solveTiling, tilingBlocks } from "./partition.js";
export type { Constraint, Tiling } from "./partition.js";
export { DefaultMapper } from "./mapper.js";
export type { Mapper, Mapping, LaunchInfo } from "./mapper.js";
export { detectMachine } from "./machine.js";
export type { Machine, Memory, ProcessorKind } from "./machine.js";
export { now, profileEvents, profileWrittenElsewhere, profiling, traceSpan, writeProfile, writeTrace } from "./profile.js";
export type { TraceEvent } from "./profile.js";
// Contracts for processors and the rank layer.
export { registerCpu, registerDevice } from "./processor.js";
export { registerHostAdvice } from "./host_memory.js";
export type {
  BatchOutcome,
  CpuProcessor,
  DeviceLaunch,
  DeviceProcessor,
  KernelQuery,
  LaneArg,
  MapRunner,
  ProcessorContext,
  TaskTiming,
} from "./processor.js";
export { registerReplication } from "./replication.js";
export type { CollectiveWrite, Replication, WavePlan } from "./replication.js";
export { EMPTY, MAX_RUNS, covers, footprint, intersect, isEmpty, measure, normalize, span, subtract, union } from "./regions.js";
export type { Footprint, Intervals } from "./regions.js";
