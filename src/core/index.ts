/**
 * tessera/core — the task runtime: stores, tasks with per-processor variants, partitioning
 * constraints, a deferred dependence-ordered operation stream and a replaceable mapper.
 */
export { runtime, Runtime, Library, coalesce } from "./runtime.js";
export { Store, Storage, rowMajorStrides } from "./store.js";
export { DType, DTYPES, isDTypeName, laneView, setScalarConstructor } from "./dtype.js";
export type { DTypeName, DTypeKind, TypedArray } from "./dtype.js";
export { align, alignDims, broadcast, solveTiling, tilingBlocks } from "./partition.js";
export type { Constraint, Tiling } from "./partition.js";
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
} from "./task.js";
export { DefaultMapper } from "./mapper.js";
export type { Mapper, Mapping, LaunchInfo } from "./mapper.js";
export { detectMachine } from "./machine.js";
export type { Machine, Memory, ProcessorKind } from "./machine.js";
export * as ir from "./kernel_ir.js";
export type { Expr, BinaryFn, UnaryFn, ReduceOp } from "./kernel_ir.js";
export { log, logEnabled } from "./log.js";
export { TaskError } from "../backends/cpu/pool.js";
export { writeProfile } from "./profile.js";
export { f2h, h2f, f16round } from "./float16.js";
export { ValueError, MemoryError, allocationMessage, formatBytes } from "./errors.js";
export { DivergenceError } from "../ranks/replication.js";
/** BLAS for CPU task variants (OpenBLAS through FFI, JS fallback). */
export { blasAvailable, blasBackend, blasLayout, gemm, setBlasBackend } from "../backends/cpu/blas.js";
export type { BlasBackend, GemmDType } from "../backends/cpu/blas.js";
export { GpuError } from "../backends/webgpu/gpu.js";
