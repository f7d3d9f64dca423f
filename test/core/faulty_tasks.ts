import type { TaskContext, TaskVariants } from "tessera/core";

/** Tasks that misbehave on purpose, to test failure reporting. */
export const variants: Record<string, TaskVariants> = {
  throws: { cpu: (ctx: TaskContext) => { if (ctx.point === ctx.points - 1) throw new Error("boom in point task"); } },
  exits: { cpu: (ctx: TaskContext) => { if (ctx.point === ctx.points - 1) process.exit(7); } },
  fill: {
    cpu: (ctx: TaskContext) => {
      const out = ctx.args[0];
      for (let i = out.lo[0]; i < out.hi[0]; i++) (out.data as Float64Array)[out.offset + i * out.strides[0]] = i + 0.5;
    },
  },
};
