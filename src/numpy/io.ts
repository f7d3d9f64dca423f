import { closeSync, fchmodSync, fstatSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync } from "node:fs";
import type { Stats } from "node:fs";
import { isArrowIpc, loadArrow } from "./arrow/ipc.js";
import path from "node:path";
import { def } from "./signature.js";
import { arg, conv, pyType, unsupported, NotImplementedError } from "./param_types.js";
import { runtime } from "../core/index.js";
import type { Store } from "../core/index.js";
import { ndarray } from "./ndarray.js";
import { asarray } from "./creation_from_data.js";
import type { ArrayLike } from "./creation_from_data.js";
import { transpose } from "./array_manipulation.js";
import { BadZipFile, EOFError, UnpicklingError, ValueError } from "./errors.js";
import { DESCR, MAGIC, checkReshape, checkVersion, elementCount, npyHeader, parseHeader, pyStrRepr, shapeRepr } from "./io_format.js";
import type { NpyHeader } from "./io_format.js";
import { crc32, fdSink, inflateLimited, inflatePrefix, openEntry, readZipDirectory, writeZip } from "./io_zip.js";
import { readAt, readInto } from "./read_at.js";
import type { Sink, ZipEntry } from "./io_zip.js";

/**
 * NumPy's binary files: `.npy` (one array: a magic string, a Python-dict header with dtype,
 * order and shape, then the raw elements) and `.npz` (a zip of `.npy` files, stored or
 * deflated). Files written here load in NumPy and the other way round.
 *
 * Files stream in chunks between disk and the arrays' own memory, so neither size nor memory
 * is bounded by one buffer. A file is written to a temporary file next to it and renamed over
 * the target, so an interrupted save leaves the old file or the new one. Reading checks
 * everything NumPy checks (magic, version, header, sizes, CRC-32 of archive entries), with
 * NumPy's error classes and messages, and allocates nothing before the file is known to hold
 * the data. In a multi-rank run, rank 0 writes and every rank reads.
 */

/** Internal knobs: the chunk size, a hook before each write, a count of chunks read (tests). */
export const ioHooks = {
  chunkBytes: 64 << 20,
  beforeWrite: null as ((bytes: number) => void) | null,
  chunksRead: 0,
};

// ---- arrays to bytes -----------------------------------------------------------------

interface ArrayData {
  header: Uint8Array;
  nbytes: number;
  /** The elements in the header's order, chunk by chunk, straight from the array's memory. */
  chunks(): Iterable<Uint8Array>;
}

/** Fortran-contiguous: the transposed store is C-contiguous (extent-1 axes aside). */
function isFContiguous(s: Store): boolean {
  let expect = 1;
  for (let d = 0; d < s.ndim; d++) {
    if (s.shape[d] !== 1 && s.strides[d] !== expect) return false;
    expect *= s.shape[d];
  }
  return true;
}

/**
 * What np.save writes for `a`: C-contiguous and Fortran-contiguous arrays straight from their
 * memory (with NumPy's fortran_order, so the bytes are NumPy's own); other views gathered
 * chunk by chunk. A blocking read on every rank; the chunks then need no runtime.
 */
function arrayData(a: ndarray): ArrayData {
  const rt = runtime();
  let s = a._store;
  const it = s.dtype.itemsize,
    nbytes = s.size * it;
  const layout = s.size === 0 || s.isContiguous() ? "c" : isFContiguous(s) ? "f" : "gather";
  let lanes = s.size ? rt.read(s) : null;
  let words: Uint8Array | Uint16Array | Uint32Array | null = null;
  const w = it % 4 === 0 ? 4 : it % 2 === 0 ? 2 : 1;
  if (layout === "gather") {
    try {
      words = wordView(w, lanes!.buffer, lanes!.byteOffset, lanes!.byteLength / w);
    } catch {
      s = a.copy()._store; // too large for one word view: a C-order copy
      lanes = rt.read(s);
    }
  }
  const header = npyHeader(a.shape, a.dtype, layout === "f");
  const step = Math.max(it, ioHooks.chunkBytes - (ioHooks.chunkBytes % it));
  return {
    header,
    nbytes,
    *chunks() {
      if (!lanes || nbytes === 0) return;
      if (!words) {
        const base = lanes.byteOffset + s.offset * it;
        for (let k = 0; k < nbytes; k += step) yield new Uint8Array(lanes.buffer, base + k, Math.min(step, nbytes - k));
        return;
      }
      const buf = new Uint8Array(Math.min(step, nbytes));
      const dst = wordView(w, buf.buffer, 0, buf.length / w);
      const per = step / it;
      const g = gatherer(s, words, it / w);
      for (let e = 0; e < s.size; e += per) {
        const n = Math.min(per, s.size - e);
        g(e, n, dst);
        yield buf.subarray(0, n * it);
      }
    },
  };
}

