import type {
  CollectiveWrite,
  Communicator,
  FoldTask,
  Intervals,
  Machine,
  PointTask,
  Replication,
  Storage,
  Store,
  TraceEvent,
  WavePlan,
} from "../core/index.js";
import {
  DTYPES,
  DivergenceError,
  EMPTY,
  TaskError,
  ValueError,
  footprint,
  intersect,
  isEmpty,
  log,
  now,
  profileEvents,
  profileWrittenElsewhere,
  profiling,
  setting,
  traceSpan,
  writeTrace,
} from "../core/index.js";
import { Mpi } from "./mpi.js";
import { Shards, type Transfer } from "./shards.js";
import { exchange } from "./exchange.js";
import { allreduceGroups, mpiFold } from "./fold.js";
import { ControlHash } from "./hash.js";
import { RankPlan } from "./rank_plan.js";

/** A rank's task failure as passed to the others: a flag, then [name, message] as JSON. */
const ERROR_RECORD = 1024;
/** Control events remembered per rank, to name the first one where ranks differ. */
const HISTORY = 256;

/**
 * Kinds of collective step. Every group of MPI calls starts with a control check carrying
 * its kind, so a rank that reached another step (or exited) is reported, never met by a
 * mismatched collective.
 */
const KIND = { exit: 1, exchange: 2, allreduce: 3, agree: 4, writes: 5, collective: 6, bcast: 7, check: 8 } as const;
type Kind = keyof typeof KIND;

/** A rank's view of the stream, exchanged only when ranks disagree. */
interface Position {
  ops: number;
  syncs: number;
  kind: number;
  a: number;
  b: number;
  where: string;
  last: string;
  /** Recent events, oldest first: [event number, hash lane a, hash lane b, label, values]. */
  history: [number, number, number, string, string][];
}

/**
 * Control replication: every rank runs the same program, records the same launches and
 * makes the same partitioning decisions, so no rank ever asks another what to do; only
 * data moves (`gather`/`exchange`). To catch a program whose control flow or values depend
 * on the rank, each rank keeps a running hash of its control stream: the launches it
 * records, their scalar values and the bytes of host arrays it attaches. Before every
 * collective step (and at exit) the ranks compare the hash, their launch and step counts
 * and the kind of step they are at, in one small allreduce; a mismatch ends the job with
 * the first event where the ranks differ. Values that differ per rank by nature (a clock,
 * Math.random, a file only one rank reads) must be shared with `bcast`.
 *
 * Output: only rank 0 writes to stdout (TESSERA_OUTPUT=all keeps every rank's). An
 * uncaught error on any rank prints that rank's error and aborts the whole job with a
 * non-zero status, so no rank is left waiting for a message.
 */
export class ControlReplication implements Replication {
  readonly rank: number;
  readonly ranks: number;
  readonly shards: Shards;
  private readonly hash = new ControlHash();
  private ops = 0;
  private syncs = 0;
  private events = 0;
  private last = "(start)";
  private ended = false;
  private readonly histHash = new Int32Array(2 * HISTORY);
  private readonly histLabel: string[] = new Array(HISTORY).fill("");
  private readonly histValues: unknown[] = new Array(HISTORY).fill(null);
  private readonly state = new Float64Array(11);
  private readonly agreed = new Float64Array(11);
  readonly stats = { exchanges: 0, bytesSent: 0, bytesReceived: 0, checks: 0 };

  /** Collective tasks' view of the ranks: MPI collectives, each after a control check. */
  readonly comm: Communicator;

  constructor(readonly mpi: Mpi) {
    this.rank = mpi.rank;
    this.ranks = mpi.size;
    this.comm = {
      rank: this.rank,
      ranks: this.ranks,
      allgather: (data) => {
        this.sync("collective task", "collective");
        return mpi.allgatherv(data);
      },
      alltoallv: (parts) => {
        this.sync("collective task", "collective");
        return mpi.alltoallv(parts);
      },
    };
    this.shards = new Shards(this.ranks);
    if (this.rank !== 0 && setting("TESSERA_OUTPUT") !== "all") {
      process.stdout.write = (() => true) as typeof process.stdout.write;
    }
    const fail = (e: unknown) => {
      const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
      process.stderr.write(`[tessera rank ${this.rank}/${this.ranks}] ${text}\n`);
      this.mpi.abort(1);
    };
    process.on("uncaughtException", fail);
    process.on("unhandledRejection", fail);
    process.on("exit", (code) => this.end(code));
    profileWrittenElsewhere();
  }

