import { type Expr, load, nodeCount, relocate, visit } from "./kernel_ir.js";
import { log } from "./log.js";
import { writtenStores } from "./operation.js";
import { canReclaim, reclaim, registry } from "./reclaim.js";
import { setting } from "./settings.js";
import { type Storage, Store, sameArray } from "./store.js";
import type { Launch, MapLaunch, ReduceLaunch } from "./task.js";

/** Lazy values kept per version as candidates for sibling fusion. */
const MAX_TERMINALS = 8;
/** Sibling fusion pays off only when the shared work is large. */
const SIBLING_MIN_SIZE = 1 << 16;
/** Lazy values reading storages this small are not watched for death (see makeLazy). */
export const WATCH_MIN_SIZE = 1 << 16;

/** One version of a storage's contents, read by `readers` lazy values; `snapshot` holds it once overwritten. */
export interface LeafVersion {
  storage: Storage;
  readers: number;
  snapshot: Storage | null;
  /** Lazy values reading this version that no other lazy value has spliced (newest last, a few). */
  terminals: LazyValue[];
}
/** What a `ref` leaf points at: a view, and the version of the contents it must read. */
interface LeafRef {
  store: Store;
  version: LeafVersion;
}
/** An elementwise value not computed yet: its open expression and the contents it reads. */
export interface LazyValue {
  out: Store;
  name: string;
  expr: Expr;
  versions: Set<LeafVersion>;
  size: number;
  inputs: number;
  epoch: number;
}
/** Open-form expressions of one launch, with the versions they read and bounds on their node and input counts. */
interface Opened {
  exprs: Expr[];
  versions: LeafVersion[];
  size: number;
  inputs: number;
  spliced: Set<LazyValue>;
}

/** What fusion needs from the runtime. */
export interface FusionHost {
  /** Record a launch in the window (it runs at the next flush). */
  record(launch: Launch): void;
  createStore(shape: readonly number[], dtype: Store["dtype"]): Store;
  /** Most arrays one kernel of this kind may take on the processors in use. */
  maxKernelArgs(kind: "map" | "reduce"): number;
  /** Several ranks: garbage collection must not steer decisions (ranks collect at different times). */
  readonly replicated: boolean;
  readonly stats: { launches: number; materialized: number };
}

function dropTerminal(lz: LazyValue): void {
  for (const v of lz.versions) {
    const i = v.terminals.indexOf(lz);
    if (i >= 0) v.terminals.splice(i, 1);
  }
}

/**
 * Fusion. Elementwise launches into fresh stores are not run at first: they stay *lazy*
 * (Storage.lazy) and are spliced into whatever reads them, so chains of ufuncs and a
 * trailing reduction become one kernel with no temporaries. A lazy value is computed only
 * when it is read, used by a launch that cannot fuse it, or before one of its inputs
 * changes (then the old contents are kept in a snapshot, unless no live lazy value reads
 * them). A lazy value nobody can reach is never computed, and keeps nothing alive.
 * Storage.version is the version of a storage's contents that lazy values read.
 */
export class Fusion {
  /** Fusion on/off (TESSERA_FUSION=0 turns it off, e.g. to compare). */
  enabled = setting("TESSERA_FUSION");
  /** Sibling (horizontal) fusion on/off (TESSERA_SIBLINGS=0 turns it off). */
  siblings = setting("TESSERA_SIBLINGS");
  /** Distinct-node budget of one fused expression; beyond it inputs are materialised. */
  limit = 400;
  /**
   * Storages at least this large are worth a garbage collection (~10-20 ms) to avoid a
   * snapshot copy; below it copying is cheaper (measured: a 4096² float64 Jacobi sweep).
   */
  reclaimMinSize = 1 << 25;
  /** Blocking reads so far: lazy values made since the last one are candidates for sibling fusion. */
  epoch = 0;
  /**
   * Expression nodes that went into a launch that runs (a reduction, a write into an existing
   * array). A lazy value whose expression is among them is computed, not spliced, when read
   * again: splicing would compute it again, and a loop that carries lazy values from one
   * blocking read to the next (x = x + dt*v; e = (x*x).sum()) would recompute every earlier
   * step at each read, up to the node limit.
   */
  private readonly ran = new WeakSet<Expr>();
  /** When a lazy value dies unread, the versions it read lose a reader. */
  private readonly deaths = registry<LeafVersion[]>((vs) => {
    for (const v of vs) v.readers--;
  });

