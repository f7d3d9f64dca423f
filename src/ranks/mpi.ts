import { type NativeFn, type NativeLibrary, ffiAvailable, ffiMissing, openLibrary, setting } from "../core/index.js";

/**
 * The MPI binding: OpenMPI's libmpi called through koffi (FFI), like the BLAS binding.
 * Why FFI rather than an N-API addon: koffi already ships prebuilt for every platform we
 * run on, so nothing is compiled at install time (npm 11 does not run install scripts),
 * and each call costs about a microsecond, far below the cost of any message worth sending.
 * MPI handles (communicators, datatypes, ops) are OpenMPI's exported globals, whose
 * addresses `lib.symbol` gives us; requests live in a BigUint64Array we own.
 *
 * Only the main thread of each rank calls MPI (MPI_THREAD_FUNNELED); workers never do.
 * Buffers handed to non-blocking calls must be SharedArrayBuffer-backed or otherwise kept
 * alive until `waitAll` returns (V8 never moves array buffer memory).
 */

type Fn = NativeFn;

export type Bytes = Uint8Array;
/** MPI element types by OpenMPI's symbol suffix (ompi_mpi_<name>). */
export type MpiTypeName =
  | "double"
  | "float"
  | "int8_t"
  | "uint8_t"
  | "int16_t"
  | "uint16_t"
  | "int32_t"
  | "uint32_t"
  | "int64_t"
  | "uint64_t"
  | "c_float_complex"
  | "c_double_complex";
export type MpiOpName = "sum" | "prod" | "min" | "max" | "land" | "lor";

const MPI_THREAD_FUNNELED = 1;
/** Messages above this are split: MPI counts are C ints. */
const MAX_CHUNK = 1 << 30;

/** A pending non-blocking operation batch: requests plus the buffers they use. */
export interface Requests {
  handles: BigUint64Array[];
  keep: unknown[];
}

export class MpiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MpiError";
  }
}

export class Mpi {
  readonly rank: number;
  readonly size: number;
  private readonly f: Record<string, Fn>;
  private readonly world: unknown;
  private readonly byte: unknown;
  private readonly int32: unknown;
  private finalized = false;

  private constructor(private readonly lib: NativeLibrary) {
    const sig: Record<string, string> = {
      init: "int MPI_Init_thread(void *argc, void *argv, int required, _Out_ int *provided)",
      initialized: "int MPI_Initialized(_Out_ int *flag)",
      finalize: "int MPI_Finalize()",
      abort: "int MPI_Abort(void *comm, int code)",
      rank: "int MPI_Comm_rank(void *comm, _Out_ int *rank)",
      size: "int MPI_Comm_size(void *comm, _Out_ int *size)",
      isend: "int MPI_Isend(const void *buf, int count, void *type, int dest, int tag, void *comm, void *request)",
      irecv: "int MPI_Irecv(void *buf, int count, void *type, int source, int tag, void *comm, void *request)",
      waitall: "int MPI_Waitall(int count, void *requests, void *statuses)",
      // Derived datatypes, their handles held in BigUint64Arrays (so the isend/irecv variants
      // take the handle by value).
      hindexed: "int MPI_Type_create_hindexed(int count, const int *lengths, const int64_t *displacements, void *oldtype, void *newtype)",
      commit: "int MPI_Type_commit(void *type)",
      typeFree: "int MPI_Type_free(void *type)",
      isendT: "int MPI_Isend(const void *buf, int count, uint64_t type, int dest, int tag, void *comm, void *request)",
      irecvT: "int MPI_Irecv(void *buf, int count, uint64_t type, int source, int tag, void *comm, void *request)",
      allreduce: "int MPI_Allreduce(const void *send, void *recv, int count, void *type, void *op, void *comm)",
      allgather: "int MPI_Allgather(const void *send, int scount, void *stype, void *recv, int rcount, void *rtype, void *comm)",
      allgatherv:
        "int MPI_Allgatherv(const void *send, int scount, void *stype, void *recv, const int *rcounts, const int *displs, void *rtype, void *comm)",
      alltoall: "int MPI_Alltoall(const void *send, int scount, void *stype, void *recv, int rcount, void *rtype, void *comm)",
      alltoallv:
        "int MPI_Alltoallv(const void *send, const int *scounts, const int *sdispls, void *stype, void *recv, const int *rcounts, const int *rdispls, void *rtype, void *comm)",
      bcast: "int MPI_Bcast(void *buf, int count, void *type, int root, void *comm)",
      barrier: "int MPI_Barrier(void *comm)",
      gatherv:
        "int MPI_Gatherv(const void *send, int scount, void *stype, void *recv, const int *rcounts, const int *displs, void *rtype, int root, void *comm)",
    };
    this.f = Object.fromEntries(Object.entries(sig).map(([k, s]) => [k, lib.func(s)]));
    this.world = lib.symbol("ompi_mpi_comm_world", "void");
    this.byte = lib.symbol("ompi_mpi_byte", "void");
    this.int32 = lib.symbol("ompi_mpi_int", "void");
    const flag = [0];
    this.f.initialized(flag);
    if (!flag[0]) {
      const provided = [0];
      this.check(this.f.init(null, null, MPI_THREAD_FUNNELED, provided), "MPI_Init_thread");
    }
    const r = [0],
      s = [0];
    this.check(this.f.rank(this.world, r), "MPI_Comm_rank");
    this.check(this.f.size(this.world, s), "MPI_Comm_size");
    this.rank = r[0];
    this.size = s[0];
  }

