import { threadId } from "node:worker_threads";
import type { TaskContext, TaskVariants } from "tessera/core";

/** Set by a test: what the `kill` task does (on the main thread) with the thread `block` runs on. */
export const hooks: { kill: (threadId: number) => void } = { kill: () => {} };

/** A shared word pair given as the scalar of `block` and `kill`: [thread of block, release]. */
function flag(ctx: TaskContext): Int32Array {
  return new Int32Array(ctx.scalars[0] as SharedArrayBuffer);
}

/** Tasks that misbehave on purpose, to test failure reporting. */
export const variants: Record<string, TaskVariants> = {
  throws: {
    cpu: (ctx: TaskContext) => {
      if (ctx.point === ctx.points - 1) throw new Error("boom in point task");
    },
  },
  exits: {
    cpu: (ctx: TaskContext) => {
      if (ctx.point === ctx.points - 1) process.exit(7);
    },
  },
  fill: {
    cpu: (ctx: TaskContext) => {
      const out = ctx.args[0];
      for (let i = out.lo[0]; i < out.hi[0]; i++) (out.data as Float64Array)[out.offset + i * out.strides[0]] = i + 0.5;
    },
  },
  /** Says which thread it runs on, then waits (30 s at most) for a release that does not come. */
  block: {
    cpu: (ctx: TaskContext) => {
      const f = flag(ctx);
      Atomics.store(f, 0, threadId);
      Atomics.notify(f, 0);
      Atomics.wait(f, 1, 0, 30_000);
    },
  },
  /** Waits until `block` runs, then hands its thread to hooks.kill. */
  kill: {
    cpu: (ctx: TaskContext) => {
      const f = flag(ctx);
      const deadline = Date.now() + 10_000;
      while (Atomics.load(f, 0) === 0 && Date.now() < deadline) Atomics.wait(f, 0, 0, 20);
      hooks.kill(Atomics.load(f, 0));
    },
  },
  /** Allocates JavaScript memory until V8 gives up. */
  hog: {
    cpu: () => {
      const keep: number[][] = [];
      for (;;) keep.push(new Array<number>(1 << 16).fill(keep.length + 0.5));
    },
  },
};