  private remember(label: string, values: unknown): void {
    const i = this.events++ % HISTORY;
    this.histHash[2 * i] = this.hash.a;
    this.histHash[2 * i + 1] = this.hash.b;
    this.histLabel[i] = label;
    this.histValues[i] = values;
  }

  /** Add a launch (or a blocking read) to this rank's control stream. */
  note(label: string): void {
    this.hash.string(label);
    this.ops++;
    this.last = label;
    this.remember(label, null);
  }

  /** Add the scalar values of an operation `name` to the control stream (by their bits). */
  noteValues(name: string, values: readonly unknown[]): void {
    if (values.length === 0) return;
    const h = this.hash;
    h.word(values.length);
    let keep = values.length <= 16;
    for (const v of values) {
      h.value(v);
      if (typeof v === "object" && v !== null && ArrayBuffer.isView(v)) keep = false;
    }
    // Kept for a divergence report, unless large (the history must not hold big buffers).
    this.remember(`${name} (scalar values)`, keep ? values : `(${values.length} values)`);
  }

  /** Add host data attached to a new store (every byte) to the control stream. */
  noteData(label: string, data: Uint8Array, preview: () => unknown[]): void {
    this.hash.string(label);
    this.hash.bytes(data);
    this.remember(`${label} (data)`, preview());
  }

  /**
   * Compare control streams across ranks (a collective). Throws DivergenceError on every
   * rank when they differ.
   */
  check(where: string): void {
    this.sync(where, "check");
  }

  /**
   * The control check that starts every collective step: one allreduce (log R steps) of
   * this rank's launch count, hash, step count and step kind (and their negations, so that
   * max finds both extremes), plus `flag`. Returns the largest flag over the ranks. Only a
   * mismatch gathers details, then throws DivergenceError on every rank.
   */
  private sync(where: string, kind: Kind, flag = 0): number {
    this.syncs++;
    this.stats.checks++;
    const s = this.state;
    s[0] = this.ops;
    s[1] = this.hash.a;
    s[2] = this.hash.b;
    s[3] = this.syncs;
    s[4] = KIND[kind];
    for (let i = 0; i < 5; i++) s[5 + i] = -s[i];
    s[10] = flag;
    const m = this.agreed;
    this.mpi.allreduceTyped(new Uint8Array(s.buffer), new Uint8Array(m.buffer), 11, "double", "max");
    for (let i = 0; i < 5; i++) if (m[i] !== -m[5 + i]) this.diverged(where, kind);
    return m[10];
  }

  private diverged(where: string, kind: Kind): never {
    const size = Math.min(this.events, HISTORY);
    const history: Position["history"] = [];
    for (let e = this.events - size; e < this.events; e++) {
      const i = e % HISTORY;
      history.push([e, this.histHash[2 * i], this.histHash[2 * i + 1], this.histLabel[i], show(this.histValues[i])]);
    }
    const pos: Position = {
      ops: this.ops,
      syncs: this.syncs,
      kind: KIND[kind],
      a: this.hash.a,
      b: this.hash.b,
      where: kind === "exit" ? "exit (the program ended)" : where,
      last: this.last,
      history,
    };
    const all = this.mpi.allgatherv(new TextEncoder().encode(JSON.stringify(pos))).map((b) => JSON.parse(new TextDecoder().decode(b)) as Position);
    throw new DivergenceError(describeDivergence(all));
  }

