import { Storage } from "./store.js";
import { log } from "./log.js";

/**
 * Instances per storage and which hold valid data. Today every processor works on host
 * memory shared by all CPU workers (SharedArrayBuffer), so a storage has one instance and
 * it is always valid; GPU and remote instances add entries here, copied on demand and
 * invalidated on write.
 */
export class Coherence {
  private bytes = 0;
  private readonly registry = new FinalizationRegistry<{ id: number; bytes: number }>((h) => this.forget(h.id, h.bytes));
  private readonly live = new Map<number, SharedArrayBuffer>();
  /** Called with a storage id when its instance can be dropped everywhere. */
  onRelease: (id: number) => void = () => {};

  /** The host instance, created zero-filled on first use. */
  host(storage: Storage): SharedArrayBuffer {
    if (storage.buffer) return storage.buffer;
    const bytes = Math.max(8, storage.size * storage.dtype.itemsize);
    storage.buffer = new SharedArrayBuffer(bytes);
    this.bytes += bytes;
    this.live.set(storage.id, storage.buffer);
    this.registry.register(storage, { id: storage.id, bytes }, storage);
    log("tasks", () => `allocate storage ${storage.id}: ${bytes} bytes (${this.bytes} live)`);
    return storage.buffer;
  }

  /** Host instance by storage id (for point tasks, which name storages by id). */
  byId(id: number): SharedArrayBuffer {
    const b = this.live.get(id);
    if (!b) throw new Error(`storage ${id} has no instance`);
    return b;
  }

  /** Drop a storage now (explicit dispose) instead of waiting for garbage collection. */
  release(storage: Storage): void {
    if (!storage.buffer) return;
    this.registry.unregister(storage);
    this.forget(storage.id, storage.buffer.byteLength);
    storage.buffer = null;
  }

  get liveBytes(): number { return this.bytes; }

  private forget(id: number, bytes: number): void {
    if (!this.live.delete(id)) return;
    this.bytes -= bytes;
    this.onRelease(id);
  }
}
