import { type Storage, lanesOf } from "./store.js";
import { type DType, type TypedArray, laneView } from "./dtype.js";
import { log } from "./log.js";
import { setting } from "./settings.js";
import { MemoryError, allocationMessage } from "./errors.js";
import { canReclaim, noteReclaimed, noteReused, reclaim, registry } from "./reclaim.js";
import { reclaimDue, reclaimPaced } from "./reclaim.js";

/** Buffers below this size are not pooled: fresh small allocations are cheap. */
const POOL_MIN = 1 << 16;
/** Small instances (hostSmall) of at most SLAB_ITEM bytes are cut from slabs of SLAB_BYTES. */
const SLAB_ITEM = 2048,
  SLAB_BYTES = 32 * 1024;
/**
 * Slabs not known to be dead, at most: a slab lives as long as any instance on it, so a
 * program that keeps some small results among many dead ones holds whole slabs. Past this
 * bound (128 MiB of slabs) a paced full collection finds the dead ones (only it runs their
 * finalisers); until it does, new instances get buffers of their own. (Measured on a loop of
 * 100-element adds: 1024 slabs, 1.76 µs per add; 4096, 1.16 µs; 16384, 1.35 µs.)
 */
const MAX_SLABS = 4096;
/**
 * Buffers handed out again from the pool count as likely garbage (noteReused) below this
 * size. Larger ones are few, and a collection each time the pool runs dry of them costs more
 * than it saves (measured: Jacobi's 128 MB instances).
 */
const LIKELY_DEAD_MAX = 2 ** 21;
/** Pooled bytes beyond this are returned to the system. */
const POOL_MAX = setting("TESSERA_POOL_BYTES");
/** Arrow's buffer alignment and padding: small buffers are rounded up to it (large ones to POOL_MIN). */
const ARROW_PADDING = 64;
/** The pool keeps at most as many bytes as were live after the last collection, or this many. */
const POOL_FLOOR = 256 * 2 ** 20;

const ZEROS = new Float64Array(8192);
/**
 * Zero a reused buffer. A byte array's fill() on shared memory stores byte by byte (measured:
 * 2.7 ms per 8 MB); copying zeros in 64 KiB words runs at memory speed (0.3 ms).
 */
function zeroFill(buffer: SharedArrayBuffer): void {
  const words = buffer.byteLength >>> 3,
    f = new Float64Array(buffer, 0, words);
  for (let at = 0; at < words; at += ZEROS.length) f.set(words - at >= ZEROS.length ? ZEROS : ZEROS.subarray(0, words - at), at);
  if (buffer.byteLength & 7) new Uint8Array(buffer, words << 3).fill(0);
}

/** What the platform does with a fresh large buffer before it is touched (huge pages on Linux). */
let adviseFresh: (buffer: SharedArrayBuffer) => void = () => {};

/** Register the platform's advice for fresh host buffers (once per process; the package entry does). */
export function registerHostAdvice(advise: (buffer: SharedArrayBuffer) => void): void {
  adviseFresh = advise;
}

/**
 * Host instances: one SharedArrayBuffer per storage, shared by the main thread and every CPU
 * worker, created on first use and freed when the storage is collected or disposed. Which
 * memories hold a storage's current values is its Residency (store.ts); device memories are
 * managed by their processors (backends/webgpu/memory.ts).
 *
 * Freed host buffers go to a pool by size and are reused: a fresh SharedArrayBuffer costs a
 * page fault per 4 KiB page (~10x the cost of writing reused memory here).
 */