  /** Load libmpi (TESSERA_MPI_LIB names another) and join MPI_COMM_WORLD. */
  static init(): Mpi {
    if (!ffiAvailable()) throw new MpiError(`MPI needs ${ffiMissing()}`);
    const path = setting("TESSERA_MPI_LIB");
    let lib: NativeLibrary;
    // Global symbols: OpenMPI's plugins resolve libmpi's symbols when they are loaded.
    try {
      lib = openLibrary(path, { global: true });
    } catch (e) {
      throw new MpiError(`cannot load ${path} (install OpenMPI: apt-get install openmpi-bin libopenmpi-dev): ${(e as Error).message}`);
    }
    return new Mpi(lib);
  }

  private check(rc: number, what: string): void {
    if (rc !== 0) throw new MpiError(`${what} failed with MPI error ${rc} on rank ${this.rank ?? "?"}`);
  }

  // ---- point to point (non-blocking) ---------------------------------------------------

  /** A new, empty batch of non-blocking requests. */
  requests(): Requests {
    return { handles: [], keep: [] };
  }

  isend(reqs: Requests, buf: Bytes, dest: number, tag: number): void {
    this.post(reqs, buf, dest, tag, true);
  }
  irecv(reqs: Requests, buf: Bytes, source: number, tag: number): void {
    this.post(reqs, buf, source, tag, false);
  }

  private post(reqs: Requests, buf: Bytes, peer: number, tag: number, send: boolean): void {
    let at = 0;
    do {
      const part = buf.subarray(at, Math.min(buf.byteLength, at + MAX_CHUNK));
      const slot = new BigUint64Array(1);
      reqs.keep.push(part);
      reqs.handles.push(slot);
      const rc = send
        ? this.f.isend(part, part.byteLength, this.byte, peer, tag, this.world, slot)
        : this.f.irecv(part, part.byteLength, this.byte, peer, tag, this.world, slot);
      this.check(rc, send ? "MPI_Isend" : "MPI_Irecv");
      at += MAX_CHUNK;
    } while (at < buf.byteLength);
  }

  /**
   * Send or receive the byte ranges `ranges` (start, length pairs, in order) of `base` as one
   * message, without packing them: one range is posted as it is, several are described by an
   * MPI hindexed datatype, so MPI moves them from and to the memory where they lie.
   */
  postRanges(reqs: Requests, base: Bytes, ranges: readonly number[], peer: number, tag: number, send: boolean): void {
    if (ranges.length === 2) {
      this.post(reqs, base.subarray(ranges[0], ranges[0] + ranges[1]), peer, tag, send);
      return;
    }
    const lengths: number[] = [],
      displs: number[] = [];
    for (let i = 0; i < ranges.length; i += 2)
      for (let at = 0; at < ranges[i + 1]; at += MAX_CHUNK) {
        displs.push(ranges[i] + at);
        lengths.push(Math.min(MAX_CHUNK, ranges[i + 1] - at));
      }
    const type = new BigUint64Array(1);
    const displacements = BigInt64Array.from(displs, (d) => BigInt(d));
    this.check(this.f.hindexed(lengths.length, Int32Array.from(lengths), displacements, this.byte, type), "MPI_Type_create_hindexed");
    this.check(this.f.commit(type), "MPI_Type_commit");
    const slot = new BigUint64Array(1);
    reqs.keep.push(base);
    reqs.handles.push(slot);
    const rc = send ? this.f.isendT(base, 1, type[0], peer, tag, this.world, slot) : this.f.irecvT(base, 1, type[0], peer, tag, this.world, slot);
    this.check(rc, send ? "MPI_Isend" : "MPI_Irecv");
    // A pending operation keeps the type it was posted with.
    this.check(this.f.typeFree(type), "MPI_Type_free");
  }

  /** Wait for every request of the batch. */
  waitAll(reqs: Requests): void {
    const n = reqs.handles.length;
    if (n) {
      const all = new BigUint64Array(n);
      reqs.handles.forEach((h, i) => {
        all[i] = h[0];
      });
      this.check(this.f.waitall(n, all, null), "MPI_Waitall");
    }
    reqs.handles = [];
    reqs.keep = [];
  }

  // ---- collectives ---------------------------------------------------------------------

