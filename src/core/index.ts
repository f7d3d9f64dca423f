/**
 * tessera/core — the task runtime: stores, tasks with per-processor variants, partitioning
 * constraints, a deferred dependence-ordered operation stream and a replaceable mapper. It
 * also states the contracts that processors (src/backends) and the rank layer (src/ranks)
 * implement; everything outside src/core imports the core through this file only.
 */
export { runtime, Runtime } from "./runtime.js";
export { Library } from "./library.js";
export { coalesce } from "./expand.js";
export { Store, Storage, Residency, HOST_MEMORY, rowMajorStrides } from "./store.js";
export { DType, DTYPES, isDTypeName, laneView, setScalarConstructor } from "./dtype.js";
export type { DTypeName, DTypeKind, TypedArray, TypedArrayConstructor } from "./dtype.js";
export { align, alignDims, broadcast, solveTiling, tilingBlocks } from "./partition.js";
export type { Constraint, Tiling } from "./partition.js";
export { reads, writes } from "./task.js";
export type {
  Privilege,
  PhysicalStore,
  TaskContext,
  CpuVariant,
  TaskVariants,
  Launch,
  MapLaunch,
  ReduceLaunch,
  TaskLaunch,
  GpuArg,
  GpuDispatchSpec,
  WebgpuVariant,
  Communicator,
} from "./task.js";
export { DefaultMapper } from "./mapper.js";
export type { Mapper, Mapping, LaunchInfo } from "./mapper.js";
export { detectMachine } from "./machine.js";
export type { Machine, Memory, ProcessorKind } from "./machine.js";
export * as ir from "./kernel_ir.js";
export { COMPARISONS, PREDICATES, children, reduceIdentity, signature, visit } from "./kernel_ir.js";
export type { Expr, BinaryFn, UnaryFn, ReduceOp } from "./kernel_ir.js";
export { log, logEnabled } from "./log.js";
export type { LogTopic } from "./log.js";
export { setting, settingDocs } from "./settings.js";
export type { SettingName } from "./settings.js";
export { now, profileEvents, profileWrittenElsewhere, profiling, traceSpan, writeProfile, writeTrace } from "./profile.js";
export type { TraceEvent } from "./profile.js";
export { f2h, h2f, f16round } from "./float16.js";
export { ValueError, MemoryError, TaskError, GpuError, DivergenceError, allocationMessage, formatBytes } from "./errors.js";
export { ffiAvailable, ffiMissing, openLibrary } from "./ffi.js";
export type { NativeFn, NativeLibrary } from "./ffi.js";
// Contracts for processors and the rank layer.
export type { FoldTask, PointTask, Resolver, View } from "./point_task.js";
export { registerCpu, registerDevice } from "./processor.js";
export type { BatchOutcome, CpuProcessor, DeviceLaunch, DeviceProcessor, KernelQuery, ProcessorContext, TaskTiming } from "./processor.js";
export { registerReplication } from "./replication.js";
export type { CollectiveWrite, Replication, WavePlan } from "./replication.js";
export { EMPTY, MAX_RUNS, covers, footprint, intersect, isEmpty, measure, normalize, span, subtract, union } from "./regions.js";
export type { Footprint, Intervals } from "./regions.js";