export class HostMemory {
  private bytes = 0;
  private pooledBytes = 0;
  private freshBytes = 0;
  private readonly pool = new Map<number, SharedArrayBuffer[]>();
  /** Every pooled buffer, oldest freed first: a full pool gives up its oldest for a newly freed one. */
  private readonly pooledOrder = new Set<SharedArrayBuffer>();
  private readonly registry = registry<number>((id) => this.forget(id));
  private readonly live = new Map<number, SharedArrayBuffer>();
  /** Buffers shared with other libraries: dropped, never pooled, when their storage is freed. */
  private readonly pinned = new WeakSet<SharedArrayBuffer>();
  /**
   * Bytes counted for an adopted instance: the elements its store views, since several
   * storages may adopt one buffer (the columns of one Arrow IPC file).
   */
  private readonly adoptedBytes = new Map<number, number>();
  /** The slab small instances are cut from now, and how much of it is used (hostSmall). */
  private slab: SharedArrayBuffer | null = null;
  private slabUsed = 0;
  /** Lane arrays over the whole current slab, by dtype (lanesAt). */
  private slabViews = new Map<DType, TypedArray>();
  /** Slabs not collected yet: beyond MAX_SLABS (small results kept alive) instances get buffers of their own. */
  private liveSlabs = 0;
  private readonly slabs = new WeakSet<SharedArrayBuffer>();
  private readonly slabDeaths = registry<number>(() => {
    this.liveSlabs--;
  });
  /** Bytes live right after the last forced collection (bounds the pool). */
  private liveAfterReclaim = 0;
  /**
   * Called with a storage id when its instance can be dropped everywhere, and the bytes freed
   * once no thread holds it (0 when the pool keeps the buffer).
   */
  onRelease: (id: number, dropped: number) => void = () => {};
  readonly stats = { allocated: 0, reused: 0 };

  /**
   * The host instance, created on first use: zero-filled, unless the caller will overwrite
   * every element (`overwrite`), in which case a pooled buffer is handed out as it is.
   */
  host(storage: Storage, overwrite = false): SharedArrayBuffer {
    if (storage.buffer) {
      if (storage.unlisted) this.list(storage, storage.buffer);
      return storage.buffer;
    }
    const need = Math.max(8, storage.size * storage.dtype.itemsize);
    const bytes = need >= POOL_MIN ? Math.ceil(need / POOL_MIN) * POOL_MIN : Math.ceil(need / ARROW_PADDING) * ARROW_PADDING;
    let pooled = this.takePooled(bytes);
    if (!pooled && reclaimDue(bytes, this.bytes + this.pooledBytes) && canReclaim()) {
      // Arrays that died in this synchronous stretch only return their memory when their
      // finalisers run: run them now rather than take yet more fresh memory.
      this.freshBytes = 0;
      reclaim("memory");
      this.liveAfterReclaim = this.bytes;
      pooled = this.takePooled(bytes);
      noteReclaimed(pooled !== undefined);
    }
    if (pooled) {
      if (bytes < LIKELY_DEAD_MAX) noteReused(bytes);
      this.stats.reused++;
      if (!overwrite) zeroFill(pooled);
      storage.buffer = pooled;
    } else {
      this.stats.allocated++;
      this.freshBytes += bytes;
      try {
        storage.buffer = new SharedArrayBuffer(bytes);
        adviseFresh(storage.buffer);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        throw new MemoryError(allocationMessage(storage.size * storage.dtype.itemsize, storage.shape ?? [storage.size], storage.dtype.name));
      }
    }
    this.list(storage, storage.buffer);
    log("tasks", () => `${pooled ? "reuse" : "allocate"} storage ${storage.id}: ${bytes} bytes (${this.bytes} live, ${this.pooledBytes} pooled)`);
    return storage.buffer;
  }

