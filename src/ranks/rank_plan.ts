import type { Intervals, PointTask, Storage, View, WavePlan } from "../core/index.js";
import { footprint, union } from "../core/index.js";
import type { ControlReplication } from "./replication.js";

/** What one point task does to one storage: the elements it reads and/or writes. */
interface Access {
  storage: number;
  set: Intervals;
  exact: boolean;
  read: boolean;
  write: boolean;
}

function access(v: View, lo: readonly number[], hi: readonly number[], read: boolean, write: boolean): Access {
  const f = footprint(v.offset, v.strides, lo, hi);
  return { storage: v.storage, set: f.set, exact: f.exact, read, write };
}

/** The storage elements a point task reads and writes, from its views and block. */
export function taskAccesses(t: PointTask): Access[] {
  switch (t.kind) {
    case "map":
    case "reduce":
      return t.views.map((v, i) => access(v, t.lo, t.hi, i >= t.nOut, i < t.nOut));
    case "fold": {
      const zero = t.shape.map(() => 0),
        outs = t.views.length / 2;
      return t.views.map((v, i) => access(v, zero, t.shape, true, i < outs));
    }
    case "task":
      // A collective point's writes depend on the data: it reports them after it ran.
      return t.views.map((v, i) => access(v, t.lo[i], t.hi[i], t.modes[i] !== "write", !t.collective && t.modes[i] !== "read"));
    case "gpu":
      throw new Error(`${t.label}: GPU launches are not distributed over ranks`);
  }
}

/**
 * One wave's work split over ranks. A launch's point tasks go to ranks in contiguous runs
 * (point i of n to rank ⌊i·R/n⌋), the same on every rank; a launch the mapper kept inline
 * (small) runs on every rank alike, so its result is valid everywhere without messages.
 * The plan gathers what each rank's points read (`needs`) and, once they ran, records what
 * each rank wrote.
 */
export class RankPlan implements WavePlan {
  readonly needs = new Map<Storage, Intervals[]>();
  private readonly writes: { storage: Storage; rank: number | "all"; set: Intervals }[] = [];
  /** Some launch was split over ranks (so a task error may have struck one rank only). */
  split = false;

  readonly rank: number;
  readonly ranks: number;

  constructor(
    private readonly dist: ControlReplication,
    private readonly storageOf: (id: number) => Storage,
  ) {
    this.rank = dist.rank;
    this.ranks = dist.ranks;
  }

  exchange(bufferOf: (st: Storage) => SharedArrayBuffer, label: string): void {
    this.dist.gather(this.needs, bufferOf, label);
  }

  /** Add one launch's point tasks; returns the ones this rank runs. */
  add(tasks: readonly PointTask[], replicated: boolean): PointTask[] {
    const accesses = tasks.map(taskAccesses);
    // A write too scattered to describe exactly is done by every rank alike, over data
    // every rank first holds (its bounding range), so the table stays exact.
    const everywhere = replicated || accesses.some((as) => as.some((a) => a.write && !a.exact));
    if (!everywhere && tasks.length) this.split = true;
    const mine: PointTask[] = [];
    tasks.forEach((t, i) => {
      const owner = everywhere ? "all" : Math.floor((i * this.ranks) / tasks.length);
      if (owner === "all" || owner === this.rank) mine.push(t);
      for (const a of accesses[i]) {
        const st = this.storageOf(a.storage);
        if (a.read || !a.exact) this.need(st, owner, a.set);
        if (a.write) this.writes.push({ storage: st, rank: owner, set: a.set });
      }
    });
    return mine;
  }

  private need(st: Storage, rank: number | "all", set: Intervals): void {
    let per = this.needs.get(st);
    if (!per) {
      per = Array.from({ length: this.ranks }, () => []);
      this.needs.set(st, per);
    }
    for (let r = 0; r < this.ranks; r++) if (rank === "all" || r === rank) per[r] = union(per[r], set);
  }

  /** After the tasks ran: the written elements are valid only where they were written. */
  commit(): void {
    for (const w of this.writes) this.dist.shards.wrote(w.storage, w.rank, w.set);
    this.writes.length = 0;
    this.needs.clear();
  }
}
