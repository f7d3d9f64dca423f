import { Storage } from "../core/store.js";
import { ValueError } from "../core/errors.js";
import { TaskError } from "../backends/cpu/pool.js";
import { log } from "../core/log.js";
import { now, profileEvents, profileWrittenElsewhere, profiling, traceSpan, writeTrace, TraceEvent } from "../core/profile.js";
import { Intervals, isEmpty } from "./intervals.js";
import { Mpi } from "./mpi.js";
import { Shards, Transfer } from "./shards.js";
import { exchange } from "./exchange.js";
import { FoldTask, allreduceGroups, mpiFold } from "./fold.js";
import { footprint } from "./footprint.js";
import { PointTask } from "../backends/cpu/point_task.js";
import type { Communicator } from "../core/task.js";
import { DTYPES } from "../core/dtype.js";

/** A collective point's report: it wrote [lo, hi) of argument `arg` of launch `label`. */
export interface CollectiveWrite { label: string; arg: number; lo: number; hi: number }

/** A rank's control state as exchanged at checks: op count, hash of the op stream, last op. */
const RECORD = 96;
/** A rank's task failure as passed to the others: a flag, then [name, message] as JSON. */
const ERROR_RECORD = 1024;

export class DivergenceError extends Error {
  constructor(message: string) { super(message); this.name = "DivergenceError"; }
}

/**
 * Control replication: every rank runs the same program, records the same launches and
 * makes the same partitioning decisions, so no rank ever asks another what to do; only
 * data moves (`gather`/`exchange`). To catch a program whose control flow depends on the
 * rank, each rank hashes the stream of launches it records; the hashes are compared
 * whenever ranks communicate and at exit, and a mismatch ends the job with both ranks'
 * positions in the stream.
 *
 * Output: only rank 0 writes to stdout (TESSERA_OUTPUT=all keeps every rank's). An
 * uncaught error on any rank prints that rank's error and aborts the whole job with a
 * non-zero status, so no rank is left waiting for a message.
 */
export class ControlReplication {
  readonly rank: number;
  readonly ranks: number;
  readonly shards: Shards;
  private hash = 0x811c9dc5;
  private ops = 0;
  private last = "(start)";
  private ended = false;
  readonly stats = { exchanges: 0, bytesSent: 0, bytesReceived: 0 };

  /** Collective tasks' view of the ranks: MPI collectives, each after a control check. */
  readonly comm: Communicator;

  constructor(readonly mpi: Mpi) {
    this.rank = mpi.rank;
    this.ranks = mpi.size;
    this.comm = {
      rank: this.rank, ranks: this.ranks,
      allgather: (data) => { this.check("collective task"); return mpi.allgatherv(data); },
      alltoallv: (parts) => { this.check("collective task"); return mpi.alltoallv(parts); },
    };
    this.shards = new Shards(this.ranks);
    if (this.rank !== 0 && process.env.TESSERA_OUTPUT !== "all") {
      process.stdout.write = (() => true) as typeof process.stdout.write;
    }
    const fail = (e: unknown) => {
      const text = e instanceof Error ? e.stack ?? `${e.name}: ${e.message}` : String(e);
      process.stderr.write(`[tessera rank ${this.rank}/${this.ranks}] ${text}\n`);
      this.mpi.abort(1);
    };
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    process.on("exit", (code) => this.end(code));
    profileWrittenElsewhere();
  }