  constructor(private readonly host: FusionHost) {}

  /**
   * Submit an elementwise launch: it becomes a lazy value when it writes a fresh whole store,
   * otherwise it is recorded with its lazy inputs spliced in.
   */
  submit(launch: MapLaunch | ReduceLaunch): void {
    if (launch.kind === "reduce" && this.siblings) this.fuseSiblings(launch);
    const opened = this.open(launch);
    for (const s of writtenStores(launch)) this.beforeWrite(s);
    if (
      launch.kind === "map" &&
      launch.outputs.length === 1 &&
      isFresh(launch.outputs[0].store) &&
      !opened.versions.some((v) => v.storage === launch.outputs[0].store.storage)
    ) {
      this.makeLazy(launch.outputs[0].store, launch.name, opened);
      return;
    }
    if (opened.spliced.size) {
      const seen = new Set<Expr>();
      for (const e of opened.exprs) visit(e, (n) => this.ran.add(n), seen);
    }
    this.host.record(this.close(launch, opened.exprs));
  }

  versionOf(storage: Storage): LeafVersion {
    let v = storage.version as LeafVersion | null;
    if (!v) {
      v = { storage, readers: 0, snapshot: null, terminals: [] };
      storage.version = v;
    }
    return v;
  }

  /**
   * A launch's expressions in open form: inputs become `ref` leaves (a store and the version
   * of its contents) and scalars `value` leaves, and lazy inputs read whole are replaced by
   * their own open expression — the same node objects each time, so fused DAGs stay small.
   * A lazy input whose leaves this very launch overwrites is computed first instead. So is
   * one that would make the fused kernel too big (`limit` nodes) or give it more inputs
   * than a backend's kernels take (maxKernelArgs): the fused kernels stay bounded, and any
   * program runs however many arrays it combines.
   */
  private open(launch: MapLaunch | ReduceLaunch): Opened {
    const exprs = launch.kind === "map" ? launch.outputs.map((o) => o.expr) : [launch.value];
    const written = new Set(writtenStores(launch).map((s) => s.storage));
    const maxInputs = this.host.maxKernelArgs(launch.kind) - writtenStores(launch).length;
    // Leaves and bounds on the node and input counts are gathered on the way, so chains
    // cost O(1) per link; exact counts are taken only when a bound is exceeded.
    let memo = new Map<Expr, Expr>();
    const versions = new Set<LeafVersion>();
    let spliced = new Set<LazyValue>();
    let refs = 0;
    const leaf = (n: Expr): Expr => {
      if (n.k === "scalar") return { k: "value", value: launch.scalars[n.index], dtype: n.dtype };
      if (n.k !== "load") return n;
      const s = launch.inputs[n.arg];
      const lz = s.storage.lazy as LazyValue | null;
      let hazard = false;
      if (lz)
        for (const v of lz.versions)
          if (!v.snapshot && written.has(v.storage)) {
            hazard = true;
            break;
          }
      if (lz && !hazard && !this.ran.has(lz.expr) && s.isWhole() && sameArray(s.shape, lz.out.shape)) {
        spliced.add(lz);
        return lz.expr;
      }
      this.materialize(s.storage);
      const v = this.versionOf(s.storage);
      versions.add(v);
      refs++;
      return { k: "ref", ref: { store: s, version: v } satisfies LeafRef, dtype: n.dtype };
    };
    const build = (): Expr[] => {
      memo = new Map();
      spliced = new Set();
      versions.clear();
      refs = 0;
      return exprs.map((e) => relocate(e, leaf, memo));
    };
    let out = build();
    let size = memo.size,
      inputs = refs;
    for (const lz of spliced) {
      size += lz.size;
      inputs += lz.inputs;
      for (const v of lz.versions) versions.add(v);
    }
    if (size > this.limit) size = nodeCount(...out); // the bound double-counts shared parts
    if (inputs > maxInputs) inputs = inputCount(out); // so does this one (an array read twice)
    if (size > this.limit) {
      // Too big to fuse: compute the lazy inputs instead and read them.
      for (const s of launch.inputs) this.materialize(s.storage);
      out = build();
      size = memo.size;
      inputs = refs;
    }
    while (inputs > maxInputs) {
      // Too many arrays for one kernel: compute the lazy input that reads most of them.
      let most: LazyValue | null = null;
      for (const s of launch.inputs) {
        const lz = s.storage.lazy as LazyValue | null;
        if (lz && spliced.has(lz) && (!most || lz.inputs > most.inputs)) most = lz;
      }
      if (!most) break; // the launch's own inputs: nothing left to split
      this.materialize(most.out.storage);
      out = build();
      size = memo.size;
      for (const lz of spliced) {
        size += lz.size;
        for (const v of lz.versions) versions.add(v);
      }
      inputs = inputCount(out);
    }
    // Lazy values spliced into another launch are no longer results of their own.
    for (const p of spliced) dropTerminal(p);
    return { exprs: out, versions: [...versions], size, inputs, spliced };
  }

