import type { Constraint } from "./partition.js";
import type { Balance, TaskLaunch, TaskVariants } from "./task.js";

/** A library's namespace of tasks, as in legate.core: tasks are registered once, launched often. */
export class Library {
  readonly tasks = new Map<string, TaskVariants>();
  constructor(
    readonly name: string,
    readonly module: string | undefined,
  ) {}

  /** Register `task` with its variants. Worker threads load the same variants from `module`. */
  registerTask(task: string, variants: TaskVariants): void {
    this.tasks.set(task, variants);
  }

  /** Describe a launch of `task`; submit it with `runtime().submit`. */
  launch(
    task: string,
    opts: {
      args: TaskLaunch["args"];
      scalars?: unknown[];
      constraints?: Constraint[];
      serial?: boolean;
      cost?: number;
      grid?: readonly [number, number];
      collective?: boolean;
      balance?: Balance;
    },
  ): TaskLaunch {
    if (!this.tasks.has(task)) throw new Error(`task ${this.name}.${task} is not registered`);
    return {
      kind: "task",
      library: this.name,
      task,
      args: opts.args,
      scalars: opts.scalars ?? [],
      constraints: opts.constraints ?? [],
      serial: opts.serial,
      cost: opts.cost,
      grid: opts.grid,
      collective: opts.collective,
      balance: opts.balance,
    };
  }
}
