import { type ExpandContext, type Expanded, expand } from "./expand.js";
import type { HostMemory } from "./host_memory.js";
import { log } from "./log.js";
import type { Machine } from "./machine.js";
import type { PlannedOp } from "./operation.js";
import type { FoldTask, PointTask, Resolver, View } from "./point_task.js";
import type { CpuProcessor, DeviceLaunch, DeviceProcessor } from "./processor.js";
import { now, profiling, traceSpan } from "./profile.js";
import type { CollectiveWrite, Replication } from "./replication.js";
import { HOST_MEMORY, type Storage, type Store } from "./store.js";
import { type Communicator, type TaskVariants, reads } from "./task.js";

/** Collective tasks in a single process: one point, talking to itself. */
const SINGLE_PROCESS: Communicator = { rank: 0, ranks: 1, allgather: (d) => [d.slice()], alltoallv: (parts) => parts.map((p) => p.slice()) };

type Failure = { error: unknown } | null;

/** What the executor needs from the runtime. */
export interface ExecutorHost {
  readonly machine: Machine;
  readonly host: HostMemory;
  /** The CPU processor (started on first use). */
  cpu(): CpuProcessor;
  /** The device, unless there is none or it was lost. */
  liveDevice(): DeviceProcessor | null;
  readonly dist: Replication | null;
  readonly expandContext: ExpandContext;
  variants(library: string, task: string): TaskVariants | undefined;
  /** The module a worker imports for a library's task variants. */
  moduleOf(library: string): string;
}

/**
 * Runs recorded launches, one wave (mutually independent launches) at a time: each launch is
 * expanded into point tasks where the mapper put it — inline, on the CPU workers, on the
 * device — instances are made valid where the tasks run, reduction partials are folded, and
 * across ranks each rank runs its share and exchanges what the others' points read. A
 * launch that fails does not stop the others: what it writes is poisoned (Storage.failure), so a
 * later read raises its error instead of returning stale values.
 */
export class Executor {
  /** Runtime-owned temporaries (reduction partials, unaliasing copies): freed with the window. */
  readonly transients: Store[] = [];
  /** Device launches posted since the last wait: a failure at the next wait is theirs. */
  private unconfirmed: PlannedOp[] = [];

  constructor(private readonly rt: ExecutorHost) {}

  /** Run the waves in order; returns the first failure (every launch that could run has run). */
  run(waves: readonly PlannedOp[][]): Failure {
    let first: Failure = null;
    try {
      // Every wave runs, whatever failed before (hence no `first ??= run()`, which would skip it).
      for (const wave of waves) {
        const failure = this.runWave(wave);
        first ??= failure;
      }
      const deviceFailure = this.drainDevice();
      first ??= deviceFailure;
    } finally {
      // Runtime-owned temporaries die with the window: their buffers go back to the pool.
      for (const s of this.transients.splice(0)) this.rt.host.release(s.storage);
    }
    return first;
  }