  /** Back to a launchable form: distinct stores become inputs, values become scalars. */
  private close<L extends MapLaunch | ReduceLaunch>(launch: L, open: Expr[]): L {
    const inputs: Store[] = [];
    const scalars: unknown[] = [];
    const leaf = (n: Expr): Expr => {
      if (n.k === "value") {
        scalars.push(n.value);
        return { k: "scalar", index: scalars.length - 1, dtype: n.dtype };
      }
      if (n.k !== "ref") return n;
      const s = refStore(n.ref as LeafRef);
      let i = inputs.findIndex((x) => x.sameView(s));
      if (i < 0) {
        inputs.push(s);
        i = inputs.length - 1;
      }
      return { k: "load", arg: i, dtype: n.dtype };
    };
    const memo = new Map<Expr, Expr>();
    const exprs = open.map((e) => relocate(e, leaf, memo));
    if (launch.kind === "map") return { ...launch, inputs, scalars, outputs: launch.outputs.map((o, i) => ({ store: o.store, expr: exprs[i] })) };
    return { ...launch, inputs, scalars, value: exprs[0], shape: launch.shape ?? launch.inputs[0].shape };
  }

  private makeLazy(out: Store, name: string, opened: Opened): void {
    out.storage.touched = true;
    const lz: LazyValue = {
      out,
      name,
      expr: opened.exprs[0],
      versions: new Set(opened.versions),
      size: opened.size,
      inputs: opened.inputs,
      epoch: this.epoch,
    };
    out.storage.lazy = lz;
    for (const v of opened.versions) {
      v.terminals.push(lz);
      if (v.terminals.length > MAX_TERMINALS) v.terminals.shift();
    }
    for (const v of opened.versions) {
      v.readers++;
      v.storage.touched = true;
    }
    // Watching for the death of a lazy value spares a snapshot copy when its inputs are
    // later overwritten; for small inputs the copy is cheaper than the watch (finalisation
    // entries slow every garbage collection). Across ranks, garbage collection must not
    // steer decisions (ranks collect at different times), so counts fall only when a lazy
    // value is computed or disposed.
    if (!this.host.replicated && opened.versions.some((v) => v.storage.size >= WATCH_MIN_SIZE))
      this.deaths.register(out.storage, opened.versions, out.storage);
  }

  /** Forget a lazy value (computed now, or dropped): its versions lose a reader. */
  unlazy(storage: Storage): LazyValue | undefined {
    const lz = storage.lazy as LazyValue | null;
    if (!lz) return undefined;
    storage.lazy = null;
    dropTerminal(lz);
    this.deaths.unregister(storage);
    for (const v of lz.versions) v.readers--;
    return lz;
  }