/** A view of `length` words of `w` bytes (copied as integers: no float NaN may change its bits). */
function wordView(w: number, buffer: ArrayBufferLike, at: number, length: number): Uint8Array | Uint16Array | Uint32Array {
  const b = buffer as ArrayBuffer;
  return w === 4 ? new Uint32Array(b, at, length) : w === 2 ? new Uint16Array(b, at, length) : new Uint8Array(b, at, length);
}

/** Copy elements [e, e + n) in C order of the strided store `s` into `dst` (in words of `ww` per element). */
function gatherer(s: Store, src: Uint8Array | Uint16Array | Uint32Array, ww: number) {
  const { shape, strides, offset } = s;
  const nd = shape.length,
    last = nd - 1;
  return (e: number, n: number, dst: Uint8Array | Uint16Array | Uint32Array): void => {
    const idx = new Array<number>(nd).fill(0);
    let at = offset;
    for (let d = last, r = e; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
      at += idx[d] * strides[d];
    }
    const len = shape[last],
      st = strides[last] * ww;
    let k = 0,
      left = n;
    while (left > 0) {
      const run = Math.min(len - idx[last], left);
      let p = at * ww;
      if (ww === 1) for (let r = 0; r < run; r++, p += st) dst[k++] = src[p];
      else for (let r = 0; r < run; r++, p += st) for (let j = 0; j < ww; j++) dst[k++] = src[p + j];
      left -= run;
      at += run * strides[last];
      idx[last] += run;
      if (idx[last] < len) continue;
      idx[last] = 0;
      at -= len * strides[last];
      for (let d = last - 1; d >= 0; d--) {
        idx[d]++;
        at += strides[d];
        if (idx[d] < shape[d]) break;
        at -= shape[d] * strides[d];
        idx[d] = 0;
      }
    }
  };
}

// ---- writing files -------------------------------------------------------------------

let tmpCount = 0;

/**
 * Write `file` through `body`: into a new temporary file in the same directory (a unique name,
 * created exclusively, with the old file's permissions), renamed over the target once
 * complete. A failure removes the temporary file and leaves the old one as it was. A target
 * that is not a regular file (a device, a pipe), or an existing file in a directory where no
 * file can be created, is written in place, as NumPy writes.
 */
export function replaceFile(file: string, body: (sink: Sink) => void): void {
  let target = file;
  try {
    target = realpathSync(file);
  } catch {
    /* a new file */
  }
  let old: Stats | null = null;
  try {
    old = statSync(target);
  } catch {
    /* a new file */
  }
  const inPlace = (): void => {
    const fd = openSync(target, "w");
    try {
      body(fdSink(fd, ioHooks.beforeWrite, old === null || old.isFile()));
    } finally {
      closeSync(fd);
    }
  };
  if (old && !old.isFile()) return inPlace();
  let tmp = "",
    fd = -1;
  while (fd < 0) {
    tmp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}-${++tmpCount}-${((Math.random() * 2 ** 32) >>> 0).toString(36)}.tmp`,
    );
    try {
      fd = openSync(tmp, "wx", 0o666);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "EEXIST") continue;
      if (old && (code === "EACCES" || code === "EPERM" || code === "EROFS")) return inPlace();
      (e as Error).message = (e as Error).message.replace(tmp, file);
      throw e;
    }
  }
  try {
    if (old)
      try {
        fchmodSync(fd, old.mode & 0o7777);
      } catch {
        /* keep the default mode */
      }
    body(fdSink(fd, ioHooks.beforeWrite));
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (e) {
    if (fd >= 0)
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/** np.save: write `arr` to `file` as `.npy` (".npy" is appended when missing, as NumPy does). */
/** A file name (NumPy's os.fspath: str or a path-like). */
export const FILE = conv<string, string>((v): string => {
  if (typeof v !== "string") throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyType(v)}`);
  return v;
});
/** np.load's encoding, with NumPy's own message. */
const ENCODING = conv<string, string>((v): string => {
  if (v !== "ASCII" && v !== "latin1" && v !== "bytes") throw new ValueError("encoding must be 'ASCII', 'latin1', or 'bytes'");
  return v;
});
export const save = def("save", "file, arr, allow_pickle=True", { file: FILE, arr: arg.array, allow_pickle: arg.bool }, (p): void => {
  const file = p.file.endsWith(".npy") ? p.file : `${p.file}.npy`;
  const d = arrayData(asarray(p.arr));
  runtime().once(() =>
    replaceFile(file, (sink) => {
      sink.write(d.header);
      for (const c of d.chunks()) sink.write(c);
    }),
  );
});

