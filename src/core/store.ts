import { type DType, type TypedArray, laneView } from "./dtype.js";

let nextStorageId = 1;

/**
 * Which memories hold a storage's values, over any number of memories: bit m of each mask is
 * memory m (memory 0 is the host; each device processor gets one when it is registered, see
 * processor.ts). A separate object, so that a device's memory manager can keep and update
 * it without holding the storage alive.
 */
export class Residency {
  /** Memories whose instance holds the current values (the host's, at first). */
  valid = HOST_MEMORY_BIT;
  /** Device memories that have an instance (the host instance is Storage.buffer). */
  allocated = 0;
  /** Device memories that were lost while holding the only current values. */
  lost = 0;
  validIn(memory: number): boolean {
    return (this.valid & (1 << memory)) !== 0;
  }
  allocatedIn(memory: number): boolean {
    return (this.allocated & (1 << memory)) !== 0;
  }
  /** A write in `memory`: its instance alone is current. */
  wroteIn(memory: number): void {
    this.valid = 1 << memory;
  }
}

/** Memory 0: host memory, shared by the main thread and every CPU worker. */
export const HOST_MEMORY = 0;
const HOST_MEMORY_BIT = 1 << HOST_MEMORY;

/**
 * The root of a family of stores: one logical buffer of `size` elements with no fixed home.
 * Instances (physical buffers) are created when a task first needs one; its Residency
 * records which of them hold the current values.
 */
export class Storage {
  readonly id = nextStorageId++;
  /** Host instance (SharedArrayBuffer), filled in by the runtime on first use. */
  buffer: SharedArrayBuffer | null = null;
  /** The host instance is a small one only the JS garbage collector tracks (HostMemory.hostSmall). */
  unlisted = false;
  /** Where this storage's elements start in `buffer` (bytes): small instances share a slab. */
  byteOffset = 0;
  /** Some launch has used this storage (so it is no longer a fresh, fusable output). */
  touched = false;
  readonly residency = new Residency();
  /** The host instance holds the current values. */
  get hostValid(): boolean {
    return this.residency.validIn(HOST_MEMORY);
  }
  /**
   * Fusion bookkeeping of the runtime: the lazy value that will compute this storage, and
   * the version of its contents that lazy values read. Plain fields, not WeakMaps: V8 pays
   * for every WeakMap entry at each garbage collection, and tiny ops create many.
   */
  lazy: object | null = null;
  /**
   * A launch that wrote this storage failed (or read what a failed one wrote): its error,
   * which reading the storage raises; null while its values are good (Executor).
   */
  failure: { error: unknown } | null = null;
  /** A lane array over the host instance, kept for reads and kernels on the main thread (lanesOf). */
  lanes: TypedArray | null = null;
  /** The buffer and byte offset `lanes` was made over (reading a lane array's own are getters, slower). */
  lanesBuffer: SharedArrayBuffer | null = null;
  lanesByteOffset = 0;
  version: object | null = null;
  /** The shape it was created with (for messages about it, such as a failed allocation). */
  shape: readonly number[] | null = null;
  constructor(
    readonly dtype: DType,
    readonly size: number,
  ) {}
}

/**
 * An n-d logical array: a Storage seen through an affine transform (offset + strides, in
 * elements). Slices, steps, transposes, broadcasts, newaxis and contiguous reshapes are new
 * transforms on the same Storage, never copies.
 */
export class Store {
  readonly size: number;
  constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  get dtype(): DType {
    return this.storage.dtype;
  }
  get ndim(): number {
    return this.shape.length;
  }

  /** A fresh row-major store with its own storage. */
  static create(shape: readonly number[], dtype: DType): Store {
    const size = shape.reduce((a, b) => a * b, 1);
    const storage = new Storage(dtype, size);
    storage.shape = [...shape];
    return new Store(storage, storage.shape, rowMajorStrides(shape), 0);
  }

  /** Keep `[start, stop)` with `step` along `dim` (bounds already normalised, step != 0). */
  slice(dim: number, start: number, stop: number, step = 1): Store {
    const len = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape[dim] = len;
    strides[dim] = this.strides[dim] * step;
    return new Store(this.storage, shape, strides, len === 0 ? this.offset : this.offset + start * this.strides[dim]);
  }