  /** Add a launch (or a blocking read) to this rank's control stream. */
  note(label: string): void {
    let h = this.hash;
    for (let i = 0; i < label.length; i++) { h ^= label.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    this.hash = h >>> 0;
    this.ops++;
    this.last = label;
  }

  /**
   * Compare control streams across ranks (a collective). Throws DivergenceError on every
   * rank when they differ.
   */
  check(where: string): void {
    // One allreduce (log R steps) finds whether all agree; only a mismatch gathers details.
    const m = this.mpi.allreduce(Float64Array.from([this.ops, this.hash, -this.ops, -this.hash]), "max");
    if (m[0] === -m[2] && m[1] === -m[3]) return;
    const mine = this.record(where);
    const all = this.mpi.allgather(mine);
    const view = new DataView(all.buffer);
    const ref = { ops: view.getUint32(0, true), hash: view.getUint32(4, true) };
    for (let r = 1; r < this.ranks; r++) {
      const ops = view.getUint32(r * RECORD, true), hash = view.getUint32(r * RECORD + 4, true);
      if (ops !== ref.ops || hash !== ref.hash) {
        const at = (k: number) => `rank ${k} is at launch ${view.getUint32(k * RECORD, true)} (${decode(all.subarray(k * RECORD + 8, (k + 1) * RECORD))})`;
        throw new DivergenceError(`control flow differs between ranks: ${at(0)}, ${at(r)}. Every rank must run the same operations; branch on values all ranks share, not on the rank.`);
      }
    }
  }

  /**
   * After points split over ranks ran: if any rank's points failed, every rank throws (the
   * failing rank its own error; the others that error's class and message, naming the rank).
   */
  agree(failure: unknown): void {
    const mine = new Uint8Array(ERROR_RECORD);
    if (failure !== null) {
      const e = failure instanceof Error ? failure : new Error(String(failure));
      mine[0] = 1;
      mine.set(new TextEncoder().encode(JSON.stringify([e.name, e.message])).subarray(0, ERROR_RECORD - 1), 1);
    }
    const all = this.mpi.allgather(mine);
    if (failure !== null) throw failure;
    for (let r = 0; r < this.ranks; r++) {
      if (all[r * ERROR_RECORD] !== 1) continue;
      let name = "Error", message = "";
      try { [name, message] = JSON.parse(decode(all.subarray(r * ERROR_RECORD + 1, (r + 1) * ERROR_RECORD))); } catch { message = "(message too long to pass on)"; }
      if (name === "ValueError") throw new ValueError(message);
      if (name === "TaskError") throw new TaskError(message);
      const e = new Error(`${message} (on rank ${r})`);
      e.name = name;
      throw e;
    }
  }

  private record(where: string): Uint8Array {
    const rec = new Uint8Array(RECORD);
    const view = new DataView(rec.buffer);
    view.setUint32(0, this.ops, true);
    view.setUint32(4, this.hash, true);
    rec.set(new TextEncoder().encode(`${where} after ${this.last}`).subarray(0, RECORD - 8), 8);
    return rec;
  }

  /**
   * Make every rank hold `needs[r]` of each storage (a collective: every rank calls it with
   * the same argument). Nothing is sent when each rank already holds what it needs.
   */
  gather(needs: Map<Storage, Intervals[]>, bufferOf: (st: Storage) => SharedArrayBuffer, label: string): void {
    const plan: Transfer[] = [];
    for (const [st, sets] of needs) if (sets.some((s) => !isEmpty(s))) plan.push(...this.shards.plan(st, sets));
    if (plan.length === 0) return;
    const start = profiling() ? now() : 0;
    this.check(`exchange for ${label}`);
    const { sent, received } = exchange(this.mpi, plan, bufferOf);
    for (const t of plan) this.shards.received(t.storage, t.to, t.set);
    this.stats.exchanges++;
    this.stats.bytesSent += sent;
    this.stats.bytesReceived += received;
    if (start) traceSpan(`exchange ${label}`, 0, start, now(), { sent, received });
    log("dist", () => `rank ${this.rank}: exchange for ${label}: ${plan.length} transfer(s), sent ${sent} B, received ${received} B`);
  }

  /**
   * Combine reduction partials across ranks with MPI_Allreduce (log R steps) rather than
   * sending every partial to every rank: this rank first folds its own partials (`run`) into
   * one accumulator (the output on rank 0, which owns point 0; else its first partial), then
   * one allreduce leaves the result in the output on every rank. Returns the folds that
   * need the general path.
   */
  foldByAllreduce(folds: readonly FoldTask[], run: (t: PointTask) => void, buffer: (id: number) => SharedArrayBuffer, storageOf: (id: number) => Storage): FoldTask[] {
    const { groups, rest } = allreduceGroups(folds, this.ranks);
    for (const g of groups) {
      const n = g[0].points, out = g[0].views[0];
      const owner = (p: number) => Math.floor((p * this.ranks) / n);
      const mine = g.filter((f) => owner(f.point) === this.rank);
      // Rank 0 owns point 0, whose result is already in the output.
      const acc = this.rank === 0 ? out : mine[0].views[1];
      for (const f of mine) if (f.views[1] !== acc) run({ ...f, views: [acc, f.views[1]] });
      const dt = DTYPES[g[0].acc], size = g[0].shape.reduce((a, b) => a * b, 1);
      const mpi = mpiFold(g[0].op, g[0].acc)!;
      const send = new Uint8Array(buffer(acc.storage), acc.offset * dt.itemsize, size * dt.itemsize).slice();
      const recv = new Uint8Array(buffer(out.storage), out.offset * dt.itemsize, size * dt.itemsize);
      const start = profiling() ? now() : 0;
      this.check(`allreduce for ${g[0].label}`);
      this.mpi.allreduceTyped(send, recv, size, mpi.type, mpi.op);
      if (start) traceSpan(`allreduce ${g[0].label}`, 0, start, now(), { bytes: send.byteLength });
      this.shards.wrote(storageOf(out.storage), "all", footprint(out.offset, out.strides, g[0].shape.map(() => 0), g[0].shape).set);
    }
    return rest;
  }



  /**
   * After collective tasks ran: every rank learns what every other rank's point wrote
   * (reported by the points, since it depends on the data) and updates the table.
   */
  collectiveWrites(mine: readonly CollectiveWrite[], storageOf: (id: number) => Storage, viewOf: (label: string, arg: number) => { storage: number; offset: number; strides: readonly number[] }): void {
    const all = this.mpi.allgatherv(new TextEncoder().encode(JSON.stringify(mine)));
    all.forEach((bytes, r) => {
      for (const w of JSON.parse(new TextDecoder().decode(bytes)) as CollectiveWrite[]) {
        const v = viewOf(w.label, w.arg);
        this.shards.wrote(storageOf(v.storage), r, footprint(v.offset, v.strides, [w.lo], [w.hi]).set);
      }
    });
  }

  /** At exit: a last control check (a rank that skipped work is caught here), the merged profile, MPI_Finalize. */
  private end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    // A failing rank (a failed test sets the exit code) ends the job rather than leave the
    // others waiting in the exit check.
    if (code !== 0) this.mpi.abort(code);
    try { this.check("exit"); } catch (e) {
      process.stderr.write(`[tessera rank ${this.rank}/${this.ranks}] ${(e as Error).message}\n`);
      this.mpi.abort(1);
    }
    if (profiling()) {
      const mine = new TextEncoder().encode(JSON.stringify(profileEvents().map((e) => ({ ...e, pid: this.rank }))));
      const all = this.mpi.gatherv(mine, 0);
      if (all) writeTrace(all.flatMap((b) => JSON.parse(new TextDecoder().decode(b)) as TraceEvent[]), (pid) => `rank ${pid}`);
    }
    this.mpi.finalize();
  }
}

function decode(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}