/**
 * np.savez / np.savez_compressed: several arrays in one `.npz` file. Positional arrays are
 * named arr_0, arr_1, …; a trailing plain object gives named ones: `savez(f, a, { b, c })`.
 */
const SAVEZ_ARGS = { file: FILE, args: arg.array, allow_pickle: arg.bool, kwds: arg.array };
export const savez = def("savez", "file, *args, allow_pickle=True, **kwds", SAVEZ_ARGS, (p): void => writeNpz(p.file, p.args, p.kwds, false));
export const savez_compressed = def("savez_compressed", "file, *args, allow_pickle=True, **kwds", SAVEZ_ARGS, (p): void =>
  writeNpz(p.file, p.args, p.kwds, true),
);

function writeNpz(file: string, args: ArrayLike[], kwds: Record<string, ArrayLike>, compress: boolean): void {
  const target = file.endsWith(".npz") ? file : `${file}.npz`;
  const named = new Map<string, ndarray>();
  args.forEach((a, i) => named.set(`arr_${i}`, asarray(a)));
  for (const [k, v] of Object.entries(kwds)) {
    if (named.has(k)) throw new ValueError(`Cannot use un-named variables and keyword ${k}`);
    named.set(k, asarray(v));
  }
  const entries = [...named].map(([k, v]) => {
    const d = arrayData(v);
    return {
      name: `${k}.npy`,
      size: d.header.length + d.nbytes,
      *pieces() {
        yield d.header;
        yield* d.chunks();
      },
    };
  });
  runtime().once(() => replaceFile(target, (sink) => writeZip(sink, entries, compress)));
}

// ---- reading -------------------------------------------------------------------------

interface LoadOptions {
  allowPickle: boolean;
  maxHeaderSize: number;
}

/**
 * Bytes in order, as NumPy's readers see them: a `.npy` file ("file": NumPy reads its data with
 * fromfile) or a zip entry ("zip": NumPy reads it in 256 KiB pieces), which differ in messages.
 */
interface Source {
  kind: "file" | "zip";
  /** The archive entry's name (zip). */
  name?: string;
  /** Fill `dst` as far as the bytes go; the count read. */
  read(dst: Uint8Array): number;
  /** Bytes left, when known. */
  left(): number | null;
}

/** A file from a position: positional reads when it is a regular file of known size. */
function fileSource(fd: number, size: number | null, pos: number): Source {
  return {
    kind: "file",
    read(dst) {
      let got = 0;
      while (got < dst.length) {
        const n = readSync(fd, dst, got, dst.length - got, size === null ? null : pos);
        if (n === 0) break;
        got += n;
        pos += n;
      }
      return got;
    },
    left: () => (size === null ? null : Math.max(0, size - pos)),
  };
}

/**
 * A stored entry, as zipfile's ZipExtFile gives it: min(compressed, uncompressed size) bytes;
 * EOFError where the file ends first; the CRC-32 checked when the last byte is read.
 */
function storedSource(fd: number, fileSize: number, at: number, e: ZipEntry): Source {
  const len = Math.min(e.csize, e.usize);
  let pos = 0,
    crc = 0;
  return {
    kind: "zip",
    name: e.name,
    read(dst) {
      const n = Math.min(dst.length, len - pos);
      if (n > 0 && at + pos + n > fileSize) throw new EOFError("");
      if (readInto(fd, dst.subarray(0, n), at + pos) < n) throw new EOFError("");
      crc = crc32(dst.subarray(0, n), crc);
      pos += n;
      if (n > 0 && pos === len && crc >>> 0 !== e.crc) throw new BadZipFile(`Bad CRC-32 for file ${pyStrRepr(e.name)}`);
      return n;
    },
    left: () => len - pos,
  };
}

/**
 * A deflated entry. Its header is read from a prefix of the stream; then `expect(total)` says
 * how many bytes the array needs, and the whole entry is inflated once to at most that many
 * (and never more than its declared size): a small archive cannot inflate without bound.
 * The CRC-32 is checked on the inflated bytes.
 */