  /**
   * After points split over ranks ran: if any rank's points failed, every rank throws (the
   * failing rank its own error; the others that error's class and message, naming the rank).
   */
  agree(failure: unknown): void {
    if (!this.sync("agreement on task errors", "agree", failure === null ? 0 : 1)) return;
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
      let name = "Error",
        message = "";
      try {
        [name, message] = JSON.parse(decode(all.subarray(r * ERROR_RECORD + 1, (r + 1) * ERROR_RECORD)));
      } catch {
        message = "(message too long to pass on)";
      }
      if (name === "ValueError") throw new ValueError(message);
      if (name === "TaskError") throw new TaskError(message);
      const e = new Error(`${message} (on rank ${r})`);
      e.name = name;
      throw e;
    }
  }

  /**
   * `value` as rank 0 has it, on every rank (a collective): a JSON-serialisable value, a
   * number (by its bits), a bigint or a typed array. Every rank gets a decoded copy, rank 0
   * included, so all ranks hold equal values.
   */
  bcast<T>(value: T): T {
    this.sync("bcast", "bcast");
    let payload: Uint8Array = new Uint8Array(0),
      tag = 0,
      ctor = 0;
    if (this.rank === 0) ({ payload, tag, ctor } = encodeValue(value));
    const head = Float64Array.of(tag, ctor, payload.byteLength);
    this.mpi.bcast(new Uint8Array(head.buffer), 0);
    if (this.rank !== 0) payload = new Uint8Array(head[2]);
    if (payload.byteLength) this.mpi.bcast(payload, 0);
    this.note("bcast");
    return decodeValue(head[0], head[1], payload) as T;
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
    this.sync(`exchange for ${label}`, "exchange");
    const { sent, received } = exchange(this.mpi, plan, bufferOf);
    for (const t of plan) this.shards.received(t.storage, t.to, t.set);
    this.stats.exchanges++;
    this.stats.bytesSent += sent;
    this.stats.bytesReceived += received;
    if (start) traceSpan(`exchange ${label}`, 0, start, now(), { sent, received });
    log("dist", () => `rank ${this.rank}: exchange for ${label}: ${plan.length} transfer(s), sent ${sent} B, received ${received} B`);
  }

  once(fn: () => void): void {
    let failed: unknown = null;
    // Every rank gets here first: the side effect (removing or rewriting a file) must not
    // overtake a slower rank still reading what came before it.
    this.check("once");
    if (this.rank === 0) {
      try {
        fn();
      } catch (e) {
        failed = e;
      }
    }
    this.note("once");
    this.agree(failed);
  }

  filledParts(storage: Storage, parts: readonly Intervals[]): void {
    this.note(`filled parts of storage ${storage.id}`);
    this.shards.restrict(storage, EMPTY);
    parts.forEach((set, r) => this.shards.received(storage, r, set));
  }

  /** Every rank gets every element of `store` (a blocking read happens on all ranks alike). */
  gatherStore(store: Store, bufferOf: (st: Storage) => SharedArrayBuffer): void {
    this.note(`read(${store.shape.join("x")})`);
    if (store.size === 0) return;
    const { set } = footprint(
      store.offset,
      store.strides,
      store.shape.map(() => 0),
      store.shape,
    );
    const needs = new Map([[store.storage, Array.from({ length: this.ranks }, () => set)]]);
    this.gather(needs, bufferOf, `read of storage ${store.storage.id}`);
  }

  renamed(old: Storage, storage: Storage, keep: Intervals): Intervals {
    this.shards.inherit(old, storage);
    const mine = intersect(keep, this.shards.of(old)[this.rank]);
    this.shards.restrict(storage, keep);
    return mine;
  }

  planWave(storageOf: (id: number) => Storage): WavePlan {
    return new RankPlan(this, storageOf);
  }

  /**
   * Combine reduction partials across ranks with MPI_Allreduce (log R steps) rather than
   * sending every partial to every rank: this rank first folds its own partials (`run`) into
   * one accumulator (the output on rank 0, which owns point 0; else its first partial), then
   * one allreduce leaves the result in the output on every rank. Returns the folds that
   * need the general path.
   */
  foldByAllreduce(
    folds: readonly FoldTask[],
    run: (t: PointTask) => void,
    buffer: (id: number) => SharedArrayBuffer,
    storageOf: (id: number) => Storage,
  ): FoldTask[] {
    const { groups, rest } = allreduceGroups(folds, this.ranks);
    for (const g of groups) {
      const n = g[0].points,
        out = g[0].views[0];
      const owner = (p: number) => Math.floor((p * this.ranks) / n);
      const mine = g.filter((f) => owner(f.point) === this.rank);
      // Rank 0 owns point 0, whose result is already in the output.
      const acc = this.rank === 0 ? out : mine[0].views[1];
      for (const f of mine) if (f.views[1] !== acc) run({ ...f, views: [acc, f.views[1]] });
      const dt = DTYPES[g[0].acc],
        size = g[0].shape.reduce((a, b) => a * b, 1);
      const mpi = mpiFold(g[0].op, g[0].acc)!;
      const send = new Uint8Array(buffer(acc.storage), acc.offset * dt.itemsize, size * dt.itemsize).slice();
      const recv = new Uint8Array(buffer(out.storage), out.offset * dt.itemsize, size * dt.itemsize);
      const start = profiling() ? now() : 0;
      this.sync(`allreduce for ${g[0].label}`, "allreduce");
      this.mpi.allreduceTyped(send, recv, size, mpi.type, mpi.op);
      if (start) traceSpan(`allreduce ${g[0].label}`, 0, start, now(), { bytes: send.byteLength });
      this.shards.wrote(
        storageOf(out.storage),
        "all",
        footprint(
          out.offset,
          out.strides,
          g[0].shape.map(() => 0),
          g[0].shape,
        ).set,
      );
    }
    return rest;
  }

  /**
   * After collective tasks ran: every rank learns what every other rank's point wrote
   * (reported by the points, since it depends on the data) and updates the table.
   */
  collectiveWrites(
    mine: readonly CollectiveWrite[],
    storageOf: (id: number) => Storage,
    viewOf: (label: string, arg: number) => { storage: number; offset: number; strides: readonly number[] },
  ): void {
    this.sync("writes of collective tasks", "writes");
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
    try {
      this.sync("exit", "exit");
    } catch (e) {
      process.stderr.write(`[tessera rank ${this.rank}/${this.ranks}] ${(e as Error).name}: ${(e as Error).message}\n`);
      this.mpi.abort(1);
    }
    if (profiling()) {
      const mine = new TextEncoder().encode(JSON.stringify(profileEvents().map((e) => ({ ...e, pid: this.rank }))));
      const all = this.mpi.gatherv(mine, 0);
      if (all)
        writeTrace(
          all.flatMap((b) => JSON.parse(new TextDecoder().decode(b)) as TraceEvent[]),
          (pid) => `rank ${pid}`,
        );
    }
    this.mpi.finalize();
  }
}

