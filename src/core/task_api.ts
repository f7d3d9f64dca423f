/**
 * The part of tessera/core that code running inside tasks may use: dtypes, the kernel IR,
 * the task and point-task contracts, float16 conversion, errors, logging, settings and
 * native libraries. CPU worker threads load task variants and kernels with only this, never
 * the runtime (as Legate separates its task-side API from the runtime's); core/index.ts
 * re-exports all of it.
 */
export { DType, DTYPES, isDTypeName, laneView, setScalarConstructor } from "./dtype.js";
export type { DTypeName, DTypeKind, TypedArray, TypedArrayConstructor } from "./dtype.js";
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
  Balance,
  GpuArg,
  GpuDispatchSpec,
  WebgpuVariant,
  Communicator,
} from "./task.js";
export * as ir from "./kernel_ir.js";
export { COMPARISONS, PREDICATES, children, reduceIdentity, signature, visit } from "./kernel_ir.js";
export type { Expr, BinaryFn, UnaryFn, ReduceOp } from "./kernel_ir.js";
export { log, logEnabled } from "./log.js";
export type { LogTopic } from "./log.js";
export { setting, settingDocs } from "./settings.js";
export type { SettingName } from "./settings.js";
export { f2h, h2f, f16round } from "./float16.js";
export { ValueError, MemoryError, TaskError, GpuError, DivergenceError, allocationMessage, formatBytes } from "./errors.js";
export {
  compiledLibrary,
  ffiAvailable,
  ffiMissing,
  openFirst,
  openLibrary,
  optionalFunc,
  registerCompiler,
  registerWorkerPlatform,
  workerPlatform,
} from "./ffi.js";
export type { Compiler, NativeFn, NativeLibrary } from "./ffi.js";
export type { FoldTask, PointTask, Resolver, View } from "./point_task.js";
