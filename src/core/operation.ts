import { maxIndex } from "./kernel_ir.js";
import type { Operation } from "./scheduler.js";
import { type Store, sameArray } from "./store.js";
import { type Launch, type TaskLaunch, writes } from "./task.js";

/** A launch recorded in the window: its id, label and the stores it reads and writes. */
export interface PlannedOp extends Operation {
  launch: Launch;
}

/**
 * Check a launch and describe what it touches (for the scheduler). Returns null for a
 * launch with nothing to do (an empty map).
 */
export function planOp(launch: Launch, id: number): PlannedOp | null {
  switch (launch.kind) {
    case "map": {
      const domain = launch.outputs[0]?.store.shape;
      if (!domain) throw new Error("map launch needs an output");
      for (const s of [...launch.inputs, ...launch.outputs.map((o) => o.store)]) {
        if (!sameArray(s.shape, domain)) throw new RangeError(`map ${launch.name}: store shape (${s.shape}) is not aligned with (${domain})`);
      }
      for (const o of launch.outputs) {
        if (maxIndex(o.expr, "load") >= launch.inputs.length) throw new RangeError(`map ${launch.name}: expression reads a missing input`);
      }
      if (launch.outputs.some((o) => o.store.size === 0)) return null;
      const accesses = [...launch.inputs.map((store) => ({ store, write: false })), ...launch.outputs.map((o) => ({ store: o.store, write: true }))];
      return { id, label: `${launch.name}#${id}`, accesses, launch };
    }
    case "reduce": {
      const domain = launch.shape ?? launch.inputs[0]?.shape;
      if (!domain) throw new Error("reduce launch needs an input or a shape");
      for (const s of launch.inputs)
        if (!sameArray(s.shape, domain)) throw new RangeError(`reduce ${launch.name}: input shape (${s.shape}) is not (${domain})`);
      const axes = launch.axes;
      const kept = domain.filter((_, d) => !axes.includes(d));
      if (domain.includes(0)) throw new RangeError(`reduce ${launch.name}: empty domain (the library supplies the identity)`);
      if (!sameArray(kept, launch.output.shape))
        throw new RangeError(`reduce ${launch.name}: output shape (${launch.output.shape}) should be (${kept})`);
      const accesses = [...launch.inputs.map((store) => ({ store, write: false })), { store: launch.output, write: true }];
      if (launch.index) accesses.push({ store: launch.index, write: true });
      return { id, label: `${launch.name}#${id}`, accesses, launch };
    }
    case "task": {
      const accesses = launch.args.map((a) => ({ store: a.store, write: writes(a.privilege) }));
      return { id, label: `${launch.library}.${launch.task}#${id}`, accesses, launch };
    }
  }
}

export function writtenStores(l: Launch): Store[] {
  if (l.kind === "map") return l.outputs.map((o) => o.store);
  if (l.kind === "reduce") return l.index ? [l.output, l.index] : [l.output];
  return l.args.filter((a) => writes(a.privilege)).map((a) => a.store);
}

export function accessedStores(l: Launch): Store[] {
  if (l.kind === "task") return l.args.map((a) => a.store);
  return [...l.inputs, ...writtenStores(l)];
}

/** How each argument of a task launch is used, as point tasks carry it (reductions count as readwrite). */
export function modesOf(l: TaskLaunch): ("read" | "write" | "readwrite")[] {
  return l.args.map((a) => (a.privilege === "read" || a.privilege === "write" ? a.privilege : "readwrite"));
}