  /** Fix `dim` at `index`, removing the dimension. */
  project(dim: number, index: number): Store {
    const shape = this.shape.filter((_, d) => d !== dim);
    const strides = this.strides.filter((_, d) => d !== dim);
    return new Store(this.storage, shape, strides, this.offset + index * this.strides[dim]);
  }

  /** The 0-d view of the element at row-major flat index `k` (0 <= k < size). */
  element(k: number): Store {
    let offset = this.offset;
    for (let d = this.ndim - 1; d >= 0; d--) {
      const n = this.shape[d];
      offset += (k % n) * this.strides[d];
      k = Math.floor(k / n);
    }
    return new Store(this.storage, [], [], offset);
  }

  /** Insert a new dimension of extent `size` at `dim` whose elements all alias (stride 0). */
  promote(dim: number, size = 1): Store {
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(dim, 0, size);
    strides.splice(dim, 0, 0);
    return new Store(this.storage, shape, strides, this.offset);
  }

  transpose(perm: readonly number[]): Store {
    return new Store(
      this.storage,
      perm.map((p) => this.shape[p]),
      perm.map((p) => this.strides[p]),
      this.offset,
    );
  }

  /** Broadcast to `shape` (NumPy rules; the caller has checked compatibility). */
  broadcast(shape: readonly number[]): Store {
    if (sameArray(shape, this.shape)) return this; // the common case: nothing to broadcast
    const lead = shape.length - this.ndim;
    const strides = shape.map((n, d) => {
      if (d < lead) return 0;
      const own = this.shape[d - lead];
      return own === n ? this.strides[d - lead] : 0;
    });
    return new Store(this.storage, [...shape], strides, this.offset);
  }

  /** Reinterpret a row-major-contiguous store with a new shape of equal size. */
  reshape(shape: readonly number[]): Store | null {
    if (!this.isContiguous()) return null;
    return new Store(this.storage, [...shape], rowMajorStrides(shape), this.offset);
  }

  /** Row-major contiguous (C order), the layout Arrow and BLAS want. */
  isContiguous(): boolean {
    let expect = 1;
    for (let d = this.ndim - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== expect) return false;
      expect *= this.shape[d];
    }
    return true;
  }

  /** Whether this store covers its whole storage in row-major order. */
  isWhole(): boolean {
    return this.offset === 0 && this.size === this.storage.size && this.isContiguous();
  }

  /** Element interval [lo, hi) of the storage this store may touch (for dependence analysis). */
  footprint(): [number, number] {
    if (this.size === 0) return [this.offset, this.offset];
    let lo = this.offset,
      hi = this.offset;
    for (let d = 0; d < this.ndim; d++) {
      const ext = (this.shape[d] - 1) * this.strides[d];
      if (ext < 0) lo += ext;
      else hi += ext;
    }
    return [lo, hi + 1];
  }

  /** Whether two stores may touch a common element. */
  overlaps(other: Store): boolean {
    if (other.storage !== this.storage) return false;
    const [a0, a1] = this.footprint();
    const [b0, b1] = other.footprint();
    return a0 < b1 && b0 < a1;
  }

  /** Same storage, shape, strides and offset. */
  sameView(other: Store): boolean {
    return (
      other.storage === this.storage && other.offset === this.offset && sameArray(other.shape, this.shape) && sameArray(other.strides, this.strides)
    );
  }
}

/** A lane array over a storage's host instance (which must exist), kept with the storage while the instance stays. */
export function lanesOf(st: Storage): TypedArray {
  let l = st.lanes;
  if (l === null || st.lanesBuffer !== st.buffer || st.lanesByteOffset !== st.byteOffset) {
    st.lanes = l = laneView(st.dtype, st.buffer!, st.byteOffset / st.dtype.itemsize, st.size);
    st.lanesBuffer = st.buffer;
    st.lanesByteOffset = st.byteOffset;
  }
  return l;
}

/** The strides of every 1-D row-major store (shared: strides are never written in place). */
const UNIT_STRIDES: readonly number[] = Object.freeze([1]);

export function rowMajorStrides(shape: readonly number[]): readonly number[] {
  if (shape.length === 1) return UNIT_STRIDES;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

export function sameArray(a: readonly number[], b: readonly number[]): boolean {
  // A plain loop: shapes are compared on every small launch.
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