function deflatedSource(fd: number, fileSize: number, at: number, e: ZipEntry, maxHeader: number): Source & { expect(total: number): void } {
  const raw = readAt(fd, at, Math.max(0, Math.min(e.csize, fileSize - at)));
  const cutByFile = raw.length < e.csize;
  let buf = inflatePrefix(raw, Math.min(e.usize, 12));
  if (buf.length >= 10 && MAGIC.every((b, i) => buf[i] === b)) {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const want = buf[6] === 1 ? 10 + v.getUint16(8, true) : buf.length >= 12 ? 12 + v.getUint32(8, true) : 12;
    if (want > buf.length) buf = inflatePrefix(raw, Math.min(e.usize, want, maxHeader));
  }
  buf = buf.subarray(0, Math.min(buf.length, e.usize));
  let full = false,
    expected = false,
    limit = e.usize,
    pos = 0;
  const inflateAll = () => {
    full = true;
    const r = inflateLimited(raw, limit);
    if (r.over && limit === e.usize)
      throw new BadZipFile(`File ${pyStrRepr(e.name)} inflates to more than the ${e.usize} bytes its directory entry declares`);
    if (r.over) throw new ValueError(`the archive entry ${pyStrRepr(e.name)} holds more bytes than its array needs`);
    if (!r.complete && cutByFile) throw new EOFError("");
    if (crc32(r.out) >>> 0 !== e.crc) throw new BadZipFile(`Bad CRC-32 for file ${pyStrRepr(e.name)}`);
    buf = r.out;
  };
  return {
    kind: "zip",
    name: e.name,
    expect(total) {
      limit = Math.min(e.usize, total);
      expected = true;
    },
    read(dst) {
      if (!full && pos + dst.length > buf.length) inflateAll();
      const n = Math.min(dst.length, buf.length - pos);
      dst.set(buf.subarray(pos, pos + n));
      pos += n;
      return n;
    },
    left() {
      if (!full && !expected) return null; // unknown until the header says how much to inflate
      if (!full) inflateAll();
      return buf.length - pos;
    },
  };
}

/** numpy.lib.format._read_bytes: exactly `n` bytes or NumPy's EOF message. */
function readExact(src: Source, n: number, what: string, have = 0): Uint8Array {
  const out = new Uint8Array(n);
  const got = src.read(out);
  if (got !== n) throw new ValueError(`EOF: reading ${what}, expected ${n + have} bytes got ${got + have}`);
  return out;
}

