import type { Storage, Store } from "./store.js";

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
 * independent operations, which may then run at the same time. Earlier accesses are indexed
 * by storage, so recording costs the number of prior accesses to the same storages, not the
 * window length.
 */
export class Scheduler<Op extends Operation> {
  private window: { op: Op; deps: Set<number> }[] = [];
  private byStorage = new Map<Storage, { index: number; store: Store; write: boolean }[]>();

  get size(): number {
    return this.window.length;
  }

  record(op: Op): void {
    const deps = new Set<number>();
    const index = this.window.length;
    for (const a of op.accesses) {
      const prior = this.byStorage.get(a.store.storage);
      if (prior) for (const p of prior) if ((a.write || p.write) && a.store.overlaps(p.store)) deps.add(p.index);
    }
    for (const a of op.accesses) {
      let list = this.byStorage.get(a.store.storage);
      if (!list) {
        list = [];
        this.byStorage.set(a.store.storage, list);
      }
      list.push({ index, store: a.store, write: a.write });
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
    this.byStorage = new Map();
    return waves;
  }

  /** Whether any recorded operation uses `storage` at all. */
  pending(storage: Storage): boolean {
    // Small launches run at once ask for every store they touch, mostly with nothing recorded.
    return this.byStorage.size !== 0 && this.byStorage.has(storage);
  }

  /** Whether any recorded operation writes storage that `store` may read. */
  pendingWrite(store: Store): boolean {
    const prior = this.byStorage.get(store.storage);
    return !!prior && prior.some((p) => p.write && p.store.overlaps(store));
  }
}