  /**
   * A zero-filled host instance for a new storage of less than POOL_MIN bytes that only the
   * JS garbage collector tracks: no finalisation entry, no place in the by-id table, not
   * counted in `liveBytes`. For results of launches run at once (eager.ts), which are mostly
   * tiny temporaries; registering each costs more than computing it. The first `host()` call
   * (a point task's view, a device upload) lists it like any other instance.
   */
  hostSmall(storage: Storage): SharedArrayBuffer {
    const need = Math.max(8, storage.size * storage.dtype.itemsize);
    if (storage.buffer || need >= POOL_MIN) return this.host(storage, true);
    const bytes = Math.ceil(need / ARROW_PADDING) * ARROW_PADDING;
    if (this.slab !== null && this.slabUsed + bytes > SLAB_BYTES) this.slab = null;
    // At the bound, a collection finds the slabs that died (their finalisers run only after a
    // full collection, and between jobs); paced, so a program that keeps small results pays little.
    if (this.liveSlabs >= MAX_SLABS && this.slab === null) reclaimPaced("slabs of small results");
    if (bytes <= SLAB_ITEM && (this.slab !== null || this.liveSlabs < MAX_SLABS)) {
      // A fresh SharedArrayBuffer costs as much as a small op itself: small instances share
      // a slab, which the collector frees once every storage on it is gone.
      if (this.slab === null) {
        this.slab = new SharedArrayBuffer(SLAB_BYTES);
        this.slabViews = new Map();
        this.slabUsed = 0;
        this.liveSlabs++;
        this.slabDeaths.register(this.slab, 0);
        this.slabs.add(this.slab);
      }
      storage.buffer = this.slab;
      storage.byteOffset = this.slabUsed;
      this.slabUsed += bytes;
    } else storage.buffer = new SharedArrayBuffer(bytes);
    storage.unlisted = true;
    return storage.buffer;
  }

  /** `storage`'s small instance lies on the current slab. */
  private onSlab(storage: Storage): boolean {
    return storage.unlisted && this.slab !== null && storage.buffer === this.slab;
  }

  /** A lane array over the whole current slab, made once per dtype. */
  private slabLanes(dtype: DType): TypedArray {
    let v = this.slabViews.get(dtype);
    if (v === undefined) this.slabViews.set(dtype, (v = laneView(dtype, this.slab!)));
    return v;
  }

  /**
   * A lane array over `storage`'s host instance (which must exist): for a small instance on
   * the current slab, the slab's shared lane array (no lane array made per tiny result), else
   * the storage's own (lanesOf). The storage's elements start at laneBase(storage) in it.
   */
  lanesAt(storage: Storage): TypedArray {
    return this.onSlab(storage) ? this.slabLanes(storage.dtype) : lanesOf(storage);
  }

  /** The element of lanesAt(storage) where the storage's elements start. */
  laneBase(storage: Storage): number {
    return this.onSlab(storage) ? storage.byteOffset / storage.dtype.itemsize : 0;
  }

  /** Track `buffer`, the host instance of `storage`: by id for point tasks, counted, freed when the storage dies. */
  private list(storage: Storage, buffer: SharedArrayBuffer): void {
    storage.unlisted = false;
    if (this.slabs.has(buffer)) {
      // A part of a slab: counted by its elements, and never pooled (pin).
      const part = Math.ceil((storage.size * storage.dtype.itemsize) / ARROW_PADDING) * ARROW_PADDING;
      this.adoptedBytes.set(storage.id, part);
      this.bytes += part;
      this.pin(buffer);
    } else this.bytes += buffer.byteLength;
    this.live.set(storage.id, buffer);
    this.registry.register(storage, storage.id, storage);
  }

  /**
   * Give a storage that shares a slab a buffer of its own (copying its elements), for code
   * that indexes the buffer from its start (another library lent the memory).
   */
  unshare(storage: Storage): void {
    const from = storage.buffer;
    if (!from || storage.byteOffset === 0) return;
    const bytes = storage.size * storage.dtype.itemsize;
    const part = new Uint8Array(from, storage.byteOffset, bytes);
    this.release(storage);
    new Uint8Array(this.host(storage, true)).set(part);
  }

  /**
   * Make `buffer` (memory shared with another library, e.g. an Arrow column) the host
   * instance of `storage`, without copying; `bytes` of it are counted as live. It is never pooled: the other library may still
   * read it after the storage is gone.
   */
  adopt(storage: Storage, buffer: SharedArrayBuffer, bytes: number): void {
    this.pin(buffer);
    storage.buffer = buffer;
    this.adoptedBytes.set(storage.id, bytes);
    this.bytes += bytes;
    this.live.set(storage.id, buffer);
    this.registry.register(storage, storage.id, storage);
  }