const latin1 = (b: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** numpy.lib.format.read_magic and _read_array_header; `magic` is the 6 bytes already read. */
function readNpyHeader(src: Source, magic: Uint8Array, opts: LoadOptions): { h: NpyHeader; pre: number; hlen: number } {
  const ver = readExact(src, 2, "magic string", magic.length);
  checkVersion(ver[0], ver[1]);
  const lenBytes = ver[0] === 1 ? 2 : 4;
  const lb = readExact(src, lenBytes, "array header length");
  const hlen = lenBytes === 2 ? lb[0] | (lb[1] << 8) : (lb[0] | (lb[1] << 8) | (lb[2] << 16)) + lb[3] * 2 ** 24;
  const left = src.left();
  if (left !== null && left < hlen) throw new ValueError(`EOF: reading array header, expected ${hlen} bytes got ${left}`);
  // Over the limit however it decodes: refused before it is read (NumPy reads it first).
  const limit = opts.allowPickle ? Infinity : opts.maxHeaderSize;
  if (hlen > 4 * limit + 64) throw headerTooLong(hlen);
  const raw = readExact(src, hlen, "array header");
  let header: string;
  if (ver[0] === 3) {
    try {
      header = utf8.decode(raw);
    } catch {
      throw new ValueError("'utf-8' codec can't decode the .npy header");
    }
  } else header = latin1(raw);
  const chars = header.length - (header.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0);
  if (chars > limit) throw headerTooLong(chars);
  return { h: parseHeader(header, ver[0]), pre: 6 + 2 + lenBytes, hlen };
}

const headerTooLong = (n: number) =>
  new ValueError(
    `Header info length (${n}) is large and may not be safe to load securely.\n` +
      "To allow loading, adjust `max_header_size` or fully trust the `.npy` file using `allow_pickle=True`.\n" +
      "For safety against large resource use or crashes, sandboxing may be necessary.",
  );

/**
 * numpy.lib.format.read_array after the header: the element count (int64, as NumPy computes
 * it), the size checks with NumPy's messages before anything is allocated, then the data read
 * chunk by chunk straight into the new array's memory (byte-swapped if big-endian; bool bytes
 * made 0/1). The data must fill the file (or the entry) exactly.
 */
function readNpyData(src: Source, h: NpyHeader, opts: LoadOptions, total?: (n: number) => void): ndarray {
  const count = elementCount(h.dims);
  if (h.object) {
    if (!opts.allowPickle) throw new ValueError("Object arrays cannot be loaded when allow_pickle=False");
    throw new NotImplementedError("load(): object arrays (pickled data) are not supported");
  }
  const it = h.dtype.itemsize;
  const descr = DESCR[h.dtype.name];
  if (src.kind === "zip" && count < 0n) throw new ValueError("negative dimensions are not allowed");
  const need = count < 0n ? -1 : Number(count) * it;
  total?.(need);
  const left = src.left();
  const failed = (got: number) =>
    new ValueError(
      `Failed to read all data for array. Expected ${shapeRepr(h.dims)} = ${count} elements, could only read ${got} elements. (file seems not fully written?)`,
    );
  if (src.kind === "file" && count < 0n) throw failed(left === null ? 0 : Math.floor(left / it));
  if (left !== null && left < need) {
    if (src.kind === "file") throw failed(Math.floor(left / it));
    drain(src, left); // to its end: the CRC check comes first, as in zipfile
    const piece = (2 ** 18 / Math.min(2 ** 18, it)) * it,
      k = Math.floor(left / piece);
    throw new ValueError(`EOF: reading array data, expected ${Math.min(piece, need - k * piece)} bytes got ${left - k * piece}`);
  }
  const shape = checkReshape(h.dims, count);
  if (left !== null && left > need) {
    if (src.kind === "zip") drain(src, left);
    throw new ValueError(
      `${src.kind === "zip" ? `the archive entry ${pyStrRepr(src.name!)}` : "the .npy file"} has ${left - need} bytes after the data of its ${shapeRepr(h.dims)} ${descr} array`,
    );
  }
  const rt = runtime();
  const store = rt.createStore(h.fortran ? [...shape].reverse() : shape, h.dtype);
  if (need > 0) {
    const lanes = rt.overwrite(store); // every byte comes from the file (or the load fails)
    const step = Math.max(it, ioHooks.chunkBytes - (ioHooks.chunkBytes % it));
    const lane = it / h.dtype.lanes;
    for (let k = 0; k < need; k += step) {
      const chunk = new Uint8Array(lanes.buffer, lanes.byteOffset + k, Math.min(step, need - k));
      const got = src.read(chunk);
      ioHooks.chunksRead++;
      if (got < chunk.length) throw failed(Math.floor((k + got) / it));
      if (h.bigEndian) for (let i = 0; i < chunk.length; i += lane) chunk.subarray(i, i + lane).reverse();
      if (h.dtype.name === "bool") for (let i = 0; i < chunk.length; i++) chunk[i] = chunk[i] ? 1 : 0;
    }
  }
  if (left === null && src.read(new Uint8Array(1)) > 0)
    throw new ValueError(`the .npy file has bytes after the data of its ${shapeRepr(h.dims)} ${descr} array`);
  const a = new ndarray(store);
  // Fortran order is the C-order array of the reversed shape, transposed (a view, as in NumPy).
  return h.fortran ? transpose(a) : a;
}

/** Read and discard `n` bytes (through the source's CRC check). */
function drain(src: Source, n: number): void {
  const buf = new Uint8Array(Math.min(n, 1 << 20));
  while (n > 0) {
    const got = src.read(buf.subarray(0, Math.min(n, buf.length)));
    if (got === 0) break;
    n -= got;
  }
}

/**
 * np.load: an array from a `.npy` file, or from a `.npz` file an object of arrays by name
 * (NumPy's NpzFile: the directory is read at once, each array when first used).
 */
export const load = def(
  "load",
  "file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII', *, max_header_size=10000",
  { file: FILE, mmap_mode: arg.strOrNone, allow_pickle: arg.bool, fix_imports: arg.bool, encoding: ENCODING, max_header_size: arg.int },
  (p): ndarray | Record<string, ndarray> => {
    if (p.mmap_mode !== null) unsupported("load", "mmap_mode=");
    return load_(p.file, { allowPickle: p.allow_pickle, maxHeaderSize: p.max_header_size });
  },
);

function load_(file: string, opts: LoadOptions): ndarray | Record<string, ndarray> {
  const fd = openSync(file, "r");
  try {
    const st = fstatSync(fd);
    const src = fileSource(fd, st.isFile() ? st.size : null, 0);
    const m = new Uint8Array(6);
    const magic = m.subarray(0, src.read(m));
    if (magic.length === 0) throw new EOFError("No data left in file");
    if (magic[0] === 0x50 && magic[1] === 0x4b && ((magic[2] === 3 && magic[3] === 4) || (magic[2] === 5 && magic[3] === 6))) {
      if (!st.isFile()) throw new ValueError(`${pyStrRepr(file)} is not a regular file: a .npz archive must be one`);
      return npzFile(file, fd, st, opts);
    }
    if (magic.length === 6 && MAGIC.every((b, i) => magic[i] === b)) {
      const { h } = readNpyHeader(src, magic, opts);
      return readNpyData(src, h, opts);
    }
    if (isArrowIpc(magic)) return loadArrow(file) as ndarray | Record<string, ndarray>;
    if (magic.length >= 4 && String.fromCharCode(...magic.subarray(0, 4)) === "PAR1")
      throw new ValueError(`${pyStrRepr(file)} is a Parquet file: read it with \`await np.read_parquet(file)\``);
    if (!opts.allowPickle)
      throw new ValueError(
        "This file contains pickled (object) data. If you trust the file you can load it unsafely using the `allow_pickle=` keyword argument or `pickle.load()`.",
      );
    throw new UnpicklingError(`Failed to interpret file ${pyStrRepr(file)} as a pickle (tessera reads .npy and .npz files, not pickles)`);
  } finally {
    closeSync(fd);
  }
}

/**
 * NumPy's NpzFile as a plain object: one property per entry (its name without ".npy";
 * a repeated name is its last entry), with no prototype, so an entry may be called
 * `__proto__` or `constructor`. Each property reads its entry when first used (it reopens the
 * file, which must be the one whose directory was read) and keeps the array.
 */
function npzFile(file: string, fd: number, st: Stats, opts: LoadOptions): Record<string, ndarray> {
  const entries = readZipDirectory(fd, st.size);
  const byKey = new Map<string, ZipEntry>();
  for (const e of entries) byKey.set(e.name.endsWith(".npy") ? e.name.slice(0, -4) : e.name, e);
  const out = Object.create(null) as Record<string, ndarray>;
  const keep = (k: string, value: ndarray) => Object.defineProperty(out, k, { value, enumerable: true, configurable: true, writable: true });
  for (const [k, e] of byKey) {
    Object.defineProperty(out, k, {
      enumerable: true,
      configurable: true,
      get() {
        const a = readEntry(file, st, e, opts);
        keep(k, a);
        return a;
      },
      set(v: ndarray) {
        keep(k, v);
      },
    });
  }
  const keys = [...byKey.keys()];
  Object.defineProperty(out, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `NpzFile ${pyStrRepr(file)} with keys: ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? "..." : ""}`,
  });
  return out;
}