  /**
   * Poison what these launches write with `error` (Storage.failure): reading it raises that
   * error (its class and message), and a launch that reads it does not run, its own outputs
   * taking the same error. A launch that overwrites the whole storage without reading it
   * gives it valid values again.
   */
  private poison(ops: readonly PlannedOp[], error: unknown): void {
    for (const op of ops) {
      for (const a of op.accesses) if (a.write) a.store.storage.failure = { error };
      log("tasks", () => `${op.label} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  /** A storage this launch reads that a failed launch wrote, or null. */
  private poisonedInput(op: PlannedOp): Storage | null {
    const l = op.launch;
    const read = l.kind === "task" ? l.args.filter((a) => reads(a.privilege)).map((a) => a.store) : l.inputs;
    for (const s of read) if (s.storage.failure !== null) return s.storage;
    return null;
  }

  /**
   * Run one wave. A launch that reads a poisoned storage, cannot be expanded (its memory
   * cannot be allocated), or has a point task that throws or whose worker dies, fails alone:
   * the others run to the end. Returns the wave's first failure.
   */
  private runWave(wave: PlannedOp[]): Failure {
    const rt = this.rt,
      dist = rt.dist;
    const failed = new Map<PlannedOp, unknown>();
    const fail = (op: PlannedOp, e: unknown) => {
      if (!failed.has(op)) failed.set(op, e);
    };
    const inline: { op: PlannedOp; tasks: PointTask[] }[] = [];
    const batches: PointTask[][] = Array.from({ length: rt.machine.cpus }, () => []);
    /** The launch of each task in `batches`. */
    const owners: PlannedOp[][] = batches.map(() => []);
    let folds: PointTask[] = [];
    const foldOwner = new Map<PointTask, PlannedOp>();
    const deviceOps: { op: PlannedOp; task: PointTask }[] = [];
    const cpuOps: PlannedOp[] = [];
    let next = 0;
    const storageOf = dist ? this.waveStorages(wave) : null;
    const collectiveViews = new Map<string, View[]>();
    const ranks = dist ? dist.planWave(storageOf!) : null;
    for (const op of wave) {
      const bad = this.poisonedInput(op);
      if (bad) {
        fail(op, bad.failure!.error);
        continue;
      }
      let expanded: Expanded;
      try {
        expanded = expand(op, rt.expandContext);
      } catch (e) {
        fail(op, e);
        continue;
      }
      const { mapping, fold } = expanded;
      if (mapping.target !== "inline" && mapping.target !== "cpu") {
        deviceOps.push({ op, task: expanded.tasks[0] });
        continue;
      }
      // Across ranks each rank runs its share of the points (all of an inline launch; its
      // own point of a collective one).
      const collective = op.launch.kind === "task" && !!op.launch.collective;
      if (collective) collectiveViews.set(op.label, (expanded.tasks[0] as { views: View[] }).views);
      const tasks = ranks ? ranks.add(expanded.tasks, mapping.target === "inline" && !collective) : expanded.tasks;
      cpuOps.push(op);
      folds.push(...fold);
      for (const f of fold) foldOwner.set(f, op);
      rt.cpu().prepare(tasks, mapping.target !== "inline");
      if (mapping.target === "inline") inline.push({ op, tasks });
      else
        for (const t of tasks) {
          const w = next++ % batches.length;
          batches[w].push(t);
          owners[w].push(op);
        }
    }
    const reports: CollectiveWrite[] = [];
    const resolver: Resolver = {
      buffer: (id: number) => rt.host.byId(id),
      variants: (libName: string, task: string) => {
        const v = rt.variants(libName, task);
        if (!v) throw new Error(`task ${libName}.${task} is not registered`);
        return v;
      },
      collective: {
        comm: dist ? dist.comm : SINGLE_PROCESS,
        wrote: (t, arg, lo, hi) => {
          reports.push({ label: t.label, arg, lo, hi });
        },
      },
    };
    const runTask = (op: PlannedOp, t: PointTask) => {
      if (failed.has(op)) return;
      const start = profiling() ? now() : 0;
      try {
        rt.cpu().run(t, resolver);
      } catch (e) {
        fail(op, e);
      }
      if (start) traceSpan(t.label, 0, start, now());
    };
    const runInline = () => {
      for (const { op, tasks } of inline) for (const t of tasks) runTask(op, t);
    };
    // Coherence: CPU work needs current host instances, device work current device instances.
    // Device-only waves are posted without waiting: the device runs batches in order, so the
    // next wave may queue behind this one. CPU work waits for the device queue first, as does
    // the end of the flush.
    // Launches of one wave touch disjoint parts of a storage, but a storage has one current
    // instance: device launches that write a storage CPU launches of this wave also write run
    // after them, reading their result (the device instance is brought up to date first).
    const cpuWrites = new Set<Storage>();
    for (const op of cpuOps) for (const a of op.accesses) if (a.write) cpuWrites.add(a.store.storage);
    const deferred = deviceOps.filter(({ op }) => op.accesses.some((a) => a.write && cpuWrites.has(a.store.storage)));
    if (deferred.length) deviceOps.splice(0, deviceOps.length, ...deviceOps.filter((g) => !deferred.includes(g)));
    const device = rt.liveDevice();
    const cpuWork = cpuOps.length > 0;
    let skipCpu = false;
    if (device) {
      if (cpuWork) this.drainDevice();
      try {
        device.start(this.hostNeeded(cpuOps), deviceOps.map(deviceLaunch));
        this.unconfirmed.push(...deviceOps.map((g) => g.op));
      } catch (e) {
        // Instances could not be brought where this wave needs them: none of it runs.
        for (const op of [...cpuOps, ...deviceOps.map((g) => g.op)]) fail(op, e);
        skipCpu = true;
      }
    }
    const bufferOf = (st: Storage) => rt.host.host(st);
    if (ranks) ranks.exchange(bufferOf, wave[0].label);
    try {
      if (!skipCpu) this.runCpu(batches, owners, runInline, runTask, fail, resolver);
    } catch (e) {
      // Not a task's failure (the pool could not start…): none of this CPU work is known to have run.
      for (const op of cpuOps) fail(op, e);
    } finally {
      // Device launches of this wave that fail at the wait fail here; earlier waves' are poisoned by drainDevice.
      if (cpuWork) this.drainDevice(fail);
    }
    let agreed = false;
    if (ranks && dist) {
      // A failure in one rank's points reaches every rank (the others ran fine), and every
      // rank then counts every launch of the wave as failed, so all make the same decisions.
      if (ranks.split) {
        const mine = cpuOps.find((op) => failed.has(op));
        try {
          dist.agree(mine ? failed.get(mine) : null);
        } catch (e) {
          for (const op of cpuOps) fail(op, e);
          agreed = true;
        }
      }
      if (!agreed) {
        if (collectiveViews.size) dist.collectiveWrites(reports, storageOf!, (label, arg) => collectiveViews.get(label)![arg]);
        // Partial results of every rank are brought to all, and every rank folds them alike.
        ranks.commit();
        folds = dist.foldByAllreduce(
          folds.filter((f) => !failed.has(foldOwner.get(f)!)) as FoldTask[],
          (t) => rt.cpu().run(t, resolver),
          resolver.buffer,
          storageOf!,
        );
        ranks.add(folds, true);
        ranks.exchange(bufferOf, `${wave[0].label}:fold`);
        ranks.commit();
      }
    }
    if (!agreed)
      for (const f of folds) {
        const op = foldOwner.get(f);
        if (op) runTask(op, f);
        else rt.cpu().run(f, resolver);
      }
    for (const op of cpuOps) for (const a of op.accesses) if (a.write) a.store.storage.residency.wroteIn(HOST_MEMORY);
    if (device) for (const { op } of deviceOps) for (const a of op.accesses) if (a.write) a.store.storage.residency.wroteIn(device.memory);
    let first: Failure = null;
    const later = new Set(deferred.map((g) => g.op));
    for (const op of wave) {
      if (later.has(op)) continue;
      if (failed.has(op)) {
        const error = failed.get(op);
        this.poison([op], error);
        first ??= { error };
      } else {
        // Every element written anew, none read from a poisoned storage: valid again.
        for (const a of op.accesses) if (a.write && a.store.isWhole()) a.store.storage.failure = null;
      }
    }
    if (later.size) {
      const failure = this.runWave([...later]);
      first ??= failure;
    }
    return first;
  }

  /** Storages the wave's CPU launches use whose host instance is not current. */
  private hostNeeded(cpuOps: readonly PlannedOp[]): Storage[] {
    const need = new Set<Storage>();
    for (const op of cpuOps) for (const a of op.accesses) if (!a.store.storage.hostValid) need.add(a.store.storage);
    return [...need];
  }

  /** Storages by id for one wave: its launches' stores and the runtime's temporaries. */
  private waveStorages(wave: PlannedOp[]): (id: number) => Storage {
    const byId = new Map<number, Storage>();
    for (const op of wave) for (const a of op.accesses) byId.set(a.store.storage.id, a.store.storage);
    return (id) => {
      // Temporaries (reduction partials) appear as the wave's launches are expanded.
      if (!byId.has(id)) for (const s of this.transients) byId.set(s.storage.id, s.storage);
      const st = byId.get(id);
      if (!st) throw new Error(`internal: storage ${id} is not part of this wave`);
      return st;
    };
  }

  /**
   * Run the wave's point tasks: `batches` on the workers while `runInline` runs here. Failed
   * tasks fail their launch (`owners`); tasks a dead worker never reached run here instead
   * (the pool restarts at its next use).
   */
  private runCpu(
    batches: PointTask[][],
    owners: PlannedOp[][],
    runInline: () => void,
    runTask: (op: PlannedOp, t: PointTask) => void,
    fail: (op: PlannedOp, e: unknown) => void,
    resolver: Resolver,
  ): void {
    if (!batches.some((b) => b.length)) {
      runInline();
      return;
    }
    const { timings, outcomes } = this.rt.cpu().runBatches(batches, resolver, (name) => this.rt.moduleOf(name), runInline);
    if (profiling()) for (const t of timings) traceSpan(t.label, t.worker + 1, t.start, t.end);
    outcomes.forEach((o, w) => {
      for (const [i, e] of o.failed) {
        if (i >= 0) fail(owners[w][i], e);
        else for (const op of owners[w]) fail(op, e);
      }
    });
    outcomes.forEach((o, w) => {
      for (let i = o.unrunFrom; i < batches[w].length; i++) runTask(owners[w][i], batches[w][i]);
    });
  }

  /**
   * Wait for every posted device batch. Errors surface here: the launches not yet confirmed
   * fail, through `fail` for those of the wave being run, poisoned at once for earlier ones.
   */
  drainDevice(fail?: (op: PlannedOp, e: unknown) => void): Failure {
    const ops = this.unconfirmed.splice(0);
    const device = this.rt.liveDevice();
    if (!device) return null;
    try {
      device.finish();
      return null;
    } catch (error) {
      for (const op of ops) {
        if (fail) fail(op, error);
        else this.poison([op], error);
      }
      return { error };
    }
  }
}

/** A device launch and how it uses each store: a whole store only written needs no upload; one a task also reads does. */
function deviceLaunch({ op, task }: { op: PlannedOp; task: PointTask }): DeviceLaunch {
  const l = op.launch;
  const readsToo = (st: Storage) => l.kind === "task" && l.args.some((x) => x.store.storage === st && reads(x.privilege));
  return {
    task,
    accesses: op.accesses.map((a) => ({ store: a.store, write: a.write, overwrite: a.write && a.store.isWhole() && !readsToo(a.store.storage) })),
  };
}