  /** Never hand `buffer` out again once its storage is freed (it was lent to another library). */
  pin(buffer: SharedArrayBuffer): void {
    this.pinned.add(buffer);
  }

  /** Host instance by storage id (for point tasks, which name storages by id). */
  byId(id: number): SharedArrayBuffer {
    const b = this.live.get(id);
    if (!b) throw new Error(`storage ${id} has no instance`);
    return b;
  }

  /**
   * Renaming: `to` (a new storage) takes over `from`'s host instance, and `from` gets a new
   * one, not cleared, that the caller fills completely.
   */
  rename(from: Storage, to: Storage): void {
    const buf = from.buffer;
    if (!buf) throw new Error(`storage ${from.id} has no instance to rename`);
    if (from.unlisted) this.list(from, buf);
    this.registry.unregister(from);
    this.live.delete(from.id);
    from.buffer = null;
    to.buffer = buf;
    this.live.set(to.id, buf);
    const adopted = this.adoptedBytes.get(from.id);
    if (adopted !== undefined) {
      this.adoptedBytes.delete(from.id);
      this.adoptedBytes.set(to.id, adopted);
    }
    this.registry.register(to, to.id, to);
    this.host(from, true);
  }

  /** Drop a storage now (explicit dispose, runtime temporaries) instead of at garbage collection. */
  release(storage: Storage): void {
    if (!storage.buffer) return;
    if (!storage.unlisted) {
      this.registry.unregister(storage);
      this.forget(storage.id);
    }
    storage.unlisted = false;
    storage.buffer = null;
    storage.byteOffset = 0;
  }

  get liveBytes(): number {
    return this.bytes;
  }

  private forget(id: number): void {
    const buf = this.live.get(id);
    if (!buf) return;
    this.live.delete(id);
    this.bytes -= this.adoptedBytes.get(id) ?? buf.byteLength;
    this.adoptedBytes.delete(id);
    const cap = Math.min(POOL_MAX, Math.max(POOL_FLOOR, this.liveAfterReclaim));
    const keep = !this.pinned.has(buf) && buf.byteLength >= POOL_MIN && buf.byteLength <= cap;
    let dropped = keep ? 0 : buf.byteLength;
    if (keep) {
      // A loop frees and allocates the same sizes over and over: the buffer freed last is the
      // likeliest to be asked for again, so the oldest pooled ones make room for it.
      for (const old of this.pooledOrder) {
        if (this.pooledBytes + buf.byteLength <= cap) break;
        this.dropPooled(old);
        dropped += old.byteLength;
      }
      let list = this.pool.get(buf.byteLength);
      if (!list) {
        list = [];
        this.pool.set(buf.byteLength, list);
      }
      list.push(buf);
      this.pooledOrder.add(buf);
      this.pooledBytes += buf.byteLength;
    }
    this.onRelease(id, dropped);
  }

  /** A pooled buffer of exactly `bytes`, taken out of the pool (the one freed last). */
  private takePooled(bytes: number): SharedArrayBuffer | undefined {
    const buf = bytes >= POOL_MIN ? this.pool.get(bytes)?.pop() : undefined;
    if (buf) {
      this.pooledOrder.delete(buf);
      this.pooledBytes -= bytes;
    }
    return buf;
  }

  /** Give a pooled buffer back to the system. */
  private dropPooled(buf: SharedArrayBuffer): void {
    const list = this.pool.get(buf.byteLength) as SharedArrayBuffer[];
    list.splice(list.indexOf(buf), 1);
    if (list.length === 0) this.pool.delete(buf.byteLength);
    this.pooledOrder.delete(buf);
    this.pooledBytes -= buf.byteLength;
  }
}
