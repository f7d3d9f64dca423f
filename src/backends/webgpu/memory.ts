import { GpuError, type Residency, type Storage, type Store, log, setting } from "../../core/index.js";
import type { GpuDevice } from "./gpu.js";
import type { GpuCommand } from "./protocol.js";

/** A GPU instance as the memory manager tracks it: no reference to the storage, so instances keep nothing alive. */
interface Entry {
  tick: number;
  bytes: number;
  residency: Residency;
  size: number;
  itemsize: number;
  bool: boolean;
}

/** The GPU memory an instance occupies (bool is widened to u32 there). */
export function gpuBytes(storage: Storage): number {
  return Math.max(16, Math.ceil((storage.size * (storage.dtype.name === "bool" ? 4 : storage.dtype.itemsize)) / 4) * 4);
}

/**
 * GPU memory: instances by storage id in least-recently-used order, within a budget
 * (TESSERA_GPU_MEMORY) beyond which the oldest instances not needed now are copied back to
 * the host and freed. It marks residency under its memory number. After device loss, values
 * that also live on the host stay readable; values only the GPU held are reported when read.
 */
export class GpuMemory {
  /** Bytes of GPU instances kept before the least recently used are evicted. */
  budget = setting("TESSERA_GPU_MEMORY");
  private used = 0;
  private readonly lru = new Map<number, Entry>();
  /** Commands (frees) queued for the next batch sent to the device. */
  private pending: GpuCommand[] = [];
  private clock = 0;
  private lossHandled = false;

  constructor(
    private readonly gpu: GpuDevice,
    private readonly memory: number,
    private readonly host: (st: Storage, overwrite?: boolean) => SharedArrayBuffer,
    private readonly hostById: (id: number) => SharedArrayBuffer,
  ) {}

  /** Commands queued since the last batch (they go first in the next one). */
  takePending(): GpuCommand[] {
    return this.pending.splice(0);
  }

  /** A storage was freed: free its GPU instance with the next batch. */
  release(id: number): void {
    const g = this.lru.get(id);
    if (!g) return;
    this.lru.delete(id);
    this.used -= g.bytes;
    this.pending.push({ op: "free", id });
  }

  /** Make the GPU instance current (allocate; upload unless every element will be overwritten). */
  toGpu(store: Store, overwrite: boolean, cmds: GpuCommand[], inUse: Set<number>): void {
    const st = store.storage,
      r = st.residency,
      bit = 1 << this.memory;
    if (!r.allocatedIn(this.memory)) {
      const bytes = gpuBytes(st);
      this.evict(bytes, inUse, cmds);
      // The host instance exists from now on, so an eviction can always copy values back.
      this.host(st, overwrite && store.isWhole());
      cmds.push({ op: "alloc", id: st.id, bytes });
      r.allocated |= bit;
      this.used += bytes;
      this.lru.set(st.id, { tick: 0, bytes, residency: r, size: st.size, itemsize: st.dtype.itemsize, bool: st.dtype.name === "bool" });
    }
    this.lru.get(st.id)!.tick = ++this.clock;
    if (!r.validIn(this.memory) && !overwrite) {
      const sab = this.host(st);
      cmds.push({ op: "upload", id: st.id, sab, start: 0, count: st.size, itemsize: st.dtype.itemsize, bool: st.dtype.name === "bool" });
      r.valid |= bit;
    }
  }

  /** Copy GPU-only values back to the host (a blocking point for the GPU). */
  toHost(storages: readonly Storage[]): void {
    if (this.gpu.lost) this.forgetLost(); // marks what only the lost device held, before the check below
    for (const st of storages)
      if (st.residency.lost & (1 << this.memory)) throw new GpuError(`the values of storage ${st.id} were only on the GPU, which was lost`);
    const entries = storages
      .filter((st) => !st.hostValid && st.residency.allocatedIn(this.memory))
      .map((st) => ({ id: st.id, ...this.lru.get(st.id)! }));
    if (entries.length) this.download(entries);
    for (const st of storages) st.residency.valid |= 1;
  }

  /** After device loss, GPU instances are gone: host copies stay valid, GPU-only ones are lost. */
  forgetLost(): void {
    if (this.lossHandled) return;
    this.lossHandled = true;
    const bit = 1 << this.memory;
    for (const { residency: r } of this.lru.values()) {
      r.allocated &= ~bit;
      if (!(r.valid & 1)) r.lost |= bit;
      r.valid &= ~bit;
    }
    this.lru.clear();
    this.used = 0;
    this.pending = [];
    log("mapping", "GPU lost: later launches run on the CPU");
  }

  /** Download GPU instances into their host instances (which exist: see toGpu). */
  private download(entries: readonly (Entry & { id: number })[]): void {
    if (this.gpu.lost) throw new GpuError("values are on a GPU that is no longer available");
    const cmds: GpuCommand[] = this.takePending();
    for (const g of entries)
      cmds.push({ op: "download", id: g.id, sab: this.hostById(g.id), start: 0, count: g.size, itemsize: g.itemsize, bool: g.bool });
    try {
      this.gpu.run(cmds);
    } catch (e) {
      if (this.gpu.lost) this.forgetLost();
      throw e;
    }
    for (const g of entries) g.residency.valid |= 1;
  }

  /** Over budget: evict least recently used instances not needed now, saving their values. */
  private evict(bytes: number, inUse: Set<number>, cmds: GpuCommand[]): void {
    if (this.used + bytes <= this.budget) return;
    const bit = 1 << this.memory;
    const victims = [...this.lru.entries()].sort((a, b) => a[1].tick - b[1].tick);
    for (const [id, g] of victims) {
      if (this.used + bytes <= this.budget) break;
      if (inUse.has(id)) continue;
      if (!(g.residency.valid & 1)) this.download([{ id, ...g }]);
      g.residency.allocated &= ~bit;
      g.residency.valid &= ~bit;
      cmds.push({ op: "free", id });
      this.used -= g.bytes;
      this.lru.delete(id);
      log("mapping", () => `evict storage ${id} from the GPU (${g.bytes} bytes)`);
    }
  }
}