function decode(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}

/** A remembered value list, short, for a divergence report (numbers by their bits where text hides them). */
function show(v: unknown): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  const one = (x: unknown): string => {
    if (typeof x === "number") {
      if (Object.is(x, -0)) return "-0";
      if (Number.isNaN(x)) {
        const f = Float64Array.of(x);
        return `NaN(0x${new BigUint64Array(f.buffer)[0].toString(16)})`;
      }
      return String(x);
    }
    if (typeof x === "bigint") return `${x}n`;
    if (typeof x === "string") return JSON.stringify(x);
    if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as ArrayLike<unknown>).length})`;
    if (Array.isArray(x)) return `[${x.slice(0, 8).map(one).join(", ")}${x.length > 8 ? ", …" : ""}]`;
    if (x && typeof x === "object") {
      try {
        return JSON.stringify(x, (_k, y) => (typeof y === "bigint" ? `${y}n` : y)) ?? String(x);
      } catch {
        return String(x);
      }
    }
    return String(x);
  };
  const text = one(v);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The report of a divergence: the first event where two ranks' streams differ, and where each rank is. */
function describeDivergence(all: Position[]): string {
  const same = (p: Position, q: Position) => p.ops === q.ops && p.syncs === q.syncs && p.kind === q.kind && p.a === q.a && p.b === q.b;
  let r = all.findIndex((p) => !same(p, all[0]));
  if (r < 0) r = 1;
  const p = all[0],
    q = all[r];
  const at = (k: number, x: Position) => `rank ${k} is at ${x.where} after launch ${x.ops} (${x.last})`;
  const mine = new Map(p.history.map((h) => [h[0], h]));
  let first = "",
    values = false;
  for (const h of q.history) {
    const g = mine.get(h[0]);
    if (!g || (g[1] === h[1] && g[2] === h[2])) continue;
    const older = h[0] === Math.max(p.history[0][0], q.history[0][0]) && h[0] > 0 ? " (or an earlier one, beyond the events remembered)" : "";
    if (g[3] !== h[3]) first = `the first difference is event ${h[0]}${older}: rank 0 ran ${g[3]}, rank ${r} ran ${h[3]}`;
    else {
      values = true;
      first = `the first difference is event ${h[0]}${older}, ${h[3]}${g[4] || h[4] ? `: ${g[4]} on rank 0, ${h[4]} on rank ${r}` : ""}`;
    }
    break;
  }
  if (!first) {
    const n = (x: Position) => (x.history.length ? x.history[x.history.length - 1][0] + 1 : 0);
    if (n(p) !== n(q)) {
      const [short, long, k, kl] = n(p) < n(q) ? [p, q, 0, r] : [q, p, r, 0];
      const next = long.history.find((h) => h[0] === n(short));
      first = `rank ${k} stopped after event ${n(short)}${next ? `, where rank ${kl} went on with ${next[3]}` : ""}`;
    }
  }
  return `${values ? "values differ" : "control flow differs"} between ranks: ${first ? `${first}; ` : ""}${at(0, p)}, ${at(r, q)}. Every rank must run the same operations with the same values: branch on values all ranks share, not on the rank, and share per-rank values (Math.random(), Date.now(), a file only some ranks read) with runtime().bcast(value).`;
}

/** Tags of `bcast` payloads. */
const TYPED = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

function encodeValue(v: unknown): { payload: Uint8Array; tag: number; ctor: number } {
  if (typeof v === "number") return { payload: new Uint8Array(Float64Array.of(v).buffer), tag: 1, ctor: 0 };
  if (typeof v === "bigint") return { payload: new TextEncoder().encode(v.toString()), tag: 2, ctor: 0 };
  if (v === undefined) return { payload: new Uint8Array(0), tag: 3, ctor: 0 };
  if (ArrayBuffer.isView(v)) {
    const ctor = TYPED.findIndex((c) => v instanceof c);
    if (ctor < 0) throw new TypeError(`bcast: a ${v.constructor.name} cannot be sent (use a typed array)`);
    return { payload: new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice(), tag: 4, ctor };
  }
  const text = JSON.stringify(v);
  if (text === undefined) throw new TypeError(`bcast: a ${typeof v} is not JSON-serialisable`);
  return { payload: new TextEncoder().encode(text), tag: 0, ctor: 0 };
}

function decodeValue(tag: number, ctor: number, payload: Uint8Array): unknown {
  switch (tag) {
    case 1:
      return new Float64Array(payload.buffer, payload.byteOffset, 1)[0];
    case 2:
      return BigInt(new TextDecoder().decode(payload));
    case 3:
      return undefined;
    case 4: {
      const C = TYPED[ctor];
      return new C(payload.slice().buffer as ArrayBuffer);
    }
    default:
      return JSON.parse(new TextDecoder().decode(payload));
  }
}

/** The rank layer for this process: MPI is initialised and must agree with the launcher's numbering. */
export function startRanks(machine: Machine): ControlReplication {
  const mpi = Mpi.init();
  if (mpi.size !== machine.ranks || mpi.rank !== machine.rank)
    throw new Error(`MPI reports rank ${mpi.rank} of ${mpi.size}, the launcher rank ${machine.rank} of ${machine.ranks}`);
  return new ControlReplication(mpi);
}
