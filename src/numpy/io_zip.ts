import { writeSync } from "node:fs";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { BadZipFile, RuntimeError } from "./errors.js";
import { NotImplementedError } from "./param_types.js";
import { pyBytesRepr, pyStrRepr } from "./io_format.js";
import { readAt } from "./read_at.js";

/**
 * The zip archives `.npz` files are: read as Python's zipfile reads them (the end record,
 * zip64, the central directory, each entry's local header, CRC-32 checks), with its
 * BadZipFile messages; written with stored or deflated entries, zip64 where sizes or offsets
 * need it. Entries stream in chunks: nothing holds a whole archive in memory.
 */

const Z_SYNC_FLUSH = 2,
  Z_FINISH = 4; // zlib.constants (numbers, so the browser shim needs none)
const U32 = 0xffffffff;

/** One entry of the central directory. */
export interface ZipEntry {
  /** The name as Python's ZipInfo.filename gives it (cut at a NUL). */
  name: string;
  /** The name as stored in the directory. */
  origName: string;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  headerOffset: number;
}

const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A name as zipfile decodes it: UTF-8 when flag bit 11 is set, else code page 437. */
function decodeName(bytes: Uint8Array, flags: number): string {
  if (flags & 0x800) return utf8.decode(bytes);
  let s = "";
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

const u64 = (v: DataView, at: number): number => Number(v.getBigUint64(at, true));

/** zipfile's _EndRecData and _RealGetContents: the entries of the archive in `fd`. */
export function readZipDirectory(fd: number, size: number): ZipEntry[] {
  const notZip = () => new BadZipFile("File is not a zip file");
  if (size < 22) throw notZip();
  let rec: DataView, location: number;
  const last = readAt(fd, size - 22, 22);
  if (sig(last, 0) === 0x06054b50 && last[20] === 0 && last[21] === 0) {
    rec = view(last);
    location = size - 22;
  } else {
    const from = Math.max(size - (1 << 16) - 22, 0);
    const tail = readAt(fd, from, size - from);
    let at = tail.length - 4;
    while (at >= 0 && sig(tail, at) !== 0x06054b50) at--;
    if (at < 0 || tail.length - at < 22) throw notZip();
    rec = view(tail.subarray(at, at + 22));
    location = from + at;
  }
  let count = rec.getUint16(10, true),
    cdSize = rec.getUint32(12, true),
    cdOffset = rec.getUint32(16, true);
  let concat = location - cdSize - cdOffset;
  // Zip64: a locator just before the end record, the zip64 end record just before it.
  if (location >= 20) {
    const loc = view(readAt(fd, location - 20, 20));
    if (loc.byteLength === 20 && loc.getUint32(0, true) === 0x07064b50) {
      if (loc.getUint32(4, true) !== 0 || loc.getUint32(16, true) > 1) throw new BadZipFile("zipfiles that span multiple disks are not supported");
      if (location - 76 < 0) throw notZip();
      const r64 = view(readAt(fd, location - 76, 56));
      if (r64.byteLength === 56 && r64.getUint32(0, true) === 0x06064b50) {
        count = u64(r64, 32);
        cdSize = u64(r64, 40);
        cdOffset = u64(r64, 48);
        concat = location - cdSize - cdOffset - 76;
      }
    }
  }
  void count; // zipfile walks the directory by its size, not by the count
  const start = cdOffset + concat;
  if (start < 0) throw new BadZipFile("Bad offset for central directory");
  const cd = readAt(fd, start, Math.min(cdSize, Math.max(0, size - start)));
  const cv = view(cd);
  const out: ZipEntry[] = [];
  let at = 0;
  while (at < cdSize) {
    if (cd.length - at < 46) throw new BadZipFile("Truncated central directory");
    if (cv.getUint32(at, true) !== 0x02014b50) throw new BadZipFile("Bad magic number for central directory");
    const extract = cv.getUint8(at + 6),
      flags = cv.getUint16(at + 8, true),
      method = cv.getUint16(at + 10, true);
    const nlen = cv.getUint16(at + 28, true),
      xlen = cv.getUint16(at + 30, true),
      clen = cv.getUint16(at + 32, true);
    const origName = decodeName(cd.subarray(at + 46, at + 46 + nlen), flags);
    if (extract > 63) throw new NotImplementedError(`zip file version ${(extract / 10).toFixed(1)}`);
    const e: ZipEntry = {
      name: origName.includes("\0") ? origName.slice(0, origName.indexOf("\0")) : origName,
      origName,
      flags,
      method,
      crc: cv.getUint32(at + 16, true),
      csize: cv.getUint32(at + 20, true),
      usize: cv.getUint32(at + 24, true),
      headerOffset: cv.getUint32(at + 42, true),
    };
    decodeExtra(e, cd.subarray(at + 46 + nlen, at + 46 + nlen + xlen));
    e.headerOffset += concat;
    out.push(e);
    at += 46 + nlen + xlen + clen;
  }
  return out;
}

/** zipfile's ZipInfo._decodeExtra: the zip64 sizes and offset. */
function decodeExtra(e: ZipEntry, extra: Uint8Array): void {
  const v = view(extra);
  let at = 0;
  while (extra.length - at >= 4) {
    const tp = v.getUint16(at, true),
      ln = v.getUint16(at + 2, true);
    if (ln + 4 > extra.length - at) throw new BadZipFile(`Corrupt extra field ${tp.toString(16).padStart(4, "0")} (size=${ln})`);
    if (tp === 1) {
      let p = at + 4;
      const end = at + 4 + ln;
      const take = (field: string): number => {
        if (end - p < 8) throw new BadZipFile(`Corrupt zip64 extra field. ${field} not found.`);
        p += 8;
        return u64(v, p - 8);
      };
      if (e.usize === U32) e.usize = take("File size");
      if (e.csize === U32) e.csize = take("Compress size");
      if (e.headerOffset === U32) e.headerOffset = take("Header offset");
    }
    at += ln + 4;
  }
}

/**
 * An entry opened as zipfile's ZipFile.open does (the local header and its checks): where its
 * data starts. Entries that are not stored or deflated raise NotImplementedError.
 */
export function openEntry(fd: number, e: ZipEntry): number {
  const h = readAt(fd, e.headerOffset, 30);
  if (h.length !== 30) throw new BadZipFile("Truncated file header");
  const hv = view(h);
  if (hv.getUint32(0, true) !== 0x04034b50) throw new BadZipFile("Bad magic number for file header");
  const nlen = hv.getUint16(26, true),
    xlen = hv.getUint16(28, true);
  const fname = readAt(fd, e.headerOffset + 30, nlen);
  if (e.flags & 0x20) throw new NotImplementedError("compressed patched data (flag bit 5)");
  if (e.flags & 0x40) throw new NotImplementedError("strong encryption (flag bit 6)");
  let local: string | null;
  try {
    local = decodeName(fname, hv.getUint16(6, true));
  } catch {
    local = null;
  }
  if (local !== e.origName) throw new BadZipFile(`File name in directory ${pyStrRepr(e.origName)} and header ${pyBytesRepr(fname)} differ.`);
  if (e.flags & 1) throw new RuntimeError(`File ${pyStrRepr(e.name)} is encrypted, password required for extraction`);
  if (e.method === 12 || e.method === 14)
    throw new NotImplementedError(`compression type ${e.method} (${e.method === 12 ? "bzip2" : "lzma"}) is not supported by tessera`);
  if (e.method !== 0 && e.method !== 8) throw new NotImplementedError("That compression method is not supported");
  return e.headerOffset + 30 + nlen + xlen;
}

/** zlib's error as Python's zlib module words it (zipfile lets it through). */
export function zlibError(err: unknown): Error {
  const z = err as { errno?: number; message?: string; code?: string };
  if (typeof z.errno === "number" && z.code?.startsWith("Z_")) return new BadZipFile(`Error ${z.errno} while decompressing data: ${z.message}`);
  return err as Error;
}

/**
 * Inflate raw deflate `data` to at most `limit` bytes. `complete` is false when the stream
 * stops before its end (its bytes are cut off); `over` is true when it holds more than `limit`.
 */
export function inflateLimited(data: Uint8Array, limit: number): { out: Uint8Array; complete: boolean; over: boolean } {
  const run = (finishFlush: number): { out: Uint8Array; over: boolean } => {
    try {
      const out = new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(1, limit), finishFlush }));
      return out.length > limit ? { out: out.subarray(0, 0), over: true } : { out, over: false };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "ERR_BUFFER_TOO_LARGE") return { out: new Uint8Array(0), over: true };
      if (code === "ERR_OUT_OF_RANGE")
        throw new NotImplementedError(`load(): a deflated .npz entry of ${limit} bytes (more than one buffer holds; save it with np.savez)`);
      throw err;
    }
  };
  try {
    return { ...run(Z_FINISH), complete: true };
  } catch (err) {
    if ((err as { code?: string }).code !== "Z_BUF_ERROR") throw zlibError(err);
  }
  // The stream is cut short: what its bytes give, as zipfile's decompressor returns it.
  try {
    return { ...run(Z_SYNC_FLUSH), complete: false };
  } catch (err) {
    throw zlibError(err);
  }
}