  /**
   * Horizontal fusion. A reduction about to compute a lazy value L alone (e.g. `call.sum()`)
   * would leave L's siblings — other lazy results made since the last blocking read from
   * the same inputs, like `put` beside `call` — to recompute their shared work later. When
   * there are such siblings, L and they are computed together by one multi-output kernel
   * (shared parts once), and the reduction reads L.
   */
  private fuseSiblings(launch: ReduceLaunch): void {
    for (const s of launch.inputs) {
      const lz = s.storage.lazy as LazyValue | null;
      if (!lz || !s.isWhole() || lz.out.size < SIBLING_MIN_SIZE) continue;
      const group = new Set<LazyValue>([lz]);
      let size = lz.size,
        args = 1 + lz.inputs;
      const maxArgs = this.host.maxKernelArgs("map");
      for (const v of lz.versions)
        for (const t of v.terminals) {
          if (group.has(t) || t.epoch !== this.epoch || t.out.storage.lazy !== t || !sameArray(t.out.shape, lz.out.shape)) continue;
          // `size` and `inputs` are bounds that count shared parts once per use: count
          // exactly before refusing (Black-Scholes' call and put read 3 arrays, bounded at 58
          // inputs each).
          const exprs = () => [...group, t].map((m) => m.expr);
          let bigger = size + t.size;
          if (bigger > this.limit) bigger = nodeCount(...exprs());
          let more = args + 1 + t.inputs;
          if (more > maxArgs) more = inputCount(exprs()) + group.size + 1;
          if (bigger > this.limit || more > maxArgs) continue;
          group.add(t);
          size = bigger;
          args = more;
        }
      if (group.size < 2) continue;
      const members = [...group];
      for (const m of members) this.unlazy(m.out.storage);
      this.host.stats.materialized += members.length;
      log("tasks", () => `materialise ${members.map((m) => `${m.name} (storage ${m.out.storage.id})`).join(", ")} together`);
      const multi: MapLaunch = {
        kind: "map",
        name: members.map((m) => m.name).join("+"),
        inputs: [],
        outputs: members.map((m) => ({ store: m.out, expr: m.expr })),
        scalars: [],
      };
      this.host.record(
        this.close(
          multi,
          members.map((m) => m.expr),
        ),
      );
    }
  }

  /** Turn a lazy value into a real launch (it then runs at the next flush). */
  materialize(storage: Storage): void {
    const lz = this.unlazy(storage);
    if (!lz) return;
    this.host.stats.materialized++;
    log("tasks", () => `materialise ${lz.name} into storage ${storage.id}`);
    const launch: MapLaunch = { kind: "map", name: lz.name, inputs: [], outputs: [{ store: lz.out, expr: lz.expr }], scalars: [] };
    this.host.record(this.close(launch, [lz.expr]));
  }

  /**
   * Before `s` is written. A lazy `s` is computed first. Lazy values that read `s`'s current
   * contents must still see them: when any are alive (found by collecting garbage if that can
   * spare a copy), the old contents are kept in a snapshot they read instead; dead ones
   * cost nothing.
   */
  beforeWrite(s: Store): void {
    this.materialize(s.storage);
    const v = s.storage.version as LeafVersion | null;
    if (!v) return;
    s.storage.version = null;
    if (v.readers > 0 && !this.host.replicated && s.storage.size >= this.reclaimMinSize && canReclaim())
      reclaim(`lazy values read storage ${s.storage.id}, about to change`);
    if (v.readers <= 0) return;
    const all = new Store(s.storage, [s.storage.size], [1], 0);
    const snap = this.host.createStore([s.storage.size], s.dtype);
    this.host.record({ kind: "map", name: "snapshot", inputs: [all], outputs: [{ store: snap, expr: load(0, s.dtype.name) }], scalars: [] });
    v.snapshot = snap.storage;
    log("tasks", () => `snapshot storage ${s.storage.id} for ${v.readers} lazy reader(s)`);
  }
}

/** A store no launch has used yet, with no memory: a fusable output. */
export function isFresh(s: Store): boolean {
  return s.isWhole() && !s.storage.touched && s.storage.buffer === null;
}

/** The store a `ref` leaf reads: contents that have since been overwritten are read from their snapshot. */
function refStore({ store, version }: LeafRef): Store {
  return version.snapshot ? new Store(version.snapshot, store.shape, store.strides, store.offset) : store;
}

/** The number of inputs `close` will give these open expressions: distinct views read. */
function inputCount(open: Expr[]): number {
  const views: Store[] = [];
  const seen = new Set<Expr>();
  for (const e of open)
    visit(
      e,
      (n) => {
        if (n.k !== "ref") return;
        const s = refStore(n.ref as LeafRef);
        if (!views.some((x) => x.sameView(s))) views.push(s);
      },
      seen,
    );
  return views.length;
}
