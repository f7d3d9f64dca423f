import { Store } from "./store.js";

/** One recorded launch with the store regions it touches. */
export interface Operation {
  readonly id: number;
  readonly label: string;
  readonly accesses: readonly { store: Store; write: boolean }[];
}

/**
 * The deferred operation window. Launches are recorded, not run; at a blocking point (or
 * when the window is full) the scheduler orders them by their true dependences — RAW, WAR
 * and WAW on overlapping regions of the same storage — and hands out waves of mutually
 * independent operations, which may then run at the same time.
 */
export class Scheduler<Op extends Operation> {
  private window: { op: Op; deps: Set<number> }[] = [];

  get size(): number { return this.window.length; }

  record(op: Op): void {
    const deps = new Set<number>();
    for (let i = this.window.length - 1; i >= 0; i--) {
      const prev = this.window[i];
      if (conflicts(op, prev.op)) deps.add(i);
    }
    this.window.push({ op, deps });
  }

  /** Take the whole window as dependence-ordered waves. */
  drain(): Op[][] {
    const level: number[] = [];
    const waves: Op[][] = [];
    this.window.forEach((entry, i) => {
      let l = 0;
      for (const d of entry.deps) l = Math.max(l, level[d] + 1);
      level[i] = l;
      (waves[l] ??= []).push(entry.op);
    });
    this.window = [];
    return waves;
  }

  /** Whether any recorded operation writes storage that `store` may read. */
  pendingWrite(store: Store): boolean {
    return this.window.some((e) => e.op.accesses.some((a) => a.write && a.store.overlaps(store)));
  }
}

function conflicts(a: Operation, b: Operation): boolean {
  for (const x of a.accesses) {
    for (const y of b.accesses) {
      if ((x.write || y.write) && x.store.overlaps(y.store)) return true;
    }
  }
  return false;
}