  allreduce(data: Float64Array, op: MpiOpName): Float64Array {
    const out = new Float64Array(data.length);
    this.allreduceTyped(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), new Uint8Array(out.buffer), data.length, "double", op);
    return out;
  }

  /**
   * Allreduce of `count` elements of an MPI type named as in `MPI_TYPES` from `send` into
   * `recv` (byte views of the same length).
   */
  allreduceTyped(send: Bytes, recv: Bytes, count: number, type: MpiTypeName, op: MpiOpName): void {
    this.check(this.f.allreduce(send, recv, count, this.symbol(`ompi_mpi_${type}`), this.symbol(`ompi_mpi_op_${op}`), this.world), "MPI_Allreduce");
  }

  private readonly symbols = new Map<string, unknown>();
  private symbol(name: string): unknown {
    let s = this.symbols.get(name);
    if (s === undefined) {
      s = this.lib.symbol(name, "void");
      this.symbols.set(name, s);
    }
    return s;
  }

  /** Every rank's `data` (same length everywhere), concatenated in rank order. */
  allgather(data: Bytes): Uint8Array {
    const out = new Uint8Array(data.byteLength * this.size);
    this.check(this.f.allgather(data, data.byteLength, this.byte, out, data.byteLength, this.byte, this.world), "MPI_Allgather");
    return out;
  }

  /** Every rank's `data` (any length), as one array per rank. */
  allgatherv(data: Bytes): Uint8Array[] {
    const counts = new Int32Array(this.size);
    this.check(this.f.allgather(new Int32Array([data.byteLength]), 1, this.int32, counts, 1, this.int32, this.world), "MPI_Allgather");
    const displs = exclusiveSum(counts);
    const out = new Uint8Array(displs[this.size - 1] + counts[this.size - 1]);
    this.check(this.f.allgatherv(data, data.byteLength, this.byte, out, counts, displs, this.byte, this.world), "MPI_Allgatherv");
    return split(out, counts, displs);
  }

  /** Rank `root` gets every rank's `data` (others get null). */
  gatherv(data: Bytes, root: number): Uint8Array[] | null {
    const counts = new Int32Array(this.size);
    this.check(this.f.allgather(new Int32Array([data.byteLength]), 1, this.int32, counts, 1, this.int32, this.world), "MPI_Allgather");
    const displs = exclusiveSum(counts);
    const out = new Uint8Array(Math.max(1, displs[this.size - 1] + counts[this.size - 1]));
    this.check(this.f.gatherv(data, data.byteLength, this.byte, out, counts, displs, this.byte, root, this.world), "MPI_Gatherv");
    return this.rank === root ? split(out, counts, displs) : null;
  }

  /** Block `b` of `data` (blocks of equal size) goes to rank b; returns what each rank sent here. */
  alltoall(data: Bytes): Uint8Array {
    const block = data.byteLength / this.size;
    if (!Number.isInteger(block)) throw new RangeError("alltoall: data length must be a multiple of the rank count");
    const out = new Uint8Array(data.byteLength);
    this.check(this.f.alltoall(data, block, this.byte, out, block, this.byte, this.world), "MPI_Alltoall");
    return out;
  }

  /** `parts[r]` goes to rank r; returns the part each rank sent here. */
  alltoallv(parts: readonly Bytes[]): Uint8Array[] {
    const scounts = Int32Array.from(parts, (p) => p.byteLength);
    const rcounts = new Int32Array(this.alltoall(new Uint8Array(scounts.buffer)).buffer);
    const sdispls = exclusiveSum(scounts),
      rdispls = exclusiveSum(rcounts);
    const send = new Uint8Array(Math.max(1, sdispls[this.size - 1] + scounts[this.size - 1]));
    parts.forEach((p, r) => send.set(p, sdispls[r]));
    const recv = new Uint8Array(Math.max(1, rdispls[this.size - 1] + rcounts[this.size - 1]));
    this.check(this.f.alltoallv(send, scounts, sdispls, this.byte, recv, rcounts, rdispls, this.byte, this.world), "MPI_Alltoallv");
    return split(recv, rcounts, rdispls);
  }

  /** `data` from rank `root`, in place on every rank. */
  bcast(data: Bytes, root: number): void {
    this.check(this.f.bcast(data, data.byteLength, this.byte, root, this.world), "MPI_Bcast");
  }

  barrier(): void {
    this.check(this.f.barrier(this.world), "MPI_Barrier");
  }

  /** End the whole job now (every rank), with this exit code. */
  abort(code: number): never {
    this.f.abort(this.world, code);
    process.exit(code);
  }

  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    this.f.finalize();
  }
}

function exclusiveSum(counts: Int32Array): Int32Array {
  const out = new Int32Array(counts.length);
  for (let i = 1; i < counts.length; i++) out[i] = out[i - 1] + counts[i - 1];
  return out;
}

function split(buf: Uint8Array, counts: Int32Array, displs: Int32Array): Uint8Array[] {
  return Array.from(counts, (c, r) => buf.slice(displs[r], displs[r] + c));
}

/** This process was started by mpirun (OpenMPI's launcher environment). */
export function launchedByMpi(): boolean {
  return process.env.OMPI_COMM_WORLD_SIZE !== undefined || process.env.PMIX_RANK !== undefined;
}