/** The beginning of a deflate stream: inflate a growing prefix until `want` bytes come out. */
export function inflatePrefix(data: Uint8Array, want: number): Uint8Array {
  for (let k = 1024; ; k *= 4) {
    const part = data.subarray(0, Math.min(k, data.length));
    let out: Uint8Array;
    try {
      out = new Uint8Array(inflateRawSync(part, { finishFlush: Z_SYNC_FLUSH, maxOutputLength: 1040 * part.length + 4096 }));
    } catch (err) {
      throw zlibError(err);
    }
    if (out.length >= want || part.length === data.length) return out;
  }
}

export { crc32 };

// ---- writing -------------------------------------------------------------------------

/** Where a zip is written: sequential writes, and writes back at a position (headers). */
export interface Sink {
  pos: number;
  write(bytes: Uint8Array): void;
  writeAt(bytes: Uint8Array, at: number): void;
}

/** A sink over a file descriptor; `hook` sees each write first (tests interrupt writes there). */
export function fdSink(fd: number, hook?: ((bytes: number) => void) | null, positional = true): Sink {
  return {
    pos: 0,
    write(bytes) {
      hook?.(bytes.length);
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, positional ? this.pos + done : null);
      this.pos += bytes.length;
    },
    writeAt(bytes, at) {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
    },
  };
}

