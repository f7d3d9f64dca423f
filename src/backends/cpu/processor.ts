import type {
  BatchOutcome,
  CpuProcessor,
  DTypeName,
  Expr,
  MapRunner,
  PointTask,
  ProcessorContext,
  ReduceOp,
  Resolver,
  TaskTiming,
} from "../../core/index.js";
import { mapKernelByExpr, reduceKernel } from "./codegen_js.js";
import { setting } from "../../core/index.js";
import { MAX_NATIVE_ARGS, nativeMode } from "./native.js";
import { WorkerPool } from "./pool.js";
import { attachNative, runPointTask } from "./runner.js";

/**
 * Elements from which a launch run inline uses a compiled kernel: a call through koffi costs
 * a few µs, a JS loop ~1 ns per element more than C's (and far more where C vectorises).
 */
const NATIVE_INLINE_MIN = 16384;

/** Elements a map or reduce point task visits. */
function elements(t: PointTask): number {
  if (t.kind !== "map" && t.kind !== "reduce") return 0;
  let n = 1;
  for (let d = 0; d < t.lo.length; d++) n *= t.hi[d] - t.lo[d];
  return n;
}

/**
 * The CPU processor: point tasks run inline on the calling thread or on a pool of worker
 * threads (started on first use), all on shared host memory. Map and reduce kernels are
 * compiled C where a compiler works and the work is big enough to go to the workers, or
 * big enough inline (NATIVE_INLINE_MIN).
 */
export class CpuWorkers implements CpuProcessor {
  readonly maxKernelArgs = MAX_NATIVE_ARGS;
  /** The worker pool, once started. */
  pool: WorkerPool | null = null;
  private readonly heapMb = setting("TESSERA_WORKER_HEAP_MB");

  constructor(private readonly ctx: ProcessorContext) {}

  prepare(tasks: readonly PointTask[], onWorkers: boolean): void {
    // Compiled kernels pay off for work big enough to go to the workers, or big enough that
    // the FFI call is small beside the loop (or when forced).
    const native = nativeMode() === "c" || (nativeMode() === "auto" && (onWorkers || (tasks.length > 0 && elements(tasks[0]) >= NATIVE_INLINE_MIN)));
    if (native && tasks.length && attachNative(tasks[0]))
      for (const t of tasks.slice(1)) (t as { native?: string }).native = (tasks[0] as { native?: string }).native;
  }

  run(task: PointTask, resolver: Resolver): void {
    runPointTask(task, resolver);
  }

  mapRunner(expr: Expr, dtypes: readonly DTypeName[], ndim: number, flat: boolean): MapRunner | null {
    if (nativeMode() === "c") return null;
    return mapKernelByExpr(
      expr,
      dtypes[0],
      ndim,
      dtypes.length - 1,
      () => ({ ndim, flat, outputs: [{ dtype: dtypes[0], expr }], inputs: dtypes.slice(1) }),
      flat,
    );
  }

  reduceRunner(op: ReduceOp, acc: DTypeName, value: Expr, inputs: readonly DTypeName[], reduced: readonly boolean[], size: number): MapRunner | null {
    const mode = nativeMode();
    if (mode === "c" || (mode === "auto" && size >= NATIVE_INLINE_MIN)) return null;
    return reduceKernel({ ndim: reduced.length, op, acc, value, inputs, reduced, init: true });
  }

  runBatches(
    batches: readonly PointTask[][],
    resolver: Resolver,
    moduleOf: (library: string) => string,
    inline: () => void,
  ): { timings: TaskTiming[]; outcomes: BatchOutcome[] } {
    this.pool ??= new WorkerPool(this.ctx.machine.cpus, { resourceLimits: this.heapMb > 0 ? { maxOldGenerationSizeMb: this.heapMb } : undefined });
    return this.pool.run(batches, resolver.buffer, moduleOf, inline);
  }

  release(id: number, dropped: number): void {
    this.pool?.release(id, dropped);
  }

  shutdown(): void {
    this.pool?.shutdown();
    this.pool = null;
  }
}
