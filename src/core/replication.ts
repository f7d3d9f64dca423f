import type { Machine } from "./machine.js";
import type { FoldTask, PointTask } from "./point_task.js";
import type { Intervals } from "./regions.js";
import type { Storage, Store } from "./store.js";
import type { Communicator } from "./task.js";

/**
 * The runtime↔rank-layer contract (control replication over MPI). Every rank runs the same
 * program and records the same launches; the rank layer checks that the ranks agree, deals
 * each launch's points out to ranks, and moves the elements each rank's points read. It is
 * registered at the package entry (src/platform.ts) and used only when there are several
 * ranks, so the core names no MPI code.
 */

/** A collective point's report: it wrote [lo, hi) of argument `arg` of launch `label`. */
export interface CollectiveWrite {
  label: string;
  arg: number;
  lo: number;
  hi: number;
}

/** One wave's points dealt out to ranks. */
export interface WavePlan {
  /** Add one launch's point tasks; returns those this rank runs (all of them when `replicated`). */
  add(tasks: readonly PointTask[], replicated: boolean): PointTask[];
  /** Some launch was split over ranks (so a task error may have struck one rank only). */
  readonly split: boolean;
  /** Bring every rank the elements its points read (a collective). */
  exchange(bufferOf: (st: Storage) => SharedArrayBuffer, label: string): void;
  /** After the points ran: record which rank holds what they wrote. */
  commit(): void;
}

export interface Replication {
  readonly rank: number;
  readonly ranks: number;
  /** Collective tasks' view of the ranks. */
  readonly comm: Communicator;
  readonly stats: { exchanges: number; bytesSent: number; bytesReceived: number; checks: number };
  /** Add an event (a launch, a blocking read) to this rank's control stream. */
  note(label: string): void;
  /** Add a launch's scalar arguments to the control stream. */
  noteValues(name: string, values: readonly unknown[]): void;
  /** Add data a program attached to the control stream (`preview`: what to print if ranks differ). */
  noteData(label: string, data: Uint8Array, preview: () => unknown[]): void;
  /** `value` as rank 0 has it, on every rank. */
  bcast<T>(value: T): T;
  /** Every rank learns whether any rank failed (and raises the first failure). */
  agree(failure: unknown): void;
  /** A side effect done by rank 0 alone, every rank waiting for it; its error is raised on every rank. */
  once(fn: () => void): void;
  /** Each rank r filled the elements `parts[r]` of a new storage (and holds only those). */
  filledParts(storage: Storage, parts: readonly Intervals[]): void;
  /** Every rank gets every element of `store` (a blocking read happens on all ranks alike). */
  gatherStore(store: Store, bufferOf: (st: Storage) => SharedArrayBuffer): void;
  /**
   * Renaming: `old` took over `storage`'s instance and `storage` got a new one, in which the
   * elements `keep` must be carried over. Returns the part of `keep` this rank holds (it
   * copies those; no messages).
   */
  renamed(old: Storage, storage: Storage, keep: Intervals): Intervals;
  planWave(storageOf: (id: number) => Storage): WavePlan;
  /** After collective tasks ran: every rank learns what each rank's points wrote. */
  collectiveWrites(
    mine: readonly CollectiveWrite[],
    storageOf: (id: number) => Storage,
    viewOf: (label: string, arg: number) => { storage: number; offset: number; strides: readonly number[] },
  ): void;
  /** Fold reduction partials across ranks; returns the folds left for the general path. */
  foldByAllreduce(
    folds: readonly FoldTask[],
    run: (t: PointTask) => void,
    buffer: (id: number) => SharedArrayBuffer,
    storageOf: (id: number) => Storage,
  ): FoldTask[];
}

let factory: ((machine: Machine) => Replication) | null = null;

/** Register the rank layer (the package entry does). */
export function registerReplication(make: (machine: Machine) => Replication): void {
  factory = make;
}

export function makeReplication(machine: Machine): Replication {
  if (!factory)
    throw new Error(`running as ${machine.ranks} MPI ranks, but no rank layer is registered: import the package entry ('tessera' or 'tessera/core')`);
  return factory(machine);
}