const enc = new TextEncoder();

/**
 * Write a zip of `entries` to `sink`. Each entry's content comes as chunks (`pieces()`,
 * `size` bytes in all); deflated entries compress chunk by chunk (each a sync-flushed deflate
 * stream, the last one finished: together one valid stream), so memory stays one chunk.
 */
export function writeZip(sink: Sink, entries: { name: string; size: number; pieces: () => Iterable<Uint8Array> }[], compress: boolean): void {
  const central: Uint8Array[] = [];
  const method = compress ? 8 : 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const flags = /^[\x00-\x7f]*$/.test(e.name) ? 0 : 0x800;
    const offset = sink.pos;
    // Zip64 in the local header when the sizes may not fit 32 bits (deflate adds ~5 bytes per 16 kB).
    const local64 = e.size + Math.ceil(e.size / 16000) * 5 + 1024 >= U32;
    const local = new Uint8Array(30 + name.length + (local64 ? 20 : 0));
    sink.write(local); // written again below, with the CRC and sizes
    let crc = 0,
      csize = 0,
      usize = 0;
    const emit = (chunk: Uint8Array, last: boolean) => {
      const out = compress ? new Uint8Array(deflateRawSync(chunk, { finishFlush: last ? Z_FINISH : Z_SYNC_FLUSH })) : chunk;
      if (out.length) sink.write(out);
      csize += out.length;
    };
    for (const piece of e.pieces()) {
      crc = crc32(piece, crc);
      usize += piece.length;
      emit(piece, false);
    }
    if (compress) emit(new Uint8Array(0), true); // the final (empty) block
    const lv = view(local);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, local64 ? 45 : 20, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01
    lv.setUint32(14, crc >>> 0, true);
    lv.setUint32(18, local64 ? U32 : csize, true);
    lv.setUint32(22, local64 ? U32 : usize, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, local64 ? 20 : 0, true);
    local.set(name, 30);
    if (local64) {
      lv.setUint16(30 + name.length, 1, true);
      lv.setUint16(32 + name.length, 16, true);
      lv.setBigUint64(34 + name.length, BigInt(usize), true);
      lv.setBigUint64(42 + name.length, BigInt(csize), true);
    } else if (csize >= U32 || usize >= U32) throw new RangeError("zip entry sizes outgrew their header");
    sink.writeAt(local, offset);
    // The central directory entry: zip64 fields for whatever does not fit 32 bits.
    const big = [usize >= U32, csize >= U32, offset >= U32];
    const x64 = big.filter(Boolean).length * 8;
    const cd = new Uint8Array(46 + name.length + (x64 ? 4 + x64 : 0));
    const cv = view(cd);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, x64 ? 45 : 20, true);
    cv.setUint16(6, x64 ? 45 : 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc >>> 0, true);
    cv.setUint32(20, big[1] ? U32 : csize, true);
    cv.setUint32(24, big[0] ? U32 : usize, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, x64 ? 4 + x64 : 0, true);
    cv.setUint32(42, big[2] ? U32 : offset, true);
    cd.set(name, 46);
    if (x64) {
      let p = 46 + name.length;
      cv.setUint16(p, 1, true);
      cv.setUint16(p + 2, x64, true);
      p += 4;
      for (const [i, v] of [usize, csize, offset].entries())
        if (big[i]) {
          cv.setBigUint64(p, BigInt(v), true);
          p += 8;
        }
    }
    central.push(cd);
  }
  const cdOffset = sink.pos;
  for (const c of central) sink.write(c);
  const cdSize = sink.pos - cdOffset,
    n = entries.length;
  const zip64 = n >= 0xffff || cdOffset >= U32 || cdSize >= U32;
  if (zip64) {
    const at = sink.pos;
    const r = new Uint8Array(56 + 20),
      rv = view(r);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(n), true);
    rv.setBigUint64(32, BigInt(n), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    rv.setUint32(56, 0x07064b50, true);
    rv.setBigUint64(64, BigInt(at), true);
    rv.setUint32(72, 1, true);
    sink.write(r);
  }
  const end = new Uint8Array(22),
    ev = view(end);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, zip64 ? 0xffff : n, true);
  ev.setUint16(10, zip64 ? 0xffff : n, true);
  ev.setUint32(12, zip64 ? U32 : cdSize, true);
  ev.setUint32(16, zip64 ? U32 : cdOffset, true);
  sink.write(end);
}

const sig = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
