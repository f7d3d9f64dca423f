import type { Intervals, Storage } from "../core/index.js";
import { intersect, isEmpty, measure, span, subtract, union } from "../core/index.js";

/**
 * Which rank holds valid values for which elements of each storage: the rank-level half of
 * coherence. Every rank keeps the same table for *all* ranks, updated by the same
 * deterministic steps (control replication), so each rank knows, without asking, what it
 * must send to whom.
 *
 * A new storage is valid everywhere (its instances start zero-filled, or hold data every
 * rank attached identically). A point task's write makes its block valid on the writing
 * rank and stale elsewhere; a transfer makes the received elements valid on the receiver.
 * So every element is always valid on at least one rank.
 */
export class Shards {
  private readonly valid = new WeakMap<Storage, Intervals[]>();
  constructor(readonly ranks: number) {}

  /** Valid elements per rank (a new array each time the table changes). */
  of(st: Storage): readonly Intervals[] {
    let v = this.valid.get(st);
    if (!v) {
      const all = span(0, st.size);
      v = Array.from({ length: this.ranks }, () => all);
      this.valid.set(st, v);
    }
    return v;
  }

  /** Rank `rank` wrote `set` (all ranks wrote it alike when `rank` is "all"). */
  wrote(st: Storage, rank: number | "all", set: Intervals): void {
    if (isEmpty(set)) return;
    const v = this.of(st);
    this.valid.set(
      st,
      v.map((x, r) => (rank === "all" || r === rank ? union(x, set) : subtract(x, set))),
    );
  }

  /** `to` holds what `from` held, where it held it (the old instance of a renamed storage). */
  inherit(to: Storage, from: Storage): void {
    this.valid.set(to, [...this.of(from)]);
  }

  /** Only the elements of `keep` stay valid (where they were); the rest are about to be written. */
  restrict(st: Storage, keep: Intervals): void {
    this.valid.set(
      st,
      this.of(st).map((x) => intersect(x, keep)),
    );
  }

  /** Rank `rank` received `set`. */
  received(st: Storage, rank: number, set: Intervals): void {
    const v = [...this.of(st)];
    v[rank] = union(v[rank], set);
    this.valid.set(st, v);
  }

  /**
   * Who sends what so that every rank r holds `needs[r]` of `st`: the missing elements of r
   * come from the next ranks after r that hold them (a neighbour first: halos are local).
   */
  plan(st: Storage, needs: readonly Intervals[]): Transfer[] {
    const v = this.of(st);
    const out: Transfer[] = [];
    for (let to = 0; to < this.ranks; to++) {
      let missing = subtract(needs[to], v[to]);
      for (let k = 1; k < this.ranks && !isEmpty(missing); k++) {
        const from = (to + k) % this.ranks;
        const got = intersect(missing, v[from]);
        if (isEmpty(got)) continue;
        out.push({ storage: st, from, to, set: got, count: measure(got) });
        missing = subtract(missing, got);
      }
      if (!isEmpty(missing)) throw new Error(`internal: elements of storage ${st.id} are valid on no rank`);
    }
    return out;
  }
}

/** Elements of one storage that one rank sends to another. */
export interface Transfer {
  storage: Storage;
  from: number;
  to: number;
  set: Intervals;
  count: number;
}