/** One entry of an archive as an array (NpzFile.__getitem__). */
function readEntry(file: string, was: Stats, e: ZipEntry, opts: LoadOptions): ndarray {
  const fd = openSync(file, "r");
  try {
    const st = fstatSync(fd);
    if (st.ino !== was.ino || st.dev !== was.dev || st.size !== was.size || st.mtimeMs !== was.mtimeMs) {
      throw new ValueError(`${pyStrRepr(file)} changed after np.load read its directory; load it again`);
    }
    const at = openEntry(fd, e);
    const maxHeader = opts.allowPickle ? Infinity : 4 * opts.maxHeaderSize + 76;
    const src = e.method === 8 ? deflatedSource(fd, st.size, at, e, maxHeader) : storedSource(fd, st.size, at, e);
    const m = new Uint8Array(6);
    const magic = m.subarray(0, src.read(m));
    if (magic.length < 6 || !MAGIC.every((b, i) => magic[i] === b)) {
      throw new ValueError(`the archive entry ${pyStrRepr(e.name)} is not a .npy file (NumPy would return its bytes; tessera loads arrays only)`);
    }
    const { h, pre, hlen } = readNpyHeader(src, magic, opts);
    const total = "expect" in src ? (n: number) => (src as { expect(t: number): void }).expect(n < 0 ? e.usize : pre + hlen + n) : undefined;
    return readNpyData(src, h, opts, total);
  } finally {
    closeSync(fd);
  }
}
