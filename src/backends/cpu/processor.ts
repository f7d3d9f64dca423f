import type { BatchOutcome, CpuProcessor, DTypeName, Expr, LaneArg, PointTask, ProcessorContext, Resolver, TaskTiming } from "../../core/index.js";
import { mapKernelByExpr } from "./codegen_js.js";
import { setting } from "../../core/index.js";
import { MAX_NATIVE_ARGS, nativeMode } from "./native.js";
import { WorkerPool } from "./pool.js";
import { attachNative, runPointTask } from "./runner.js";

/**
 * The CPU processor: point tasks run inline on the calling thread or on a pool of worker
 * threads (started on first use), all on shared host memory. Map and reduce kernels are
 * compiled C where a compiler works and the work is big enough to go to the workers.
 */
export class CpuWorkers implements CpuProcessor {
  readonly maxKernelArgs = MAX_NATIVE_ARGS;
  /** The worker pool, once started. */
  pool: WorkerPool | null = null;
  private readonly heapMb = setting("TESSERA_WORKER_HEAP_MB");

  constructor(private readonly ctx: ProcessorContext) {}

  prepare(tasks: readonly PointTask[], onWorkers: boolean): void {
    // Compiled kernels pay off for work big enough to go to the workers (or when forced).
    const native = nativeMode() === "c" || (nativeMode() === "auto" && onWorkers);
    if (native && tasks.length && attachNative(tasks[0]))
      for (const t of tasks.slice(1)) (t as { native?: string }).native = (tasks[0] as { native?: string }).native;
  }

  run(task: PointTask, resolver: Resolver): void {
    runPointTask(task, resolver);
  }

  runMapHere(
    expr: Expr,
    dtypes: readonly DTypeName[],
    args: LaneArg[],
    scalars: readonly unknown[],
    lo: readonly number[],
    hi: readonly number[],
  ): boolean {
    if (nativeMode() === "c") return false;
    const kernel = mapKernelByExpr(expr, dtypes[0], lo.length, args.length - 1, () => ({
      ndim: lo.length,
      outputs: [{ dtype: dtypes[0], expr }],
      inputs: dtypes.slice(1) as DTypeName[],
    }));
    kernel(args, scalars, lo, hi);
    return true;
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
